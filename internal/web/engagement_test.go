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

type pageStep struct {
	name    string
	method  string
	path    string
	form    url.Values
	status  int
	want    []string
	wantNot []string
}

func runSteps(t *testing.T, b *servertest.Browser, steps []pageStep) {
	t.Helper()
	for _, tc := range steps {
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

// TestEngagementPages walks through an engagement as the interim CAIO
// would: start it, read the overview, change the plan, confirm the board,
// write notes, save a template and start the next client from it, close.
func TestEngagementPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		s.NewSystem(t, org, "Claims triage")
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)

		runSteps(t, b, []pageStep{
			{name: "no engagement yet", method: "GET", path: "/engagement", status: 200, want: []string{"Start an engagement", "Built-in plan", "No engagement is active", "practice.md §3.1"}},
			{name: "bad start", method: "POST", path: "/engagements", form: url.Values{"start": {"soon"}, "title": {"Kept title"}}, status: 422,
				want: []string{"Sponsor is required", "Start must be a date", `value="Kept title"`}},
			{name: "start", method: "POST", path: "/engagements", form: url.Values{"sponsor": {"Chief Operating Officer"}, "start": {"2026-10-13"}, "template": {"builtin"}}, status: 303, want: []string{"/engagements/eng_"}},
		})
		e, err := s.App.ActiveEngagement(org.Sys)
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.App.FindEngagementView(org.Sys, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		first := v.Plan[0]
		runSteps(t, b, []pageStep{
			{name: "overview", method: "GET", path: "/engagement", status: 200, want: []string{"Engagement started", "Chief Operating Officer", "2026-10-13 to 2027-04-10",
				"Current phase</dt><dd>Assess", `id="eng-timeline-t"`, `id="eng-progress-t"`, "Days: 46 of 180 elapsed", "Days 0–30", "Days 31–60", "Days 61–90", "After day 90",
				"Agree the mandate with the sponsor", `href="/engagement"`, "Overdue", "1 of 1 AI system is not classified", "Confirm done", "No notes yet", "Write this week", "Close engagement",
				`<th scope="row">Discover</th>`, "Current</span>"}},
			{name: "bad plan item", method: "POST", path: "/engagements/" + e.ID + "/plan", form: url.Values{"title": {""}, "link": {"https://evil.example"}, "due": {"soon"}, "owner": {"Kept owner"}}, status: 422,
				want: []string{"Title is required", "Link must be a page of caio", "Due must be a date", `value="Kept owner"`}},
			{name: "add plan item", method: "POST", path: "/engagements/" + e.ID + "/plan", form: url.Values{"title": {"Brief the works council"}, "due": {"2026-11-20"}, "link": {"/members"}}, status: 303, want: []string{"#plan"}},
			{name: "complete an item", method: "POST", path: "/plan-items/" + first.ID + "/status", form: url.Values{"status": {"done"}}, status: 303, want: []string{"#item-" + first.ID}},
			{name: "move an item", method: "POST", path: "/plan-items/" + v.Plan[1].ID + "/move", form: url.Values{"direction": {"up"}}, status: 303},
			{name: "edit item form", method: "GET", path: "/plan-items/" + first.ID + "/edit", status: 200, want: []string{`value="Agree the mandate with the sponsor"`, `value="done" selected`, "From the due date"}},
			{name: "re-date item", method: "POST", path: "/plan-items/" + first.ID, form: url.Values{"title": {"Agree the mandate"}, "due": {"2027-01-30"}, "status": {"done"}, "phase": {"discover"}}, status: 303},
			{name: "bad re-date", method: "POST", path: "/plan-items/" + first.ID, form: url.Values{"title": {"Agree the mandate"}, "due": {"30/01/2027"}}, status: 422, want: []string{"Due must be a date", `value="30/01/2027"`}},
			{name: "board without note", method: "POST", path: "/engagements/" + e.ID + "/deliverables/governance_board", form: url.Values{"done": {"1"}}, status: 422, want: []string{"Note is required"}},
			{name: "confirm board", method: "POST", path: "/engagements/" + e.ID + "/deliverables/governance_board", form: url.Values{"done": {"1"}, "note": {"Charter signed, first meeting 2026-11-20"}}, status: 303},
			{name: "bad note", method: "POST", path: "/engagements/" + e.ID + "/notes", form: url.Values{"week": {"2026-11-25"}, "rag": {"purple"}, "risks": {"Kept risk"}}, status: 422, want: []string{"Summary is required", "Status must be one of", "Kept risk"}},
			{name: "add note", method: "POST", path: "/engagements/" + e.ID + "/notes", form: url.Values{"week": {"2026-11-25"}, "rag": {"amber"}, "summary": {"Board slipped by a week"}, "risks": {"60-day mark at risk"}}, status: 303},
			{name: "same week again", method: "POST", path: "/engagements/" + e.ID + "/notes", form: url.Values{"week": {"2026-11-27"}, "rag": {"green"}, "summary": {"Again"}}, status: 409, want: []string{"Week already has a note"}},
			{name: "overview after changes", method: "GET", path: "/engagements/" + e.ID, status: 200, want: []string{"Brief the works council", `href="/members"`, "Charter signed, first meeting 2026-11-20",
				"Week 2026-W48", "Amber: at risk", "60-day mark at risk", "Plan items: 1 of", "engagement.note.create"}},
			{name: "edit engagement", method: "GET", path: "/engagements/" + e.ID + "/edit", status: 200, want: []string{`value="Chief Operating Officer"`, `name="phases.assess.start"`, `value="2026-11-12"`}},
			{name: "bad phases", method: "POST", path: "/engagements/" + e.ID, form: url.Values{"sponsor": {"COO"}, "start": {"2026-10-13"}, "version": {"1"},
				"phases.discover.start": {"2026-10-13"}, "phases.discover.end": {"2026-10-01"}}, status: 422, want: []string{"Discover ends before it starts"}},
			{name: "save engagement", method: "POST", path: "/engagements/" + e.ID, form: url.Values{"sponsor": {"Chief Executive"}, "start": {"2026-10-13"}, "end": {"2027-03-31"}, "version": {"1"}, "replan": {"1"}}, status: 303},
			{name: "template form", method: "GET", path: "/engagements/" + e.ID + "/save-template", status: 200, want: []string{"Save as template", "It is yours"}},
			{name: "template without name", method: "POST", path: "/engagements/" + e.ID + "/save-template", form: url.Values{"name": {""}}, status: 422, want: []string{"Name is required"}},
			{name: "save template", method: "POST", path: "/engagements/" + e.ID + "/save-template", form: url.Values{"name": {"Insurer plan"}}, status: 303, want: []string{"/engagement-templates/etp_"}},
			{name: "my templates", method: "GET", path: "/engagement-templates", status: 200, want: []string{"Insurer plan", "Org acme"}},
		})
		tpls, _, err := s.App.FindEngagementTemplates(caiosCtx(org), caio.Page{})
		if err != nil || len(tpls) != 1 {
			t.Fatalf("templates %v, %v", tpls, err)
		}
		tpl := tpls[0]
		runSteps(t, b, []pageStep{
			{name: "template page while active", method: "GET", path: "/engagement-templates/" + tpl.ID, status: 200, want: []string{"Insurer plan", "Brief the works council", "already has an active engagement"}},
			{name: "close", method: "POST", path: "/engagements/" + e.ID + "/close", status: 303},
			{name: "closed overview", method: "GET", path: "/engagements/" + e.ID, status: 200, want: []string{"Closed", "kept as they were", "Charter signed"}, wantNot: []string{"Add to the plan", "Confirm done"}},
			{name: "template page", method: "GET", path: "/engagement-templates/" + tpl.ID, status: 200, want: []string{"Start from this template"}},
			{name: "start from template without sponsor", method: "POST", path: "/engagement-templates/" + tpl.ID + "/start", form: url.Values{"start": {"2027-05-03"}}, status: 422, want: []string{"Sponsor is required", `value="2027-05-03"`}},
			{name: "start from template", method: "POST", path: "/engagement-templates/" + tpl.ID + "/start", form: url.Values{"sponsor": {"CFO"}, "start": {"2027-05-03"}}, status: 303, want: []string{"/engagements/eng_"}},
			{name: "new engagement from template", method: "GET", path: "/engagement", status: 200, want: []string{"Engagement started from your template", "CFO", "Insurer plan", "Brief the works council"}},
			{name: "another organisation's engagement", method: "GET", path: "/engagements/" + caio.NewID("eng"), status: 404},
			{name: "malformed plan item", method: "GET", path: "/plan-items/nope/edit", status: 404},
		})
		// Past engagements are listed once none is active.
		ne, _ := s.App.ActiveEngagement(org.Sys)
		notes, _, _ := s.App.FindStatusNotes(org.Sys, e.ID, caio.Page{})
		runSteps(t, b, []pageStep{
			{name: "note of a closed engagement", method: "GET", path: "/status-notes/" + notes[0].ID + "/edit", status: 200, want: []string{"Board slipped by a week", `value="amber" selected`}},
			{name: "closed note cannot change", method: "POST", path: "/status-notes/" + notes[0].ID, form: url.Values{"week": {"2026-11-25"}, "rag": {"red"}, "summary": {"x"}}, status: 409, want: []string{"closed"}},
			{name: "close the second", method: "POST", path: "/engagements/" + ne.ID + "/close", status: 303},
			{name: "past engagements", method: "GET", path: "/engagement", status: 200, want: []string{"Past engagements", "/engagements/" + e.ID, "/engagements/" + ne.ID}},
			{name: "delete template", method: "POST", path: "/engagement-templates/" + tpl.ID + "/delete", status: 303},
			{name: "template gone", method: "GET", path: "/engagement-templates/" + tpl.ID, status: 404},
		})
	})
}

