package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// polCase is one request of a page walk and what its answer shows.
type polCase struct {
	name    string
	as      *servertest.Browser
	method  string
	path    string
	form    url.Values
	status  int
	want    []string
	wantNot []string
}

func runPolCases(t *testing.T, tests []polCase) {
	t.Helper()
	for _, tc := range tests {
		var res *servertest.Response
		if tc.method == "GET" {
			res = tc.as.Get(t, tc.path)
		} else {
			res = tc.as.PostForm(t, tc.path, tc.form)
		}
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, res.StatusCode, tc.status, res)
			continue
		}
		body := string(res.Body) + res.Header.Get("Location")
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: missing %q", tc.name, w)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(body, w) {
				t.Errorf("%s: shows %q", tc.name, w)
			}
		}
	}
}

// TestPolicyPages walks the policy library as its people would: an editor
// writes and submits a policy, an approver approves it on the approvals
// page, members acknowledge it, a second version is compared with the
// first, and the text never runs script.
func TestPolicyPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		foreign, err := s.App.CreatePolicy(other.Sys, caio.PolicyInput{Title: "Globex secret policy", Body: "secret"})
		if err != nil {
			t.Fatal(err)
		}
		owner := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		approver := s.Login(t, org.Members[caio.RoleApprover].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		body := "# AI use\n\nCheck every output.\n\n<script>alert('x')</script>\n\n[Click here](javascript:alert(1)) or [read more](https://example.com/ai)."
		runPolCases(t, []polCase{
			{name: "empty list", as: owner, method: "GET", path: "/policies", status: 200, want: []string{"No policies yet", `href="/policies/starters"`, "New policy"}},
			{name: "new form", as: editor, method: "GET", path: "/policies/new", status: 200, want: []string{`action="/policies"`, `value="12"`, `value="30"`, "Markdown"}},
			{name: "bad form keeps input", as: editor, method: "POST", path: "/policies", form: url.Values{"title": {""}, "kind": {"other"}, "review_months": {"often"}, "body": {"Draft text kept"}},
				status: 422, want: []string{"Title is required", "Review cycle must be a whole number", "Draft text kept"}},
			{name: "create", as: editor, method: "POST", path: "/policies", form: url.Values{"title": {"AI acceptable use"}, "kind": {"acceptable_use"}, "owner": {"CAIO"},
				"review_months": {"12"}, "ack_days": {"14"}, "body": {body}, "note": {"First draft"}}, status: 303, want: []string{"/policies/pol_"}},
		})
		ps, _, err := s.App.FindPolicies(org.Sys, caio.PolicyFilter{})
		if err != nil || len(ps) != 1 {
			t.Fatalf("policies %v %v", ps, err)
		}
		p := ps[0]
		runPolCases(t, []polCase{
			{name: "draft page is safe", as: editor, method: "GET", path: "/policies/" + p.ID, status: 200,
				want:    []string{"Draft policy saved", "AI acceptable use", "Draft of version 1", `<h1 id="ai-use">AI use</h1>`, `<a href="https://example.com/ai">read more</a>`, "Click here", "Submit version 1 for approval", "Delete draft policy"},
				wantNot: []string{"<script>alert", `href="javascript`, "Acknowledgements of version"}},
			{name: "list with filters", as: owner, method: "GET", path: "/policies?status=draft&sort=-updated", status: 200, want: []string{"AI acceptable use", "Draft", "filtered"}, wantNot: []string{"Globex"}},
			{name: "kind filter", as: owner, method: "GET", path: "/policies?kind=literacy", status: 200, want: []string{"No policies match"}},
			{name: "bad filter", as: owner, method: "GET", path: "/policies?status=lost", status: 422},
			{name: "edit form", as: editor, method: "GET", path: "/policies/" + p.ID + "/edit", status: 200, want: []string{`value="AI acceptable use"`, "editing the draft of version 1", "Check every output.", `value="acceptable_use" selected`}},
			{name: "save draft", as: editor, method: "POST", path: "/policies/" + p.ID, form: url.Values{"title": {"AI acceptable use policy"}, "kind": {"acceptable_use"},
				"owner": {"CAIO"}, "ack_days": {"14"}, "body": {body + "\n\nProtect data."}, "version": {"1"}}, status: 303},
			{name: "stale save", as: editor, method: "POST", path: "/policies/" + p.ID, form: url.Values{"title": {"Lost"}, "body": {"Lost text"}, "version": {"1"}},
				status: 409, want: []string{"changed by someone else", "Lost text"}},
			{name: "viewer cannot submit", as: viewer, method: "POST", path: "/policies/" + p.ID + "/submit", status: 403},
			{name: "submit", as: editor, method: "POST", path: "/policies/" + p.ID + "/submit", form: url.Values{"reason": {"Ready for the board"}}, status: 303},
			{name: "in review", as: editor, method: "GET", path: "/policies/" + p.ID, status: 200, want: []string{"Approve version 1 is waiting", "Version 1 waits for approval", "In review", `href="/approvals/apr_`}},
			{name: "text locked", as: editor, method: "POST", path: "/policies/" + p.ID, form: url.Values{"title": {"AI acceptable use policy"}, "body": {"Changed"}},
				status: 422, want: []string{"cannot change while version 1 waits for approval"}},
			{name: "submit twice", as: editor, method: "POST", path: "/policies/" + p.ID + "/submit", status: 409, want: []string{"already waits for approval"}},
		})
		p, _ = s.App.FindPolicy(org.Sys, p.ID)
		runPolCases(t, []polCase{
			{name: "approvals inbox", as: approver, method: "GET", path: "/approvals", status: 200, want: []string{"Approve version 1", `href="/policies/` + p.ID + `"`, "AI acceptable use policy"}},
			{name: "approval request shows the policy", as: approver, method: "GET", path: "/approvals/" + p.ApprovalID, status: 200,
				want:    []string{"for the policy", "AI acceptable use policy, version 1", "Protect data.", "No version of this policy is in force yet", "Your decision", `href="/policies/` + p.ID + `"`},
				wantNot: []string{"<script>alert", "The gate from"}},
			{name: "approve", as: approver, method: "POST", path: "/approvals/" + p.ApprovalID + "/decide", form: url.Values{"decision": {"approve"}, "comment": {"Good"}}, status: 303},
			{name: "approved flash", as: approver, method: "GET", path: "/approvals/" + p.ApprovalID, status: 200, want: []string{"is in force", "Approved"}},
			{name: "in force", as: owner, method: "GET", path: "/policies/" + p.ID, status: 200,
				want:    []string{"Version 1, in force", "0 of 6", "members have acknowledged it", "2026-12-11", "2027-11-27", "I have read version 1", "Not yet acknowledged (6)", "policy.approve", "policy.create", "policy.submit"},
				wantNot: []string{"Delete draft policy"}},
			{name: "owner acknowledges", as: owner, method: "POST", path: "/policies/" + p.ID + "/acknowledge", form: url.Values{"version": {"1"}}, status: 303, want: []string{"#acknowledgements"}},
			{name: "owner acknowledged", as: owner, method: "GET", path: "/policies/" + p.ID, status: 200, want: []string{"your acknowledgement of version 1 is recorded", "1 of 6", "You acknowledged version 1", "Acknowledged (1)", "policy.acknowledge"}},
			{name: "viewer's list notice", as: viewer, method: "GET", path: "/policies", status: 200, want: []string{"You have 1 policy to acknowledge", "Version 1", "2027-11-27"}},
			{name: "viewer's acknowledgements", as: viewer, method: "GET", path: "/policies/acknowledgements", status: 200, want: []string{"AI acceptable use policy", "2026-12-11", "I have read it"}},
			{name: "wrong version refused", as: viewer, method: "POST", path: "/policies/" + p.ID + "/acknowledge", form: url.Values{"version": {"2"}, "from": {"acknowledgements"}},
				status: 422, want: []string{"Version names version 2, which is not approved; acknowledge version 1"}},
			{name: "viewer acknowledges", as: viewer, method: "POST", path: "/policies/" + p.ID + "/acknowledge", form: url.Values{"version": {"1"}, "from": {"acknowledgements"}}, status: 303, want: []string{"/policies/acknowledgements"}},
			{name: "nothing left", as: viewer, method: "GET", path: "/policies/acknowledgements", status: 200, want: []string{"Nothing to acknowledge"}},
			{name: "second acknowledgement", as: viewer, method: "POST", path: "/policies/" + p.ID + "/acknowledge", form: url.Values{"version": {"1"}}, status: 409, want: []string{"You acknowledged version 1 on 2026-11-27"}},
			{name: "new version", as: editor, method: "POST", path: "/policies/" + p.ID, form: url.Values{"title": {"AI acceptable use policy"}, "kind": {"acceptable_use"},
				"owner": {"CAIO"}, "ack_days": {"14"}, "body": {"# AI use\n\nCheck every output twice.\n\nProtect data."}, "note": {"Twice"}}, status: 303},
			{name: "draft beside the version in force", as: owner, method: "GET", path: "/policies/" + p.ID, status: 200, want: []string{"Version 1, in force", "Draft of version 2", "Compare with version 1", "Twice"}},
			{name: "diff", as: viewer, method: "GET", path: "/policies/" + p.ID + "/diff", status: 200,
				want: []string{"From version 1 to version 2", "<ins class=\"prewrap\">Check every output twice.</ins>", "<del class=\"prewrap\">Check every output.</del>", "Removed", "Added"}},
			{name: "diff of a missing version", as: viewer, method: "GET", path: "/policies/" + p.ID + "/diff?from=1&to=5", status: 422, want: []string{"names version 5"}},
			{name: "diff with a bad number", as: viewer, method: "GET", path: "/policies/" + p.ID + "/diff?from=x", status: 422, want: []string{"Older version must be a version number"}},
			{name: "version 1", as: viewer, method: "GET", path: "/policies/" + p.ID + "/versions/1", status: 200, want: []string{"version 1", "Approved", "Markdown source", `href="/policies/` + p.ID + `/versions/2"`}, wantNot: []string{"<script>alert"}},
			{name: "missing version", as: viewer, method: "GET", path: "/policies/" + p.ID + "/versions/9", status: 404},
			{name: "bad version", as: viewer, method: "GET", path: "/policies/" + p.ID + "/versions/x", status: 404},
			{name: "cannot delete approved", as: editor, method: "POST", path: "/policies/" + p.ID + "/delete", status: 409, want: []string{"retire it instead"}},
			{name: "retire", as: editor, method: "POST", path: "/policies/" + p.ID + "/retire", form: url.Values{"reason": {"Replaced by the group policy"}}, status: 303},
			{name: "retired", as: owner, method: "GET", path: "/policies/" + p.ID, status: 200, want: []string{"Retired", "policy.retire"}, wantNot: []string{"I have read version"}},
			{name: "another organisation's policy", as: owner, method: "GET", path: "/policies/" + foreign.ID, status: 404},
			{name: "malformed id", as: owner, method: "GET", path: "/policies/nope", status: 404},
		})
	})
}

