package app

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// SignupInput creates an organisation and its first owner.
type SignupInput struct {
	OrgName  string
	OrgSlug  string
	Email    string
	Name     string
	Password string
}

func (in *SignupInput) validate() error {
	in.OrgName = strings.TrimSpace(in.OrgName)
	in.OrgSlug = strings.ToLower(strings.TrimSpace(in.OrgSlug))
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Name = strings.TrimSpace(in.Name)
	if in.OrgSlug == "" {
		in.OrgSlug = Slugify(in.OrgName)
	}
	var v caio.Validation
	validateOrgName(&v, in.OrgName)
	if !caio.ValidSlug(in.OrgSlug) {
		v.Add("org_slug", "must be 1 to 40 lower-case letters, digits or inner hyphens, such as acme-bank")
	}
	validateEmail(&v, in.Email)
	validatePassword(&v, in.Password)
	return v.Err()
}

func validateOrgName(v *caio.Validation, name string) {
	if name == "" {
		v.Add("org_name", "is required")
	} else if utf8.RuneCountInString(name) > 120 {
		v.Add("org_name", "must be at most 120 characters")
	}
}

func validateEmail(v *caio.Validation, email string) {
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		v.Add("email", "must be an email address, such as ada@example.com")
	}
}

func validatePassword(v *caio.Validation, pw string) {
	if utf8.RuneCountInString(pw) < 12 {
		v.Add("password", "must be at least 12 characters")
	} else if len(pw) > 1024 {
		v.Add("password", "must be at most 1,024 bytes")
	}
}

// Slugify turns a name into a slug candidate: "Acme Bank plc" → "acme-bank-plc".
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = strings.Trim(s[:40], "-")
	}
	return s
}

// createOrgWithOwner creates an organisation and either a new owner or, when
// the email is known, gives that user the owner role. It audits both in the
// new organisation.
func createOrgWithOwner(ctx context.Context, c *sqldb.Conn, in SignupInput, by caio.Actor) (*caio.Organization, *caio.User, error) {
	o := &caio.Organization{ID: caio.NewID("org"), Slug: in.OrgSlug, Name: in.OrgName}
	if err := c.CreateOrg(ctx, o); err != nil {
		if caio.ErrorCode(err) == caio.ECONFLICT {
			return nil, nil, caio.FieldError("org_slug", "is taken by another organisation; choose another")
		}
		return nil, nil, err
	}
	u, _, err := c.UserByEmail(ctx, in.Email)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		u = &caio.User{ID: caio.NewID("usr"), Email: in.Email, Name: in.Name}
		if in.Password == "" {
			return nil, nil, caio.FieldError("password", "is required for a new user")
		}
		err = c.CreateUser(ctx, u, HashPassword(in.Password))
	}
	if err != nil {
		return nil, nil, err
	}
	if err := c.PutMembership(ctx, o.ID, u.ID, caio.RoleOwner); err != nil {
		return nil, nil, err
	}
	by.OrgID, by.OrgSlug = o.ID, o.Slug
	if by.UserID == "" && by.Via != "" {
		by.System = true
	}
	if err := record(ctx, c, by, "organization.create", "organization", o.ID, caio.Diff(nil, map[string]any{"slug": o.Slug, "name": o.Name})); err != nil {
		return nil, nil, err
	}
	return o, u, record(ctx, c, by, "member.add", "user", u.ID, caio.Diff(nil, map[string]any{"email": u.Email, "role": caio.RoleOwner}))
}

// CreateOrg creates a new organisation with the signed-in user as its owner,
// as an interim CAIO does for each new client. A system actor (the CLI) names
// the owner by email and, for a new user, gives a password.
func (app *App) CreateOrg(ctx context.Context, in SignupInput) (*caio.Organization, error) {
	a, ok := caio.ActorFrom(ctx)
	if !ok || (a.UserID == "" && !a.System) {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "Please sign in.")
	}
	if !a.System {
		in.Email, in.Password = a.Email, "unused-for-existing-user"
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var o *caio.Organization
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		o, _, err = createOrgWithOwner(ctx, c, in, a)
		return err
	})
	return o, err
}

// CurrentOrg returns the actor's organisation.
func (app *App) CurrentOrg(ctx context.Context) (*caio.Organization, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var o *caio.Organization
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		o, err = c.OrgByID(ctx, a.OrgID)
		return err
	})
	return o, err
}

// RenameOrg changes the organisation's display name. Needs PermManageOrg.
func (app *App) RenameOrg(ctx context.Context, name string) (*caio.Organization, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	var v caio.Validation
	validateOrgName(&v, name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var o *caio.Organization
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if o, err = c.OrgByID(ctx, a.OrgID); err != nil {
			return err
		}
		before := o.Name
		o.Name = name
		if err := c.UpdateOrg(ctx, o); err != nil {
			return err
		}
		return record(ctx, c, a, "organization.update", "organization", o.ID, caio.Diff(map[string]any{"name": before}, map[string]any{"name": name}))
	})
	return o, err
}

// SystemActor returns the actor that local commands use in an organisation,
// looked up by slug. Returns ENOTFOUND for an unknown slug.
func (app *App) SystemActor(ctx context.Context, slug string) (caio.Actor, error) {
	var o *caio.Organization
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		o, err = c.OrgBySlug(ctx, slug)
		return err
	})
	if err != nil {
		return caio.Actor{}, caio.Errorf(caio.ENOTFOUND, "No organisation has the slug %q.", slug)
	}
	return caio.Actor{System: true, OrgID: o.ID, OrgSlug: o.Slug, Role: caio.RoleOwner, Via: "cli"}, nil
}
