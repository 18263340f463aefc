package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/caio-office/caio"
)

// --- Approvals ---

const approvalColumns = `a.id, a.org_id, a.subject_kind, a.subject_id, a.subject_title, a.action, a.payload, a.summary, a.reason,
	a.status, a.quorum, a.requested_by, COALESCE(u.name, ''), a.created_at, a.decided_at`

func scanApproval(row interface{ Scan(...any) error }, extra ...any) (*caio.Approval, error) {
	var a caio.Approval
	var payload, decided string
	dest := append([]any{&a.ID, &a.OrgID, &a.SubjectKind, &a.SubjectID, &a.SubjectTitle, &a.Action, &payload, &a.Summary,
		&a.Reason, &a.Status, &a.Quorum, &a.RequestedBy, &a.RequesterName, timeCol{&a.CreatedAt}, &decided}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	a.Payload = json.RawMessage(payload)
	if decided != "" {
		if t, ok := parseStoredTime(decided); ok {
			a.DecidedAt = &t
		}
	}
	a.Votes = []caio.ApprovalVote{}
	return &a, nil
}

// Approval returns an approval with its votes, or ENOTFOUND. Inside a write
// transaction on PostgreSQL it locks the row, so two deciding votes queue.
func (c *Conn) Approval(ctx context.Context, orgID, id string) (*caio.Approval, error) {
	lock := ""
	if c.writing && c.d == Postgres {
		lock = " FOR UPDATE OF a"
	}
	a, err := scanApproval(c.q.QueryRowContext(ctx, `/* Conn.Approval */ SELECT `+approvalColumns+` FROM approvals a
		LEFT JOIN users u ON u.id = a.requested_by WHERE a.org_id = $1 AND a.id = $2`+lock, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Approval not found.")
	}
	if err != nil {
		return nil, err
	}
	return a, c.loadVotes(ctx, orgID, []*caio.Approval{a})
}

// Approvals returns a page of approvals, newest first, with their votes.
func (c *Conn) Approvals(ctx context.Context, orgID string, f caio.ApprovalFilter) ([]*caio.Approval, int, error) {
	q := &listQuery{name: "Approvals", table: "approvals a LEFT JOIN users u ON u.id = a.requested_by", columns: approvalColumns, page: f.Page}
	q.where, q.args = []string{"a.org_id = $1"}, []any{orgID}
	if f.Status != nil {
		q.filter("a.status = ?", *f.Status)
	}
	if f.SubjectID != nil {
		q.filter("a.subject_id = ?", *f.SubjectID)
	}
	// There is no kept count of approvals: count the rows even unfiltered.
	q.where = append(q.where, "1 = 1")
	q.order = "a.created_at DESC, a.id DESC"
	out := make([]*caio.Approval, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		a, err := scanApproval(row, total)
		if err == nil {
			out = append(out, a)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, c.loadVotes(ctx, orgID, out)
}

func (c *Conn) loadVotes(ctx context.Context, orgID string, as []*caio.Approval) error {
	if len(as) == 0 {
		return nil
	}
	args := []any{orgID}
	ph := make([]string, len(as))
	byID := map[string]*caio.Approval{}
	for i, a := range as {
		args = append(args, a.ID)
		ph[i] = "$" + itoa(i+2)
		byID[a.ID] = a
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.loadVotes */ SELECT v.approval_id, v.user_id, COALESCE(u.name, ''), v.decision, v.comment, v.at
		FROM approval_votes v LEFT JOIN users u ON u.id = v.user_id
		WHERE v.org_id = $1 AND v.approval_id IN (`+strings.Join(ph, ", ")+`) ORDER BY v.approval_id, v.at, v.user_id`, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var v caio.ApprovalVote
		if err := rows.Scan(&id, &v.UserID, &v.UserName, &v.Decision, &v.Comment, timeCol{&v.At}); err != nil {
			return translate(err)
		}
		byID[id].Votes = append(byID[id].Votes, v)
	}
	return translate(rows.Err())
}

// PendingApproval returns the pending approval of a subject and action, or
// ENOTFOUND when there is none.
func (c *Conn) PendingApproval(ctx context.Context, orgID, subjectID, action string) (*caio.Approval, error) {
	var id string
	err := c.q.QueryRowContext(ctx, `/* Conn.PendingApproval */ SELECT id FROM approvals WHERE org_id = $1 AND subject_id = $2 AND action = $3 AND status = 'pending'`,
		orgID, subjectID, action).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, caio.Errorf(caio.ENOTFOUND, "No pending approval.")
	}
	if err != nil {
		return nil, translate(err)
	}
	return c.Approval(ctx, orgID, id)
}

// CreateApproval inserts a pending approval.
func (c *Conn) CreateApproval(ctx context.Context, a *caio.Approval) error {
	a.CreatedAt, a.Status = c.now, "pending"
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateApproval */ INSERT INTO approvals (id, org_id, subject_kind, subject_id, subject_title, action,
		payload, summary, reason, status, quorum, requested_by, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '')`,
		a.ID, a.OrgID, a.SubjectKind, a.SubjectID, a.SubjectTitle, a.Action, string(a.Payload), a.Summary, a.Reason, a.Status,
		a.Quorum, a.RequestedBy, ts(c.now))
	return translate(err)
}

// AddVote records an approver's vote; a second vote by the same person is a conflict.
func (c *Conn) AddVote(ctx context.Context, orgID, approvalID string, v *caio.ApprovalVote) error {
	v.At = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.AddVote */ INSERT INTO approval_votes (approval_id, org_id, user_id, decision, comment, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		approvalID, orgID, v.UserID, v.Decision, v.Comment, ts(c.now))
	return translate(err)
}

// SetApprovalStatus closes a pending approval.
func (c *Conn) SetApprovalStatus(ctx context.Context, orgID, id, status string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.SetApprovalStatus */ UPDATE approvals SET status = $1, decided_at = $2 WHERE org_id = $3 AND id = $4 AND status = 'pending'`,
		status, ts(c.now), orgID, id))
}

// WithdrawApprovalsOf closes every pending approval of a subject (when the
// subject is deleted) and returns their IDs.
func (c *Conn) WithdrawApprovalsOf(ctx context.Context, orgID, subjectID string) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.WithdrawApprovalsOf */ UPDATE approvals SET status = 'withdrawn', decided_at = $1
		WHERE org_id = $2 AND subject_id = $3 AND status = 'pending' RETURNING id`, ts(c.now), orgID, subjectID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err())
}

// --- Strategy, portfolio settings, capacity ---

// Strategy returns the organisation's strategy; an organisation without one
// gets an empty strategy at version 0.
func (c *Conn) Strategy(ctx context.Context, orgID string) (*caio.Strategy, error) {
	s := &caio.Strategy{}
	var content string
	err := c.q.QueryRowContext(ctx, `/* Conn.Strategy */ SELECT content, version, updated_at, updated_by FROM strategies WHERE org_id = $1`+c.forUpdate(), orgID).
		Scan(&content, &s.Version, timeCol{&s.UpdatedAt}, &s.UpdatedBy)
	if err == sql.ErrNoRows {
		s.Principles, s.Owners, s.Priorities = []string{}, []string{}, []caio.StrategyPriority{}
		return s, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	return s, json.Unmarshal([]byte(content), &s.StrategyContent)
}

// PutStrategy stores the strategy at the version after the one that was read.
func (c *Conn) PutStrategy(ctx context.Context, orgID string, s *caio.Strategy) error {
	s.Version++
	s.UpdatedAt = c.now
	if s.Version == 1 {
		_, err := c.q.ExecContext(ctx, `/* Conn.PutStrategy */ INSERT INTO strategies (org_id, content, version, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)`,
			orgID, jsonArg(s.StrategyContent), s.Version, ts(c.now), s.UpdatedBy)
		return translate(err)
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.PutStrategy */ UPDATE strategies SET content = $1, version = $2, updated_at = $3, updated_by = $4 WHERE org_id = $5 AND version = $6`,
		jsonArg(s.StrategyContent), s.Version, ts(c.now), s.UpdatedBy, orgID, s.Version-1))
}

// PortfolioSettings returns the organisation's stored settings, or nil when
// it has none (the application fills the defaults).
func (c *Conn) PortfolioSettings(ctx context.Context, orgID string) (*caio.PortfolioSettings, error) {
	var content string
	var version int
	err := c.q.QueryRowContext(ctx, `/* Conn.PortfolioSettings */ SELECT content, version FROM portfolio_settings WHERE org_id = $1`+c.forUpdate(), orgID).Scan(&content, &version)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	var s caio.PortfolioSettings
	if err := json.Unmarshal([]byte(content), &s); err != nil {
		return nil, errorf(caio.EINTERNAL, "portfolio settings: %v", err)
	}
	s.Version = version
	return &s, nil
}

// PutPortfolioSettings stores the settings at the version after the one read.
func (c *Conn) PutPortfolioSettings(ctx context.Context, orgID string, s *caio.PortfolioSettings) error {
	s.Version++
	if s.Version == 1 {
		_, err := c.q.ExecContext(ctx, `/* Conn.PutPortfolioSettings */ INSERT INTO portfolio_settings (org_id, content, version, updated_at) VALUES ($1, $2, $3, $4)`,
			orgID, jsonArg(s), s.Version, ts(c.now))
		return translate(err)
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.PutPortfolioSettings */ UPDATE portfolio_settings SET content = $1, version = $2, updated_at = $3 WHERE org_id = $4 AND version = $5`,
		jsonArg(s), s.Version, ts(c.now), orgID, s.Version-1))
}

// Capacity returns the organisation's capacity per quarter, in order.
func (c *Conn) Capacity(ctx context.Context, orgID string) ([]caio.Capacity, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.Capacity */ SELECT quarter, people, budget FROM roadmap_capacity WHERE org_id = $1 ORDER BY quarter`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []caio.Capacity{}
	for rows.Next() {
		var q caio.Capacity
		if err := rows.Scan(&q.Quarter, &q.People, &q.Budget); err != nil {
			return nil, translate(err)
		}
		out = append(out, q)
	}
	return out, translate(rows.Err())
}

// ReplaceCapacity replaces the organisation's capacity rows.
func (c *Conn) ReplaceCapacity(ctx context.Context, orgID string, qs []caio.Capacity) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.ReplaceCapacity */ DELETE FROM roadmap_capacity WHERE org_id = $1`, orgID); err != nil {
		return translate(err)
	}
	for _, q := range qs {
		if _, err := c.q.ExecContext(ctx, `/* Conn.ReplaceCapacity */ INSERT INTO roadmap_capacity (org_id, quarter, people, budget) VALUES ($1, $2, $3, $4)`,
			orgID, q.Quarter, q.People, q.Budget); err != nil {
			return translate(err)
		}
	}
	return nil
}

// StageCounts returns how many use cases are in each stage and each intake
// state of the organisation.
func (c *Conn) StageCounts(ctx context.Context, orgID string) (map[string]int, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.StageCounts */ SELECT stage, COUNT(*) FROM use_cases WHERE org_id = $1 AND intake <> 'merged' AND intake <> 'rejected' GROUP BY stage`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, translate(err)
		}
		out[s] = n
	}
	return out, translate(rows.Err())
}
