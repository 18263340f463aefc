package app_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/engine/govcode"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The governance-as-code services join the role matrix: reading the
// register (export, plan) needs PermRead, applying it PermEdit.
func init() {
	actions = append(actions,
		action{"ExportGovCode", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.ExportGovCode(ctx); return err }
		}},
		action{"PlanGovCode", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.PlanGovCode(ctx, &govcode.Registry{Present: map[string]bool{}})
				return err
			}
		}},
		action{"ApplyGovCode", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.ApplyGovCode(ctx, &govcode.Registry{Present: map[string]bool{}})
				return err
			}
		}},
	)
}

// govFixture fills the organisation with a small register: a vendor, a
// model, a classified system linked to both, a use case, a policy and a
// rule of its own.
func govFixture(t *testing.T, f *fixture) *caio.AISystem {
	t.Helper()
	ctx := f.sys
	v, err := f.app.CreateVendor(ctx, caio.VendorInput{Name: "Acme ML", Website: "https://acme.example", Country: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.app.CreateModel(ctx, caio.AIModelInput{Name: "Fraud model", Kind: "classical_ml"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.app.CreateSystem(ctx, caio.AISystemInput{Name: "Card fraud monitor", Owner: "Head of Payments Risk", Stage: "production",
		Countries: []string{"DE"}, Roles: []string{"provider", "deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range [][2]string{{"vendor", v.ID}, {"model", m.ID}} {
		if _, err := f.app.LinkSystem(ctx, s.ID, l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile("../engine/euaiact/testdata/fraud-detection.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := euaiact.ParseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.ClassifySystem(ctx, s.ID, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.CreateUseCase(ctx, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Faster fraud review", Owner: "Head of Payments Risk"},
		SystemIDs: []string{s.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.CreatePolicy(ctx, caio.PolicyInput{Title: "AI acceptable use policy", Kind: "acceptable_use", Body: "# AI use\n\nUse approved tools only.\n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.CreateAdvisorRule(ctx, caio.AdvisorRuleInput{Kind: "system", Title: "Name an owner for {name}", Statement: "Every system has an owner.",
		When: `system.owner == ""`, Reason: "{name} has no owner.", OwnerRole: "editor", Impact: 4}); err != nil {
		t.Fatal(err)
	}
	return s
}

func exportFiles(t *testing.T, f *fixture) map[string][]byte {
	t.Helper()
	r, err := f.app.ExportGovCode(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	files, err := govcode.Write(r)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readFiles(t *testing.T, files map[string][]byte) *govcode.Registry {
	t.Helper()
	r, probs := govcode.Read(files)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return r
}

func TestGovCodeRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s := govFixture(t, f)
		files := exportFiles(t, f)

		// Two exports of the same data are the same bytes.
		again := exportFiles(t, f)
		if len(files) != len(again) {
			t.Fatalf("exports wrote %d then %d files", len(files), len(again))
		}
		for name, b := range files {
			if !bytes.Equal(b, again[name]) {
				t.Errorf("%s churns between exports:\n%s\n---\n%s", name, b, again[name])
			}
		}
		sysFile := "systems/" + s.ID + ".yaml"
		if !strings.Contains(string(files[sysFile]), "annex_iii:\n    - 5(b)") || !strings.Contains(string(files[sysFile]), "vendors:\n  - vnd_") {
			t.Errorf("the system's file lacks its profile or links:\n%s", files[sysFile])
		}
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "govcode.export" || !strings.Contains(string(ev.Diff), `"systems"`) {
			t.Errorf("last event %s %s, want govcode.export with counts", ev.Action, ev.Diff)
		}

		// Export, then import: nothing to do.
		plan, err := f.app.PlanGovCode(f.sys, readFiles(t, files))
		if err != nil || len(plan.Steps) != 0 || len(plan.Problems) != 0 {
			t.Fatalf("plan of an unchanged export: %+v, %v", plan, err)
		}

		// Edit: a new owner and a new vendor by name, the model deleted, a
		// control and the policy text changed.
		var sys govcode.System
		it, p := govcode.ReadItem[govcode.System](sysFile, files[sysFile])
		if p != nil {
			t.Fatal(p)
		}
		sys = it.Value
		sys.Owner = "Chief Risk Officer"
		sys.Vendors = append(sys.Vendors, "Bolt AI")
		sys.Models = nil
		if files[sysFile], err = govcode.Marshal(sys); err != nil {
			t.Fatal(err)
		}
		files["vendors/bolt.yaml"] = []byte("name: Bolt AI\ncountry: FR\n")
		for name := range files {
			if strings.HasPrefix(name, "models/") {
				delete(files, name)
			}
		}
		var ctlFile string
		for name, b := range files {
			if strings.HasPrefix(name, "controls/") && strings.Contains(string(b), "status: not_started") {
				ctlFile = name
				files[name] = bytes.Replace(b, []byte("status: not_started"), []byte("status: in_progress\nnotes: Course booked for January."), 1)
				break
			}
		}
		if ctlFile == "" {
			t.Fatal("no open control was exported")
		}
		for name, b := range files {
			if strings.HasPrefix(name, "policies/") {
				files[name] = bytes.Replace(b, []byte("Use approved tools only."), []byte("Use approved tools only, and never with customer data."), 1)
			}
		}
		// The models directory is still there, empty.
		edited := func() *govcode.Registry {
			r := readFiles(t, files)
			r.Present["models"] = true
			return r
		}
		plan, err = f.app.PlanGovCode(f.sys, edited())
		if err != nil || len(plan.Problems) > 0 {
			t.Fatal(plan, err)
		}
		var got []string
		for _, st := range plan.Steps {
			got = append(got, st.Op+" "+st.Kind+" "+strings.Join(st.Fields, ","))
		}
		want := []string{"create vendors ", "delete models ", "change systems owner,models,vendors", "change controls status,notes", "change policies body"}
		if !slices.Equal(got, want) {
			t.Fatalf("plan = %q\nwant %q", got, want)
		}
		if plan.Counts["create"] != 1 || plan.Counts["change"] != 3 || plan.Counts["delete"] != 1 {
			t.Errorf("counts %v", plan.Counts)
		}
		before := auditTotal(t, f.app, f.sys)
		if _, err := f.app.ApplyGovCode(f.sys, edited()); err != nil {
			t.Fatal(err)
		}
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "govcode.import" || !strings.Contains(string(ev.Diff), `"created"`) {
			t.Errorf("last event %s %s", ev.Action, ev.Diff)
		}
		if n := auditTotal(t, f.app, f.sys) - before; n < 6 {
			t.Errorf("the import wrote %d audit events, want one per change and one for the run", n)
		}

		// The next export shows the changes, and a plan finds nothing to do.
		after := exportFiles(t, f)
		text := string(after[sysFile])
		if !strings.Contains(text, "owner: Chief Risk Officer") || strings.Contains(text, "models:") || strings.Count(text, "  - vnd_") != 2 {
			t.Errorf("system after the import:\n%s", text)
		}
		if !strings.Contains(string(after[ctlFile]), "status: in_progress") {
			t.Errorf("control after the import:\n%s", after[ctlFile])
		}
		delete(files, "vendors/bolt.yaml")
		for name, b := range after {
			if strings.HasPrefix(name, "policies/") && !strings.Contains(string(b), "never with customer data") {
				t.Errorf("policy after the import:\n%s", b)
			}
		}
		plan, err = f.app.PlanGovCode(f.sys, readFiles(t, after))
		if err != nil || len(plan.Steps) != 0 {
			t.Fatalf("plan after apply: %+v, %v", plan.Steps, err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

// An import with a problem anywhere changes nothing.
func TestGovCodeApplyIsAllOrNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		govFixture(t, f)
		files := exportFiles(t, f)
		files["vendors/new.yaml"] = []byte("name: New vendor\n")
		files["rules/bad.yaml"] = []byte("kind: system\ntitle: T\nstatement: S\nwhen: system.nosuchfield == 1\nreason: R\nowner_role: editor\n")
		before := auditTotal(t, f.app, f.sys)
		plan, err := f.app.ApplyGovCode(f.sys, readFiles(t, files))
		wantCode(t, err, caio.EINVALID)
		if err == nil || !strings.Contains(err.Error(), "rules/bad.yaml") || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("error %v does not name the file", err)
		}
		_ = plan
		if n := auditTotal(t, f.app, f.sys); n != before {
			t.Errorf("a failed import wrote %d audit events", n-before)
		}
		vs, _, err := f.app.FindVendors(f.sys, caio.InventoryFilter{})
		if err != nil || len(vs) != 1 {
			t.Errorf("vendors after a failed import: %d, %v", len(vs), err)
		}

		// An unknown id and a control that matches nothing are problems of the plan.
		files = exportFiles(t, f)
		delete(files, "rules/bad.yaml")
		files["systems/ghost.yaml"] = []byte("id: sys_0000000000000000000000000000\nname: Ghost\nroles: [deployer]\n")
		plan, err = f.app.PlanGovCode(f.sys, readFiles(t, files))
		if err != nil || len(plan.Problems) != 1 || !strings.HasPrefix(plan.Problems[0].String(), "systems/ghost.yaml:1: id sys_0000000000000000000000000000 is not one of the organisation's systems") {
			t.Fatalf("plan problems %v, %v", plan.Problems, err)
		}

		// Deleting a model that a system still names is caught by the plan.
		delete(files, "systems/ghost.yaml")
		for name := range files {
			if strings.HasPrefix(name, "models/") {
				delete(files, name)
			}
		}
		r := readFiles(t, files)
		r.Present["models"] = true
		plan, err = f.app.PlanGovCode(f.sys, r)
		if err != nil || len(plan.Problems) != 1 || !strings.Contains(plan.Problems[0].Message, "would name nothing") || !strings.HasPrefix(plan.Problems[0].File, "systems/") {
			t.Fatalf("plan problems %v, %v", plan.Problems, err)
		}
	})
}
