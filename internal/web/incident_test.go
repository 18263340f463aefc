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

// TestIncidentPages walks through the incident register as an owner would:
// the list with its counts and filters, the form, an incident's page with
// its reporting clock and corrective actions, a stale edit and deletion.
func TestIncidentPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27") // 09:00 UTC
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		ctl := s.NewControl(t, org, "CV screening") // a high-risk system
		bot := s.NewSystem(t, org, "Customer chatbot")
		foreign := s.NewSystem(t, other, "Globex secret system")
		if _, err := s.App.CreateIncident(other.Sys, caio.IncidentInput{Title: "Globex secret incident", AwareAt: "2026-11-01", Severity: "low"}); err != nil {
			t.Fatal(err)
		}
		overdue, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Applicants over 50 ranked last", AwareAt: "2026-11-10T08:00",
			Harms: []string{"fundamental_rights"}, Severity: "high", Owner: "Chief People Officer", Systems: []string{ctl.SystemID}})
		if err != nil {
			t.Fatal(err)
		}
		minor, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Chatbot quoted old deductibles", AwareAt: "2026-11-26T12:00",
			Harms: []string{"financial"}, Severity: "low", Systems: []string{bot.ID}})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		record := url.Values{"title": {"Operator lost control of pumps"}, "description": {"The scheduler switched off two pumping stations."},
			"occurred_at": {"2026-11-26T22:10"}, "aware_at": {"2026-11-26T23:00"}, "harms": {"critical_infrastructure", "service"},
			"severity": {"critical"}, "owner": {"COO"}, "systems": {bot.ID}}

		tests := []struct {
			name    string
			method  string
			path    string
			form    url.Values
			status  int
			want    []string
			wantNot []string
		}{
			{name: "list", method: "GET", path: "/incidents", status: 200, want: []string{"Applicants over 50 ranked last", "Chatbot quoted old deductibles",
				"Report overdue", "No report required", "Art 73(2)", "1</span><span class=\"stat-label\">report is overdue", `href="/systems/` + ctl.SystemID, "(high-risk)", "Record an incident"},
				wantNot: []string{"Globex"}},
			{name: "overdue filter", method: "GET", path: "/incidents?overdue=1", status: 200, want: []string{"Applicants over 50", "filtered"}, wantNot: []string{"Chatbot quoted old deductibles</a>"}},
			{name: "serious filter", method: "GET", path: "/incidents?serious=0&sort=title", status: 200, want: []string{"Chatbot quoted old deductibles"}, wantNot: []string{"Applicants over 50 ranked last</a>"}},
			{name: "system filter", method: "GET", path: "/incidents?system=" + bot.ID, status: 200, want: []string{"Chatbot quoted"}, wantNot: []string{"Applicants over 50 ranked last</a>"}},
			{name: "bad filter", method: "GET", path: "/incidents?severity=dire", status: 422},
			{name: "new form", method: "GET", path: "/incidents/new?systems=" + bot.ID, status: 200, want: []string{"Record an incident", `action="/incidents"`,
				`value="` + bot.ID + `" checked`, "CV screening (high-risk)", "Art 3(49)(b)", `type="datetime-local"`, "A person died", "Widespread infringement"}},
			{name: "create", method: "POST", path: "/incidents", form: record, status: 303, want: []string{"/incidents/inc_"}},
			{name: "flash after create", method: "GET", path: "/incidents?sort=title", status: 200, want: []string{"Incident recorded", "Operator lost control of pumps", "Report by"}},
			{name: "invalid", method: "POST", path: "/incidents", form: url.Values{"title": {"Bad"}, "aware_at": {"2026-12-24T10:00"}, "harms": {"boredom", "health"},
				"severity": {""}, "systems": {foreign.ID}, "reported_at": {"2026-11-20T10:00"}}, status: 422,
				want: []string{"Became aware must not be in the future", "Harm has", "Severity is required", "AI systems names " + foreign.ID,
					"Reported to is required", `value="Bad"`, `value="health" checked`, `value="2026-12-24T10:00"`}},
			{name: "overdue page", method: "GET", path: "/incidents/" + overdue.ID, status: 200, want: []string{"Art 73 reporting clock: Report overdue",
				"Overdue by 2 days 1 hour", "Art 73(2)", "Art 73(5)", "classified high-risk", "Art 3(49)(c)", "Serious incident under Art 3(49)?",
				"Add a corrective action", "History", "incident.create", "Delete incident", `href="/systems/` + ctl.SystemID}},
			{name: "minor page", method: "GET", path: "/incidents/" + minor.ID, status: 200, want: []string{"No report required", "not a serious incident"}},
			{name: "add action", method: "POST", path: "/incidents/" + overdue.ID + "/actions", form: url.Values{"description": {"Remove age proxies"}, "due": {"2026-11-20"}, "owner": {"HR"}}, status: 303, want: []string{"#actions"}},
			{name: "action without text", method: "POST", path: "/incidents/" + overdue.ID + "/actions", form: url.Values{"due": {"soon"}}, status: 422,
				want: []string{"Corrective action is required", "Due must be a date"}},
			{name: "page with action", method: "GET", path: "/incidents/" + overdue.ID, status: 200, want: []string{"Remove age proxies", "Overdue", "Set status", "incident.action.create"}},
			{name: "edit", method: "GET", path: "/incidents/" + overdue.ID + "/edit", status: 200, want: []string{`value="Applicants over 50 ranked last"`, `name="version" value="2"`,
				`value="2026-11-10T08:00"`, `value="fundamental_rights" checked`, `value="high" selected`}},
			{name: "report", method: "POST", path: "/incidents/" + overdue.ID, form: url.Values{"title": {"Applicants over 50 ranked last"}, "aware_at": {"2026-11-10T08:00"},
				"harms": {"fundamental_rights"}, "severity": {"high"}, "status": {"reported"}, "reported_at": {"2026-11-27T08:00"}, "reported_to": {"Market surveillance authority, DE"},
				"lessons_learnt": {"Check rankings by age band before each release."}, "systems": {ctl.SystemID}, "version": {"2"}}, status: 303},
			{name: "stale save", method: "POST", path: "/incidents/" + overdue.ID, form: url.Values{"title": {"Lost update"}, "aware_at": {"2026-11-10T08:00"}, "severity": {"low"}, "version": {"2"}},
				status: 409, want: []string{"Someone else changed this incident", `value="Lost update"`}},
			{name: "reported late", method: "GET", path: "/incidents/" + overdue.ID, status: 200, want: []string{"Reported late", "Reported 2 days after the deadline",
				"Market surveillance authority, DE", "Check rankings by age band"}},
			{name: "another organisation's incident", method: "GET", path: "/incidents/" + caio.NewID("inc"), status: 404},
			{name: "malformed id", method: "GET", path: "/incidents/nope", status: 404},
			{name: "delete", method: "POST", path: "/incidents/" + minor.ID + "/delete", status: 303, want: []string{"/incidents"}},
			{name: "deleted is gone", method: "GET", path: "/incidents/" + minor.ID, status: 404, want: []string{"Incident not found"}},
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
		// The action's status changes from its row, then it goes.
		i, err := s.App.FindIncident(org.Sys, overdue.ID)
		if err != nil || len(i.Actions) != 1 {
			t.Fatalf("incident %+v, %v", i, err)
		}
		x := i.Actions[0]
		b.PostForm(t, "/incidents/"+i.ID+"/actions/"+x.ID, url.Values{"description": {x.Description}, "due": {x.Due}, "status": {"done"}}).Want(t, http.StatusSeeOther)
		if i, _ = s.App.FindIncident(org.Sys, overdue.ID); i.Actions[0].Status != "done" || i.Actions[0].Overdue {
			t.Errorf("action %+v", i.Actions[0])
		}
		b.PostForm(t, "/incidents/"+i.ID+"/actions/"+caio.NewID("cor"), url.Values{"description": {"x"}}).Want(t, http.StatusNotFound)
		b.PostForm(t, "/incidents/"+i.ID+"/actions/"+x.ID+"/delete", nil).Want(t, http.StatusSeeOther)
	})
}