// TestPolicyStarterPages adopts a starter from the gallery.
func TestPolicyStarterPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		owner := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		runPolCases(t, []polCase{
			{name: "gallery", as: owner, method: "GET", path: "/policies/starters", status: 200, want: []string{"AI acceptable use policy", "AI risk management policy", "Generative AI use policy",
				"AI procurement policy", "AI incident response policy", "AI literacy policy", "EU AI Act Art 73(2) 15 days", "Adopt as a draft", "not legal advice"}},
			{name: "viewer sees no adopt", as: viewer, method: "GET", path: "/policies/starters", status: 200, wantNot: []string{"Adopt as a draft"}},
			{name: "viewer cannot adopt", as: viewer, method: "POST", path: "/policies/starters", form: url.Values{"starter": {"literacy"}}, status: 403},
			{name: "unknown starter", as: owner, method: "POST", path: "/policies/starters", form: url.Values{"starter": {"manifesto"}}, status: 422, want: []string{"Starter must be one of"}},
			{name: "adopt", as: owner, method: "POST", path: "/policies/starters", form: url.Values{"starter": {"incident-response"}}, status: 303, want: []string{"/policies/pol_"}},
			{name: "adopted in list", as: owner, method: "GET", path: "/policies", status: 200, want: []string{"Adopted as a draft", "AI incident response policy", "Incident response"}},
		})
		ps, _, _ := s.App.FindPolicies(org.Sys, caio.PolicyFilter{})
		runPolCases(t, []polCase{
			{name: "adopted text", as: owner, method: "GET", path: "/policies/" + ps[0].ID, status: 200, want: []string{"Org acme", "15 days", "10 days", "Art 73(4)"}, wantNot: []string{"{{organisation}}"}},
		})
	})
}
