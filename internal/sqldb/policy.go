package sqldb

import (
	"context"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
)

// The policy library: policies, their versions and acknowledgements (see
// migration 0010). A policy whose approval request was rejected or
// withdrawn is read with the status it had before the request, by joining
// the request: the general approval mechanism applies approvals only.

func init() {
	counted["policy"] = "policies"
	backupTables = append(backupTables,
		struct{ name, order string }{"policies", "id"},
		struct{ name, order string }{"policy_versions", "policy_id, number"},
		struct{ name, order string }{"policy_acks", "policy_id, version, user_id"},
	)
	advisorLoaders = append(advisorLoaders, loadAdvisorPolicies)
}

// policyTable joins each policy's waiting approval request, if any.
const policyTable = `policies p LEFT JOIN approvals a ON a.org_id = p.org_id AND a.id = p.approval_id`

// policyStatus is the status of a policy as read: a request that no
// longer waits puts an in_review policy back where it was.
const policyStatus = `(CASE WHEN p.status = 'in_review' AND COALESCE(a.status, '') NOT IN ('pending', 'approved') THEN (CASE WHEN p.current_version > 0 THEN 'approved' ELSE 'draft' END) ELSE p.status END)`

const policyColumns = `p.id, p.org_id, p.title, p.kind, p.owner, p.review_months, p.next_review, p.status, p.current_version, p.latest_version,
	p.ack_days, p.ack_due, p.review_version, p.approval_id, p.starter, p.version, p.created_at, p.updated_at, COALESCE(a.status, '')`