// TestIncidentPagesByRole checks that the pages offer only what a role may
// do, and refuse a form posted anyway.
func TestIncidentPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		i, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Outage", AwareAt: "2026-01-01", Severity: "low"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range caio.Roles {
			b := s.Login(t, org.Members[r].Email, servertest.Password)
			edit := caio.Can(r, caio.PermEdit)
			for _, p := range []struct{ path, marker string }{{"/incidents", `href="/incidents/new"`}, {"/incidents/" + i.ID, "Add a corrective action"}, {"/incidents/" + i.ID, "Delete incident"}} {
				if shows := strings.Contains(string(b.Get(t, p.path).Want(t, http.StatusOK).Body), p.marker); shows != edit {
					t.Errorf("%s on %s: shows %q = %v, want %v", r, p.path, p.marker, shows, edit)
				}
			}
			if !edit {
				b.PostForm(t, "/incidents", url.Values{"title": {"x"}, "aware_at": {"2026-01-01"}, "severity": {"low"}}).Want(t, http.StatusForbidden)
				b.PostForm(t, "/incidents/"+i.ID+"/actions", url.Values{"description": {"x"}}).Want(t, http.StatusForbidden)
				b.PostForm(t, "/incidents/"+i.ID+"/delete", nil).Want(t, http.StatusForbidden)
			}
		}
	})
}

