package web_test

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// stActor is a context acting as the member in org, for setting up through the
// services what a test then looks at on the pages.
func stActor(m *servertest.Member, org *servertest.Org) context.Context {
	return caio.WithActor(context.Background(), m.Actor(org))
}

// stAmount writes a figure as the portfolio pages do: whole units with commas
// between thousands.
func stAmount(x float64) string {
	x = math.Round(x)
	neg := x < 0
	digits := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg && digits != "0" {
		return "−" + b.String()
	}
	return b.String()
}

// stWant fails t for each text the page lacks.
func stWant(t *testing.T, res *servertest.Response, texts ...string) {
	t.Helper()
	body := page(res)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if t.Failed() {
		t.Logf("page: %s", res)
	}
}

func TestStrategyPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		claims := s.NewObjective(t, org, "Settle claims faster")
		calls := s.NewObjective(t, org, "Answer calls in a minute")
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		// Before anyone writes it: an invitation, for those who may.
		stWant(t, editor.Get(t, "/strategy").Want(t, 200), "No AI strategy written yet", `href="/strategy/edit"`, "Write the strategy")
		if body := page(viewer.Get(t, "/strategy").Want(t, 200)); strings.Contains(body, "/strategy/edit") {
			t.Errorf("a viewer is offered to write the strategy")
		}
		stWant(t, editor.Get(t, "/strategy/edit").Want(t, 200), `name="version" value="0"`, `name="priorities[2].title"`,
			`name="priorities[0].objective_ids" value="`+claims.ID+`"`, "3. Operational")

		form := url.Values{
			"version": {"0"}, "vision": {"Every claim triaged by AI, settled by people within two days."},
			"principles":                  {"A person stays accountable.\r\n\r\nWe measure before we scale."},
			"priorities[0].title":         {"Faster claims"},
			"priorities[0].description":   {"Triage and settle simple claims."},
			"priorities[0].objective_ids": {claims.ID, calls.ID},
			"priorities[1].title":         {""}, // an empty row in between is skipped
			"priorities[2].title":         {"Better service"},
			"target_maturity":             {"3"}, "budget": {"1,200,000"}, "currency": {"eur"}, "budget_period": {"per year"},
			"owners": {"Chief AI Officer\nCOO"}, "horizon": {"2028-12-31"},
		}
		editor.PostForm(t, "/strategy", form).Want(t, http.StatusSeeOther)
		stWant(t, editor.Get(t, "/strategy").Want(t, 200), "Strategy saved.", `href="/strategy/edit"`)
		res := viewer.Get(t, "/strategy").Want(t, 200)
		stWant(t, res, "Every claim triaged by AI", "<li>We measure before we scale.</li>", "Faster claims", "Better service",
			`<a href="/objectives/`+claims.ID+`">Settle claims faster</a>`, `<a href="/objectives/`+calls.ID+`">Answer calls in a minute</a>`,
			"Level 3 of 5: Operational", `role="img"`, "Target maturity: level 3 of 5", "EUR 1,200,000", "per year", "Chief AI Officer", "COO",
			"2028-12-31", "Version 1, last changed by", "editor@acme.test")
		st, err := s.App.FindStrategy(org.Sys)
		if err != nil || len(st.Priorities) != 2 || st.Priorities[1].Title != "Better service" || len(st.Principles) != 2 || st.Budget != 1200000 {
			t.Fatalf("stored strategy %+v, %v", st, err)
		}

		// The edit form round-trips what was saved.
		stWant(t, editor.Get(t, "/strategy/edit").Want(t, 200), `name="version" value="1"`, `value="Faster claims"`, `value="Better service"`,
			`value="`+claims.ID+`" checked`, `value="3" checked`, `value="1200000"`, "A person stays accountable.\nWe measure before we scale.")

		// A bad row: the problem is named beside the row it was typed in, and
		// everything typed comes back.
		bad := url.Values{
			"version": {"1"}, "vision": {"Kept vision"},
			"priorities[0].title": {"Faster claims"}, "priorities[0].objective_ids": {calls.ID},
			"priorities[1].title": {""}, "priorities[1].description": {"A row without a title"},
			"priorities[2].title": {"Third"}, "budget": {"lots"}, "currency": {"EUR"}, "horizon": {"next year"},
		}
		res = editor.PostForm(t, "/strategy", bad).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, `id="e-priorities[1].title"`, "Title is required", `href="#f-priorities%5b1%5d.title"`, "Priority 2: title",
			"A row without a title", `value="Third"`, "Kept vision", `value="lots"`, "Amount must be a number", "Horizon must be a date",
			`value="`+calls.ID+`" checked`)
		// Without the number problem, the service's own checks map to the rows too.
		bad.Set("budget", "100")
		bad.Set("horizon", "")
		res = editor.PostForm(t, "/strategy", bad).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, `id="e-priorities[1].title"`, "Title is required", `value="Third"`)

		// A stale version keeps the input and says what happened.
		stale := url.Values{"version": {"0"}, "vision": {"Lost update"}}
		res = editor.PostForm(t, "/strategy", stale).Want(t, http.StatusConflict)
		stWant(t, res, "Lost update", "changed")

		// Only editors write the strategy.
		viewer.PostForm(t, "/strategy", url.Values{"version": {"1"}, "vision": {"Viewer's"}}).Want(t, http.StatusForbidden)
		if st, _ := s.App.FindStrategy(org.Sys); st.Vision == "Viewer's" || st.Version != 1 {
			t.Errorf("refused, yet the strategy changed: %+v", st)
		}
		recordViews(s)
	})
}
