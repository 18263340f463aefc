package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The OMB M-25-21 determination of a system: validated, audited, and each
// change to or from high-impact re-syncs the system's controls, with the
// reason in the audit trail; turning M-25-21 on later syncs flagged systems.
func TestSystemOMBImpact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		in := caio.AISystemInput{Name: "Benefit screening", Roles: []string{"deployer"}, OMBImpact: "High_Impact "}
		s, err := f.app.CreateSystem(f.as(caio.RoleEditor), in)
		if err != nil {
			t.Fatal(err)
		}
		if s.OMBImpact != caio.OMBHighImpact {
			t.Fatalf("impact %q", s.OMBImpact)
		}
		bad := in
		bad.OMBImpact = "very"
		if _, err := f.app.CreateSystem(f.sys, bad); caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "omb_impact") {
			t.Errorf("bad impact: %v", err)
		}
		omb := "omb-m-25-21"
		count := func() int {
			_, n, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &s.ID, Framework: &omb})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// M-25-21 is not among the default frameworks: nothing yet.
		if n := count(); n != 0 {
			t.Fatalf("%d M-25-21 controls before the framework is on", n)
		}
		if _, err := f.app.SetOrgFrameworks(f.sys, []string{"eu-ai-act", "omb-m-25-21"}); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 7 {
			t.Fatalf("%d M-25-21 controls after turning the framework on, want 7", n)
		}
		// Not high-impact: the practices no longer apply.
		in.OMBImpact = caio.OMBPresumedNotHighImpact
		if s, err = f.app.UpdateSystem(f.sys, s.ID, s.Version, in); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("%d M-25-21 controls after presumed-not", n)
		}
		// High-impact again: they come back, and the trail says why.
		in.OMBImpact = caio.OMBHighImpact
		if s, err = f.app.UpdateSystem(f.as(caio.RoleEditor), s.ID, s.Version, in); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 7 {
			t.Errorf("%d M-25-21 controls after high-impact again", n)
		}
		evs, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectID: &s.ID, Action: ptr("controls.sync"), Page: caio.Page{Limit: 10}})
		if err != nil || len(evs) != 2 || !strings.Contains(string(evs[0].Diff), "M-25-21 appendix §5") {
			t.Errorf("controls.sync events %+v, %v", evs, err)
		}
		upd, _, _ := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectID: &s.ID, Action: ptr("system.update"), Page: caio.Page{Limit: 1}})
		if len(upd) != 1 || !strings.Contains(string(upd[0].Diff), `"omb_impact":["presumed_not_high_impact","high_impact"]`) {
			t.Errorf("system.update %+v", upd)
		}
		// Other edits leave the controls alone.
		in.Owner = "CAIO office"
		if _, err = f.app.UpdateSystem(f.sys, s.ID, s.Version, in); err != nil {
			t.Fatal(err)
		}
		if evs, _, _ := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectID: &s.ID, Action: ptr("controls.sync")}); len(evs) != 2 {
			t.Errorf("%d controls.sync events after an owner change", len(evs))
		}
	})
}

// The determination travels in the organisation's JSON export.
func TestSystemOMBImpactOrgExport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: "Benefit screening", Roles: []string{"deployer"}, OMBImpact: caio.OMBHighImpact})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := f.app.ExportOrgJSON(f.sys, &buf); err != nil {
			t.Fatal(err)
		}
		root := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		st, err := f.app.ImportOrgJSON(root, bytes.NewReader(buf.Bytes()), "acme-copy")
		if err != nil {
			t.Fatal(err)
		}
		sys, err := f.app.SystemActor(root, "acme-copy")
		if err != nil {
			t.Fatal(err)
		}
		ss, _, err := f.app.FindSystems(caio.WithActor(t.Context(), sys), caio.AISystemFilter{})
		if err != nil || len(ss) != 1 || ss[0].Name != s.Name || ss[0].OMBImpact != caio.OMBHighImpact {
			t.Errorf("imported (%d rows) %+v, %v", st.Rows, ss, err)
		}
	})
}