func scanPolicy(row interface{ Scan(...any) error }, extra ...any) (*caio.Policy, error) {
	var p caio.Policy
	var request string
	dest := append([]any{&p.ID, &p.OrgID, &p.Title, &p.Kind, &p.Owner, &p.ReviewMonths, &p.NextReview, &p.Status,
		&p.CurrentVersion, &p.LatestVersion, &p.AckDays, &p.AckDue, &p.ReviewVersion, &p.ApprovalID, &p.Starter, &p.Version,
		timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, &request}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	// An approved request is applied in the transaction that approves it,
	// so only there is a policy in review with an approved request.
	if p.Status == "in_review" && request != "pending" && request != "approved" {
		p.Status = "draft"
		if p.CurrentVersion > 0 {
			p.Status = "approved"
		}
		p.ReviewVersion, p.ApprovalID = 0, ""
	}
	return &p, nil
}

func policyNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Policy not found.") }

// Policy returns a policy of the organisation without its versions, or
// ENOTFOUND. Inside a write transaction on PostgreSQL it locks the row.
func (c *Conn) Policy(ctx context.Context, orgID, id string) (*caio.Policy, error) {
	lock := ""
	if c.writing && c.d == Postgres {
		lock = " FOR UPDATE OF p"
	}
	p, err := scanPolicy(c.q.QueryRowContext(ctx, `/* Conn.Policy */ SELECT `+policyColumns+` FROM `+policyTable+` WHERE p.org_id = $1 AND p.id = $2`+lock, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, policyNotFound()
	}
	return p, err
}

// policyOrder maps each sort to an ORDER BY an index of policies serves.
var policyOrder = map[string]string{
	"title": "lower(p.title), p.id", "-title": "lower(p.title) DESC, p.id DESC",
	"-updated": "p.updated_at DESC, p.id DESC", "updated": "p.updated_at, p.id",
	"-created": "p.created_at DESC, p.id DESC", "created": "p.created_at, p.id",
	"review": "(p.next_review = ''), p.next_review, p.id",
}

// Policies returns a page of an organisation's policies and the total that
// match. today and soon (YYYY-MM-DD) bound the review filters.
func (c *Conn) Policies(ctx context.Context, orgID string, f caio.PolicyFilter, today, soon string) ([]*caio.Policy, int, error) {
	q := &listQuery{name: "Policies", table: policyTable, columns: policyColumns, kind: "policy",
		where: []string{"p.org_id = $1"}, args: []any{orgID}, page: f.Page}
	q.search(f.Query, "p.title", "p.owner")
	if f.Status != nil {
		q.filter(policyStatus+" = ?", *f.Status)
	}
	if f.Kind != nil {
		q.filter("p.kind = ?", *f.Kind)
	}
	if f.Review != nil {
		q.where = append(q.where, "p.status <> 'retired' AND p.current_version > 0 AND p.next_review <> ''")
		if *f.Review == "overdue" {
			q.filter("p.next_review < ?", today)
		} else {
			q.filter("p.next_review <= ?", soon)
		}
	}
	var ok bool
	if q.order, ok = policyOrder[f.Sort]; !ok {
		q.order = policyOrder["title"]
	}
	out := make([]*caio.Policy, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		p, err := scanPolicy(row, total)
		if err == nil {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreatePolicy inserts a policy at version 1 with its first text, v.
func (c *Conn) CreatePolicy(ctx context.Context, p *caio.Policy, v *caio.PolicyVersion) error {
	p.Version, p.CreatedAt, p.UpdatedAt, p.LatestVersion = 1, c.now, c.now, 1
	_, err := c.q.ExecContext(ctx, `/* Conn.CreatePolicy */ INSERT INTO policies (id, org_id, title, kind, owner, review_months, next_review, status,
		current_version, latest_version, ack_days, ack_due, review_version, approval_id, starter, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		p.ID, p.OrgID, p.Title, p.Kind, p.Owner, p.ReviewMonths, p.NextReview, p.Status, p.CurrentVersion, p.LatestVersion,
		p.AckDays, p.AckDue, p.ReviewVersion, p.ApprovalID, p.Starter, p.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	v.PolicyID, v.Number = p.ID, 1
	if err := c.InsertPolicyVersion(ctx, p.OrgID, v); err != nil {
		return err
	}
	return c.bumpCounter(ctx, p.OrgID, "policy", 1)
}

// UpdatePolicy writes the policy's fields, bumping its version, if it still
// has the version that was read (otherwise the transaction is retried).
func (c *Conn) UpdatePolicy(ctx context.Context, p *caio.Policy) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdatePolicy */ UPDATE policies SET title = $1, kind = $2, owner = $3, review_months = $4,
		next_review = $5, status = $6, current_version = $7, latest_version = $8, ack_days = $9, ack_due = $10, review_version = $11,
		approval_id = $12, version = $13, updated_at = $14 WHERE org_id = $15 AND id = $16 AND version = $17`,
		p.Title, p.Kind, p.Owner, p.ReviewMonths, p.NextReview, p.Status, p.CurrentVersion, p.LatestVersion, p.AckDays, p.AckDue,
		p.ReviewVersion, p.ApprovalID, p.Version+1, ts(c.now), p.OrgID, p.ID, p.Version))
	if err != nil {
		return err
	}
	p.Version++
	p.UpdatedAt = c.now
	return nil
}

// DeletePolicy removes a policy at the version that was read, with its
// versions and acknowledgements.
func (c *Conn) DeletePolicy(ctx context.Context, p *caio.Policy) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeletePolicy */ DELETE FROM policies WHERE org_id = $1 AND id = $2 AND version = $3`, p.OrgID, p.ID, p.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, p.OrgID, "policy", -1)
}

// --- Versions ---

const policyVersionColumns = `policy_id, number, body, note, author_id, author_name, created_at, updated_at, approved_by, approved_at, approval_id`

func scanPolicyVersion(row interface{ Scan(...any) error }) (*caio.PolicyVersion, error) {
	var v caio.PolicyVersion
	if err := row.Scan(&v.PolicyID, &v.Number, &v.Body, &v.Note, &v.AuthorID, &v.AuthorName, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt},
		&v.ApprovedBy, optTimeCol{&v.ApprovedAt}, &v.ApprovalID); err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// PolicyVersion returns one version of a policy, or ENOTFOUND.
func (c *Conn) PolicyVersion(ctx context.Context, orgID, policyID string, number int) (*caio.PolicyVersion, error) {
	v, err := scanPolicyVersion(c.q.QueryRowContext(ctx, `/* Conn.PolicyVersion */ SELECT `+policyVersionColumns+` FROM policy_versions
		WHERE org_id = $1 AND policy_id = $2 AND number = $3`, orgID, policyID, number))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "This policy has no version %d.", number)
	}
	return v, err
}

// PolicyVersions returns the versions of a policy, newest first.
func (c *Conn) PolicyVersions(ctx context.Context, orgID, policyID string) ([]*caio.PolicyVersion, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.PolicyVersions */ SELECT `+policyVersionColumns+` FROM policy_versions
		WHERE org_id = $1 AND policy_id = $2 ORDER BY number DESC`, orgID, policyID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.PolicyVersion{}
	for rows.Next() {
		v, err := scanPolicyVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, translate(rows.Err())
}

// InsertPolicyVersion stores a new version of a policy of orgID.
func (c *Conn) InsertPolicyVersion(ctx context.Context, orgID string, v *caio.PolicyVersion) error {
	v.CreatedAt, v.UpdatedAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.InsertPolicyVersion */ INSERT INTO policy_versions (`+policyVersionColumns+`, org_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, v.PolicyID, v.Number, v.Body, v.Note, v.AuthorID, v.AuthorName,
		ts(c.now), ts(c.now), v.ApprovedBy, "", v.ApprovalID, orgID)
	return translate(err)
}

// RewritePolicyDraft replaces the text of a version that is not approved.
func (c *Conn) RewritePolicyDraft(ctx context.Context, orgID string, v *caio.PolicyVersion) error {
	v.UpdatedAt = c.now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.RewritePolicyDraft */ UPDATE policy_versions SET body = $1, note = $2, author_id = $3, author_name = $4, updated_at = $5
		WHERE org_id = $6 AND policy_id = $7 AND number = $8 AND approved_at = ''`, v.Body, v.Note, v.AuthorID, v.AuthorName, ts(c.now), orgID, v.PolicyID, v.Number))
}

// ApprovePolicyVersion marks a version approved by the named approvers in
// the request approvalID.
func (c *Conn) ApprovePolicyVersion(ctx context.Context, orgID string, v *caio.PolicyVersion) error {
	now := c.now
	v.ApprovedAt = &now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.ApprovePolicyVersion */ UPDATE policy_versions SET approved_by = $1, approved_at = $2, approval_id = $3
		WHERE org_id = $4 AND policy_id = $5 AND number = $6 AND approved_at = ''`, v.ApprovedBy, ts(c.now), v.ApprovalID, orgID, v.PolicyID, v.Number))
}

// --- Acknowledgements ---

// AddPolicyAck records a member's acknowledgement; a second one of the same
// version is a conflict.
func (c *Conn) AddPolicyAck(ctx context.Context, orgID string, k *caio.PolicyAck) error {
	k.At = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.AddPolicyAck */ INSERT INTO policy_acks (org_id, policy_id, version, user_id, at) VALUES ($1, $2, $3, $4, $5)`,
		orgID, k.PolicyID, k.Version, k.UserID, ts(c.now))
	return translate(err)
}

// PolicyAck returns a member's acknowledgement of a version, or ENOTFOUND.
func (c *Conn) PolicyAck(ctx context.Context, orgID, policyID string, version int, userID string) (*caio.PolicyAck, error) {
	k := &caio.PolicyAck{PolicyID: policyID, Version: version, UserID: userID}
	err := c.q.QueryRowContext(ctx, `/* Conn.PolicyAck */ SELECT at FROM policy_acks WHERE org_id = $1 AND policy_id = $2 AND version = $3 AND user_id = $4`,
		orgID, policyID, version, userID).Scan(timeCol{&k.At})
	if err != nil {
		return nil, translate(err)
	}
	return k, nil
}

// PolicyAckStatus fills who of the organisation's members has
// acknowledged version n of a policy (oldest first) and who has not (by
// name).
func (c *Conn) PolicyAckStatus(ctx context.Context, orgID string, out *caio.PolicyAcks) error {
	rows, err := c.q.QueryContext(ctx, `/* Conn.PolicyAckStatus */ SELECT u.id, u.name, u.email, COALESCE(k.at, '')
		FROM memberships m JOIN users u ON u.id = m.user_id
		LEFT JOIN policy_acks k ON k.org_id = m.org_id AND k.policy_id = $2 AND k.version = $3 AND k.user_id = m.user_id
		WHERE m.org_id = $1 ORDER BY k.at, lower(u.name), u.email`, orgID, out.PolicyID, out.Version)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	out.Acknowledged, out.Pending, out.Members = []caio.PolicyAck{}, []caio.PolicyMember{}, 0
	for rows.Next() {
		var m caio.PolicyMember
		var at string
		if err := rows.Scan(&m.UserID, &m.Name, &m.Email, &at); err != nil {
			return translate(err)
		}
		out.Members++
		if at == "" {
			out.Pending = append(out.Pending, m)
			continue
		}
		k := caio.PolicyAck{PolicyID: out.PolicyID, Version: out.Version, UserID: m.UserID, Name: m.Name, Email: m.Email}
		if err := (timeCol{&k.At}).Scan(at); err != nil {
			return err
		}
		out.Acknowledged = append(out.Acknowledged, k)
	}
	return translate(rows.Err())
}

// PendingPolicyAcks lists the policies in force whose current version a
// user has not acknowledged, soonest due first.
func (c *Conn) PendingPolicyAcks(ctx context.Context, orgID, userID string) ([]caio.PendingAck, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.PendingPolicyAcks */ SELECT p.id, p.title, p.kind, p.current_version, p.ack_due FROM policies p
		WHERE p.org_id = $1 AND p.current_version > 0 AND p.status <> 'retired'
		AND NOT EXISTS (SELECT 1 FROM policy_acks k WHERE k.policy_id = p.id AND k.version = p.current_version AND k.user_id = $2)
		ORDER BY p.ack_due, lower(p.title), p.id`, orgID, userID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []caio.PendingAck{}
	for rows.Next() {
		var k caio.PendingAck
		if err := rows.Scan(&k.PolicyID, &k.Title, &k.Kind, &k.Version, &k.Due); err != nil {
			return nil, translate(err)
		}
		out = append(out, k)
	}
	return out, translate(rows.Err())
}

// loadAdvisorPolicies adds the organisation's policies to the advisor's
// facts: each with its status, next review and how many members have yet
// to acknowledge the version in force; the count of policies with an
// approved version in force; whether one of them is an AI policy (of a
// kind other than "other"), and whether one is an AI literacy policy
// (Art 4).
func loadAdvisorPolicies(ctx context.Context, c *Conn, orgID, today string, f *advisor.Facts) error {
	rows, err := c.q.QueryContext(ctx, `/* loadAdvisorPolicies */ SELECT p.id, p.title, p.kind, `+policyStatus+`, p.owner, p.next_review, p.ack_due, p.current_version,
		CASE WHEN p.current_version > 0 THEN (SELECT COUNT(*) FROM memberships m WHERE m.org_id = p.org_id AND NOT EXISTS
			(SELECT 1 FROM policy_acks k WHERE k.policy_id = p.id AND k.version = p.current_version AND k.user_id = m.user_id)) ELSE 0 END
		FROM `+policyTable+` WHERE p.org_id = $1 ORDER BY p.id`, orgID)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p advisor.Policy
		var current int
		if err := rows.Scan(&p.ID, &p.Title, &p.Kind, &p.Status, &p.Owner, &p.ReviewDate, &p.AckDue, &current, &p.PendingAcks); err != nil {
			return translate(err)
		}
		if p.Status == "retired" {
			p.PendingAcks, p.AckDue = 0, ""
		}
		// A policy counts as approved while a version of it is in force,
		// even when a newer draft waits for approval.
		if current > 0 && p.Status != "retired" {
			p.InForce = true
			f.Org.ApprovedPolicies++
			if advisor.GeneralAIPolicy(p.Kind) {
				f.Org.AIPolicy = true
			}
			if p.Kind == "literacy" {
				f.Org.LiteracyMeasures = true
			}
		}
		f.Policies = append(f.Policies, p)
	}
	return translate(rows.Err())
}
