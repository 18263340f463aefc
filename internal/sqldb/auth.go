package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/caio-office/caio"
)

// Session is a signed-in browser. ID is the SHA-256 of the cookie value.
type Session struct {
	ID         string
	UserID     string
	OrgID      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	// SSOOrgID is the organisation whose single sign-on started the
	// session; such a session may act in that organisation only.
	SSOOrgID string
}

// CreateSession stores a session.
func (c *Conn) CreateSession(ctx context.Context, s *Session) error {
	s.CreatedAt, s.LastSeenAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSession */ INSERT INTO sessions (id, user_id, org_id, created_at, expires_at, last_seen_at, sso_org_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.ID, s.UserID, nullString(s.OrgID), ts(c.now), ts(s.ExpiresAt), ts(c.now), nullString(s.SSOOrgID))
	return translate(err)
}

// SessionByID returns an unexpired session or ENOTFOUND.
func (c *Conn) SessionByID(ctx context.Context, id string) (*Session, error) {
	var s Session
	var org, ssoOrg *string
	err := c.q.QueryRowContext(ctx, `/* Conn.SessionByID */ SELECT id, user_id, org_id, created_at, expires_at, last_seen_at, sso_org_id FROM sessions WHERE id = $1 AND expires_at > $2`, id, ts(c.now)).
		Scan(&s.ID, &s.UserID, &org, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt}, timeCol{&s.LastSeenAt}, &ssoOrg)
	if err != nil {
		return nil, translate(err)
	}
	if org != nil {
		s.OrgID = *org
	}
	if ssoOrg != nil {
		s.SSOOrgID = *ssoOrg
	}
	return &s, nil
}

// TouchSession moves the session's expiry and last-seen time.
func (c *Conn) TouchSession(ctx context.Context, id string, expires time.Time) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.TouchSession */ UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3`, ts(c.now), ts(expires), id)
	return translate(err)
}

// SetSessionOrg switches the session's current organisation.
func (c *Conn) SetSessionOrg(ctx context.Context, id, orgID string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.SetSessionOrg */ UPDATE sessions SET org_id = $1 WHERE id = $2`, orgID, id)
	return translate(err)
}

// DeleteSession ends a session.
func (c *Conn) DeleteSession(ctx context.Context, id string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.DeleteSession */ DELETE FROM sessions WHERE id = $1`, id)
	return translate(err)
}

// DeleteExpiredSessions removes sessions past their expiry.
func (c *Conn) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteExpiredSessions */ DELETE FROM sessions WHERE expires_at <= $1`, ts(c.now))
	if err != nil {
		return 0, translate(err)
	}
	return res.RowsAffected()
}

// CreateToken stores an API token by the hash of its secret.
func (c *Conn) CreateToken(ctx context.Context, t *caio.APIToken, hash string) error {
	t.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateToken */ INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.OrgID, t.UserID, t.Name, t.Prefix, hash, ts(c.now))
	return translate(err)
}

const tokenColumns = `id, org_id, user_id, name, prefix, created_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }) (*caio.APIToken, error) {
	var t caio.APIToken
	if err := row.Scan(&t.ID, &t.OrgID, &t.UserID, &t.Name, &t.Prefix, timeCol{&t.CreatedAt}, nullTimeCol{&t.LastUsedAt}, nullTimeCol{&t.RevokedAt}); err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// TokenByHash returns an unrevoked token or ENOTFOUND.
func (c *Conn) TokenByHash(ctx context.Context, hash string) (*caio.APIToken, error) {
	return scanToken(c.q.QueryRowContext(ctx, `/* Conn.TokenByHash */ SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`, hash))
}

// TokenByID returns a token of the organisation or ENOTFOUND.
func (c *Conn) TokenByID(ctx context.Context, orgID, id string) (*caio.APIToken, error) {
	return scanToken(c.q.QueryRowContext(ctx, `/* Conn.TokenByID */ SELECT `+tokenColumns+` FROM api_tokens WHERE org_id = $1 AND id = $2`, orgID, id))
}

// Tokens lists a page of a user's tokens in an organisation, newest first, and the total.
func (c *Conn) Tokens(ctx context.Context, orgID, userID string, p caio.Page) ([]*caio.APIToken, int, error) {
	total, err := c.count(ctx, `/* Conn.Tokens */ SELECT COUNT(*) FROM api_tokens WHERE org_id = $1 AND user_id = $2`, []any{orgID, userID})
	if err != nil || total <= p.Offset {
		return []*caio.APIToken{}, total, err
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.Tokens */ SELECT `+tokenColumns+` FROM api_tokens WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
		orgID, userID, p.Limit, p.Offset)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	out := []*caio.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, translate(rows.Err())
}

// RevokeToken marks a token revoked.
func (c *Conn) RevokeToken(ctx context.Context, id string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.RevokeToken */ UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, ts(c.now), id)
	return translate(err)
}

// TouchToken records when a token was last used.
func (c *Conn) TouchToken(ctx context.Context, id string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.TouchToken */ UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ts(c.now), id)
	return translate(err)
}

// CreateSetupToken stores a one-time first-run setup link by its hash.
func (c *Conn) CreateSetupToken(ctx context.Context, hash string, expires time.Time) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSetupToken */ INSERT INTO setup_tokens (hash, created_at, expires_at) VALUES ($1, $2, $3)`, hash, ts(c.now), ts(expires))
	return translate(err)
}

