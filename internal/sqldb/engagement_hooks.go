package sqldb

import "context"

// PolicyInForce is a policy with an approved version in force, for the
// engagement's "policies approved" deliverable.
type PolicyInForce struct {
	Title, Kind string
}

// PoliciesInForce returns the organisation's policies that have an approved
// version in force and are not retired, by title.
func (c *Conn) PoliciesInForce(ctx context.Context, orgID string) ([]PolicyInForce, error) {
	rows, err := c.q.QueryContext(ctx, `/* PoliciesInForce */ SELECT title, kind FROM policies
		WHERE org_id = $1 AND current_version > 0 AND status <> 'retired' ORDER BY lower(title), id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []PolicyInForce
	for rows.Next() {
		var p PolicyInForce
		if err := rows.Scan(&p.Title, &p.Kind); err != nil {
			return nil, translate(err)
		}
		out = append(out, p)
	}
	return out, translate(rows.Err())
}

// TemplatePolicy is one policy carried by an engagement template: its
// fields and the text of the version in force, or of the newest version
// when none is approved.
type TemplatePolicy struct {
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	Owner        string `json:"owner"`
	ReviewMonths int    `json:"review_months"`
	AckDays      int    `json:"ack_days"`
	Body         string `json:"body"`
}

// TemplatePolicies returns the organisation's policies that are not
// retired, with the text a template carries, by title.
func (c *Conn) TemplatePolicies(ctx context.Context, orgID string) ([]TemplatePolicy, error) {
	rows, err := c.q.QueryContext(ctx, `/* TemplatePolicies */ SELECT p.title, p.kind, p.owner, p.review_months, p.ack_days, v.body
		FROM policies p JOIN policy_versions v ON v.policy_id = p.id
			AND v.number = CASE WHEN p.current_version > 0 THEN p.current_version ELSE p.latest_version END
		WHERE p.org_id = $1 AND p.status <> 'retired' ORDER BY lower(p.title), p.id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []TemplatePolicy
	for rows.Next() {
		var p TemplatePolicy
		if err := rows.Scan(&p.Title, &p.Kind, &p.Owner, &p.ReviewMonths, &p.AckDays, &p.Body); err != nil {
			return nil, translate(err)
		}
		out = append(out, p)
	}
	return out, translate(rows.Err())
}
