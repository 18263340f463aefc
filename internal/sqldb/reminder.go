package sqldb

import (
	"context"
	"database/sql"

	"github.com/caio-office/caio"
)

// Reminders: the dated rows of other areas that deadlines are derived from
// (controls, risks, treatments), each member's reminder settings, and the
// log of digests that makes sending them idempotent (migration 0014).

func init() {
	backupTables = append(backupTables,
		struct{ name, order string }{"reminder_preferences", "org_id, user_id"},
		struct{ name, order string }{"reminder_digests", "org_id, user_id, day"})
}

// ControlDate is an applicable control with a date to remind of: its due
// date (the organisation's target, else the date the law applies from)
// while open, or its review date.
type ControlDate struct {
	ID, SystemID, SystemName, Framework, ItemID string
	Status, Owner                               string
	// Deadline is the date from which the requirement applies in law;
	// DueDate the organisation's own target; Due the one that counts.
	Deadline, DueDate, Due, ReviewDate string
}

// ControlDates returns the applicable controls of the organisation that are
// open and due on or before until, then those (not marked not applicable)
// with a review date on or before until, each part earliest first and at
// most limit long. A control may be in both parts. Each part reads a
// partial index in date order (migration 0014).
func (c *Conn) ControlDates(ctx context.Context, orgID, until string, limit int) ([]ControlDate, error) {
	due, err := c.controlDates(ctx, `/* Conn.ControlDates */ SELECT `+controlDateColumns+`
		FROM controls k JOIN ai_systems s ON s.id = k.system_id
		WHERE k.org_id = $1 AND k.applicable = 1 AND k.status IN ('not_started', 'in_progress') AND k.due <> '' AND k.due <= $2
		ORDER BY k.due, k.id LIMIT $3`, orgID, until, limit)
	if err != nil {
		return nil, err
	}
	review, err := c.controlDates(ctx, `/* Conn.ControlDates */ SELECT `+controlDateColumns+`
		FROM controls k JOIN ai_systems s ON s.id = k.system_id
		WHERE k.org_id = $1 AND k.applicable = 1 AND k.status <> 'not_applicable' AND k.review_date <> '' AND k.review_date <= $2
		ORDER BY k.review_date, k.id LIMIT $3`, orgID, until, limit)
	return append(due, review...), err
}

const controlDateColumns = `k.id, k.system_id, s.name, k.framework, k.item_id, k.status, k.owner, k.deadline, k.due_date, k.due, k.review_date`

func (c *Conn) controlDates(ctx context.Context, query string, args ...any) ([]ControlDate, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []ControlDate
	for rows.Next() {
		var k ControlDate
		if err := rows.Scan(&k.ID, &k.SystemID, &k.SystemName, &k.Framework, &k.ItemID, &k.Status, &k.Owner,
			&k.Deadline, &k.DueDate, &k.Due, &k.ReviewDate); err != nil {
			return nil, translate(err)
		}
		out = append(out, k)
	}
	return out, translate(rows.Err())
}

// RiskDate is a risk or a treatment of a risk with a date to remind of.
type RiskDate struct {
	RiskID, RiskTitle string
	// TreatmentID and Description are set for a treatment's due date.
	TreatmentID, Description string
	Owner, Date              string
}

// RiskReviewDates returns the risks that are not closed and whose review
// date is on or before until, earliest first, at most limit.
func (c *Conn) RiskReviewDates(ctx context.Context, orgID, until string, limit int) ([]RiskDate, error) {
	return c.riskDates(ctx, `/* Conn.RiskReviewDates */ SELECT id, title, '', '', owner, review_date FROM risks
		WHERE org_id = $1 AND status <> 'closed' AND review_date <> '' AND review_date <= $2
		ORDER BY review_date, id LIMIT $3`, orgID, until, limit)
}

// TreatmentDueDates returns the planned and running treatments of risks
// that are not closed whose due date is on or before until, earliest
// first, at most limit.
func (c *Conn) TreatmentDueDates(ctx context.Context, orgID, until string, limit int) ([]RiskDate, error) {
	return c.riskDates(ctx, `/* Conn.TreatmentDueDates */ SELECT r.id, r.title, t.id, t.description, t.owner, t.due
		FROM risk_treatments t JOIN risks r ON r.id = t.risk_id
		WHERE t.org_id = $1 AND t.status IN ('planned', 'in_progress') AND t.due <> '' AND t.due <= $2 AND r.status <> 'closed'
		ORDER BY t.due, t.id LIMIT $3`, orgID, until, limit)
}

