package sqldb

import "context"

// The deadlines of the advisor's tasks, the incidents' reporting clocks and
// the policy library, for reminders. Each query reads at most limit rows
// due up to until (YYYY-MM-DD), soonest first, like RiskReviewDates.

// DatedItem is one dated thing of an organisation that a reminder names.
type DatedItem struct {
	ID, Title, Date, Owner, UserID, Link string
}

func (c *Conn) datedItems(ctx context.Context, query string, args ...any) ([]DatedItem, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []DatedItem
	for rows.Next() {
		var d DatedItem
		if err := rows.Scan(&d.ID, &d.Title, &d.Date, &d.Owner, &d.UserID, &d.Link); err != nil {
			return nil, translate(err)
		}
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// TaskDueDates returns the open tasks with a due date, with their owner's
// user ID.
func (c *Conn) TaskDueDates(ctx context.Context, orgID, until string, limit int) ([]DatedItem, error) {
	return c.datedItems(ctx, `/* TaskDueDates */ SELECT id, title, due, '', COALESCE(owner_id, ''), link FROM tasks
		WHERE org_id = $1 AND status = 'open' AND due <> '' AND due <= $2 ORDER BY due, id LIMIT $3`, orgID, until, limit)
}

// IncidentReportDates returns the incidents whose Art 73 report is due and
// not made, with the date of the deadline.
func (c *Conn) IncidentReportDates(ctx context.Context, orgID, until string, limit int) ([]DatedItem, error) {
	return c.datedItems(ctx, `/* IncidentReportDates */ SELECT id, title, substr(report_due, 1, 10), owner, '', '' FROM incidents
		WHERE org_id = $1 AND reported_at = '' AND report_due <> '' AND substr(report_due, 1, 10) <= $2
		ORDER BY report_due, id LIMIT $3`, orgID, until, limit)
}

// PolicyReviewDates returns the policies in force with a review date.
func (c *Conn) PolicyReviewDates(ctx context.Context, orgID, until string, limit int) ([]DatedItem, error) {
	return c.datedItems(ctx, `/* PolicyReviewDates */ SELECT id, title, next_review, owner, '', '' FROM policies
		WHERE org_id = $1 AND current_version > 0 AND status <> 'retired' AND next_review <> '' AND next_review <= $2
		ORDER BY next_review, id LIMIT $3`, orgID, until, limit)
}

// PendingAckDates returns, per member and policy in force, the
// acknowledgement of the version in force that the member still owes, with
// its due date. ID is the policy's.
func (c *Conn) PendingAckDates(ctx context.Context, orgID, until string, limit int) ([]DatedItem, error) {
	return c.datedItems(ctx, `/* PendingAckDates */ SELECT p.id, p.title, p.ack_due, '', m.user_id, '' FROM policies p
		JOIN memberships m ON m.org_id = p.org_id
		WHERE p.org_id = $1 AND p.current_version > 0 AND p.status <> 'retired' AND p.ack_due <> '' AND p.ack_due <= $2
			AND NOT EXISTS (SELECT 1 FROM policy_acks k WHERE k.policy_id = p.id AND k.version = p.current_version AND k.user_id = m.user_id)
		ORDER BY p.ack_due, p.id, m.user_id LIMIT $3`, orgID, until, limit)
}
