package caio

import (
	"context"
	"regexp"
	"time"
)

// Organization is a tenant: every piece of content belongs to exactly one.
// An interim CAIO serving several clients has one organisation per client.
type Organization struct {
	ID        string    `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$`)

// ValidSlug reports whether s is a usable organisation slug: 1 to 40 lower-case
// letters, digits and inner hyphens.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// User is a person who can sign in. Users are global; what they may do is set
// per organisation by a Membership.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Membership gives a user a role in an organisation.
type Membership struct {
	OrgID     string    `json:"org_id"`
	OrgSlug   string    `json:"org_slug"`
	OrgName   string    `json:"org_name"`
	UserID    string    `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// APIToken is a bearer credential of one user in one organisation. Only a
// SHA-256 hash is stored; the secret is shown once, at creation.
type APIToken struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"org_id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Actor is who is acting: a signed-in user in their current organisation, or
// the system itself (CLI maintenance, demo loader). Services read it from the
// context; nothing else decides what the actor may do.
type Actor struct {
	UserID    string
	Email     string
	OrgID     string
	OrgSlug   string
	Role      Role
	RequestID string
	// System is true for trusted local commands that act without a user.
	System bool
	// Via says how the actor authenticated: "session", "token", "cli".
	Via string
}

// Label names the actor in the audit trail.
func (a Actor) Label() string {
	if a.System {
		return "system"
	}
	return a.Email
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the context, and false when there is none.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
