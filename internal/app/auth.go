package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// SessionTTL is how long a session lasts without use.
const SessionTTL = 7 * 24 * time.Hour

// Login checks an email and password and starts a session in the user's
// first organisation. It returns the cookie secret. remote is the client
// address, used to limit guessing. Returns EUNAUTHORIZED for a wrong email
// or password (without saying which) and ETOOMANY when rate limited.
func (app *App) Login(ctx context.Context, email, password, remote string) (secret string, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := time.Now()
	for _, key := range []string{"ip:" + remote, "email:" + email} {
		if ok, wait := app.Logins.Allowed(key, now); !ok {
			return "", caio.Errorf(caio.ETOOMANY, "Too many failed sign-ins. Try again in %d minutes.", int(wait.Minutes())+1)
		}
	}
	var u *caio.User
	var hash string
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		u, hash, err = c.UserByEmail(ctx, email)
		return err
	})
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		CheckPassword(dummyHash(), password)
	} else if err != nil {
		return "", err
	}
	if u == nil || hash == "" || !CheckPassword(hash, password) {
		app.Logins.Fail("ip:"+remote, now)
		app.Logins.Fail("email:"+email, now)
		return "", caio.Errorf(caio.EUNAUTHORIZED, "The email or password is not right.")
	}
	app.Logins.Reset("email:" + email)
	return app.startSession(ctx, u.ID)
}

// errSSOOnly refuses a password where every organisation of the user
// accepts only its single sign-on (sso.go).
var errSSOOnly = caio.Errorf(caio.EFORBIDDEN, "Your organisation signs in with single sign-on only: choose “Sign in with single sign-on” below and type its short name or your work email.")

func (app *App) startSession(ctx context.Context, userID string) (string, error) {
	secret, hash := NewSecret("s_")
	err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
		all, err := c.UserMemberships(ctx, userID)
		if err != nil {
			return err
		}
		// A password session may not land in an organisation that switched
		// local login off; when that is every organisation, it is refused.
		off, err := c.LocalLoginOff(ctx, userID)
		if err != nil {
			return err
		}
		ms := all[:0:0]
		for _, m := range all {
			if !off[m.OrgID] {
				ms = append(ms, m)
			}
		}
		if len(all) > 0 && len(ms) == 0 {
			return errSSOOnly
		}
		s := &sqldb.Session{ID: hash, UserID: userID, ExpiresAt: c.Now().Add(SessionTTL)}
		// Start where the user last worked; otherwise in the organisation they
		// joined first, which is usually their own.
		last, err := c.LastSessionOrg(ctx, userID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.OrgID == last {
				s.OrgID = last
			}
		}
		if s.OrgID == "" && len(ms) > 0 {
			first := ms[0]
			for _, m := range ms[1:] {
				if m.CreatedAt.Before(first.CreatedAt) {
					first = m
				}
			}
			s.OrgID = first.OrgID
		}
		return c.CreateSession(ctx, s)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// startSSOSession starts a session that the single sign-on of the
// organisation vouched for: it acts in that organisation only.
func (app *App) startSSOSession(ctx context.Context, userID, orgID string) (string, error) {
	secret, hash := NewSecret("s_")
	err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return c.CreateSession(ctx, &sqldb.Session{ID: hash, UserID: userID, OrgID: orgID, SSOOrgID: orgID, ExpiresAt: c.Now().Add(SessionTTL)})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Logout ends the session with this cookie secret.
func (app *App) Logout(ctx context.Context, secret string) error {
	return app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.DeleteSession(ctx, HashSecret(secret)) })
}

// SessionActor resolves a session cookie into an actor. Returns
// EUNAUTHORIZED when the session is unknown or expired. A session whose user
// has no role in its organisation yields an actor without an organisation.
func (app *App) SessionActor(ctx context.Context, secret string) (caio.Actor, error) {
	id := HashSecret(secret)
	var p *sqldb.Principal
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		p, err = c.SessionPrincipal(ctx, id)
		return err
	})
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return caio.Actor{}, caio.Errorf(caio.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	} else if err != nil {
		return caio.Actor{}, err
	}
	// Slide the expiry at most once an hour, so reads stay reads.
	if time.Until(p.Expires) < SessionTTL-time.Hour {
		_ = app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.TouchSession(ctx, id, c.Now().Add(SessionTTL)) })
	}
	via := "session"
	if p.SSOOrgID != "" {
		via = "sso"
	}
	return principalActor(p, via), nil
}

// TokenActor resolves a bearer token into an actor. Returns EUNAUTHORIZED for
// an unknown or revoked token, or one whose user left the organisation.
func (app *App) TokenActor(ctx context.Context, secret string) (caio.Actor, error) {
	var p *sqldb.Principal
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		p, err = c.TokenPrincipal(ctx, HashSecret(secret))
		return err
	})
	if caio.ErrorCode(err) == caio.ENOTFOUND || (err == nil && p.Role == "") {
		return caio.Actor{}, caio.Errorf(caio.EUNAUTHORIZED, "The API token is not valid or was revoked.")
	} else if err != nil {
		return caio.Actor{}, err
	}
	// Record use at most once a minute, so a busy client does not turn every read into a write.
	if p.LastUsed == nil || time.Since(*p.LastUsed) > time.Minute {
		_ = app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.TouchToken(ctx, p.TokenID) })
	}
	return principalActor(p, "token"), nil
}