func (c *Conn) riskDates(ctx context.Context, query string, args ...any) ([]RiskDate, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []RiskDate
	for rows.Next() {
		var d RiskDate
		if err := rows.Scan(&d.RiskID, &d.RiskTitle, &d.TreatmentID, &d.Description, &d.Owner, &d.Date); err != nil {
			return nil, translate(err)
		}
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// AllMembers returns every member of an organisation, by email, at most limit.
func (c *Conn) AllMembers(ctx context.Context, orgID string, limit int) ([]*caio.Membership, error) {
	return c.memberships(ctx, `/* Conn.AllMembers */ `+membershipSelect+` WHERE m.org_id = $1 ORDER BY u.email LIMIT $2`, orgID, limit)
}

// ReminderPreferences returns a member's settings, or the defaults (digest
// on, UpdatedAt nil) when they never changed them.
func (c *Conn) ReminderPreferences(ctx context.Context, orgID, userID string) (*caio.ReminderPreferences, error) {
	p := &caio.ReminderPreferences{Digest: true}
	var digest int
	var at string
	err := c.q.QueryRowContext(ctx, `/* Conn.ReminderPreferences */ SELECT digest, updated_at FROM reminder_preferences WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&digest, &at)
	if err == sql.ErrNoRows {
		return p, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	var t = c.now
	if err := (timeCol{&t}).Scan(at); err != nil {
		return nil, err
	}
	p.Digest, p.UpdatedAt = digest != 0, &t
	return p, nil
}

// PutReminderPreferences stores a member's settings.
func (c *Conn) PutReminderPreferences(ctx context.Context, orgID, userID string, p *caio.ReminderPreferences) error {
	digest := 0
	if p.Digest {
		digest = 1
	}
	now := c.now
	p.UpdatedAt = &now
	_, err := c.q.ExecContext(ctx, `/* Conn.PutReminderPreferences */ INSERT INTO reminder_preferences (org_id, user_id, digest, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at`, orgID, userID, digest, ts(c.now))
	return translate(err)
}

// DigestOptOuts returns the members of the organisation who turned the digest off.
func (c *Conn) DigestOptOuts(ctx context.Context, orgID string) (map[string]bool, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.DigestOptOuts */ SELECT user_id FROM reminder_preferences WHERE org_id = $1 AND digest = 0`, orgID)
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

// DigestClaim is the log row of one member's digest of one day.
type DigestClaim struct {
	OrgID, UserID, Day, Email string
	Deadlines, Overdue        int
	MessageID                 string
}

// DigestStatus returns the status of the day's digests of the organisation
// by member: "claimed" or "sent".
func (c *Conn) DigestStatus(ctx context.Context, orgID, day string) (map[string]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.DigestStatus */ SELECT user_id, status FROM reminder_digests WHERE org_id = $1 AND day = $2`, orgID, day)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, translate(err)
		}
		out[id] = st
	}
	return out, translate(rows.Err())
}

// ClaimDigest takes the member's digest of the day, so no other run sends
// it, and reports whether it got it. It inserts the log row; when the row
// exists it takes it over only if it is a claim made before staleBefore
// that never became "sent" (a server that stopped while sending). On
// PostgreSQL a concurrent insert of the same key waits for the other
// transaction and then inserts nothing, so two servers never both win.
func (c *Conn) ClaimDigest(ctx context.Context, d *DigestClaim, staleBefore string) (bool, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.ClaimDigest */ INSERT INTO reminder_digests (org_id, user_id, day, status, email, deadlines, overdue, message_id, claimed_at, sent_at)
		VALUES ($1, $2, $3, 'claimed', $4, $5, $6, $7, $8, '') ON CONFLICT (org_id, user_id, day) DO NOTHING`,
		d.OrgID, d.UserID, d.Day, d.Email, d.Deadlines, d.Overdue, d.MessageID, ts(c.now))
	if err != nil {
		return false, translate(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, translate(err)
	} else if n == 1 {
		return true, nil
	}
	res, err = c.q.ExecContext(ctx, `/* Conn.ClaimDigest */ UPDATE reminder_digests SET email = $1, deadlines = $2, overdue = $3, message_id = $4, claimed_at = $5
		WHERE org_id = $6 AND user_id = $7 AND day = $8 AND status = 'claimed' AND claimed_at < $9`,
		d.Email, d.Deadlines, d.Overdue, d.MessageID, ts(c.now), d.OrgID, d.UserID, d.Day, staleBefore)
	if err != nil {
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// DigestSent marks a claimed digest as sent.
func (c *Conn) DigestSent(ctx context.Context, d *DigestClaim) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.DigestSent */ UPDATE reminder_digests SET status = 'sent', sent_at = $1
		WHERE org_id = $2 AND user_id = $3 AND day = $4 AND message_id = $5`, ts(c.now), d.OrgID, d.UserID, d.Day, d.MessageID)
	return translate(err)
}

// ReleaseDigest deletes a claim whose message could not be sent, so the
// next run tries again.
func (c *Conn) ReleaseDigest(ctx context.Context, d *DigestClaim) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.ReleaseDigest */ DELETE FROM reminder_digests WHERE org_id = $1 AND user_id = $2 AND day = $3 AND status = 'claimed' AND message_id = $4`,
		d.OrgID, d.UserID, d.Day, d.MessageID)
	return translate(err)
}
