package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// Approval pages: the inbox of requests, and one request with its votes,
// the decide form for approvers and the withdraw button for the requester
// and editors. A request is about a use case's stage or a policy's
// version: the page shows what an approver needs for each.

func init() { funcs["apSubject"] = approvalSubject }

// approvalSubject links to what a request is about.
func approvalSubject(kind, id string) string {
	if kind == "policy" {
		return "/policies/" + id
	}
	return approvalSubjectURL(kind, id)
}

func (w *Web) approvalList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := strings.TrimSpace(q.Get("status"))
	if status == "" {
		status = "pending"
	}
	f := caio.ApprovalFilter{Page: pageQuery(r)}
	if status != "all" {
		f.Status = &status
	}
	items, total, err := w.app.FindApprovals(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// Requests waiting for a decision come first on the page.
	sort.SliceStable(items, func(i, j int) bool { return items[i].Status == "pending" && items[j].Status != "pending" })
	q.Set("status", status)
	list := newListPage(f.Page, total, q)
	w.render(rw, r, http.StatusOK, "approvals", &page{Title: "Approvals", Nav: "portfolio", Data: map[string]any{
		// The query is built by url.Values.Encode, so it is safe to use as it is in the pager's links.
		"Items": items, "List": list, "Query": template.URL(list.Query), "Status": status,
		"Statuses": append(slices.Clone(caio.ApprovalStatuses), "all"),
	}})
}

// approvalPage is what the page of one request needs besides the form.
type approvalPage struct {
	Approval *caio.Approval
	// Check is the gate as it stands now, for a pending stage request.
	Check *portfolio.Check
	// CanDecide is true for an approver who may still vote; Blocked says
	// why an approver may not.
	CanDecide   bool
	Blocked     string
	CanWithdraw bool
	// Criteria are the gate criteria that failed a vote.
	Criteria []string
	// Policy and PolicyVersion are the policy of a policy request and the
	// version it asks to approve, when they can still be read.
	Policy        *caio.Policy
	PolicyVersion *caio.PolicyVersion
}

// stageRequest is what a stage approval asks for.
type stageRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func (w *Web) approvalShow(rw http.ResponseWriter, r *http.Request) {
	w.renderApproval(rw, r, http.StatusOK, nil)
}

// renderApproval shows one request; f, when not nil, holds a failed
// decision or withdrawal.
func (w *Web) renderApproval(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	ap, err := w.app.FindApproval(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	a, _ := caio.ActorFrom(ctx)
	p := approvalPage{Approval: ap}
	pending := ap.Status == "pending"
	if pending && ap.SubjectKind == "use_case" && ap.Action == "stage" {
		var req stageRequest
		if json.Unmarshal(ap.Payload, &req) == nil && req.To != "" {
			// The current state of the gate helps the approver decide; a
			// subject that cannot be checked just leaves it out.
			if c, err := w.app.CheckStage(ctx, ap.SubjectID, req.To); err == nil {
				p.Check = c
			}
		}
	}
	if ap.SubjectKind == "policy" {
		var req struct {
			Version int `json:"version"`
		}
		// A policy deleted since leaves the request without its text.
		if json.Unmarshal(ap.Payload, &req) == nil && req.Version > 0 {
			if pol, err := w.app.FindPolicy(ctx, ap.SubjectID); err == nil {
				p.Policy = pol
				if v, err := w.app.PolicyVersion(ctx, ap.SubjectID, req.Version); err == nil {
					p.PolicyVersion = v
				}
			}
		}
	}
	if pending && caio.Can(a.Role, caio.PermApprove) {
		p.CanDecide = true
		for _, v := range ap.Votes {
			if v.UserID == a.UserID {
				p.CanDecide, p.Blocked = false, "You have already decided on this request."
			}
		}
		if p.CanDecide && ap.RequestedBy == a.UserID {
			s, err := w.app.FindPortfolioSettings(ctx)
			if err == nil && !s.SelfApproval {
				p.CanDecide, p.Blocked = false, "You asked for this change, so another approver must decide it: the organisation's settings do not allow self-approval."
			}
		}
	}
	p.CanWithdraw = pending && (caio.Can(a.Role, caio.PermEdit) || ap.RequestedBy == a.UserID)
	if f == nil {
		f = &form{}
	}
	for field, msg := range f.Errors {
		if strings.HasPrefix(field, "criteria.") {
			p.Criteria = append(p.Criteria, msg)
			delete(f.Errors, field)
		}
	}
	sort.Strings(p.Criteria)
	title := ap.Summary
	if ap.SubjectTitle != "" {
		title += ": " + ap.SubjectTitle
	}
	w.render(rw, r, status, "approval", &page{Title: title, Nav: "portfolio", Form: f, Data: p})
}

func (w *Web) approvalDecide(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		var ap *caio.Approval
		if ap, err = w.app.DecideApproval(r.Context(), id, f.Get("decision"), f.Get("comment")); err == nil {
			w.flash(rw, decisionFlash(ap))
			redirect(rw, r, "/approvals/"+id)
			return
		}
	}
	w.approvalFailed(rw, r, f, err)
}

// decisionFlash says what a vote did.
func decisionFlash(ap *caio.Approval) string {
	switch ap.Status {
	case "approved":
		if ap.SubjectKind == "policy" {
			return "Approved: " + ap.SubjectTitle + " is in force in the version approved; members are asked to acknowledge it."
		}
		return "Approved: " + ap.Summary + " is done."
	case "rejected":
		return "Rejected. The requester sees your comment."
	}
	return fmt.Sprintf("Your approval is recorded: %d of %d needed.", ap.Approvals(), ap.Quorum)
}

func (w *Web) approvalWithdraw(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.WithdrawApproval(r.Context(), id); err == nil {
			w.flash(rw, "Request withdrawn.")
			redirect(rw, r, "/approvals/"+id)
			return
		}
	}
	w.approvalFailed(rw, r, f, err)
}

// approvalFailed shows a refused decision or withdrawal on the request's
// page, so the reason (a missing comment, a refused self-approval, a
// request decided meanwhile, criteria that no longer hold) is read where
// the decision is made. A missing request is a plain 404.
func (w *Web) approvalFailed(rw http.ResponseWriter, r *http.Request, f *form, err error) {
	switch caio.ErrorCode(err) {
	case caio.EINVALID, caio.ECONFLICT, caio.EFORBIDDEN:
	default:
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderApproval(rw, r, failStatus(err), f)
}