// UseSetupToken marks a setup token used; ENOTFOUND when it is unknown, used or expired.
func (c *Conn) UseSetupToken(ctx context.Context, hash string) error {
	res, err := c.q.ExecContext(ctx, `/* Conn.UseSetupToken */ UPDATE setup_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1`, ts(c.now), hash)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caio.Errorf(caio.ENOTFOUND, "This setup link is not valid any more.")
	}
	return nil
}

// ValidSetupToken reports whether a setup token can still be used.
func (c *Conn) ValidSetupToken(ctx context.Context, hash string) (bool, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `/* Conn.ValidSetupToken */ SELECT COUNT(*) FROM setup_tokens WHERE hash = $1 AND used_at IS NULL AND expires_at > $2`, hash, ts(c.now)).Scan(&n)
	return n > 0, translate(err)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Principal is what authentication learns in one query: the user, and their
// role in the organisation the credential points at (empty when they are no
// longer a member).
type Principal struct {
	UserID   string
	Email    string
	Name     string
	OrgID    string
	OrgSlug  string
	OrgName  string
	Role     caio.Role
	TokenID  string
	LastUsed *time.Time
	Expires  time.Time
	// SSOOrgID is set for a session that single sign-on started.
	SSOOrgID string
	// Refused says why a session lost its role in its organisation: the
	// organisation accepts only its single sign-on ("sso_only"), the
	// session's single sign-on is for another organisation ("sso_bound"),
	// or the organisation switched its single sign-on off ("sso_off").
	Refused string
}

// SessionPrincipal resolves an unexpired session in one query.
func (c *Conn) SessionPrincipal(ctx context.Context, id string) (*Principal, error) {
	var p Principal
	var orgID, slug, name, role, ssoOrg *string
	var local, enabled *int
	err := c.q.QueryRowContext(ctx, `/* Conn.SessionPrincipal */ SELECT u.id, u.email, u.name, s.org_id, o.slug, o.name, m.role, s.expires_at, s.sso_org_id, sc.local_login, sc.enabled
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN organizations o ON o.id = s.org_id
		LEFT JOIN memberships m ON m.org_id = s.org_id AND m.user_id = s.user_id
		LEFT JOIN sso_configs sc ON sc.org_id = s.org_id
		WHERE s.id = $1 AND s.expires_at > $2`, id, ts(c.now)).
		Scan(&p.UserID, &p.Email, &p.Name, &orgID, &slug, &name, &role, timeCol{&p.Expires}, &ssoOrg, &local, &enabled)
	if err != nil {
		return nil, translate(err)
	}
	if ssoOrg != nil {
		p.SSOOrgID = *ssoOrg
	}
	// Single sign-on decides who may enter an organisation that switched
	// local login off, and a provider vouches for its own organisation only.
	switch {
	case orgID == nil || role == nil:
	case p.SSOOrgID != "" && p.SSOOrgID != *orgID:
		p.Refused = "sso_bound"
	case p.SSOOrgID != "" && (enabled == nil || *enabled == 0):
		p.Refused = "sso_off" // switching single sign-on off ends its sessions
	case p.SSOOrgID == "" && local != nil && *local == 0:
		p.Refused = "sso_only"
	default:
		p.OrgID, p.OrgSlug, p.OrgName, p.Role = *orgID, *slug, *name, caio.Role(*role)
	}
	return &p, nil
}

// TokenPrincipal resolves an unrevoked API token in one query.
func (c *Conn) TokenPrincipal(ctx context.Context, hash string) (*Principal, error) {
	var p Principal
	var role *string
	err := c.q.QueryRowContext(ctx, `/* Conn.TokenPrincipal */ SELECT u.id, u.email, u.name, t.org_id, o.slug, o.name, m.role, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		JOIN organizations o ON o.id = t.org_id
		LEFT JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id
		WHERE t.hash = $1 AND t.revoked_at IS NULL`, hash).
		Scan(&p.UserID, &p.Email, &p.Name, &p.OrgID, &p.OrgSlug, &p.OrgName, &role, &p.TokenID, nullTimeCol{&p.LastUsed})
	if err != nil {
		return nil, translate(err)
	}
	if role != nil {
		p.Role = caio.Role(*role)
	}
	return &p, nil
}

// LastSessionOrg returns the organisation of the user's most recent session
// that had one, or "" when there is none.
func (c *Conn) LastSessionOrg(ctx context.Context, userID string) (string, error) {
	var org string
	err := c.q.QueryRowContext(ctx, `/* Conn.LastSessionOrg */ SELECT org_id FROM sessions WHERE user_id = $1 AND org_id IS NOT NULL ORDER BY last_seen_at DESC LIMIT 1`, userID).Scan(&org)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return org, translate(err)
}
