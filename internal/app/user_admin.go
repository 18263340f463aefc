package app

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The services in this file serve local maintenance commands (the CLI).
// Those that read or change data across organisations need a system actor in
// the context, which only local commands create.

// requireSystem returns EFORBIDDEN unless the context carries a system actor.
func requireSystem(ctx context.Context) error {
	if a, ok := caio.ActorFrom(ctx); !ok || !a.System {
		return caio.Errorf(caio.EFORBIDDEN, "Only local administration commands may do this.")
	}
	return nil
}

// UserActor returns the actor of a user in an organisation, for local
// commands that act as that user, such as creating an API token on their
// behalf. Returns ENOTFOUND when no organisation has the slug or no user has
// the email, and EFORBIDDEN when the user is not a member of the organisation.
func (app *App) UserActor(ctx context.Context, slug, email string) (caio.Actor, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var a caio.Actor
	err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		o, err := c.OrgBySlug(ctx, slug)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.Errorf(caio.ENOTFOUND, "No organisation has the slug %q.", slug)
		} else if err != nil {
			return err
		}
		u, _, err := c.UserByEmail(ctx, email)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.Errorf(caio.ENOTFOUND, "No user has the email %q.", email)
		} else if err != nil {
			return err
		}
		m, err := c.Membership(ctx, o.ID, u.ID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.Errorf(caio.EFORBIDDEN, "%s is not a member of %s: add them first with `caio user create`.", email, o.Slug)
		} else if err != nil {
			return err
		}
		a = caio.Actor{UserID: u.ID, Email: u.Email, OrgID: o.ID, OrgSlug: o.Slug, Role: m.Role, Via: "cli"}
		return nil
	})
	return a, err
}

// FindUserByEmail returns a user. Needs a system actor. Returns ENOTFOUND
// when no user has the email.
func (app *App) FindUserByEmail(ctx context.Context, email string) (*caio.User, error) {
	if err := requireSystem(ctx); err != nil {
		return nil, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	var u *caio.User
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		u, _, err = c.UserByEmail(ctx, email)
		return err
	})
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "No user has the email %q.", email)
	}
	return u, err
}

// SetUserPassword replaces a user's password and ends all their sessions, so
// whoever knew the old password is signed out. API tokens stay valid: they
// are separate credentials, revoked on their own. Needs a system actor.
// Returns ENOTFOUND for an unknown email and EINVALID for a weak password.
//
// The change is not in an audit trail: trails belong to organisations and a
// password belongs to a user. The password itself is never logged.
func (app *App) SetUserPassword(ctx context.Context, email, password string) error {
	if err := requireSystem(ctx); err != nil {
		return err
	}
	var v caio.Validation
	validatePassword(&v, password)
	if err := v.Err(); err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	hash := HashPassword(password) // slow by design: outside the transaction
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, _, err := c.UserByEmail(ctx, email)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.Errorf(caio.ENOTFOUND, "No user has the email %q.", email)
		} else if err != nil {
			return err
		}
		if err := c.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		_, err = c.DeleteUserSessions(ctx, u.ID)
		return err
	})
}

// AllOrgs lists every organisation, by slug. Needs a system actor.
func (app *App) AllOrgs(ctx context.Context) ([]*caio.Organization, error) {
	if err := requireSystem(ctx); err != nil {
		return nil, err
	}
	var os []*caio.Organization
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		os, err = c.Orgs(ctx)
		return err
	})
	return os, err
}
