package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// CreateToken makes an API token for the actor in its organisation and
// returns the secret, which is never shown again. Any member may hold tokens;
// a token can do what its owner's role allows.
func (app *App) CreateToken(ctx context.Context, name string) (*caio.APIToken, string, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, "", err
	}
	if a.UserID == "" {
		return nil, "", caio.Errorf(caio.EINVALID, "A token belongs to a user: name one with --email.")
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return nil, "", caio.FieldError("name", "is required and must be at most 100 characters, such as ci-pipeline")
	}
	secret, hash := NewSecret("caio_")
	t := &caio.APIToken{ID: caio.NewID("tok"), OrgID: a.OrgID, UserID: a.UserID, Name: name, Prefix: secret[:9]}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateToken(ctx, t, hash); err != nil {
			return err
		}
		return record(ctx, c, a, "token.create", "token", t.ID, caio.Diff(nil, map[string]any{"name": name, "user_id": a.UserID}))
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// FindTokens lists a page of the actor's tokens in its organisation.
func (app *App) FindTokens(ctx context.Context, p caio.Page) ([]*caio.APIToken, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	var ts []*caio.APIToken
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ts, total, err = c.Tokens(ctx, a.OrgID, a.UserID, p)
		return err
	})
	return ts, total, err
}

// RevokeToken ends a token. Members revoke their own; PermManageMembers
// revokes anyone's in the organisation. Returns ENOTFOUND otherwise.
func (app *App) RevokeToken(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return err
	}
	if !caio.ValidID("tok", id) {
		return caio.Errorf(caio.ENOTFOUND, "Token not found.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.TokenByID(ctx, a.OrgID, id)
		if err != nil || (t.UserID != a.UserID && !a.System && !caio.Can(a.Role, caio.PermManageMembers)) {
			return caio.Errorf(caio.ENOTFOUND, "Token not found.")
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := c.RevokeToken(ctx, id); err != nil {
			return err
		}
		return record(ctx, c, a, "token.revoke", "token", id, caio.Diff(map[string]any{"revoked": false}, map[string]any{"revoked": true}))
	})
}
