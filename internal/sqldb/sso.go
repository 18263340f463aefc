package sqldb

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// The storage of single sign-on (migration 0018): each organisation's
// provider settings and email domains, and the sign-ins under way.

func init() {
	backupTables = append(backupTables,
		struct{ name, order string }{"sso_configs", "org_id"},
		struct{ name, order string }{"sso_domains", "org_id, domain"},
	)
	// Sign-ins under way live ten minutes and are bound to one server's browser.
	NotBackedUp = append(NotBackedUp, "sso_attempts")
	// The client secret is a credential, like an API token: an organisation
	// export leaves the configuration out, and its domains with it.
	orgExportLeftOut = append(orgExportLeftOut, "sso_configs", "sso_domains")
}

// SSOConfig returns the organisation's single sign-on settings with the
// client secret, or ENOTFOUND when it has none. TestedIssuer is the issuer
// whose discovery last worked.
func (c *Conn) SSOConfig(ctx context.Context, orgID string) (cfg *caio.SSOConfig, testedIssuer string, err error) {
	var s caio.SSOConfig
	var enabled, jit, local int
	var scopes, roles, def string
	err = c.q.QueryRowContext(ctx, `/* Conn.SSOConfig */ SELECT org_id, enabled, issuer, client_id, client_secret, scopes, groups_claim, group_roles,
		default_role, jit, local_login, tested_issuer, tested_at, updated_by, updated_at FROM sso_configs WHERE org_id = $1`, orgID).
		Scan(&s.OrgID, &enabled, &s.Issuer, &s.ClientID, &s.ClientSecret, &scopes, &s.GroupsClaim, &roles, &def, &jit, &local,
			&testedIssuer, nullTimeCol{&s.TestedAt}, &s.UpdatedBy, nullTimeCol{&s.UpdatedAt})
	if err != nil {
		return nil, "", translate(err)
	}
	s.Enabled, s.JIT, s.LocalLogin, s.DefaultRole = enabled == 1, jit == 1, local == 1, caio.Role(def)
	s.SecretSet = s.ClientSecret != ""
	s.Scopes = strings.Fields(scopes)
	if s.Scopes == nil {
		s.Scopes = []string{}
	}
	s.GroupRoles = []caio.GroupRole{}
	_ = json.Unmarshal([]byte(roles), &s.GroupRoles) // written by PutSSOConfig only
	if s.Domains, err = c.SSODomains(ctx, orgID); err != nil {
		return nil, "", err
	}
	return &s, testedIssuer, nil
}

// SSODomains lists the organisation's SSO email domains, sorted.
func (c *Conn) SSODomains(ctx context.Context, orgID string) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.SSODomains */ SELECT domain FROM sso_domains WHERE org_id = $1 ORDER BY domain`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, translate(err)
		}
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// PutSSOConfig stores the organisation's settings, replacing the ones
// before, and its domains. testedIssuer and testedAt record the last
// discovery that worked.
func (c *Conn) PutSSOConfig(ctx context.Context, s *caio.SSOConfig, testedIssuer string, by string) error {
	roles, err := json.Marshal(s.GroupRoles)
	if err != nil {
		return err
	}
	var tested any
	if s.TestedAt != nil {
		tested = ts(*s.TestedAt)
	}
	now := c.now
	s.UpdatedAt, s.UpdatedBy = &now, by
	_, err = c.q.ExecContext(ctx, `/* Conn.PutSSOConfig */ INSERT INTO sso_configs (org_id, enabled, issuer, client_id, client_secret, scopes, groups_claim,
		group_roles, default_role, jit, local_login, tested_issuer, tested_at, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (org_id) DO UPDATE SET enabled = excluded.enabled, issuer = excluded.issuer, client_id = excluded.client_id,
		client_secret = excluded.client_secret, scopes = excluded.scopes, groups_claim = excluded.groups_claim,
		group_roles = excluded.group_roles, default_role = excluded.default_role, jit = excluded.jit, local_login = excluded.local_login,
		tested_issuer = excluded.tested_issuer, tested_at = excluded.tested_at, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		s.OrgID, boolInt(s.Enabled), s.Issuer, s.ClientID, s.ClientSecret, strings.Join(s.Scopes, " "), s.GroupsClaim, string(roles),
		string(s.DefaultRole), boolInt(s.JIT), boolInt(s.LocalLogin), testedIssuer, tested, by, ts(now))
	if err != nil {
		return translate(err)
	}
	if _, err := c.q.ExecContext(ctx, `/* Conn.PutSSOConfig */ DELETE FROM sso_domains WHERE org_id = $1`, s.OrgID); err != nil {
		return translate(err)
	}
	for _, d := range s.Domains {
		if _, err := c.q.ExecContext(ctx, `/* Conn.PutSSOConfig */ INSERT INTO sso_domains (org_id, domain) VALUES ($1, $2)`, s.OrgID, d); err != nil {
			return translate(err)
		}
	}
	return nil
}

