package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The incident services join the role matrix of app_test.go.
func init() {
	incident := func(t *testing.T, f *fixture) *caio.Incident {
		i, err := f.app.CreateIncident(f.sys, caio.IncidentInput{Title: "incident " + randomHex(), AwareAt: "2020-01-01T00:00", Severity: "low"})
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	actions = append(actions,
		action{"FindIncidents", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.FindIncidents(ctx, caio.IncidentFilter{})
				return err
			}
		}},
		action{"FindIncident", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			i := incident(t, f)
			return func(ctx context.Context) error { _, err := f.app.FindIncident(ctx, i.ID); return err }
		}},
		action{"IncidentHarmTypes", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.IncidentHarmTypes(ctx); return err }
		}},
		action{"CreateIncident", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateIncident(ctx, caio.IncidentInput{Title: "new", AwareAt: "2020-01-01", Severity: "low"})
				return err
			}
		}},
		action{"UpdateIncident", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			i := incident(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.UpdateIncident(ctx, i.ID, 0, caio.IncidentInput{Title: "changed", AwareAt: "2020-01-01", Severity: "high"})
				return err
			}
		}},
		action{"DeleteIncident", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			i := incident(t, f)
			return func(ctx context.Context) error { return f.app.DeleteIncident(ctx, i.ID) }
		}},
		action{"AddCorrectiveAction", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			i := incident(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.AddCorrectiveAction(ctx, i.ID, caio.CorrectiveInput{Description: "retrain"})
				return err
			}
		}},
	)
}

