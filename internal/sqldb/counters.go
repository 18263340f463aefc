package sqldb

import "context"

// counted lists the kinds of object whose number per organisation is kept in
// org_counters, with the table each is counted from.
var counted = map[string]string{"objective": "objectives"}

// bumpCounter adds delta to an organisation's count of a kind.
func (c *Conn) bumpCounter(ctx context.Context, orgID, kind string, delta int) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.bumpCounter */ INSERT INTO org_counters (org_id, kind, n) VALUES ($1, $2, $3)
		ON CONFLICT (org_id, kind) DO UPDATE SET n = org_counters.n + excluded.n`, orgID, kind, delta)
	return translate(err)
}

// Recount rebuilds org_counters from the tables, as after a restore or a
// bulk load that wrote rows directly.
func (c *Conn) Recount(ctx context.Context) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.Recount */ DELETE FROM org_counters`); err != nil {
		return translate(err)
	}
	for kind, table := range counted {
		if _, err := c.q.ExecContext(ctx, `/* Conn.Recount */ INSERT INTO org_counters (org_id, kind, n) SELECT org_id, $1, COUNT(*) FROM `+table+` GROUP BY org_id`, kind); err != nil {
			return translate(err)
		}
	}
	return nil
}
