package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/policydoc"
	"github.com/caio-office/caio/internal/sqldb"
)

// The policy library services. A policy's text is versioned: a draft is
// rewritten until it is submitted; submitting opens an approval request of
// the general mechanism (the one stage gates use), whose deciding vote
// applies the approval below; members then acknowledge the approved
// version by its due date.

var _ caio.PolicyService = (*App)(nil)

func init() { approvalAppliers["policy/approve"] = applyPolicyApproval }

func policyNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Policy not found.") }

// policyPayload is what a policy approval asks for: to approve one version.
type policyPayload struct {
	Version int `json:"version"`
}

// addMonths returns the date months after day, on the last day of the
// month when the day does not exist there (31 January + 1 month is 28 or
// 29 February).
func addMonths(day time.Time, months int) string {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// addDays returns the date days after day.
func addDays(day time.Time, days int) string {
	return day.AddDate(0, 0, days).UTC().Format(time.DateOnly)
}

// versionState says where a version stands within its policy.
func versionState(p *caio.Policy, v *caio.PolicyVersion) string {
	switch {
	case v.ApprovedAt != nil && v.Number == p.CurrentVersion && p.Status != "retired":
		return "approved"
	case v.ApprovedAt != nil:
		return "superseded"
	case v.Number == p.ReviewVersion && p.Status == "in_review":
		return "in_review"
	}
	return "draft"
}

// flagPolicy marks a policy whose review date has passed.
func flagPolicy(p *caio.Policy, day string) {
	p.ReviewOverdue = p.Status != "retired" && p.CurrentVersion > 0 && p.NextReview != "" && p.NextReview < day
}

// FindPolicy implements caio.PolicyService.
func (app *App) FindPolicy(ctx context.Context, id string) (*caio.Policy, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	var p *caio.Policy
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		p, err = readPolicy(ctx, c, a.OrgID, id)
		return err
	})
	return p, err
}

// readPolicy reads a policy with its current and latest versions.
func readPolicy(ctx context.Context, c *sqldb.Conn, orgID, id string) (*caio.Policy, error) {
	p, err := c.Policy(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if p.Latest, err = c.PolicyVersion(ctx, orgID, id, p.LatestVersion); err != nil {
		return nil, err
	}
	p.Latest.State = versionState(p, p.Latest)
	if p.CurrentVersion == p.LatestVersion {
		p.Current = p.Latest
	} else if p.CurrentVersion > 0 {
		if p.Current, err = c.PolicyVersion(ctx, orgID, id, p.CurrentVersion); err != nil {
			return nil, err
		}
		p.Current.State = versionState(p, p.Current)
	}
	flagPolicy(p, today(c))
	return p, nil
}

// FindPolicies implements caio.PolicyService.
func (app *App) FindPolicies(ctx context.Context, f caio.PolicyFilter) ([]*caio.Policy, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Policy
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		day := today(c)
		soon := addDays(c.Now(), caio.PolicyReviewSoonDays)
		if out, total, err = c.Policies(ctx, a.OrgID, f, day, soon); err != nil {
			return err
		}
		for _, p := range out {
			flagPolicy(p, day)
		}
		return nil
	})
	return out, total, err
}

// authorName is the name a version records for the actor.
func authorName(ctx context.Context, c *sqldb.Conn, a caio.Actor) (string, error) {
	if a.UserID == "" {
		return a.Label(), nil
	}
	u, err := c.UserByID(ctx, a.UserID)
	if err != nil {
		return "", err
	}
	if u.Name != "" {
		return u.Name, nil
	}
	return u.Email, nil
}

// createPolicy stores a new draft policy with version 1 and its audit event.
func createPolicy(ctx context.Context, c *sqldb.Conn, a caio.Actor, in caio.PolicyInput, starter string) (*caio.Policy, error) {
	name, err := authorName(ctx, c, a)
	if err != nil {
		return nil, err
	}
	p := &caio.Policy{ID: caio.NewID("pol"), OrgID: a.OrgID, Title: in.Title, Kind: in.Kind, Owner: in.Owner, ReviewMonths: in.ReviewMonths,
		AckDays: in.AckDays, Status: "draft", Starter: starter}
	v := &caio.PolicyVersion{Body: in.Body, Note: in.Note, AuthorID: a.UserID, AuthorName: name}
	if err := c.CreatePolicy(ctx, p, v); err != nil {
		return nil, err
	}
	after := p.Fields()
	after["status"], after["draft_version"], after["note"] = p.Status, 1, in.Note
	if starter != "" {
		after["starter"] = starter
	}
	return p, record(ctx, c, a, "policy.create", "policy", p.ID, caio.Diff(nil, after))
}