// caiosCtx acts as the owner of org.
func caiosCtx(org *servertest.Org) context.Context {
	return caio.WithActor(org.Sys, org.Members[caio.RoleOwner].Actor(org))
}

// TestEngagementPagesByRole checks that the overview offers only what a
// role may do, and that a form posted anyway is refused.
func TestEngagementPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		e, err := s.App.StartEngagement(org.Sys, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-13"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.AddStatusNote(org.Sys, e.ID, caio.StatusNoteInput{Week: "2026-11-23", RAG: "red", Summary: "Off track"}); err != nil {
			t.Fatal(err)
		}
		for _, r := range caio.Roles {
			t.Run(string(r), func(t *testing.T) {
				b := s.Login(t, org.Members[r].Email, servertest.Password)
				res := b.Get(t, "/engagement").Want(t, http.StatusOK)
				body := string(res.Body)
				if !strings.Contains(body, "Red: off track") {
					t.Errorf("%s does not see the note's status in words", r)
				}
				for _, marker := range []string{"Add to the plan", "Confirm done", "Close engagement", "Save as template"} {
					if got, want := strings.Contains(body, marker), caio.Can(r, caio.PermEdit); got != want {
						t.Errorf("%s: shows %q = %v, want %v", r, marker, got, want)
					}
				}
				res = b.PostForm(t, "/engagements/"+e.ID+"/plan", url.Values{"title": {"By " + string(r)}})
				if caio.Can(r, caio.PermEdit) {
					res.Want(t, http.StatusSeeOther)
				} else {
					res.Want(t, http.StatusForbidden)
					b.Get(t, "/engagement-templates").Want(t, http.StatusForbidden)
				}
			})
		}
	})
}
