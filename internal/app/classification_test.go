package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	actions = append(actions,
		action{"FindClassification", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.system(t, "to read its classification")
			return func(ctx context.Context) error {
				_, err := f.app.FindClassification(ctx, s.ID)
				return err
			}
		}},
		action{"PreviewReclassify", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.Reclassify(ctx, false)
				return err
			}
		}},
		action{"OverrideClassification", caio.PermApprove, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			s := f.classified(t, "to override")
			return func(ctx context.Context) error {
				_, err := f.app.OverrideClassification(ctx, s.ID, caio.OverrideInput{Class: "minimal", Reason: "counsel reviewed it", Reference: "LEG-1"})
				return err
			}
		}},
		action{"SetOrgTimeline", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			if err := f.app.SetOrgTimeline(f.sys, "amended"); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error { return f.app.SetOrgTimeline(ctx, "enacted") }
		}},
	)
}

// cvScreening is a complete profile of a deployer's CV-screening system:
// high-risk under Annex III point 4(a), profiling people.
func cvScreening() *euaiact.Profile {
	return &euaiact.Profile{Roles: []string{"deployer"}, AnnexI: "none", AnnexIII: []string{"4(a)"}, Facts: map[string]bool{
		"definition.machine_based": true, "definition.autonomy": true, "definition.infers": true, "definition.outputs_influence": true,
		"scope.eu_nexus": true, "scope.military_defence": false, "scope.third_country_authority": false, "scope.research_only": false,
		"scope.pre_market_rd": false, "scope.personal_use": false, "gpai.provider": false, "art6_3.profiling": true,
		"art50.interacts_with_people": false, "art50.generates_synthetic_content": false,
		"deployer.public_body": false, "deployer.public_service": false,
	}}
}

// classified creates a system and classifies it as high-risk.
func (f *fixture) classified(t *testing.T, name string) *caio.AISystem {
	t.Helper()
	s := f.system(t, name)
	if _, err := f.app.ClassifySystem(f.sys, s.ID, cvScreening()); err != nil {
		t.Fatal(err)
	}
	return s
}

// onDay pins the database clock, so next deadlines do not move with the calendar.
func onDay(db *sqldb.DB, day string) {
	d, _ := time.Parse(time.DateOnly, day)
	db.Now = func() time.Time { return d.Add(9 * time.Hour) }
}

