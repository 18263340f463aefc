package sqldb

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
)

// CreateUser inserts a user with an already hashed password.
func (c *Conn) CreateUser(ctx context.Context, u *caio.User, passwordHash string) error {
	u.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateUser */ INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		u.ID, u.Email, u.Name, passwordHash, ts(c.now))
	return translate(err)
}

// SetPassword replaces a user's password hash.
func (c *Conn) SetPassword(ctx context.Context, userID, passwordHash string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.SetPassword */ UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, userID)
	return translate(err)
}

// UserByEmail returns a user and its password hash, or ENOTFOUND.
func (c *Conn) UserByEmail(ctx context.Context, email string) (*caio.User, string, error) {
	var u caio.User
	var hash string
	err := c.q.QueryRowContext(ctx, `/* Conn.UserByEmail */ SELECT id, email, name, password_hash, created_at FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))).Scan(&u.ID, &u.Email, &u.Name, &hash, timeCol{&u.CreatedAt})
	if err != nil {
		return nil, "", translate(err)
	}
	return &u, hash, nil
}

// UserByID returns a user or ENOTFOUND.
func (c *Conn) UserByID(ctx context.Context, id string) (*caio.User, error) {
	var u caio.User
	err := c.q.QueryRowContext(ctx, `/* Conn.UserByID */ SELECT id, email, name, created_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Email, &u.Name, timeCol{&u.CreatedAt})
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// CountUsers returns how many users exist.
func (c *Conn) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `/* Conn.CountUsers */ SELECT COUNT(*) FROM users`).Scan(&n)
	return n, translate(err)
}

// PutMembership gives a user a role in an organisation, replacing any earlier role.
func (c *Conn) PutMembership(ctx context.Context, orgID, userID string, role caio.Role) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.PutMembership */ INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role`, orgID, userID, string(role), ts(c.now))
	return translate(err)
}

// DeleteMembership removes a user from an organisation and ends the API tokens they held there.
func (c *Conn) DeleteMembership(ctx context.Context, orgID, userID string) error {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteMembership */ DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caio.Errorf(caio.ENOTFOUND, "Member not found.")
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.DeleteMembership */ UPDATE api_tokens SET revoked_at = $1 WHERE org_id = $2 AND user_id = $3 AND revoked_at IS NULL`, ts(c.now), orgID, userID)
	return translate(err)
}

const membershipSelect = `SELECT m.org_id, o.slug, o.name, m.user_id, u.email, u.name, m.role, m.created_at
	FROM memberships m JOIN organizations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id`

func scanMembership(row interface{ Scan(...any) error }) (*caio.Membership, error) {
	var m caio.Membership
	var role string
	if err := row.Scan(&m.OrgID, &m.OrgSlug, &m.OrgName, &m.UserID, &m.Email, &m.Name, &role, timeCol{&m.CreatedAt}); err != nil {
		return nil, translate(err)
	}
	m.Role = caio.Role(role)
	return &m, nil
}

// Membership returns the user's membership of the organisation, or ENOTFOUND.
func (c *Conn) Membership(ctx context.Context, orgID, userID string) (*caio.Membership, error) {
	return scanMembership(c.q.QueryRowContext(ctx, `/* Conn.Membership */ `+membershipSelect+` WHERE m.org_id = $1 AND m.user_id = $2`, orgID, userID))
}

// UserMemberships lists the organisations of a user, by name.
func (c *Conn) UserMemberships(ctx context.Context, userID string) ([]*caio.Membership, error) {
	return c.memberships(ctx, `/* Conn.UserMemberships */ `+membershipSelect+` WHERE m.user_id = $1 ORDER BY o.name, o.slug`, userID)
}

// OrgMembers lists a page of an organisation's members, by email, and the total.
func (c *Conn) OrgMembers(ctx context.Context, orgID string, p caio.Page) ([]*caio.Membership, int, error) {
	var total int
	if err := c.q.QueryRowContext(ctx, `/* Conn.OrgMembers */ SELECT COUNT(*) FROM memberships WHERE org_id = $1`, orgID).Scan(&total); err != nil {
		return nil, 0, translate(err)
	}
	ms, err := c.memberships(ctx, `/* Conn.OrgMembers */ `+membershipSelect+` WHERE m.org_id = $1 ORDER BY u.email LIMIT $2 OFFSET $3`, orgID, p.Limit, p.Offset)
	return ms, total, err
}

// CountOwners returns how many owners an organisation has.
func (c *Conn) CountOwners(ctx context.Context, orgID string) (int, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `/* Conn.CountOwners */ SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'owner'`, orgID).Scan(&n)
	return n, translate(err)
}

func (c *Conn) memberships(ctx context.Context, query string, args ...any) ([]*caio.Membership, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.Membership{}
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, translate(rows.Err())
}
