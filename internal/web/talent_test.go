package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// talentCase is one request of a page walk with what the page must and
// must not show.
type talentCase struct {
	name    string
	method  string
	path    string
	form    url.Values
	status  int
	want    []string
	wantNot []string
}

func runTalentCases(t *testing.T, b *servertest.Browser, tests []talentCase) {
	t.Helper()
	for _, tc := range tests {
		var res *servertest.Response
		if tc.method == "GET" {
			res = b.Get(t, tc.path)
		} else {
			res = b.PostForm(t, tc.path, tc.form)
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

// TestTalentTeamPages walks the skills matrix as an editor would: the team
// page with its heat map and gaps, the person form, ratings and the
// framework.
func TestTalentTeamPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		ana, err := s.App.CreatePerson(org.Sys, caio.PersonInput{Name: "Ana Lima", Role: "mlops-engineer"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.RateSkills(org.Sys, ana.ID, map[string]int{"mlops": 2, "dev-methodologies": 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.CreatePerson(other.Sys, caio.PersonInput{Name: "Globex secret person", Role: "data-engineer"}); err != nil {
			t.Fatal(err)
		}
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		runTalentCases(t, b, []talentCase{
			{name: "team", method: "GET", path: "/talent", status: 200, want: []string{"AI team skills", "Ana Lima", "MLOps engineer", "Where the team is weakest",
				"MLOps and model operations", "1 of 1 person whose role targets it is below target", `<th scope="colgroup"`, "<strong>2</strong>", "/ 5", "▼", "below target", "above target",
				"not rated yet", `href="/talent/people/new"`}, wantNot: []string{"Globex"}},
			{name: "role filter", method: "GET", path: "/talent?role=data-engineer", status: 200, want: []string{"No people match"}},
			{name: "framework", method: "GET", path: "/talent/framework", status: 200, want: []string{"Chief AI Officer", "Innovative business acumen",
				"AI literacy and enablement lead", "Art 4", "Why this role", "5 Expert"}},
			{name: "new person form", method: "GET", path: "/talent/people/new", status: 200, want: []string{"New person", `name="role"`, "Chief AI Officer", "owner@acme.test"}},
			{name: "invalid person", method: "POST", path: "/talent/people", form: url.Values{"name": {"Zed"}, "role": {"wizard"}, "notes": {"kept"}}, status: 422,
				want: []string{"Role has", "not a role of the skill framework", `value="Zed"`, ">kept</textarea>"}},
			{name: "create person", method: "POST", path: "/talent/people", form: url.Values{"name": {"Ben Okafor"}, "role": {"data-engineer"}, "user_id": {org.Members[caio.RoleContributor].UserID}},
				status: 303, want: []string{"/talent/people/per_"}},
			{name: "person page", method: "GET", path: "/talent/people/" + ana.ID, status: 200, want: []string{"Gaps against the MLOps engineer targets", "rated 2, 3 below the MLOps engineer target of 5",
				`name="ratings.mlops"`, `<option value="2" selected>`, "Rated 2 by system", "Other skills", "History", "talent.person.rate", "Remove Ana Lima"}},
			{name: "rate", method: "POST", path: "/talent/people/" + ana.ID + "/ratings", form: url.Values{"ratings.mlops": {"4"}, "ratings.statistics": {"3"}}, status: 303, want: []string{"#gaps"}},
			{name: "rated page", method: "GET", path: "/talent/people/" + ana.ID, status: 200, want: []string{"Ratings saved", "Rated 4 by owner@acme.test", "Other skills (1 rated)"}},
			{name: "bad rating", method: "POST", path: "/talent/people/" + ana.ID + "/ratings", form: url.Values{"ratings.mlops": {"7"}}, status: 422,
				want: []string{"must be a level from 1 to 5", `aria-invalid="true"`}},
			{name: "edit person", method: "GET", path: "/talent/people/" + ana.ID + "/edit", status: 200, want: []string{`value="Ana Lima"`, `value="mlops-engineer" selected`, `name="version"`}},
			{name: "save person", method: "POST", path: "/talent/people/" + ana.ID, form: url.Values{"name": {"Ana Lima"}, "role": {"ml-engineer"}, "version": {"3"}}, status: 303},
			{name: "stale person", method: "POST", path: "/talent/people/" + ana.ID, form: url.Values{"name": {"Lost"}, "role": {"ml-engineer"}, "version": {"3"}}, status: 409, want: []string{"Someone else changed", `value="Lost"`}},
			{name: "another organisation's person", method: "GET", path: "/talent/people/" + caio.NewID("per"), status: 404},
			{name: "malformed id", method: "GET", path: "/talent/people/nope", status: 404},
			{name: "delete person", method: "POST", path: "/talent/people/" + ana.ID + "/delete", status: 303, want: []string{"/talent"}},
			{name: "deleted", method: "GET", path: "/talent/people/" + ana.ID, status: 404, want: []string{"Person not found"}},
		})
		// A viewer sees the ratings but no forms.
		v := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		res := v.Get(t, "/talent").Want(t, http.StatusOK)
		if strings.Contains(string(res.Body), `href="/talent/people/new"`) {
			t.Error("a viewer is offered to add people")
		}
		v.PostForm(t, "/talent/people", url.Values{"name": {"X"}, "role": {"ml-engineer"}}).Want(t, http.StatusForbidden)
	})
}

// TestTalentHiringPages walks the hiring of the permanent CAIO: the
// scorecard form and its sum, candidates, an interviewer's rating form,
// the comparison chart with its table and the decision.
func TestTalentHiringPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		avery, err := s.App.CreateCandidate(org.Sys, caio.CandidateInput{Name: "Avery Quinn", Source: "Executive search"})
		if err != nil {
			t.Fatal(err)
		}
		blake, err := s.App.CreateCandidate(org.Sys, caio.CandidateInput{Name: "Blake Osei", Status: "interviewing"})
		if err != nil {
			t.Fatal(err)
		}
		owner := caio.WithActor(context.Background(), org.Members[caio.RoleOwner].Actor(org))
		if _, err := s.App.RateCandidate(owner, blake.ID, caio.PanelInput{Ratings: map[string]int{"ai-leadership": 2, "communication": 5}}); err != nil {
			t.Fatal(err)
		}
		ed := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		runTalentCases(t, ed, []talentCase{
			{name: "hiring", method: "GET", path: "/talent/hiring", status: 200, want: []string{"Hiring the permanent CAIO", "Avery Quinn", "Blake Osei", "Not rated",
				`id="hiring-chart-t"`, "Weighted scores of the candidates", "10 criteria, weights adding up to 100%", "Change the criteria and weights", "No decision yet"},
				wantNot: []string{"Record the decision"}},
			{name: "scorecard form", method: "GET", path: "/talent/hiring/scorecard", status: 200, want: []string{"CAIO hiring scorecard", `name="criteria[0].name"`, "Innovative business acumen",
				"practice.md §3.5", "add up to <strong>100</strong>", "New criterion", `name="criteria[11].weight"`}},
			{name: "scorecard sum", method: "POST", path: "/talent/hiring/scorecard", form: url.Values{"criteria[0].name": {"Strategy"}, "criteria[0].weight": {"60"},
				"criteria[1].name": {"Delivery"}, "criteria[1].weight": {"30"}, "criteria[2].name": {""}, "criteria[3].name": {"Gone"}, "criteria[3].weight": {"5"}, "criteria[3].key": {"gone"}, "criteria[3].remove": {"1"}}, status: 422,
				want: []string{"Weights add up to 90, not 100: add 10 percentage points", `value="Strategy"`, "add up to <strong>90</strong>"}},
			{name: "scorecard row error", method: "POST", path: "/talent/hiring/scorecard", form: url.Values{"criteria[0].name": {"Strategy"}, "criteria[0].weight": {"60"},
				"criteria[2].name": {"Delivery"}, "criteria[2].weight": {"many"}}, status: 422, want: []string{`id="e-criteria[2].weight"`}},
			{name: "new candidate", method: "GET", path: "/talent/candidates/new", status: 200, want: []string{"New candidate", `value="applied" selected`}},
			{name: "hired by hand", method: "POST", path: "/talent/candidates", form: url.Values{"name": {"Casey Ng"}, "status": {"hired"}}, status: 422, want: []string{"record the hiring decision", `value="Casey Ng"`}},
			{name: "create candidate", method: "POST", path: "/talent/candidates", form: url.Values{"name": {"Casey Ng"}, "source": {"Referral"}}, status: 303, want: []string{"/talent/candidates/cnd_"}},
			{name: "candidate page", method: "GET", path: "/talent/candidates/" + blake.ID, status: 200, want: []string{"Blake Osei", "Score by criterion", "owner@acme.test",
				"discuss", "Nobody has rated this yet", "Rate Blake Osei", `name="ratings.ai-leadership"`, "Only one interviewer"}},
			{name: "rate candidate", method: "POST", path: "/talent/candidates/" + blake.ID + "/panel", form: url.Values{"ratings.ai-leadership": {"4"}, "ratings.communication": {"4"}, "notes": {"Clear 90-day plan"}}, status: 303, want: []string{"#panel"}},
			{name: "rated", method: "GET", path: "/talent/candidates/" + blake.ID, status: 200, want: []string{"Your ratings are saved", "Your ratings", "editor@acme.test", "Clear 90-day plan", `<option value="4" selected>`}},
			{name: "bad panel", method: "POST", path: "/talent/candidates/" + blake.ID + "/panel", form: url.Values{"ratings.ai-leadership": {"9"}}, status: 422, want: []string{"must be a rating from 1 to 5"}},
			{name: "empty panel", method: "POST", path: "/talent/candidates/" + avery.ID + "/panel", form: url.Values{"ratings.ai-leadership": {"0"}}, status: 422, want: []string{"must rate at least one criterion"}},
			{name: "edit candidate", method: "GET", path: "/talent/candidates/" + avery.ID + "/edit", status: 200, want: []string{`value="Avery Quinn"`, `value="Executive search"`}},
			{name: "save candidate", method: "POST", path: "/talent/candidates/" + avery.ID, form: url.Values{"name": {"Avery Quinn"}, "status": {"interviewing"}, "version": {"1"}}, status: 303},
			{name: "editor may not decide", method: "POST", path: "/talent/hiring/decision", form: url.Values{"candidate_id": {blake.ID}, "reason": {"x"}}, status: 403},
		})
		ap := s.Login(t, org.Members[caio.RoleApprover].Email, servertest.Password)
		runTalentCases(t, ap, []talentCase{
			{name: "decision form", method: "GET", path: "/talent/hiring", status: 200, want: []string{"Record the decision", "Blake Osei (score"}},
			{name: "approver's candidate page", method: "GET", path: "/talent/candidates/" + blake.ID, status: 200, want: []string{"History", "talent.candidate.rate"}, wantNot: []string{"Save my ratings"}},
			{name: "decision without reason", method: "POST", path: "/talent/hiring/decision", form: url.Values{"candidate_id": {blake.ID}}, status: 422, want: []string{"Reason is required", `value="` + blake.ID + `" selected`}},
			{name: "decide", method: "POST", path: "/talent/hiring/decision", form: url.Values{"candidate_id": {blake.ID}, "reason": {"Best communicator, strongest plan"}}, status: 303, want: []string{"#decision"}},
			{name: "decided", method: "GET", path: "/talent/hiring", status: 200, want: []string{"Decision recorded: Blake Osei is hired", "Decided:", "Best communicator", "approver@acme.test", " chosen"},
				wantNot: []string{"Record the decision"}},
		})
		runTalentCases(t, ed, []talentCase{
			{name: "chosen cannot be deleted", method: "POST", path: "/talent/candidates/" + blake.ID + "/delete", status: 409, want: []string{"recorded hiring decision"}},
			{name: "delete another", method: "POST", path: "/talent/candidates/" + avery.ID + "/delete", status: 303},
		})
		if k, _ := s.App.FindCandidate(org.Sys, blake.ID); k.Status != "hired" {
			t.Errorf("chosen status %s", k.Status)
		}
	})
}