// FuzzIncidentForm posts arbitrary values in the incident form. The page
// must answer with a redirect or a client error, never a server error; a
// recorded incident writes one audit event, a refused form nothing.
//
//	go test ./internal/web -run '^$' -fuzz FuzzIncidentForm -fuzztime 30s
func FuzzIncidentForm(f *testing.F) {
	f.Add("Leak", "2026-11-20T14:30", "", "health", "high", "open", "", "", "1", "")
	f.Add("", "yesterday", "2026-13-01", "boredom", "dire", "lost", "soon", "", "on", "maybe")
	f.Add("x", "2026-11-20", "2026-11-21", "critical_infrastructure", "low", "reported", "2026-11-20T10:00", "MSA", "", "1")
	f.Add(strings.Repeat("T", 201), "\x00", "\xff", ",", "LOW", "closed", "2026-11-19", strings.Repeat("a", 201), "true", "yes")
	s := servertest.New(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}))
	org := s.NewOrg(f, "acme")
	b := s.Login(f, org.Members[caio.RoleEditor].Email, servertest.Password)
	f.Fuzz(func(t *testing.T, title, aware, occurred, harms, severity, status, reported, to, death, widespread string) {
		form := url.Values{"title": {title}, "aware_at": {aware}, "occurred_at": {occurred}, "harms": strings.Split(harms, ","),
			"severity": {severity}, "status": {status}, "reported_at": {reported}, "reported_to": {to}, "death": {death}, "widespread": {widespread}}
		before := s.Count(t, org)
		res := b.PostForm(t, "/incidents", form)
		after := s.Count(t, org)
		switch {
		case res.StatusCode == http.StatusSeeOther:
			if after.AuditEvents != before.AuditEvents+1 {
				t.Errorf("303 wrote %d audit events", after.AuditEvents-before.AuditEvents)
			}
		case res.StatusCode >= 400 && res.StatusCode < 500:
			if after != before {
				t.Errorf("refused form changed counts from %+v to %+v", before, after)
			}
		default:
			t.Errorf("status %d: %s", res.StatusCode, res)
		}
	})
}
