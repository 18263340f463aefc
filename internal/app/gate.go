package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

// Stage gates: a use case moves from stage to stage through a gate whose
// criteria the portfolio engine evaluates over the facts gathered here. A
// gate that needs approval opens an approval request; the move happens in
// the transaction of the vote that reaches the quorum, after the criteria
// are checked again.

// gateFacts gathers what the gate criteria read about a use case: its
// canvas, links, ratings, business case, KPIs, and for each linked AI
// system its class and whether the EU AI Act Art 27 assessment it needs is
// done (its control implemented).
func gateFacts(ctx context.Context, c *sqldb.Conn, u *caio.UseCase) (portfolio.GateFacts, error) {
	f := portfolio.GateFacts{Stage: u.Stage, HeldFrom: u.HeldFrom, Owner: u.Owner, Sponsor: u.Sponsor,
		Problem: u.Problem, DataNeeded: u.DataNeeded, ObjectiveCount: len(u.ObjectiveIDs),
		Scored: u.Ratings.Rated(), HasBusinessCase: u.HasBusinessCase}
	ranks, err := c.UseCaseRanks(ctx, u.OrgID, caio.UseCaseFilter{}, []string{u.ID})
	if err != nil {
		return f, err
	}
	fria, err := c.ControlStatuses(ctx, u.OrgID, "eu-ai-act", "art27", u.SystemIDs)
	if err != nil {
		return f, err
	}
	if len(ranks) == 1 {
		for _, s := range ranks[0].Systems {
			status, required := fria[s.ID]
			f.Systems = append(f.Systems, portfolio.SystemFact{ID: s.ID, Name: s.Name, Class: s.Class,
				FRIARequired: required, FRIADone: status == caio.StatusImplemented})
		}
	}
	kpis, err := c.KPIs(ctx, u.OrgID, u.ID)
	if err != nil {
		return f, err
	}
	for _, k := range kpis {
		f.KPIs = append(f.KPIs, portfolio.KPIFact{Name: k.Name, HasBaseline: k.Baseline != nil, HasTarget: k.Target != nil})
	}
	return f, nil
}

// CheckStage evaluates the gate from a use case's stage to another without
// changing anything: which criteria are met and why, and whether the move
// needs approval. Needs PermRead.
func (app *App) CheckStage(ctx context.Context, id, to string) (*portfolio.Check, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	var check portfolio.Check
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		f, err := gateFacts(ctx, c, u)
		if err != nil {
			return err
		}
		check = portfolio.Evaluate(f, to)
		return nil
	})
	return &check, err
}

// StageOutcome is what a stage request did: moved the use case, or opened
// an approval.
type StageOutcome struct {
	Check    portfolio.Check `json:"check"`
	Moved    bool            `json:"moved"`
	Approval *caio.Approval  `json:"approval,omitempty"`
}

