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

// TestRiskPages walks through the register as an owner would, in one
// sequence on one server: the list with its heat maps, the form, a risk's
// page with treatments, filters, the appetite and deletion.
func TestRiskPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		bot := s.NewSystem(t, org, "Customer chatbot")
		foreign := s.NewSystem(t, other, "Globex secret system")
		ctl := s.NewControl(t, org, "CV screening")
		high, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Prompt injection", Category: "owasp-llm:LLM01", Likelihood: 4, Impact: 5,
			Owner: "CISO", ReviewDate: "2026-10-01", Systems: []string{bot.ID}})
		if err != nil {
			t.Fatal(err)
		}
		low, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Confabulated answers", Category: "mit:3.1", Likelihood: 2, Impact: 2})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		newRisk := url.Values{"title": {"Leak of claims data"}, "category": {"nist-600-1:GAI-4"}, "likelihood": {"3"}, "impact": {"4"},
			"residual_likelihood": {"2"}, "residual_impact": {"2"}, "owner": {"DPO"}, "systems": {bot.ID}}

		tests := []struct {
			name    string
			method  string
			path    string
			form    url.Values
			status  int
			want    []string
			wantNot []string
		}{
			{name: "register in the navigation", method: "GET", path: "/", status: 200, want: []string{`href="/risks"`}},
			{name: "register", method: "GET", path: "/risks", status: 200, want: []string{"Prompt injection", "Confabulated answers", "Above appetite", "Review overdue",
				"OWASP LLM01 Prompt Injection", `id="heat-inherent-t"`, `id="heat-residual-t"`, "Inherent risk: before treatment", "above appetite",
				`href="/risks?basis=inherent&amp;impact=5&amp;likelihood=4"`, "1 risk is above the appetite", "Save appetite", "CC BY-SA 4.0"},
				wantNot: []string{"Globex"}},
			{name: "breach filter", method: "GET", path: "/risks?breach=1", status: 200, want: []string{"Prompt injection", "filtered"}, wantNot: []string{"Confabulated answers</a>"}},
			{name: "heat map cell", method: "GET", path: "/risks?basis=inherent&likelihood=2&impact=2", status: 200, want: []string{"Confabulated answers", "likelihood 2 and impact 2"}, wantNot: []string{"Prompt injection</a>"}},
			{name: "library filter", method: "GET", path: "/risks?library=mit&sort=title", status: 200, want: []string{"Confabulated answers"}, wantNot: []string{"Prompt injection</a>"}},
			{name: "system filter", method: "GET", path: "/risks?system=" + bot.ID, status: 200, want: []string{"Prompt injection"}, wantNot: []string{"Confabulated answers</a>"}},
			{name: "bad filter", method: "GET", path: "/risks?status=ignored", status: 422},
			{name: "new risk form", method: "GET", path: "/risks/new?systems=" + bot.ID, status: 200, want: []string{"New risk", `action="/risks"`, `<optgroup label="OWASP Top 10 for LLM Applications">`, `value="` + bot.ID + `" checked`, `value="open" selected`}},
			{name: "create risk", method: "POST", path: "/risks", form: newRisk, status: 303, want: []string{"/risks/rsk_"}},
			{name: "flash after create", method: "GET", path: "/risks?sort=title", status: 200, want: []string{"Risk added", "Leak of claims data"}},
			{name: "invalid risk", method: "POST", path: "/risks", form: url.Values{"title": {"Bad"}, "likelihood": {"6"}, "impact": {"2"}, "category": {"owasp-llm:LLM99"}, "systems": {foreign.ID}}, status: 422,
				want: []string{"Likelihood must be a whole number from 1 to 5", "Category has", "AI systems names " + foreign.ID, `value="Bad"`}},
			{name: "risk page", method: "GET", path: "/risks/" + high.ID, status: 200, want: []string{"Prompt injection", "Above the appetite.", "Review overdue", `href="/systems/` + bot.ID, "Customer chatbot",
				"Add a treatment", "CV screening", "History", "risk.create", "Delete risk"}},
			{name: "add treatment", method: "POST", path: "/risks/" + high.ID + "/treatments", form: url.Values{"description": {"Filter prompts"}, "control_id": {ctl.ID}, "due": {"2027-01-31"}}, status: 303, want: []string{"#treatments"}},
			{name: "treatment without text", method: "POST", path: "/risks/" + high.ID + "/treatments", form: url.Values{"due": {"soon"}}, status: 422, want: []string{"Treatment is required", "Due must be a date"}},
			{name: "treated page", method: "GET", path: "/risks/" + high.ID, status: 200, want: []string{"Filter prompts", `href="/controls/` + ctl.ID, "Set status", "risk.treatment.create"}},
			{name: "edit risk", method: "GET", path: "/risks/" + high.ID + "/edit", status: 200, want: []string{`value="Prompt injection"`, `name="version" value="2"`, `value="owasp-llm:LLM01" selected`, `value="` + bot.ID + `" checked`}},
			{name: "save risk", method: "POST", path: "/risks/" + high.ID, form: url.Values{"title": {"Prompt injection"}, "likelihood": {"4"}, "impact": {"5"}, "residual_likelihood": {"2"}, "residual_impact": {"3"},
				"status": {"treating"}, "review_date": {"2027-02-01"}, "version": {"2"}}, status: 303},
			{name: "stale save", method: "POST", path: "/risks/" + high.ID, form: url.Values{"title": {"Lost update"}, "likelihood": {"1"}, "impact": {"1"}, "version": {"2"}}, status: 409, want: []string{"Someone else changed this risk", `value="Lost update"`}},
			{name: "within appetite now", method: "GET", path: "/risks/" + high.ID, status: 200, want: []string{"Within appetite", "Being treated"}, wantNot: []string{"Review overdue"}},
			{name: "appetite too high", method: "POST", path: "/risks/appetite", form: url.Values{"scale": {"5"}, "appetite": {"30"}}, status: 422, want: []string{"Appetite must be a score from 1 to 25"}},
			{name: "appetite", method: "POST", path: "/risks/appetite", form: url.Values{"scale": {"5"}, "appetite": {"3"}}, status: 303, want: []string{"/risks"}},
			{name: "lower appetite breaches more", method: "GET", path: "/risks?breach=1&sort=title", status: 200, want: []string{"Risk appetite saved", "Confabulated answers", "Leak of claims data", "Prompt injection"}},
			{name: "another organisation's risk", method: "GET", path: "/risks/" + caio.NewID("rsk"), status: 404},
			{name: "malformed risk id", method: "GET", path: "/risks/nope", status: 404},
			{name: "delete risk", method: "POST", path: "/risks/" + low.ID + "/delete", status: 303, want: []string{"/risks"}},
			{name: "deleted risk is gone", method: "GET", path: "/risks/" + low.ID, status: 404, want: []string{"Risk not found"}},
		}
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
		// The treatment's status changes from its row, then it goes.
		k, err := s.App.FindRisk(org.Sys, high.ID)
		if err != nil || len(k.Treatments) != 1 {
			t.Fatalf("risk %+v, %v", k, err)
		}
		tr := k.Treatments[0]
		b.PostForm(t, "/risks/"+high.ID+"/treatments/"+tr.ID, url.Values{"description": {tr.Description}, "control_id": {tr.ControlID}, "status": {"done"}}).Want(t, http.StatusSeeOther)
		if k, _ = s.App.FindRisk(org.Sys, high.ID); k.Treatments[0].Status != "done" {
			t.Errorf("treatment status %q", k.Treatments[0].Status)
		}
		b.PostForm(t, "/risks/"+high.ID+"/treatments/"+caio.NewID("rtr"), url.Values{"description": {"x"}}).Want(t, http.StatusNotFound)
		b.PostForm(t, "/risks/"+high.ID+"/treatments/"+tr.ID+"/delete", nil).Want(t, http.StatusSeeOther)
	})
}