// CreatePolicy implements caio.PolicyService.
func (app *App) CreatePolicy(ctx context.Context, in caio.PolicyInput) (*caio.Policy, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var p *caio.Policy
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		p, err = createPolicy(ctx, c, a, in, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return app.FindPolicy(ctx, p.ID)
}

// UpdatePolicy implements caio.PolicyService.
func (app *App) UpdatePolicy(ctx context.Context, id string, version int, in caio.PolicyInput) (*caio.Policy, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := readPolicy(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != p.Version {
			return caio.Errorf(caio.ECONFLICT, "This policy was changed by someone else since you opened it (it is now at version %d of its record). Open it again and reapply your change.", p.Version)
		}
		before := p.Fields()
		after := map[string]any{"title": in.Title, "kind": in.Kind, "owner": in.Owner, "review_months": in.ReviewMonths, "ack_days": in.AckDays}
		latest := p.Latest
		if in.Body != latest.Body || (in.Note != latest.Note && latest.ApprovedAt == nil) {
			switch p.Status {
			case "in_review":
				return caio.FieldError("body", fmt.Sprintf("cannot change while version %d waits for approval: withdraw the request first, or wait for the decision", p.ReviewVersion))
			case "retired":
				return caio.FieldError("body", "cannot change: this policy is retired")
			}
			name, err := authorName(ctx, c, a)
			if err != nil {
				return err
			}
			if latest.ApprovedAt == nil {
				before["draft_version"] = latest.Number
				latest.Body, latest.Note, latest.AuthorID, latest.AuthorName = in.Body, in.Note, a.UserID, name
				if err := c.RewritePolicyDraft(ctx, a.OrgID, latest); err != nil {
					return err
				}
			} else {
				if in.Body == latest.Body {
					return caio.FieldError("body", fmt.Sprintf("is the text of approved version %d: change the text to start a new version", latest.Number))
				}
				nv := &caio.PolicyVersion{PolicyID: p.ID, Number: p.LatestVersion + 1, Body: in.Body, Note: in.Note, AuthorID: a.UserID, AuthorName: name}
				if err := c.InsertPolicyVersion(ctx, a.OrgID, nv); err != nil {
					return err
				}
				p.LatestVersion = nv.Number
			}
			after["draft_version"], after["note"] = p.LatestVersion, in.Note
			after["text"] = "changed"
		}
		p.Title, p.Kind, p.Owner = in.Title, in.Kind, in.Owner
		if p.Current != nil && p.Current.ApprovedAt != nil {
			// The review and acknowledgement dates follow the cycle and the
			// window from the approval of the version in force.
			if in.ReviewMonths != p.ReviewMonths {
				p.NextReview = addMonths(*p.Current.ApprovedAt, in.ReviewMonths)
				after["next_review"], before["next_review"] = p.NextReview, nil
			}
			if in.AckDays != p.AckDays {
				p.AckDue = addDays(*p.Current.ApprovedAt, in.AckDays)
				after["ack_due"], before["ack_due"] = p.AckDue, nil
			}
		}
		p.ReviewMonths, p.AckDays = in.ReviewMonths, in.AckDays
		if err := c.UpdatePolicy(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "policy.update", "policy", p.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return app.FindPolicy(ctx, id)
}

// withdrawPolicyRequests withdraws the requests of a policy that still
// wait, with an audit event each.
func withdrawPolicyRequests(ctx context.Context, c *sqldb.Conn, a caio.Actor, p *caio.Policy, why string) error {
	ids, err := c.WithdrawApprovalsOf(ctx, a.OrgID, p.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := record(ctx, c, a, "approval.withdraw", "approval", id, caio.Diff(map[string]any{"status": "pending"},
			map[string]any{"status": "withdrawn", "reason": why})); err != nil {
			return err
		}
	}
	return nil
}

// DeletePolicy implements caio.PolicyService.
func (app *App) DeletePolicy(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("pol", id) {
		return policyNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if p.CurrentVersion > 0 {
			return caio.Errorf(caio.ECONFLICT, "This policy has been approved, so its record is kept: retire it instead.")
		}
		if err := withdrawPolicyRequests(ctx, c, a, p, "the policy was deleted"); err != nil {
			return err
		}
		if err := c.DeletePolicy(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "policy.delete", "policy", p.ID, caio.Diff(p.Fields(), nil))
	})
}

// SubmitPolicy implements caio.PolicyService.
func (app *App) SubmitPolicy(ctx context.Context, id, reason string) (*caio.Approval, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > 2000 {
		return nil, caio.FieldError("reason", "must be at most 2,000 characters")
	}
	var ap *caio.Approval
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		switch {
		case p.Status == "retired":
			return caio.Errorf(caio.ECONFLICT, "This policy is retired, so it cannot be approved.")
		case p.Status == "in_review":
			return caio.Errorf(caio.ECONFLICT, "Version %d already waits for approval. Decide or withdraw that request first.", p.ReviewVersion)
		case !p.HasDraft():
			return caio.Errorf(caio.ECONFLICT, "There is no draft to approve: version %d is approved and in force. Change the text to start version %d.", p.CurrentVersion, p.CurrentVersion+1)
		}
		if _, err := c.PendingApproval(ctx, a.OrgID, p.ID, "approve"); err == nil {
			return caio.Errorf(caio.ECONFLICT, "A version of this policy already waits for approval. Decide or withdraw that request first.")
		} else if caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		settings, err := portfolioSettings(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		n := p.LatestVersion
		payload, _ := json.Marshal(policyPayload{Version: n})
		ap = &caio.Approval{ID: caio.NewID("apr"), OrgID: a.OrgID, SubjectKind: "policy", SubjectID: p.ID, SubjectTitle: p.Title,
			Action: "approve", Payload: payload, Reason: reason, Quorum: settings.Quorum, RequestedBy: a.UserID,
			Summary: "Approve version " + strconv.Itoa(n)}
		if err := c.CreateApproval(ctx, ap); err != nil {
			return err
		}
		before := map[string]any{"status": p.Status}
		p.Status, p.ReviewVersion, p.ApprovalID = "in_review", n, ap.ID
		if err := c.UpdatePolicy(ctx, p); err != nil {
			return err
		}
		// One event records both the request and the policy's new status.
		return record(ctx, c, a, "policy.submit", "policy", p.ID, caio.Diff(before, map[string]any{"status": p.Status, "version": n,
			"approval": ap.ID, "summary": ap.Summary, "quorum": ap.Quorum, "reason": reason}))
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// applyPolicyApproval approves the version a request names, in the
// transaction of the deciding vote, after checking that the policy still
// waits on this request for that version: the version becomes the one in
// force, the next review is the cycle from today, and members have the
// acknowledgement window from today.
func applyPolicyApproval(ctx context.Context, c *sqldb.Conn, a caio.Actor, ap *caio.Approval) error {
	var pl policyPayload
	if err := json.Unmarshal(ap.Payload, &pl); err != nil {
		return fmt.Errorf("approval %s: payload: %w", ap.ID, err)
	}
	p, err := c.Policy(ctx, ap.OrgID, ap.SubjectID)
	if err != nil {
		return err
	}
	if p.Status != "in_review" || p.ApprovalID != ap.ID || p.ReviewVersion != pl.Version || p.LatestVersion != pl.Version {
		return caio.Errorf(caio.ECONFLICT, "The policy changed since this request was made (it is %s, newest version %d); withdraw the request and ask again.",
			strings.ReplaceAll(p.Status, "_", " "), p.LatestVersion)
	}
	v, err := c.PolicyVersion(ctx, ap.OrgID, p.ID, pl.Version)
	if err != nil {
		return err
	}
	if v.ApprovedAt != nil {
		return caio.Errorf(caio.ECONFLICT, "Version %d is already approved.", v.Number)
	}
	// The request as stored holds every vote with its voter's name,
	// including the one being cast.
	full, err := c.Approval(ctx, ap.OrgID, ap.ID)
	if err != nil {
		return err
	}
	var names []string
	for _, vote := range full.Votes {
		if vote.Decision == "approve" {
			names = append(names, orDefault(vote.UserName, "system"))
		}
	}
	v.ApprovedBy, v.ApprovalID = strings.Join(names, ", "), ap.ID
	if err := c.ApprovePolicyVersion(ctx, ap.OrgID, v); err != nil {
		return err
	}
	before := map[string]any{"status": p.Status, "current_version": p.CurrentVersion, "next_review": p.NextReview, "ack_due": p.AckDue}
	now := c.Now()
	p.Status, p.CurrentVersion, p.ReviewVersion, p.ApprovalID = "approved", v.Number, 0, ""
	p.NextReview, p.AckDue = addMonths(now, p.ReviewMonths), addDays(now, p.AckDays)
	if err := c.UpdatePolicy(ctx, p); err != nil {
		return err
	}
	return record(ctx, c, a, "policy.approve", "policy", p.ID, caio.Diff(before, map[string]any{"status": p.Status,
		"current_version": p.CurrentVersion, "next_review": p.NextReview, "ack_due": p.AckDue, "approval": ap.ID, "approved_by": v.ApprovedBy}))
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// RetirePolicy implements caio.PolicyService.
func (app *App) RetirePolicy(ctx context.Context, id, reason string) (*caio.Policy, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > 2000 {
		return nil, caio.FieldError("reason", "must be at most 2,000 characters")
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if p.Status == "retired" {
			return caio.Errorf(caio.ECONFLICT, "This policy is already retired.")
		}
		if err := withdrawPolicyRequests(ctx, c, a, p, "the policy was retired"); err != nil {
			return err
		}
		before := map[string]any{"status": p.Status}
		p.Status, p.ReviewVersion, p.ApprovalID = "retired", 0, ""
		if err := c.UpdatePolicy(ctx, p); err != nil {
			return err
		}
		return record(ctx, c, a, "policy.retire", "policy", p.ID, caio.Diff(before, map[string]any{"status": p.Status, "reason": reason}))
	})
	if err != nil {
		return nil, err
	}
	return app.FindPolicy(ctx, id)
}

// PolicyVersions implements caio.PolicyService.
func (app *App) PolicyVersions(ctx context.Context, id string) ([]*caio.PolicyVersion, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	var out []*caio.PolicyVersion
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if out, err = c.PolicyVersions(ctx, a.OrgID, id); err != nil {
			return err
		}
		for _, v := range out {
			v.State = versionState(p, v)
		}
		return nil
	})
	return out, err
}

// PolicyVersion implements caio.PolicyService.
func (app *App) PolicyVersion(ctx context.Context, id string, number int) (*caio.PolicyVersion, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	var v *caio.PolicyVersion
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if v, err = c.PolicyVersion(ctx, a.OrgID, id, number); err != nil {
			return err
		}
		v.State = versionState(p, v)
		return nil
	})
	return v, err
}