// stagePayload is what a stage approval asks for.
type stagePayload struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// RequestStage asks to move a use case to another stage. When the gate's
// criteria are not all met it returns EINVALID listing each unmet criterion
// (field "criteria.<id>") and changes nothing; when the gate needs approval
// it opens an approval request (ECONFLICT if one is already pending);
// otherwise it moves the use case. Needs PermEdit.
func (app *App) RequestStage(ctx context.Context, id, to, reason string) (*StageOutcome, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > 2000 {
		return nil, caio.FieldError("reason", "must be at most 2,000 characters")
	}
	out := &StageOutcome{}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		switch u.Intake {
		case caio.IntakeSubmitted:
			return caio.FieldError("stage", "cannot change while the idea waits in the triage queue: accept it first")
		case caio.IntakeMerged, caio.IntakeRejected:
			return caio.FieldError("stage", "cannot change: this idea was "+u.Intake+" at triage")
		}
		f, err := gateFacts(ctx, c, u)
		if err != nil {
			return err
		}
		check := portfolio.Evaluate(f, to)
		out.Check = check
		if err := gateError(check, reason); err != nil {
			return err
		}
		if !check.NeedsApproval {
			out.Moved = true
			return moveStage(ctx, c, a, u, to, reason, "")
		}
		if _, err := c.PendingApproval(ctx, a.OrgID, u.ID, "stage"); err == nil {
			return caio.Errorf(caio.ECONFLICT, "A stage change of this use case is already waiting for approval. Decide or withdraw it first.")
		} else if caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		settings, err := portfolioSettings(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		payload, _ := json.Marshal(stagePayload{From: u.Stage, To: to})
		ap := &caio.Approval{ID: caio.NewID("apr"), OrgID: a.OrgID, SubjectKind: "use_case", SubjectID: u.ID,
			SubjectTitle: u.Title, Action: "stage", Payload: payload, Reason: reason, Quorum: settings.Quorum,
			RequestedBy: a.UserID, Summary: fmt.Sprintf("Move from %s to %s", portfolio.StageLabel(u.Stage), portfolio.StageLabel(to))}
		if err := c.CreateApproval(ctx, ap); err != nil {
			return err
		}
		out.Approval = ap
		return record(ctx, c, a, "approval.request", "approval", ap.ID, caio.Diff(nil, map[string]any{
			"subject": u.ID, "summary": ap.Summary, "quorum": ap.Quorum, "reason": reason}))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// gateError turns a check that does not pass into an EINVALID error that
// lists every unmet criterion (field criteria.<id>) and a missing reason.
func gateError(check portfolio.Check, reason string) error {
	if !check.Allowed {
		return caio.FieldError("stage", check.Refusal)
	}
	e := &caio.Error{Code: caio.EINVALID}
	var unmet []string
	for _, cr := range check.Criteria {
		if !cr.Met {
			e.Fields = append(e.Fields, caio.FieldProblem{Field: "criteria." + cr.ID, Message: cr.Title + ": " + cr.Reason})
			unmet = append(unmet, cr.Title+": "+strings.TrimSuffix(cr.Reason, "."))
		}
	}
	if check.ReasonRequired && reason == "" {
		msg := "is required for a move to " + portfolio.StageLabel(check.To) + ": say why"
		e.Fields = append(e.Fields, caio.FieldProblem{Field: "reason", Message: msg})
		unmet = append(unmet, "a reason "+msg)
	}
	if len(e.Fields) == 0 {
		return nil
	}
	e.Message = "The gate to " + portfolio.StageLabel(check.To) + " is not passed: " + strings.Join(unmet, "; ") + "."
	return e
}

// moveStage sets the use case's stage and appends the history entry and the
// audit event, in the caller's transaction.
func moveStage(ctx context.Context, c *sqldb.Conn, a caio.Actor, u *caio.UseCase, to, reason, approvalID string) error {
	from := u.Stage
	if to == string(portfolio.StageOnHold) {
		u.HeldFrom = from
	} else {
		u.HeldFrom = ""
	}
	u.Stage, u.StageSince = to, c.Now()
	if err := c.UpdateUseCase(ctx, u); err != nil {
		return err
	}
	if err := c.AddStageChange(ctx, u.OrgID, u.ID, caio.StageChange{From: from, To: to, By: a.UserID, Reason: reason, ApprovalID: approvalID}); err != nil {
		return err
	}
	diff := caio.Diff(map[string]any{"stage": from}, map[string]any{"stage": to, "reason": reason, "approval": approvalID})
	if err := record(ctx, c, a, "use_case.stage", "use_case", u.ID, diff); err != nil {
		return err
	}
	if approvalID != "" {
		return nil
	}
	// A move made without approval (on hold, rejected, back) makes any
	// request still waiting moot: it is withdrawn, not left to fail later.
	withdrawn, err := c.WithdrawApprovalsOf(ctx, u.OrgID, u.ID)
	if err != nil {
		return err
	}
	for _, id := range withdrawn {
		if err := record(ctx, c, a, "approval.withdraw", "approval", id, caio.Diff(map[string]any{"status": "pending"},
			map[string]any{"status": "withdrawn", "reason": "the use case moved to " + portfolio.StageLabel(to)})); err != nil {
			return err
		}
	}
	return nil
}

// approvalAppliers apply an approved request, by subject kind and action.
// Policies will add theirs; the voting does not change.
var approvalAppliers = map[string]func(ctx context.Context, c *sqldb.Conn, a caio.Actor, ap *caio.Approval) error{
	"use_case/stage": applyStageApproval,
}

// applyStageApproval moves the use case after checking that it is still in
// the stage the request was made from and that the criteria still hold.
func applyStageApproval(ctx context.Context, c *sqldb.Conn, a caio.Actor, ap *caio.Approval) error {
	var p stagePayload
	if err := json.Unmarshal(ap.Payload, &p); err != nil {
		return fmt.Errorf("approval %s: payload: %w", ap.ID, err)
	}
	u, err := c.UseCase(ctx, ap.OrgID, ap.SubjectID)
	if err != nil {
		return err
	}
	if u.Stage != p.From {
		return caio.Errorf(caio.ECONFLICT, "The use case moved to %s since this request; withdraw it and ask again.", portfolio.StageLabel(u.Stage))
	}
	f, err := gateFacts(ctx, c, u)
	if err != nil {
		return err
	}
	if err := gateError(portfolio.Evaluate(f, p.To), ap.Reason); err != nil {
		return err
	}
	return moveStage(ctx, c, a, u, p.To, ap.Reason, ap.ID)
}

// FindApprovals returns a page of approvals, newest first. Needs PermRead.
func (app *App) FindApprovals(ctx context.Context, f caio.ApprovalFilter) ([]*caio.Approval, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Page, err = f.Page.Normalize(); err != nil {
		return nil, 0, err
	}
	if f.Status != nil && !oneOf(*f.Status, caio.ApprovalStatuses) {
		return nil, 0, caio.FieldError("status", "must be one of "+strings.Join(caio.ApprovalStatuses, ", "))
	}
	var out []*caio.Approval
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Approvals(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

// FindApproval returns one approval with its votes. Needs PermRead.
func (app *App) FindApproval(ctx context.Context, id string) (*caio.Approval, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("apr", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Approval not found.")
	}
	var out *caio.Approval
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, err = c.Approval(ctx, a.OrgID, id)
		return err
	})
	return out, err
}

// DecideApproval records an approver's vote: "approve" or "reject" with a
// comment (required to reject). One rejection rejects the request; the vote
// that reaches the organisation's quorum approves it and applies the change
// in the same transaction. A requester may not vote on their own request
// unless the organisation allows it. Needs PermApprove; returns ECONFLICT
// for a decided request or a second vote.
func (app *App) DecideApproval(ctx context.Context, id, decision, comment string) (*caio.Approval, error) {
	a, err := authorize(ctx, caio.PermApprove)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("apr", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Approval not found.")
	}
	comment = strings.TrimSpace(comment)
	var v caio.Validation
	if decision != "approve" && decision != "reject" {
		v.Add("decision", "must be approve or reject")
	}
	if decision == "reject" && comment == "" {
		v.Add("comment", "is required to reject: say what would change your mind")
	}
	if len(comment) > 2000 {
		v.Add("comment", "must be at most 2,000 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var ap *caio.Approval
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if ap, err = c.Approval(ctx, a.OrgID, id); err != nil {
			return err
		}
		if ap.Status != "pending" {
			return caio.Errorf(caio.ECONFLICT, "This request is already %s.", ap.Status)
		}
		for _, vote := range ap.Votes {
			if vote.UserID == a.UserID {
				return caio.Errorf(caio.ECONFLICT, "You have already decided on this request.")
			}
		}
		if ap.RequestedBy == a.UserID && a.UserID != "" {
			s, err := portfolioSettings(ctx, c, a.OrgID)
			if err != nil {
				return err
			}
			if !s.SelfApproval {
				return caio.Errorf(caio.EFORBIDDEN, "You asked for this change, so another approver must decide it (the organisation's settings do not allow self-approval).")
			}
		}
		vote := caio.ApprovalVote{UserID: a.UserID, Decision: decision, Comment: comment}
		if err := c.AddVote(ctx, a.OrgID, ap.ID, &vote); err != nil {
			return err
		}
		ap.Votes = append(ap.Votes, vote)
		status := "pending"
		if decision == "reject" {
			status = "rejected"
		} else if ap.Approvals() >= ap.Quorum {
			status = "approved"
		}
		// One event per vote; the vote that decides says so in its diff, and
		// the change it approves follows in the same transaction.
		before := map[string]any{"status": "pending"}
		after := map[string]any{"status": status, "decision": decision, "comment": comment, "approvals": ap.Approvals(), "quorum": ap.Quorum}
		if status != "pending" {
			if err := c.SetApprovalStatus(ctx, a.OrgID, ap.ID, status); err != nil {
				return err
			}
			ap.Status = status
			now := c.Now()
			ap.DecidedAt = &now
		}
		if err := record(ctx, c, a, "approval.vote", "approval", ap.ID, caio.Diff(before, after)); err != nil {
			return err
		}
		if status != "approved" {
			return nil
		}
		apply := approvalAppliers[ap.SubjectKind+"/"+ap.Action]
		if apply == nil {
			return fmt.Errorf("approval %s: nothing applies %s/%s", ap.ID, ap.SubjectKind, ap.Action)
		}
		return apply(ctx, c, a, ap)
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// WithdrawApproval closes a pending request without a decision. The
// requester or an editor may withdraw.
func (app *App) WithdrawApproval(ctx context.Context, id string) (*caio.Approval, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	_, editErr := authorize(ctx, caio.PermEdit)
	if !caio.ValidID("apr", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Approval not found.")
	}
	var ap *caio.Approval
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if ap, err = c.Approval(ctx, a.OrgID, id); err != nil {
			return err
		}
		if editErr != nil && ap.RequestedBy != a.UserID {
			return editErr
		}
		if ap.Status != "pending" {
			return caio.Errorf(caio.ECONFLICT, "This request is already %s.", ap.Status)
		}
		if err := c.SetApprovalStatus(ctx, a.OrgID, ap.ID, "withdrawn"); err != nil {
			return err
		}
		ap.Status = "withdrawn"
		return record(ctx, c, a, "approval.withdraw", "approval", ap.ID, caio.Diff(map[string]any{"status": "pending"}, map[string]any{"status": "withdrawn"}))
	})
	if err != nil {
		return nil, err
	}
	return ap, nil
}

// StageHistory returns a use case's stages with dates, oldest first.
// Needs PermRead.
func (app *App) StageHistory(ctx context.Context, id string) ([]caio.StageChange, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	var out []caio.StageChange
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.UseCase(ctx, a.OrgID, id); err != nil {
			return err
		}
		out, err = c.StageHistory(ctx, a.OrgID, id)
		return err
	})
	return out, err
}

// CheckStages evaluates the gate to every stage the use case may be asked
// to move to (portfolio.NextStagesFor), gathering its facts once. Needs
// PermRead.
func (app *App) CheckStages(ctx context.Context, id string) ([]portfolio.Check, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", id) {
		return nil, useCaseNotFound()
	}
	var out []portfolio.Check
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		f, err := gateFacts(ctx, c, u)
		if err != nil {
			return err
		}
		for _, to := range portfolio.NextStagesFor(f) {
			out = append(out, portfolio.Evaluate(f, to))
		}
		return nil
	})
	return out, err
}