// TestRiskPagesByRole checks that the register offers only what a role may
// do, and refuses a form posted anyway.
func TestRiskPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		k, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Prompt injection", Likelihood: 4, Impact: 4})
		if err != nil {
			t.Fatal(err)
		}
		shows := []struct {
			path, marker string
			perm         caio.Permission
		}{
			{"/risks", `href="/risks/new"`, caio.PermEdit},
			{"/risks", "Save appetite", caio.PermManageOrg},
			{"/risks/" + k.ID, "Add a treatment", caio.PermEdit},
			{"/risks/" + k.ID, "Delete risk", caio.PermEdit},
			{"/risks/" + k.ID, "History", caio.PermReadAudit},
		}
		for _, r := range caio.Roles {
			t.Run(string(r), func(t *testing.T) {
				b := s.Login(t, org.Members[r].Email, servertest.Password)
				for _, sh := range shows {
					res := b.Get(t, sh.path).Want(t, http.StatusOK)
					if got, want := strings.Contains(string(res.Body), sh.marker), caio.Can(r, sh.perm); got != want {
						t.Errorf("GET %s as %s: shows %q = %v, want %v", sh.path, r, sh.marker, got, want)
					}
				}
				before := s.Count(t, org)
				for _, p := range []struct {
					path string
					form url.Values
					perm caio.Permission
				}{
					{"/risks", url.Values{"title": {"By " + string(r)}, "likelihood": {"1"}, "impact": {"1"}}, caio.PermEdit},
					{"/risks/" + k.ID + "/treatments", url.Values{"description": {"By " + string(r)}}, caio.PermEdit},
					{"/risks/appetite", url.Values{"scale": {"5"}, "appetite": {"9"}}, caio.PermManageOrg},
				} {
					res := b.PostForm(t, p.path, p.form)
					if caio.Can(r, p.perm) {
						res.Want(t, http.StatusSeeOther)
						continue
					}
					res.Want(t, http.StatusForbidden)
					if !strings.Contains(string(res.Body), "does not allow") {
						t.Errorf("refusal of %s does not say why", p.path)
					}
				}
				if !caio.Can(r, caio.PermEdit) {
					b.PostForm(t, "/risks/"+k.ID+"/delete", nil).Want(t, http.StatusForbidden)
					if after := s.Count(t, org); after != before {
						t.Errorf("refused, yet counts changed from %+v to %+v", before, after)
					}
				}
			})
		}
	})
}
