package sqldb

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
)

// CreateOrg inserts an organisation and the head of its audit chain.
func (c *Conn) CreateOrg(ctx context.Context, o *caio.Organization) error {
	o.CreatedAt, o.UpdatedAt = c.now, c.now
	if _, err := c.q.ExecContext(ctx, `/* Conn.CreateOrg */ INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)`,
		o.ID, o.Slug, o.Name, ts(c.now), ts(c.now)); err != nil {
		return translate(err)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateOrg */ INSERT INTO audit_heads (org_id, seq, hash) VALUES ($1, 0, '')`, o.ID)
	return translate(err)
}

// UpdateOrg changes the organisation's name.
func (c *Conn) UpdateOrg(ctx context.Context, o *caio.Organization) error {
	o.UpdatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.UpdateOrg */ UPDATE organizations SET name = $1, updated_at = $2 WHERE id = $3`, o.Name, ts(c.now), o.ID)
	return translate(err)
}

const orgColumns = `id, slug, name, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (*caio.Organization, error) {
	var o caio.Organization
	err := row.Scan(&o.ID, &o.Slug, &o.Name, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt})
	if err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// OrgByID returns an organisation or ENOTFOUND.
func (c *Conn) OrgByID(ctx context.Context, id string) (*caio.Organization, error) {
	return scanOrg(c.q.QueryRowContext(ctx, `/* Conn.OrgByID */ SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id))
}

// OrgBySlug returns an organisation or ENOTFOUND.
func (c *Conn) OrgBySlug(ctx context.Context, slug string) (*caio.Organization, error) {
	return scanOrg(c.q.QueryRowContext(ctx, `/* Conn.OrgBySlug */ SELECT `+orgColumns+` FROM organizations WHERE slug = $1`, strings.ToLower(slug)))
}

// Orgs returns every organisation, by slug. Only local commands use it.
func (c *Conn) Orgs(ctx context.Context) ([]*caio.Organization, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.Orgs */ SELECT `+orgColumns+` FROM organizations ORDER BY slug`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*caio.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}

// CountOrgs returns how many organisations exist.
func (c *Conn) CountOrgs(ctx context.Context) (int, error) {
	var n int
	err := c.q.QueryRowContext(ctx, `/* Conn.CountOrgs */ SELECT COUNT(*) FROM organizations`).Scan(&n)
	return n, translate(err)
}