// SSOOrgsForDomain returns the slugs of the organisations whose enabled
// single sign-on accepts the email domain, at most limit of them.
func (c *Conn) SSOOrgsForDomain(ctx context.Context, domain string, limit int) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.SSOOrgsForDomain */ SELECT o.slug FROM sso_domains d
		JOIN sso_configs s ON s.org_id = d.org_id JOIN organizations o ON o.id = d.org_id
		WHERE d.domain = $1 AND s.enabled = 1 ORDER BY o.slug LIMIT $2`, domain, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, translate(err)
		}
		out = append(out, s)
	}
	return out, translate(rows.Err())
}

// LocalLoginOff returns the IDs of the user's organisations whose local
// (password) login is switched off.
func (c *Conn) LocalLoginOff(ctx context.Context, userID string) (map[string]bool, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.LocalLoginOff */ SELECT s.org_id FROM sso_configs s JOIN memberships m ON m.org_id = s.org_id
		WHERE m.user_id = $1 AND s.local_login = 0`, userID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		out[id] = true
	}
	return out, translate(rows.Err())
}

// SSOAttempt is a sign-in under way at a provider.
type SSOAttempt struct {
	StateHash   string
	OrgID       string
	BrowserHash string
	Nonce       string
	Verifier    string
	RedirectURI string
	Next        string
	ExpiresAt   time.Time
}

// CreateSSOAttempt stores a sign-in under way, after deleting every
// expired one, so the table holds only live attempts.
func (c *Conn) CreateSSOAttempt(ctx context.Context, a *SSOAttempt) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.CreateSSOAttempt */ DELETE FROM sso_attempts WHERE expires_at <= $1`, ts(c.now)); err != nil {
		return translate(err)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSSOAttempt */ INSERT INTO sso_attempts (state_hash, org_id, browser_hash, nonce, verifier, redirect_uri, next, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.StateHash, a.OrgID, a.BrowserHash, a.Nonce, a.Verifier, a.RedirectURI, a.Next, ts(c.now), ts(a.ExpiresAt))
	return translate(err)
}

// TakeSSOAttempt deletes the attempt with the state's hash and returns it,
// so a state is good for one use. Returns ENOTFOUND when it is unknown,
// already used or expired.
func (c *Conn) TakeSSOAttempt(ctx context.Context, stateHash string) (*SSOAttempt, error) {
	var a SSOAttempt
	err := c.q.QueryRowContext(ctx, `/* Conn.TakeSSOAttempt */ SELECT state_hash, org_id, browser_hash, nonce, verifier, redirect_uri, next, expires_at
		FROM sso_attempts WHERE state_hash = $1`, stateHash).
		Scan(&a.StateHash, &a.OrgID, &a.BrowserHash, &a.Nonce, &a.Verifier, &a.RedirectURI, &a.Next, timeCol{&a.ExpiresAt})
	if err != nil {
		return nil, translate(err)
	}
	res, err := c.q.ExecContext(ctx, `/* Conn.TakeSSOAttempt */ DELETE FROM sso_attempts WHERE state_hash = $1`, stateHash)
	if err != nil {
		return nil, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 || !a.ExpiresAt.After(c.now) {
		return nil, caio.Errorf(caio.ENOTFOUND, "This sign-in has expired or was already used.")
	}
	return &a, nil
}

// DropPasswordSessions takes the organisation out of every session in it
// that single sign-on did not start for it, when its local login is
// switched off. Those sessions land nowhere and must choose again.
func (c *Conn) DropPasswordSessions(ctx context.Context, orgID string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.DropPasswordSessions */ UPDATE sessions SET org_id = NULL WHERE org_id = $1 AND (sso_org_id IS NULL OR sso_org_id <> $1)`, orgID)
	return translate(err)
}
