package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The reminders' operations join the role matrix of roles_test.go.
func init() {
	roleCases = append(roleCases,
		// App.Deadlines, ReminderPreferences, SetReminderPreferences: PermRead
		// (every member reads deadlines and sets their own digest).
		roleCase{name: "list reminders", op: "GET /reminders", perm: caio.PermRead, req: fixed("/api/v1/reminders?mine=0&within=90&kind=obligation", nil), ok: 200},
		roleCase{name: "get reminder preferences", op: "GET /reminders/preferences", perm: caio.PermRead, req: fixed("/api/v1/reminders/preferences", nil), ok: 200},
		roleCase{name: "set reminder preferences", op: "PUT /reminders/preferences", perm: caio.PermRead, req: fixed("/api/v1/reminders/preferences", map[string]any{"digest": false}), ok: 200},
	)
}

// TestReminderAPI lists deadlines as a client sees them: the organisation's
// or the caller's, with bad filters named, and turns the digest off.
func TestReminderAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		day, _ := time.Parse(time.DateOnly, "2026-11-27")
		db.Now = func() time.Time { return day.Add(9 * time.Hour) }
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		ctl := s.NewControl(t, org, "CV screening") // high-risk: its EU AI Act duties apply from 2026-08-02
		r, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Biased shortlists", Likelihood: 3, Impact: 3,
			Owner: "VIEWER@acme.test", ReviewDate: "2026-12-10"})
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Total int             `json:"total"`
			Items []caio.Deadline `json:"items"`
		}
		// The editor's: the unowned duties, overdue first.
		s.Do(t, http.MethodGet, "/api/v1/reminders", org.Token(caio.RoleEditor), nil).Want(t, 200).JSON(t, &page)
		if page.Total == 0 || !page.Items[0].Overdue || page.Items[0].Kind != "obligation" || page.Items[0].DaysLeft >= 0 {
			t.Fatalf("editor's reminders %+v", page)
		}
		ids := []string{}
		for _, d := range page.Items {
			ids = append(ids, d.ObjectID)
		}
		if !slices.Contains(ids, ctl.ID) {
			t.Errorf("the Art 4 control %s is not among %v", ctl.ID, ids)
		}
		// The viewer's: only the risk owned by their email; a viewer cannot
		// act on the unowned duties. The organisation's: everything.
		s.Do(t, http.MethodGet, "/api/v1/reminders", org.Token(caio.RoleViewer), nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ObjectID != r.ID {
			t.Errorf("viewer's reminders %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/reminders?mine=0&kind=risk_review", org.Token(caio.RoleViewer), nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ObjectID != r.ID || page.Items[0].Link != "/risks/"+r.ID || page.Items[0].DaysLeft != 13 ||
			!strings.Contains(page.Items[0].Source, "Review date") {
			t.Errorf("risk reviews %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/reminders?limit=1&offset=1&mine=0", org.Token(caio.RoleViewer), nil).Want(t, 200).JSON(t, &page)
		if len(page.Items) != 1 || page.Total < 2 {
			t.Errorf("a page of one %+v", page)
		}

		// Bad filters are named.
		p := s.Do(t, http.MethodGet, "/api/v1/reminders?within=800", org.Token(caio.RoleViewer), nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "query.within") {
			t.Errorf("locations %v", p.Locations())
		}
		p = s.Do(t, http.MethodGet, "/api/v1/reminders?kind=Not+a+kind", org.Token(caio.RoleViewer), nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "query.kind") {
			t.Errorf("locations %v", p.Locations())
		}

		// The digest setting is the caller's own.
		var prefs caio.ReminderPreferences
		s.Do(t, http.MethodGet, "/api/v1/reminders/preferences", org.Token(caio.RoleViewer), nil).Want(t, 200).JSON(t, &prefs)
		if !prefs.Digest || prefs.UpdatedAt != nil {
			t.Errorf("defaults %+v", prefs)
		}
		s.Do(t, http.MethodPut, "/api/v1/reminders/preferences", org.Token(caio.RoleViewer), map[string]any{"digest": false}).Want(t, 200).JSON(t, &prefs)
		if prefs.Digest || prefs.UpdatedAt == nil {
			t.Errorf("after turning it off %+v", prefs)
		}
		s.Do(t, http.MethodGet, "/api/v1/reminders/preferences", org.Token(caio.RoleEditor), nil).Want(t, 200).JSON(t, &prefs)
		if !prefs.Digest {
			t.Errorf("the editor's digest went off with the viewer's")
		}
		s.Do(t, http.MethodPut, "/api/v1/reminders/preferences", org.Token(caio.RoleViewer), map[string]any{"digest": "yes"}).Want(t, 422)
	})
}
