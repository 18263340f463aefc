package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// awaitApproval takes a new use case to the assessment stage, rates it and
// gives it a business case, and has requester ask to move it to approved:
// a gate that needs approval. It returns the use case's and the request's IDs.
func awaitApproval(t testing.TB, s *servertest.Server, org *servertest.Org, requester *servertest.Member, title string) (string, string) {
	t.Helper()
	obj := s.NewObjective(t, org, "Objective of "+title)
	u := s.NewUseCase(t, org, title, []string{obj.ID}, nil)
	if _, err := s.App.RequestStage(org.Sys, u.ID, "assessment", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.RateUseCase(org.Sys, u.ID, 0, servertest.RatedUseCase); err != nil {
		t.Fatal(err)
	}
	s.NewBusinessCase(t, org, u.ID)
	out, err := s.App.RequestStage(stActor(requester, org), u.ID, "approved", "Scored and costed; ready for a decision.")
	if err != nil {
		t.Fatal(err)
	}
	if out.Moved || out.Approval == nil {
		t.Fatalf("the gate to approved did not open an approval: %+v", out)
	}
	return u.ID, out.Approval.ID
}

// stageOf is a use case's stage as the services see it.
func stageOf(t *testing.T, s *servertest.Server, org *servertest.Org, id string) string {
	t.Helper()
	u, err := s.App.FindUseCase(org.Sys, id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Stage
}

func TestApprovalPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		editorM, adminM := org.Members[caio.RoleEditor], org.Members[caio.RoleAdmin]
		editor := s.Login(t, editorM.Email, servertest.Password)
		admin := s.Login(t, adminM.Email, servertest.Password)
		approver := s.Login(t, org.Members[caio.RoleApprover].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		stranger := s.Login(t, other.Members[caio.RoleOwner].Email, servertest.Password)

		stWant(t, approver.Get(t, "/approvals").Want(t, 200), "Nothing waits for a decision")

		ucID, apID := awaitApproval(t, s, org, editorM, "Claims triage")

		// The home page counts it among what waits for a decision.
		stWant(t, approver.Get(t, "/").Want(t, 200), "approval request waiting for a decision")

		// The inbox lists the request with its subject, requester and votes.
		res := approver.Get(t, "/approvals").Want(t, 200)
		stWant(t, res, `href="/approvals/`+apID+`"`, "Move from Assessment to Approved", `<a href="/usecases/`+ucID+`">Claims triage</a>`,
			"User editor@acme.test", "0 of 1 approval", "today", "Pending")

		// The request's page: the reason, the gate as it stands, and for an
		// approver the decide form; the withdraw button is for the requester and editors.
		res = approver.Get(t, "/approvals/"+apID).Want(t, 200)
		stWant(t, res, "Scored and costed; ready for a decision.", "The gate from Assessment to Approved now", "<strong>A business case is recorded</strong>",
			`action="/approvals/`+apID+`/decide"`, `name="decision" value="approve"`, `name="decision" value="reject"`, "No votes yet.")
		if strings.Contains(page(res), "/withdraw") {
			t.Errorf("an approver who did not ask is offered to withdraw")
		}
		res = viewer.Get(t, "/approvals/"+apID).Want(t, 200)
		if body := page(res); strings.Contains(body, "/decide") || strings.Contains(body, "/withdraw") {
			t.Errorf("a viewer is offered to decide or withdraw")
		}
		stWant(t, editor.Get(t, "/approvals/"+apID).Want(t, 200), `action="/approvals/`+apID+`/withdraw"`)

		// Viewers may not decide or withdraw; nothing changes.
		viewer.PostForm(t, "/approvals/"+apID+"/decide", url.Values{"decision": {"approve"}}).Want(t, http.StatusForbidden)
		viewer.PostForm(t, "/approvals/"+apID+"/withdraw", nil).Want(t, http.StatusForbidden)
		// Another organisation cannot see or touch the request.
		stranger.Get(t, "/approvals/"+apID).Want(t, http.StatusNotFound)
		stranger.PostForm(t, "/approvals/"+apID+"/decide", url.Values{"decision": {"approve"}}).Want(t, http.StatusNotFound)
		stranger.PostForm(t, "/approvals/"+apID+"/withdraw", nil).Want(t, http.StatusNotFound)
		if body := page(stranger.Get(t, "/approvals?status=all").Want(t, 200)); strings.Contains(body, apID) {
			t.Errorf("another organisation's inbox lists the request")
		}
		approver.Get(t, "/approvals/apr_nope").Want(t, http.StatusNotFound)
		approver.Get(t, "/approvals?status=lost").Want(t, http.StatusUnprocessableEntity)

		// Rejecting needs a comment: the problem is named and nothing is decided.
		res = approver.PostForm(t, "/approvals/"+apID+"/decide", url.Values{"decision": {"reject"}, "comment": {"  "}}).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, "Comment is required to reject", `action="/approvals/`+apID+`/decide"`)
		if st := stageOf(t, s, org, ucID); st != "assessment" {
			t.Fatalf("stage %q after a refused vote", st)
		}

		// An approver approves on the page, and the use case moves.
		approver.PostForm(t, "/approvals/"+apID+"/decide", url.Values{"decision": {"approve"}, "comment": {"Good case."}}).Want(t, http.StatusSeeOther)
		if st := stageOf(t, s, org, ucID); st != "approved" {
			t.Fatalf("stage %q after approval, want approved", st)
		}
		res = approver.Get(t, "/approvals/"+apID).Want(t, 200)
		stWant(t, res, "Approved: Move from Assessment to Approved is done.", "Approved", "Good case.", "User approver@acme.test", "Closed")
		if strings.Contains(page(res), "/decide") {
			t.Errorf("a decided request still offers the decide form")
		}
		// A second vote on a decided request is a conflict, shown on the page.
		res = admin.PostForm(t, "/approvals/"+apID+"/decide", url.Values{"decision": {"approve"}}).Want(t, http.StatusConflict)
		stWant(t, res, "This request is already approved.")
		stWant(t, approver.Get(t, "/approvals?status=approved").Want(t, 200), `href="/approvals/`+apID+`"`)

		// A rejection with a comment rejects the request; the use case stays.
		uc2, ap2 := awaitApproval(t, s, org, editorM, "Letter drafting")
		approver.PostForm(t, "/approvals/"+ap2+"/decide", url.Values{"decision": {"reject"}, "comment": {"The benefits are not measured."}}).Want(t, http.StatusSeeOther)
		stWant(t, editor.Get(t, "/approvals/"+ap2).Want(t, 200), "Rejected", "The benefits are not measured.")
		if st := stageOf(t, s, org, uc2); st != "assessment" {
			t.Errorf("stage %q after rejection, want assessment", st)
		}

		// By default the requester may not approve their own request: the
		// page does not offer it, and a post is refused with the reason.
		uc3, ap3 := awaitApproval(t, s, org, adminM, "Fraud hints")
		res = admin.Get(t, "/approvals/"+ap3).Want(t, 200)
		stWant(t, res, "another approver must decide it")
		if strings.Contains(page(res), "/decide") {
			t.Errorf("the requester is offered to decide their own request")
		}
		res = admin.PostForm(t, "/approvals/"+ap3+"/decide", url.Values{"decision": {"approve"}}).Want(t, http.StatusForbidden)
		stWant(t, res, "another approver must decide it", "self-approval")
		if st := stageOf(t, s, org, uc3); st != "assessment" {
			t.Errorf("stage %q after a refused self-approval", st)
		}

		// When the gate's criteria no longer hold, the vote fails and each
		// failing criterion is shown.
		if err := s.App.DeleteBusinessCase(org.Sys, uc3); err != nil {
			t.Fatal(err)
		}
		res = approver.PostForm(t, "/approvals/"+ap3+"/decide", url.Values{"decision": {"approve"}}).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, "The gate's criteria no longer hold", "A business case is recorded: No business case is recorded.")
		if st := stageOf(t, s, org, uc3); st != "assessment" {
			t.Errorf("stage %q after a vote on failed criteria", st)
		}

		// The requester withdraws; the inbox filters by status.
		editor.PostForm(t, "/approvals/"+ap3+"/withdraw", nil).Want(t, http.StatusSeeOther)
		stWant(t, editor.Get(t, "/approvals/"+ap3).Want(t, 200), "Request withdrawn.", "Withdrawn")
		editor.PostForm(t, "/approvals/"+ap3+"/withdraw", nil).Want(t, http.StatusConflict)
		res = approver.Get(t, "/approvals?status=withdrawn").Want(t, 200)
		stWant(t, res, `href="/approvals/`+ap3+`"`)
		if strings.Contains(page(res), ap2) {
			t.Errorf("the withdrawn filter lists a rejected request")
		}
		res = approver.Get(t, "/approvals?status=all&limit=2").Want(t, 200)
		stWant(t, res, "Showing 1–2 of 3", `rel="next" href="/approvals?limit=2&status=all&offset=2"`)
		recordViews(s)
	})
}