func principalActor(p *sqldb.Principal, via string) caio.Actor {
	a := caio.Actor{UserID: p.UserID, Email: p.Email, Via: via}
	if p.Role != "" {
		a.OrgID, a.OrgSlug, a.Role = p.OrgID, p.OrgSlug, p.Role
	}
	return a
}

// SwitchOrg makes another of the user's organisations current for the session.
// Returns ENOTFOUND when the user is not a member of it.
func (app *App) SwitchOrg(ctx context.Context, secret, slug string) error {
	a, ok := caio.ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return caio.Errorf(caio.EUNAUTHORIZED, "Please sign in.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		o, err := c.OrgBySlug(ctx, slug)
		if err != nil {
			return caio.Errorf(caio.ENOTFOUND, "Organisation not found.")
		}
		if _, err := c.Membership(ctx, o.ID, a.UserID); err != nil {
			return caio.Errorf(caio.ENOTFOUND, "Organisation not found.")
		}
		// Single sign-on vouches for its own organisation only, and an
		// organisation without local login accepts only its own.
		s, err := c.SessionByID(ctx, HashSecret(secret))
		if err != nil {
			return err
		}
		if s.SSOOrgID != "" && s.SSOOrgID != o.ID {
			return caio.Errorf(caio.EFORBIDDEN, "You signed in through another organisation's single sign-on, which vouches for that organisation only: sign out, then sign in to %s.", o.Name)
		}
		if s.SSOOrgID == "" {
			off, err := c.LocalLoginOff(ctx, a.UserID)
			if err != nil {
				return err
			}
			if off[o.ID] {
				return caio.Errorf(caio.EFORBIDDEN, "%s accepts only its single sign-on: sign out, then choose “Sign in with single sign-on” and type %s.", o.Name, o.Slug)
			}
		}
		return c.SetSessionOrg(ctx, HashSecret(secret), o.ID)
	})
}

// MyMemberships lists the organisations of the signed-in user.
func (app *App) MyMemberships(ctx context.Context) ([]*caio.Membership, error) {
	a, ok := caio.ActorFrom(ctx)
	if !ok || a.UserID == "" {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "Please sign in.")
	}
	var ms []*caio.Membership
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ms, err = c.UserMemberships(ctx, a.UserID)
		return err
	})
	if err == nil && a.Via == "sso" {
		// A session of single sign-on sees its own organisation only: the
		// provider of one organisation learns nothing of the others.
		ms = slices.DeleteFunc(ms, func(m *caio.Membership) bool { return m.OrgID != a.OrgID })
	}
	return ms, err
}

// NeedsSetup reports whether the database has no user yet, so the first-run
// setup link is the only way in.
func (app *App) NeedsSetup(ctx context.Context) (bool, error) {
	var n int
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		n, err = c.CountUsers(ctx)
		return err
	})
	return n == 0, err
}

// CreateSetupToken makes a one-time first-run secret valid for a day.
func (app *App) CreateSetupToken(ctx context.Context) (string, error) {
	secret, hash := NewSecret("setup_")
	err := app.DB.Write(ctx, func(c *sqldb.Conn) error { return c.CreateSetupToken(ctx, hash, c.Now().Add(24*time.Hour)) })
	return secret, err
}

// ValidSetupToken reports whether a setup secret can still be used.
func (app *App) ValidSetupToken(ctx context.Context, secret string) bool {
	ok := false
	_ = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ok, err = c.ValidSetupToken(ctx, HashSecret(secret))
		return err
	})
	return ok
}

// CompleteSetup uses a setup secret to create the first organisation and its
// owner, and signs the owner in. Everything happens in one transaction.
func (app *App) CompleteSetup(ctx context.Context, secret string, in SignupInput) (session string, err error) {
	if err := in.validate(); err != nil {
		return "", err
	}
	var userID string
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if n, err := c.CountUsers(ctx); err != nil {
			return err
		} else if n > 0 {
			return caio.Errorf(caio.ECONFLICT, "caio is already set up. Sign in instead.")
		}
		if err := c.UseSetupToken(ctx, HashSecret(secret)); err != nil {
			return err
		}
		_, u, err := createOrgWithOwner(ctx, c, in, caio.Actor{Via: "setup"})
		userID = u.ID
		return err
	})
	if err != nil {
		return "", err
	}
	return app.startSession(ctx, userID)
}

// PurgeExpiredSessions deletes sessions past their expiry and returns how
// many. caio serve calls it every hour, so the table holds live sessions only.
func (app *App) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		n, err = c.DeleteExpiredSessions(ctx)
		return err
	})
	return n, err
}