func TestClassifySystem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		s, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: "CV screening", Purpose: "rank applicants", Roles: []string{"deployer"}, Countries: []string{"US", "DE"}})
		if err != nil {
			t.Fatal(err)
		}
		editor := f.as(caio.RoleEditor)

		// Before the first classification the profile is drafted from the inventory.
		sc, err := f.app.FindClassification(editor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Current != nil || sc.Class != "" {
			t.Fatalf("new system has a classification: %+v", sc.Current)
		}
		if !slices.Equal(sc.Profile.Roles, []string{"deployer"}) || !sc.Profile.Facts["scope.eu_nexus"] {
			t.Errorf("draft profile = %+v, want the deployer role and the EU nexus from DE", sc.Profile)
		}

		sc, err = f.app.ClassifySystem(editor, s.ID, cvScreening())
		if err != nil {
			t.Fatal(err)
		}
		if sc.Class != "high_risk" || !slices.Equal(sc.Current.Basis, []string{"annex_iii:4(a)"}) || sc.Current.Seq != 1 {
			t.Fatalf("classified %s %v seq %d, want high_risk annex_iii:4(a) seq 1", sc.Class, sc.Current.Basis, sc.Current.Seq)
		}
		if sc.Result.Timeline != "amended" || sc.Current.ContentVersion == "" {
			t.Errorf("result timeline %q content %q", sc.Result.Timeline, sc.Current.ContentVersion)
		}
		got, err := f.app.FindSystem(editor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Class != "high_risk" || got.Basis != "annex_iii:4(a)" || got.NextDeadline != "2027-12-02" {
			t.Errorf("inventory row: class %q basis %q next deadline %q, want high_risk, annex_iii:4(a), 2027-12-02", got.Class, got.Basis, got.NextDeadline)
		}
		if e := lastEventOf(t, f, "system.classify"); e.ObjectID != s.ID {
			t.Errorf("no system.classify audit event for %s", s.ID)
		}

		// A wrong profile names the field and stores nothing.
		bad := cvScreening()
		bad.Facts["art5.z.nonsense"] = true
		_, err = f.app.ClassifySystem(editor, s.ID, bad)
		wantCode(t, err, caio.EINVALID)
		if names := fieldNames(err); !slices.Contains(names, "facts.art5.z.nonsense") {
			t.Errorf("error fields %v do not name facts.art5.z.nonsense", names)
		}
		// Contradictory facts name both fields.
		bad = cvScreening()
		bad.Facts["definition.human_rules_only"] = true
		_, err = f.app.ClassifySystem(editor, s.ID, bad)
		if names := fieldNames(err); !slices.Contains(names, "facts.definition.infers") || !slices.Contains(names, "facts.definition.human_rules_only") {
			t.Errorf("contradiction names %v, want both facts", names)
		}

		// A second classification keeps the first in the history.
		p := cvScreening()
		p.AnnexIII = []string{"none"}
		sc, err = f.app.ClassifySystem(editor, s.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Class == "high_risk" || sc.Current.Seq != 2 {
			t.Errorf("after removing 4(a): class %s seq %d", sc.Class, sc.Current.Seq)
		}
		recs, total, _, err := f.app.ClassificationHistory(editor, s.ID, caio.Page{})
		if err != nil || total != 2 || len(recs) != 2 || recs[0].Seq != 2 {
			t.Fatalf("history = %d records, total %d, err %v", len(recs), total, err)
		}

		// Another organisation cannot see it.
		_, other := newOrg(t, f.app, "other", "owner@other.test")
		_, err = f.app.FindClassification(other, s.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.ClassifySystem(other, s.ID, cvScreening())
		wantCode(t, err, caio.ENOTFOUND)

		// Deleting the system names what went with it in the audit trail.
		if err := f.app.DeleteSystem(editor, s.ID); err != nil {
			t.Fatal(err)
		}
		if e := lastEventOf(t, f, "system.delete"); !strings.Contains(string(e.Diff), `"classifications":[2,null]`) {
			t.Errorf("system.delete diff %s does not count the 2 classifications", e.Diff)
		}
	})
}

func TestOverrideClassification(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		approver := f.as(caio.RoleApprover)
		s := f.system(t, "not yet classified")
		_, err := f.app.OverrideClassification(approver, s.ID, caio.OverrideInput{Class: "minimal", Reason: "r", Reference: "x"})
		wantCode(t, err, caio.ECONFLICT)

		s = f.classified(t, "CV screening")
		_, err = f.app.OverrideClassification(approver, s.ID, caio.OverrideInput{Class: "minimal"})
		if names := fieldNames(err); !slices.Contains(names, "reason") || !slices.Contains(names, "reference") {
			t.Errorf("override without reason and reference names %v", names)
		}
		sc, err := f.app.OverrideClassification(approver, s.ID, caio.OverrideInput{Class: "minimal", Reason: "Counsel found the tool only sorts CVs by date.", Reference: "LEG-2026-114"})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Class != "minimal" || sc.Result.Class != "high_risk" || sc.Override.EngineClass != "high_risk" {
			t.Errorf("override: in effect %s, engine %s", sc.Class, sc.Result.Class)
		}
		if got, _ := f.app.FindSystem(approver, s.ID); got.Class != "minimal" {
			t.Errorf("inventory class %q, want the override's", got.Class)
		}
		// Re-classifying keeps the override in effect.
		if sc, err = f.app.ClassifySystem(f.sys, s.ID, cvScreening()); err != nil || sc.Class != "minimal" {
			t.Errorf("after re-classifying, class in effect %q (%v)", sc.Class, err)
		}
		// Withdrawing restores the engine's class.
		sc, err = f.app.OverrideClassification(approver, s.ID, caio.OverrideInput{Reason: "Superseded by the new assessment."})
		if err != nil || sc.Class != "high_risk" || sc.Override != nil {
			t.Fatalf("withdrawn: class %q override %v err %v", sc.Class, sc.Override, err)
		}
		if got, _ := f.app.FindSystem(approver, s.ID); got.Class != "high_risk" {
			t.Errorf("inventory class %q after withdrawal", got.Class)
		}
		_, err = f.app.OverrideClassification(approver, s.ID, caio.OverrideInput{Reason: "again"})
		wantCode(t, err, caio.EINVALID)
	})
}