// TestIncidents walks an incident through its life on both engines: a
// serious incident of a high-risk system with its clock, the filters, the
// report that stops the clock, corrective actions, a stale edit, another
// organisation's view and deletion, with one audit event per write.
func TestIncidents(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newFixture(t, db)
		ed := f.as(caio.RoleEditor)
		pricing := f.system(t, "Life pricing model")
		if _, err := f.app.ClassifySystem(f.sys, pricing.ID, servertest.HighRiskProfile()); err != nil {
			t.Fatal(err)
		}
		bot := f.system(t, "Customer chatbot")
		events := auditTotal(t, f.app, f.sys)

		// Every problem is named at once, including a system of another organisation.
		other := newFixture2(t, f)
		foreign, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "Globex system", Purpose: "p", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.app.CreateIncident(ed, caio.IncidentInput{Title: "", AwareAt: "2026-11-30T00:00", Severity: "dire", Systems: []string{foreign.ID}})
		wantCode(t, err, caio.EINVALID)
		for _, field := range []string{"title", "aware_at", "severity", "systems"} {
			if !strings.Contains(err.Error(), field) {
				t.Errorf("error %q does not name %s", err, field)
			}
		}
		if got := auditTotal(t, f.app, f.sys); got != events {
			t.Errorf("a refused incident wrote %d audit events", got-events)
		}

		i, err := f.app.CreateIncident(ed, caio.IncidentInput{Title: " Premiums loaded by country of birth ", AwareAt: "2026-11-24T09:00",
			OccurredAt: "2026-09-01", Harms: []string{"fundamental_rights", "financial"}, Severity: "high", Owner: "Chief Actuary",
			Systems: []string{pricing.ID, bot.ID, pricing.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if i.Title != "Premiums loaded by country of birth" || !i.Serious || !i.HighRisk || i.Status != "open" || i.Version != 1 || len(i.Systems) != 2 {
			t.Errorf("created %+v", i)
		}
		c := i.Clock
		if c == nil || !c.Applies || c.State != "running" || c.Days != 15 || c.Article != "Art 73(2)" || c.DaysLeft != 12 ||
			!c.Due.Equal(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC)) || !i.ReportDue.Equal(*c.Due) {
			t.Errorf("clock %+v", c)
		}
		if !strings.Contains(strings.Join(i.SeriousReasons, " "), "Art 3(49)(c)") || !strings.Contains(c.Notes[0], "high-risk") {
			t.Errorf("reasons %v, notes %v", i.SeriousReasons, c.Notes)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "incident.create" || e.ObjectID != i.ID || !strings.Contains(string(e.Diff), pricing.ID) {
			t.Errorf("audit event %+v", e)
		}

		// A minor incident of the chatbot, and an old serious one whose clock ran out.
		minor, err := f.app.CreateIncident(ed, caio.IncidentInput{Title: "Wrong deductible quoted", AwareAt: "2026-10-01T12:00", Harms: []string{"financial"},
			Severity: "low", Systems: []string{bot.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if minor.Serious || minor.Clock.Applies || minor.ReportDue != nil || minor.HighRisk {
			t.Errorf("minor %+v, clock %+v", minor, minor.Clock)
		}
		late, err := f.app.CreateIncident(ed, caio.IncidentInput{Title: "Grid operator outage", AwareAt: "2026-11-20T08:00", Harms: []string{"critical_infrastructure"},
			Severity: "critical", Widespread: true})
		if err != nil {
			t.Fatal(err)
		}
		if late.Clock.State != "overdue" || late.Clock.Days != 2 || late.Clock.Article != "Art 73(3)" || len(late.Clock.Deadlines) != 3 {
			t.Errorf("late clock %+v", late.Clock)
		}

		// Filters.
		count := func(name string, f2 caio.IncidentFilter, want ...string) {
			t.Helper()
			got, total, err := f.app.FindIncidents(f.as(caio.RoleViewer), f2)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var ids []string
			for _, x := range got {
				ids = append(ids, x.ID)
				if x.Clock == nil {
					t.Errorf("%s: %s without a clock", name, x.ID)
				}
			}
			if total != len(want) || strings.Join(ids, ",") != strings.Join(want, ",") {
				t.Errorf("%s: %v (total %d), want %v", name, ids, total, want)
			}
		}
		yes, no := true, false
		sev := "critical"
		count("all, newest awareness first", caio.IncidentFilter{}, i.ID, late.ID, minor.ID)
		count("serious", caio.IncidentFilter{Serious: &yes, Sort: "aware"}, late.ID, i.ID)
		count("not serious", caio.IncidentFilter{Serious: &no}, minor.ID)
		count("overdue", caio.IncidentFilter{Overdue: &yes}, late.ID)
		count("not overdue", caio.IncidentFilter{Overdue: &no}, i.ID, minor.ID)
		count("by system", caio.IncidentFilter{System: &bot.ID}, i.ID, minor.ID)
		count("by severity", caio.IncidentFilter{Severity: &sev}, late.ID)
		count("deadline order", caio.IncidentFilter{Sort: "due"}, late.ID, i.ID, minor.ID)
		count("most severe", caio.IncidentFilter{Sort: "-severity"}, late.ID, i.ID, minor.ID)
		count("search", caio.IncidentFilter{Query: ptr("ACTUARY")}, i.ID)
		if got, total, err := f.app.FindIncidents(ed, caio.IncidentFilter{Page: caio.Page{Limit: 1, Offset: 1}}); err != nil || total != 3 || len(got) != 1 || got[0].ID != late.ID {
			t.Errorf("second page of one: %v of %d, %v", got, total, err)
		}
		_, _, err = f.app.FindIncidents(ed, caio.IncidentFilter{Sort: "sideways"})
		wantCode(t, err, caio.EINVALID)

		// Corrective actions move the version on.
		x, err := f.app.AddCorrectiveAction(ed, i.ID, caio.CorrectiveInput{Description: "Switch off the postcode feature", Due: "2026-11-25"})
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != "planned" || !x.Overdue {
			t.Errorf("action %+v", x)
		}
		if x, err = f.app.UpdateCorrectiveAction(ed, i.ID, x.ID, caio.CorrectiveInput{Description: x.Description, Due: x.Due, Status: "done"}); err != nil || x.Overdue {
			t.Fatalf("done action %+v, %v", x, err)
		}
		_, err = f.app.UpdateCorrectiveAction(ed, minor.ID, x.ID, caio.CorrectiveInput{Description: "x"})
		wantCode(t, err, caio.ENOTFOUND)

		// Reporting stops the clock; a stale version is refused.
		in := i.Input()
		in.Status, in.ReportedAt, in.ReportedTo, in.LessonsLearnt = "reported", "2026-11-26T16:00", "BaFin", "Test for proxies of protected characteristics."
		_, err = f.app.UpdateIncident(ed, i.ID, 1, in)
		wantCode(t, err, caio.ECONFLICT)
		i2, err := f.app.UpdateIncident(ed, i.ID, 3, in)
		if err != nil {
			t.Fatal(err)
		}
		if i2.Clock.State != "reported" || i2.ReportedTo != "BaFin" || i2.Version != 4 || len(i2.Actions) != 1 || i2.LessonsLearnt == "" {
			t.Errorf("reported %+v, clock %+v", i2, i2.Clock)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "incident.update" || !strings.Contains(string(e.Diff), "BaFin") {
			t.Errorf("audit event %+v", e)
		}

		// Another organisation sees nothing and changes nothing.
		_, err = f.app.FindIncident(other, i.ID)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteIncident(other, i.ID), caio.ENOTFOUND)
		_, err = f.app.AddCorrectiveAction(other, i.ID, caio.CorrectiveInput{Description: "x"})
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteCorrectiveAction(other, i.ID, x.ID), caio.ENOTFOUND)
		if got, total, err := f.app.FindIncidents(other, caio.IncidentFilter{}); err != nil || total != 0 || len(got) != 0 {
			t.Errorf("other organisation lists %d incidents, %v", total, err)
		}
		_, err = f.app.FindIncident(ed, "inc_nope")
		wantCode(t, err, caio.ENOTFOUND)

		// Deleting the system unlinks it; deleting the incident takes its actions.
		if err := f.app.DeleteSystem(f.sys, bot.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.app.FindIncident(ed, i.ID); len(got.Systems) != 1 || got.Systems[0].ID != pricing.ID {
			t.Errorf("systems after deleting the chatbot: %+v", got.Systems)
		}
		before := auditTotal(t, f.app, f.sys)
		if err := f.app.DeleteCorrectiveAction(ed, i.ID, x.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeleteIncident(ed, i.ID); err != nil {
			t.Fatal(err)
		}
		if got := auditTotal(t, f.app, f.sys); got != before+2 {
			t.Errorf("two deletes wrote %d events", got-before)
		}
		_, err = f.app.FindIncident(ed, i.ID)
		wantCode(t, err, caio.ENOTFOUND)
		if _, total, _ := f.app.FindIncidents(ed, caio.IncidentFilter{}); total != 2 {
			t.Errorf("total after delete %d", total)
		}
	})
}

// TestIncidentConcurrentActions adds corrective actions from many writers
// at once: none is lost, and the incident's version counts every one.
func TestIncidentConcurrentActions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		i, err := f.app.CreateIncident(f.sys, caio.IncidentInput{Title: "Outage", AwareAt: "2020-01-01", Severity: "low"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for n := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := f.app.AddCorrectiveAction(f.as(caio.RoleEditor), i.ID, caio.CorrectiveInput{Description: "action " + string(rune('a'+n))}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := f.app.FindIncident(f.sys, i.ID)
		if err != nil || len(got.Actions) != 8 || got.Version != 9 {
			t.Errorf("after 8 concurrent actions: %d actions, version %d, %v", len(got.Actions), got.Version, err)
		}
	})
}
