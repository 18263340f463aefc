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

func TestRoadmapPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		// Nothing scheduled yet: the page says how to schedule.
		stWant(t, viewer.Get(t, "/roadmap").Want(t, 200), "No use case is scheduled yet", "No capacity planned yet")

		// Triage runs 2027Q1–Q2 with 3 FTE, Letters 2027Q2–Q3 with 2 FTE and
		// waits for Triage, which still runs in Q2: a conflict, and Q2 asks
		// for 5 FTE where 4 are planned.
		triage := s.NewUseCase(t, org, "Claims triage", nil, nil)
		letters := s.NewUseCase(t, org, "Letters <drafting>", nil, nil)
		loose := s.NewUseCase(t, org, "Fraud hints", nil, nil)
		plan := func(id, start, end string, people, budget float64, deps ...string) {
			t.Helper()
			in := caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: start, End: end, People: people, Budget: budget}, DependsOn: deps}
			if _, err := s.App.PlanUseCase(org.Sys, id, 0, in); err != nil {
				t.Fatal(err)
			}
		}
		plan(triage.ID, "2027Q1", "2027Q2", 3, 50000)
		plan(letters.ID, "2027Q2", "2027Q3", 2, 20000, triage.ID)
		if _, err := s.App.SetCapacity(org.Sys, []caio.Capacity{{Quarter: "2027Q1", People: 4, Budget: 100000}, {Quarter: "2027Q2", People: 4, Budget: 100000}}); err != nil {
			t.Fatal(err)
		}

		res := viewer.Get(t, "/roadmap").Want(t, 200)
		stWant(t, res,
			// The timeline: an image with its title and description, and the same in a table.
			`<svg class="chart bars gantt" role="img" aria-labelledby="chart-roadmap-t" aria-describedby="chart-roadmap-d"`,
			"Roadmap by quarter: 2 use cases from 2027Q1 to 2027Q3, 1 with a dependency conflict.",
			"Letters <drafting>: Idea, 2027Q2 to 2027Q3; conflict:", `marker-end="url(#chart-roadmap-arrow)"`, `stroke-dasharray="4 3"`,
			`href="/usecases/`+triage.ID+`"`, `<th scope="row" class="title-cell"><a href="/usecases/`+letters.ID+`">Letters <drafting></a></th>`,
			// The over-committed quarter, flagged in colour, hatching and words.
			"People per quarter, demand against capacity (full-time equivalents): 3 quarters, 1 over capacity.",
			"2027Q2: 5 FTE of 4 FTE, over by 1 FTE", "⚠ OVER: 5 of 4 FTE", ">70k of 100k EUR<", `fill="url(#chart-people-hatch)"`,
			"Over capacity: people", "1 quarter is over capacity", "2027Q3", "2 FTE needed, no capacity planned",
			"Within capacity", "EUR 70,000 of EUR 100,000",
			// Conflicts and unscheduled use cases, with links.
			"Dependency conflicts", "starts in 2027Q2 but depends on 'Claims triage', which ends in 2027Q2.",
			"Not scheduled", `<a href="/usecases/`+loose.ID+`">Fraud hints</a>`,
		)
		if strings.Contains(string(res.Body), `action="/roadmap/capacity"`) {
			t.Errorf("a viewer is offered the capacity form")
		}
		if strings.Contains(string(res.Body), "<drafting>") {
			t.Errorf("a title is not escaped in the page")
		}

		// The capacity form: the stored rows and empty ones suggesting the next quarters.
		stWant(t, editor.Get(t, "/roadmap").Want(t, 200), `action="/roadmap/capacity"`, `name="capacity[0].quarter" value="2027Q1"`,
			`name="capacity[1].people" value="4"`, `name="capacity[2].quarter" value="" class="short" placeholder="2027Q4"`, "Save capacity")

		// A bad row is named by its place in the form, past an empty row, and
		// what was typed stays.
		form := url.Values{
			"capacity[0].quarter": {"2027Q1"}, "capacity[0].people": {"4"}, "capacity[0].budget": {"100000"},
			"capacity[1].quarter": {""}, "capacity[1].people": {""}, "capacity[1].budget": {""},
			"capacity[2].quarter": {"Q2 2027"}, "capacity[2].people": {"6"}, "capacity[2].budget": {"120,000"},
		}
		res = editor.PostForm(t, "/roadmap/capacity", form).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, `id="e-capacity[2].quarter"`, "must be a quarter written 2027Q1", `href="#f-capacity%5b2%5d.quarter"`, "Row 3: quarter",
			`value="Q2 2027"`, `value="120,000"`)
		form.Set("capacity[2].people", "many")
		form.Set("capacity[2].quarter", "2027q2")
		res = editor.PostForm(t, "/roadmap/capacity", form).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, `id="e-capacity[2].people"`, "must be a number")

		// A good form replaces the capacity: Q2 now fits, Q1 is gone.
		form.Set("capacity[2].people", "6")
		form.Set("capacity[0].quarter", "")
		form.Set("capacity[0].people", "")
		form.Set("capacity[0].budget", "")
		editor.PostForm(t, "/roadmap/capacity", form).Want(t, http.StatusSeeOther)
		rm, err := s.App.FindRoadmap(org.Sys)
		if err != nil || len(rm.Capacity) != 1 || rm.Capacity[0] != (caio.Capacity{Quarter: "2027Q2", People: 6, Budget: 120000}) {
			t.Fatalf("capacity after saving: %+v, %v", rm.Capacity, err)
		}
		res = editor.Get(t, "/roadmap").Want(t, 200)
		stWant(t, res, "Capacity saved for 1 quarter.", "5 FTE of 6 FTE", "none over capacity")
		if strings.Contains(page(res), "Over capacity: people") {
			t.Errorf("Q2 still flagged after raising its capacity")
		}

		// Viewers may not plan capacity.
		viewer.PostForm(t, "/roadmap/capacity", url.Values{"capacity[0].quarter": {"2027Q1"}, "capacity[0].people": {"1"}}).Want(t, http.StatusForbidden)
		recordViews(s)
	})
}