func TestReclassifyAfterTimelineChange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		s := f.classified(t, "CV screening")
		f.classified(t, "Second screener")
		rep, err := f.app.Reclassify(f.as(caio.RoleViewer), false)
		if err != nil || rep.Systems != 2 || len(rep.Changes) != 0 {
			t.Fatalf("fresh report: %+v, %v", rep, err)
		}
		if err := f.app.SetOrgTimeline(f.as(caio.RoleAdmin), "enacted"); err != nil {
			t.Fatal(err)
		}
		rep, err = f.app.Reclassify(f.as(caio.RoleViewer), false)
		if err != nil || len(rep.Changes) != 2 || rep.Applied {
			t.Fatalf("after the timeline change: %+v, %v", rep, err)
		}
		if ch := rep.Changes[0]; !slices.Contains(ch.Redated, "art26") || ch.FromTimeline != "amended" {
			t.Errorf("change %+v does not redate art26", ch)
		}
		_, err = f.app.Reclassify(f.as(caio.RoleViewer), true)
		wantCode(t, err, caio.EFORBIDDEN)
		if rep, err = f.app.Reclassify(f.as(caio.RoleEditor), true); err != nil || len(rep.Changes) != 2 {
			t.Fatalf("apply: %+v, %v", rep, err)
		}
		sc, err := f.app.FindClassification(f.sys, s.ID)
		if err != nil || sc.Result.Timeline != "enacted" || sc.Current.Seq != 2 {
			t.Fatalf("after apply: timeline %q seq %d", sc.Result.Timeline, sc.Current.Seq)
		}
		if got, _ := f.app.FindSystem(f.sys, s.ID); got.NextDeadline != "" {
			// Under the enacted timeline every deployer duty of an Annex III
			// system applied from 2 Aug 2026, already past.
			t.Errorf("next deadline %q, want none left", got.NextDeadline)
		}
		if rep, _ = f.app.Reclassify(f.sys, false); len(rep.Changes) != 0 {
			t.Errorf("after apply, %d changes remain", len(rep.Changes))
		}
		err = f.app.SetOrgTimeline(f.as(caio.RoleAdmin), "someday")
		wantCode(t, err, caio.EINVALID)
	})
}

// lastEventOf returns the latest audit event with the action.
func lastEventOf(t *testing.T, f *fixture, action string) caio.AuditEvent {
	t.Helper()
	evs, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{Action: &action, Page: caio.Page{Limit: 1}})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no %s event (%v)", action, err)
	}
	return evs[0]
}

func TestRefreshDeadlines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		s := f.classified(t, "CV screening")
		minimal := f.system(t, "Spell checker")
		p := cvScreening()
		p.AnnexIII = []string{"none"}
		if _, err := f.app.ClassifySystem(f.sys, minimal.ID, p); err != nil {
			t.Fatal(err)
		}
		before := auditTotal(t, f.app, f.sys)
		local := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		if n, err := f.app.RefreshDeadlines(local); err != nil || n != 0 {
			t.Fatalf("nothing to refresh on the same day: %d, %v", n, err)
		}
		// A year on, the deployer duties of 2 December 2027 are in force.
		onDay(db, "2027-12-03")
		if n, err := f.app.RefreshDeadlines(local); err != nil || n != 1 {
			t.Fatalf("refreshed %d systems (%v), want 1", n, err)
		}
		if got, _ := f.app.FindSystem(f.sys, s.ID); got.NextDeadline != "" || got.Class != "high_risk" || got.Version != 1 {
			t.Errorf("after refresh: next deadline %q class %q version %d", got.NextDeadline, got.Class, got.Version)
		}
		if after := auditTotal(t, f.app, f.sys); after != before {
			t.Errorf("refreshing derived deadlines wrote %d audit events", after-before)
		}
		_, err := f.app.RefreshDeadlines(f.as(caio.RoleOwner))
		wantCode(t, err, caio.EFORBIDDEN)
	})
}
