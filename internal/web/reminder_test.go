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

// TestReminderPages shows the reminders page as its members see it: their
// deadlines, overdue ones marked in words, why each date, a link to where
// the work is done, the filters, paging, and the digest toggle.
func TestReminderPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		ctl := s.NewControl(t, org, "CV screening")
		foreign := s.NewControl(t, other, "Globex secret system")
		r, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Biased shortlists", Likelihood: 3, Impact: 3,
			Owner: org.Members[caio.RoleViewer].Email, ReviewDate: "2026-12-10"})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)

		tests := []struct {
			name    string
			path    string
			status  int
			want    []string
			wantNot []string
		}{
			{name: "my deadlines", path: "/reminders", status: 200, want: []string{"Reminders", "Your deadlines", `<span class="badge bad">Overdue</span>`,
				"Overdue by 663 days", "EU AI Act Art 4", "CV screening", `href="/controls/` + ctl.ID + `"`, "applies to this system from 2025-02-02",
				"Why this date", `<caption id="cap-deadlines">`, `scope="col"`, "Daily email digest", `name="digest" value="on" checked`, "(the default)"},
				wantNot: []string{"Globex", foreign.ID, "Biased shortlists"}},
			{name: "the organisation's", path: "/reminders?mine=0", status: 200, want: []string{"Biased shortlists", `href="/risks/` + r.ID + `"`, "In 13 days", "Risk review"}},
			{name: "one kind", path: "/reminders?mine=0&kind=risk_review", status: 200, want: []string{"Biased shortlists", "Clear filters"}, wantNot: []string{"EU AI Act Art 4"}},
			{name: "a week ahead", path: "/reminders?mine=0&within=7", status: 200, want: []string{`value="7" selected`, "EU AI Act"}, wantNot: []string{"Biased shortlists"}},
			{name: "paged", path: "/reminders?mine=0&limit=1", status: 200, want: []string{"Showing 1–1 of", `rel="next"`, "mine=0"}},
			{name: "nothing of that kind", path: "/reminders?kind=task", status: 200, want: []string{"Nothing is overdue or due in this window", `value="task" selected`}},
			{name: "bad window", path: "/reminders?within=soon", status: 422, want: []string{"within"}},
		}
		for _, tc := range tests {
			res := b.Get(t, tc.path)
			if res.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d: %s", tc.name, res.StatusCode, tc.status, res)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(string(res.Body), w) {
					t.Errorf("%s: missing %q", tc.name, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(string(res.Body), w) {
					t.Errorf("%s: shows %q", tc.name, w)
				}
			}
		}

		// The viewer sees the risk they own, and turns their digest off.
		v := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		page := string(v.Get(t, "/reminders").Want(t, 200).Body)
		if !strings.Contains(page, "Biased shortlists") || strings.Contains(page, "EU AI Act Art 4") {
			t.Errorf("viewer's reminders:\n%s", page)
		}
		res := v.PostForm(t, "/reminders/preferences", url.Values{}).Want(t, 303)
		if loc := res.Header.Get("Location"); loc != "/reminders#digest" {
			t.Errorf("redirect to %q", loc)
		}
		page = string(v.Get(t, "/reminders").Want(t, 200).Body)
		if !strings.Contains(page, "The daily digest is off") || !strings.Contains(page, "<strong>off</strong>") || strings.Contains(page, `value="on" checked`) {
			t.Errorf("after turning it off:\n%s", page)
		}
		v.PostForm(t, "/reminders/preferences", url.Values{"digest": {"on"}}).Want(t, 303)
		if page = string(v.Get(t, "/reminders").Want(t, 200).Body); !strings.Contains(page, "<strong>on</strong>") {
			t.Errorf("after turning it on again:\n%s", page)
		}
		// The owner's setting did not move.
		if page = string(b.Get(t, "/reminders").Want(t, 200).Body); !strings.Contains(page, "(the default)") {
			t.Error("the owner's digest setting changed with the viewer's")
		}
	})
}