// DiffPolicy implements caio.PolicyService.
func (app *App) DiffPolicy(ctx context.Context, id string, from, to int) (*caio.PolicyDiff, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	var v caio.Validation
	if from < 0 {
		v.Add("from", "must be a version number, 1 or more")
	}
	if to < 0 {
		v.Add("to", "must be a version number, 1 or more")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	d := &caio.PolicyDiff{PolicyID: id, From: from, To: to}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		// By default: the newest version against the one in force, or
		// against the one before it.
		if to == 0 {
			to = p.LatestVersion
		}
		if from == 0 {
			from = p.CurrentVersion
			if from == 0 || from >= to {
				from = max(1, to-1)
			}
		}
		d.From, d.To = from, to
		var bodies [2]string
		for i, n := range []int{from, to} {
			if n > p.LatestVersion {
				field := [2]string{"from", "to"}[i]
				return caio.FieldError(field, fmt.Sprintf("names version %d, but this policy has versions 1 to %d", n, p.LatestVersion))
			}
			ver, err := c.PolicyVersion(ctx, a.OrgID, id, n)
			if err != nil {
				return err
			}
			bodies[i] = ver.Body
		}
		d.Lines = policydoc.Diff(bodies[0], bodies[1])
		d.Added, d.Removed = policydoc.Counts(d.Lines)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// AcknowledgePolicy implements caio.PolicyService.
func (app *App) AcknowledgePolicy(ctx context.Context, id string, version int) (*caio.PolicyAck, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	k := &caio.PolicyAck{PolicyID: id, Version: version, UserID: a.UserID, Email: a.Email}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if a.UserID == "" {
			return caio.Errorf(caio.EFORBIDDEN, "Only a member can acknowledge a policy; sign in as yourself.")
		}
		switch {
		case p.Status == "retired":
			return caio.FieldError("version", "cannot be acknowledged: this policy is retired and no longer in force")
		case p.CurrentVersion == 0:
			return caio.FieldError("version", "cannot be acknowledged yet: no version of this policy has been approved")
		case version < 1:
			return caio.FieldError("version", fmt.Sprintf("is required: acknowledge version %d, the approved version in force", p.CurrentVersion))
		case version > p.CurrentVersion:
			return caio.FieldError("version", fmt.Sprintf("names version %d, which is not approved; acknowledge version %d, the approved version in force", version, p.CurrentVersion))
		case version < p.CurrentVersion:
			return caio.FieldError("version", fmt.Sprintf("names version %d, which has been replaced; read and acknowledge version %d, the approved version in force", version, p.CurrentVersion))
		}
		if old, err := c.PolicyAck(ctx, a.OrgID, id, version, a.UserID); err == nil {
			return caio.Errorf(caio.ECONFLICT, "You acknowledged version %d on %s.", version, old.At.UTC().Format(time.DateOnly))
		} else if caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		if err := c.AddPolicyAck(ctx, a.OrgID, k); err != nil {
			return err
		}
		return record(ctx, c, a, "policy.acknowledge", "policy", p.ID, caio.Diff(nil, map[string]any{"version": version, "user": a.Label(), "due": p.AckDue}))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// PolicyAcknowledgements implements caio.PolicyService.
func (app *App) PolicyAcknowledgements(ctx context.Context, id string) (*caio.PolicyAcks, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("pol", id) {
		return nil, policyNotFound()
	}
	out := &caio.PolicyAcks{PolicyID: id, Acknowledged: []caio.PolicyAck{}, Pending: []caio.PolicyMember{}}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		p, err := c.Policy(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if p.CurrentVersion == 0 || p.Status == "retired" {
			return nil
		}
		out.Version, out.Due = p.CurrentVersion, p.AckDue
		if err := c.PolicyAckStatus(ctx, a.OrgID, out); err != nil {
			return err
		}
		out.Overdue = out.Due != "" && out.Due < today(c) && len(out.Pending) > 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PendingAcknowledgements implements caio.PolicyService.
func (app *App) PendingAcknowledgements(ctx context.Context) ([]caio.PendingAck, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	out := []caio.PendingAck{}
	if a.UserID == "" {
		return out, nil
	}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if out, err = c.PendingPolicyAcks(ctx, a.OrgID, a.UserID); err != nil {
			return err
		}
		day := today(c)
		for i := range out {
			out[i].Overdue = out[i].Due != "" && out[i].Due < day
		}
		return nil
	})
	return out, err
}

// PolicyStarters implements caio.PolicyService.
func (app *App) PolicyStarters(ctx context.Context) ([]caio.PolicyStarter, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	return policydoc.Starters(), nil
}

// AdoptStarter implements caio.PolicyService.
func (app *App) AdoptStarter(ctx context.Context, key string) (*caio.Policy, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	s, ok := policydoc.Starter(strings.TrimSpace(key))
	if !ok {
		var keys []string
		for _, s := range policydoc.Starters() {
			keys = append(keys, s.Key)
		}
		return nil, caio.FieldError("starter", "must be one of "+strings.Join(keys, ", "))
	}
	var p *caio.Policy
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		org, err := c.OrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		in := caio.PolicyInput{Title: s.Title, Kind: s.Kind, ReviewMonths: s.ReviewMonths, AckDays: s.AckDays,
			Body: policydoc.Adopt(s, org.Name), Note: "Adopted from caio's starter policy “" + s.Title + "”."}
		if err := in.Normalize(); err != nil {
			return err
		}
		p, err = createPolicy(ctx, c, a, in, s.Key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return app.FindPolicy(ctx, p.ID)
}
