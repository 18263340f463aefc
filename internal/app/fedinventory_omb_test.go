package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The row of the real file the tests look at: DHS-2389, "Passenger Security
// Assessment Model", deployed and high-impact, with all nine answers.
var dhs2389 = map[string]struct{ control, answer string }{
	"hi_testing_conducted":    {"M-25-21-1", "Yes"},
	"hi_assessment_completed": {"M-25-21-2", "Yes"},
	"hi_independent_review":   {"M-25-21-2", "CAIO Review"},
	"hi_ongoing_monitoring":   {"M-25-21-3", "Yes - Monitoring Established"},
	"hi_training_established": {"M-25-21-4", "Training Established"},
	"hi_failsafe_presence":    {"M-25-21-5", "Yes"},
	"hi_appeal_process":       {"M-25-21-6", "Not Applicable"},
	"hi_public_consultation":  {"M-25-21-7", "Other"},
}

// findFedSystem returns the one system named name.
func findFedSystem(t *testing.T, a *app.App, ctx context.Context, name string) *caio.AISystem {
	t.Helper()
	ss, _, err := a.FindSystems(ctx, caio.AISystemFilter{Query: &name, Page: caio.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no system %q among %d", name, len(ss))
	return nil
}

// ombEvidence returns the OMB controls of a system by item, and the
// evidence of each as name → content.
func ombEvidence(t *testing.T, a *app.App, ctx context.Context, systemID string) (map[string]*caio.Control, map[string]map[string]string) {
	t.Helper()
	fw := "omb-m-25-21"
	ks, _, err := a.FindControls(ctx, caio.ControlFilter{SystemID: &systemID, Framework: &fw, Page: caio.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	controls, evidence := map[string]*caio.Control{}, map[string]map[string]string{}
	for _, k := range ks {
		controls[k.ItemID] = k
		es, err := a.ControlEvidence(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		evidence[k.ItemID] = map[string]string{}
		for _, e := range es {
			_, data, err := a.EvidenceContent(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != caio.EvidenceFile || e.ContentType != "text/plain; charset=utf-8" {
				t.Errorf("evidence %+v", e)
			}
			evidence[k.ItemID][e.Name] = string(data)
		}
	}
	return controls, evidence
}

// editRow rewrites the file with fn applied to the row with the id.
func editRow(t *testing.T, raw []byte, id string, fn func(v map[string]string)) []byte {
	t.Helper()
	f, err := fedinv.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range f.Rows {
		if r.Get("id") == id {
			fn(r.Values)
			found = true
		}
	}
	if !found {
		t.Fatalf("no row %s", id)
	}
	var out bytes.Buffer
	if err := fedinv.Write(&out, f); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Importing the real file turns OMB M-25-21 on, gives every high-impact
// use case a system with the seven practices as controls, and keeps each
// hi_* answer as evidence of its practice. Re-importing adds nothing; a
// changed answer updates its evidence, an emptied one removes it; a row no
// longer high-impact loses the controls.
func TestFedInventoryOMBEvidence(t *testing.T) {
	raw := fedFile(t, "2025_individually_reported_AI_use_cases.csv")
	file, err := fedinv.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	high, answers := 0, 0
	for _, r := range file.Rows {
		if r.Get("is_high_impact") != "High-impact" {
			continue
		}
		high++
		for _, p := range fedinv.Practices {
			if fedinv.Answer(r, p.Column) != "" {
				answers++
			}
		}
	}
	if high != 445 {
		t.Fatalf("the file has %d high-impact rows, want 445", high)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		start := time.Now()
		res, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("imported in %v: %d controls, %d evidence", time.Since(start), res.ControlsAdded, res.EvidenceAdded)
		if !res.OMBTurnedOn || !res.OMBFramework || res.HighImpact != 445 || res.ControlsAdded != 445*7 || res.EvidenceAdded != answers {
			t.Fatalf("result %+v, want %d evidence", res, answers)
		}
		fws, err := f.app.OrgFrameworks(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		for _, fw := range fws {
			if fw.ID == "omb-m-25-21" && !fw.Enabled {
				t.Error("OMB M-25-21 is not enabled after the import")
			}
		}
		s := findFedSystem(t, f.app, f.sys, "Passenger Security Assessment Model")
		if s.OMBImpact != caio.OMBHighImpact || s.Stage != "production" {
			t.Fatalf("system %+v", s)
		}
		controls, evidence := ombEvidence(t, f.app, f.sys, s.ID)
		if len(controls) != 7 {
			t.Fatalf("controls %v", controls)
		}
		for _, k := range controls {
			if k.Deadline != "2026-04-03" || k.Status != caio.StatusNotStarted {
				t.Errorf("control %s: deadline %q, status %s", k.ItemID, k.Deadline, k.Status)
			}
		}
		for col, want := range dhs2389 {
			name := "US federal inventory 2025, row DHS-2389, field " + col
			if got, ok := evidence[want.control][name]; !ok || got != want.answer {
				t.Errorf("%s on %s: %q (present %v), want %q", col, want.control, got, ok, want.answer)
			}
		}
		impacts := evidence["M-25-21-2"]["US federal inventory 2025, row DHS-2389, field hi_potential_impacts"]
		if !strings.HasPrefix(impacts, "Risks include false positives and negatives") || len(evidence["M-25-21-2"]) != 3 {
			t.Errorf("impact assessment evidence %q", evidence["M-25-21-2"])
		}
		// A pre-deployment high-impact use case has a system too.
		for _, r := range file.Rows {
			if r.Get("is_high_impact") == "High-impact" && r.Get("development_stage") == "Pre-deployment" && r.Get("system_name_ato") == "" {
				name := strings.TrimSpace(r.Get("use_case_name"))
				if ps := findFedSystem(t, f.app, f.sys, name); ps.Stage != "development" || ps.OMBImpact != caio.OMBHighImpact {
					t.Errorf("pre-deployment system %+v", ps)
				}
				break
			}
		}
		// A not high-impact row's system has no M-25-21 controls.
		var notHigh *caio.AISystem
		for _, r := range file.Rows {
			if r.Get("is_high_impact") == "Not High-impact" && r.Get("development_stage") == "Deployed" && r.Get("id") == "DHS-2366" {
				notHigh = findFedSystem(t, f.app, f.sys, strings.TrimSpace(r.Get("use_case_name")))
			}
		}
		if notHigh == nil {
			t.Fatal("no system for DHS-2366")
		} else {
			if cs, _ := ombEvidence(t, f.app, f.sys, notHigh.ID); len(cs) != 0 || notHigh.OMBImpact != caio.OMBNotHighImpact {
				t.Errorf("not high-impact system %+v has %d M-25-21 controls", notHigh, len(cs))
			}
		}

		// Migration 0017 gives systems imported before it their row's answer.
		mig, err := os.ReadFile(filepath.Join("..", "sqldb", "migrations", string(db.Dialect), "0017_omb_impact.sql"))
		if err != nil {
			t.Fatal(err)
		}
		backfill := string(mig[bytes.Index(mig, []byte("UPDATE ai_systems")):])
		if err := db.ExecRaw(t.Context(), "UPDATE ai_systems SET omb_impact = ''"); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(t.Context(), backfill); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{s.ID: caio.OMBHighImpact, notHigh.ID: caio.OMBNotHighImpact} {
			if got, err := f.app.FindSystem(f.sys, id); err != nil || got.OMBImpact != want {
				t.Errorf("backfilled %s: %q, %v; want %q", id, got.OMBImpact, err, want)
			}
		}

		// Re-import: nothing new.
		again, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.ControlsAdded != 0 || again.EvidenceAdded != 0 || again.EvidenceUpdated != 0 || again.EvidenceRemoved != 0 || again.OMBTurnedOn || again.Unchanged != 3611 {
			t.Errorf("re-import %+v", again)
		}

		// A changed answer updates its evidence; an emptied one removes it.
		changed := editRow(t, raw, "DHS-2389", func(v map[string]string) {
			v["hi_testing_conducted"] = "In-progress"
			v["hi_appeal_process"] = ""
		})
		upd, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(changed), nil)
		if err != nil {
			t.Fatal(err)
		}
		if upd.Updated != 1 || upd.EvidenceUpdated != 1 || upd.EvidenceRemoved != 1 || upd.EvidenceAdded != 0 || upd.ControlsAdded != 0 {
			t.Errorf("changed import %+v", upd)
		}
		_, evidence = ombEvidence(t, f.app, f.sys, s.ID)
		if got := evidence["M-25-21-1"]["US federal inventory 2025, row DHS-2389, field hi_testing_conducted"]; got != "In-progress" || len(evidence["M-25-21-1"]) != 1 {
			t.Errorf("updated evidence %q", evidence["M-25-21-1"])
		}
		if len(evidence["M-25-21-6"]) != 0 {
			t.Errorf("emptied answer still has evidence %q", evidence["M-25-21-6"])
		}
		evs, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{Action: ptr("fedinventory.import"), Page: caio.Page{Limit: 1}})
		if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].Diff), `"evidence_updated":[null,1]`) {
			t.Errorf("import event %+v, %v", evs, err)
		}

		// No longer high-impact: the practices no longer apply, their
		// evidence is kept.
		lowered := editRow(t, changed, "DHS-2389", func(v map[string]string) { v["is_high_impact"] = "Not High-impact" })
		low, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(lowered), nil)
		if err != nil {
			t.Fatal(err)
		}
		if low.ControlsRemoved != 7 || low.Updated != 1 {
			t.Errorf("lowered import %+v", low)
		}
		if s, _ = f.app.FindSystem(f.sys, s.ID); s.OMBImpact != caio.OMBNotHighImpact {
			t.Errorf("system impact %q", s.OMBImpact)
		}
		if cs, _ := ombEvidence(t, f.app, f.sys, s.ID); len(cs) != 0 {
			t.Errorf("still %d applicable M-25-21 controls", len(cs))
		}
	})
}

// An editor may import but not choose frameworks: the import says so and
// records no M-25-21 controls; an owner's import turns M-25-21 on.
func TestFedInventoryOMBNeedsFramework(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		head := strings.Join(fedinv.IndividualColumns, ",")
		v := make([]string, len(fedinv.IndividualColumns))
		col := func(name, val string) {
			for i, c := range fedinv.IndividualColumns {
				if c == name {
					v[i] = val
				}
			}
		}
		col("agency", "DOX")
		col("id", "DOX-7")
		col("use_case_name", "Benefit eligibility screening")
		col("development_stage", "Pre-deployment")
		col("is_high_impact", "High-impact")
		col("demographic_features", "[]")
		col("hi_testing_conducted", "In-progress")
		col("hi_public_consultation", `"['Usability Testing', 'Other']"`)
		file := head + "\n" + strings.Join(v, ",") + "\n"
		res, err := f.app.ImportFedInventory(f.as(caio.RoleEditor), strings.NewReader(file), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.OMBFramework || res.OMBTurnedOn || res.ControlsAdded != 0 || res.Systems != 1 || res.Warnings[app.WarnOMBOff] != 1 {
			t.Fatalf("editor import %+v", res)
		}
		s := findFedSystem(t, f.app, f.sys, "Benefit eligibility screening")
		if s.OMBImpact != caio.OMBHighImpact || s.Stage != "development" {
			t.Errorf("system %+v", s)
		}
		// The owner's import (unchanged rows) turns it on and records the evidence.
		res, err = f.app.ImportFedInventory(f.as(caio.RoleOwner), strings.NewReader(file), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OMBTurnedOn || res.ControlsAdded != 7 || res.EvidenceAdded != 2 || res.Unchanged != 1 {
			t.Fatalf("owner import %+v", res)
		}
		_, evidence := ombEvidence(t, f.app, f.sys, s.ID)
		if got := evidence["M-25-21-7"]["US federal inventory 2025, row DOX-7, field hi_public_consultation"]; got != "Usability Testing\nOther" {
			t.Errorf("consultation evidence %q", evidence["M-25-21-7"])
		}
	})
}
