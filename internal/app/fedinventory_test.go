package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
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

// fedFile returns the published 2025 inventory file beside the checkout.
func fedFile(t testing.TB, name string) []byte {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "us-federal-ai-inventory-2025", name)
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the federal inventory is missing: %v", err)
		}
		t.Skipf("the federal inventory is not at %s; skipping", p)
	}
	return b
}

func TestFedInventoryImportRealFile(t *testing.T) {
	raw := fedFile(t, "2025_individually_reported_AI_use_cases.csv")
	cots := fedFile(t, "2025_consolidated_COTS_AI_use_cases.csv")
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var progress []string
		start := time.Now()
		res, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(raw), func(s string) { progress = append(progress, s) })
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("imported %d rows in %v: %+v", res.Read, time.Since(start), res.Warnings)
		if res.Read != 3611 || res.Created != 3611 || res.Updated != 0 || len(progress) < 2 {
			t.Fatalf("result %+v, progress %q", res, progress)
		}
		if res.Warnings[fedinv.WarnEmptyID] != 704 || res.Warnings[fedinv.WarnDuplicateID] != 3 {
			t.Errorf("warnings %v", res.Warnings)
		}
		// Piloted, deployed and retired rows (1,794) and rows naming an
		// authorised system became AI systems.
		if res.Systems < 1794 || res.Vendors == 0 {
			t.Errorf("systems %d, vendors %d", res.Systems, res.Vendors)
		}
		// Lists leave retired use cases out unless asked for them.
		retired := "retired"
		_, active, err := f.app.FindUseCases(f.sys, caio.UseCaseFilter{})
		_, old, err2 := f.app.FindUseCases(f.sys, caio.UseCaseFilter{Stage: &retired})
		if err != nil || err2 != nil || active+old != 3611 || old != 314 {
			t.Fatalf("use cases %d + %d retired, %v %v", active, old, err, err2)
		}
		prod := "production"
		if _, n, _ := f.app.FindUseCases(f.sys, caio.UseCaseFilter{Stage: &prod}); n != 1040 {
			t.Errorf("production use cases %d, want the 1,040 deployed", n)
		}

		// Re-import changes nothing.
		again, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 3611 || again.Systems != 0 || again.Vendors != 0 {
			t.Errorf("re-import %+v", again)
		}

		// Export gives the published bytes back.
		var out bytes.Buffer
		n, err := f.app.ExportFedInventory(f.sys, &out, fedinv.Individual)
		if err != nil || n != 3611 {
			t.Fatalf("export %d, %v", n, err)
		}
		if !bytes.Equal(out.Bytes(), raw) {
			t.Errorf("export differs from the imported file (%d vs %d bytes)", out.Len(), len(raw))
		}

		// Import into a second organisation and export again: same bytes.
		_, sys2 := newOrg(t, f.app, "second", "owner@second.test")
		if _, err := f.app.ImportFedInventory(sys2, bytes.NewReader(out.Bytes()), nil); err != nil {
			t.Fatal(err)
		}
		var out2 bytes.Buffer
		if _, err := f.app.ExportFedInventory(sys2, &out2, fedinv.Individual); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out2.Bytes(), raw) {
			t.Error("export of the second organisation differs")
		}

		// A changed row updates its use case only.
		changed := bytes.Replace(raw, []byte("Pre-deployment"), []byte("Pilot"), 1)
		upd, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(changed), nil)
		if err != nil {
			t.Fatal(err)
		}
		if upd.Updated != 1 || upd.Created != 0 || upd.Unchanged != 3610 {
			t.Errorf("changed re-import %+v", upd)
		}

		// The COTS file imports; its rows in use become systems.
		cr, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(cots), nil)
		if err != nil {
			t.Fatal(err)
		}
		if cr.Kind != "cots" || cr.Created != 900 {
			t.Errorf("COTS import %+v", cr)
		}
		if again, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(cots), nil); err != nil || again.Created != 0 || again.Updated != 0 || again.Unchanged != 900 {
			t.Errorf("COTS re-import %+v, %v", again, err)
		}
		var cout bytes.Buffer
		if _, err := f.app.ExportFedInventory(f.sys, &cout, fedinv.COTS); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cout.Bytes(), cots) {
			t.Error("COTS export differs from the published file")
		}
	})
}

// A use case changed in caio exports with its new name and stage; use cases
// of caio's own export as rows too. A file in the wrong format changes nothing.
func TestFedInventoryEditsAndBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		head := strings.Join(fedinv.IndividualColumns, ",")
		row := func(id, name, stage string) string {
			v := make([]string, len(fedinv.IndividualColumns))
			v[0], v[1], v[2], v[3], v[7], v[17] = "DOX", "Department of Examples", id, name, stage, "Acme AI"
			v[24], v[35] = "[]", "[]"
			return strings.Join(v, ",")
		}
		file := "\ufeff" + head + "\n" + row("DOX-1", "Triage letters", "Deployed") + "\n" + row("", "\"Chat, with quotes\"\"\"", "Pre-deployment") + "\n"
		res, err := f.app.ImportFedInventory(f.sys, strings.NewReader(file), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 || res.Systems != 1 || res.Vendors != 1 || res.Warnings[fedinv.WarnEmptyID] != 1 {
			t.Fatalf("result %+v", res)
		}
		us, _, _ := f.app.FindUseCases(f.sys, caio.UseCaseFilter{Sort: "title"})
		var deployed *caio.UseCase
		for i := range us {
			if us[i].Title == "Triage letters" {
				deployed = us[i].UseCase
			}
		}
		if deployed == nil || deployed.Stage != "production" || len(deployed.SystemIDs) != 1 {
			t.Fatalf("use cases %+v", us)
		}
		in := deployed.Input()
		in.Title = "Triage letters faster"
		if _, err := f.app.UpdateUseCase(f.sys, deployed.ID, deployed.Version, in); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.CreateUseCase(f.sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Our own idea", Sourcing: "build"}}); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := f.app.ExportFedInventory(f.sys, &out, fedinv.Individual); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[1][3] != "Triage letters faster" || recs[2][3] != `Chat, with quotes"` || recs[3][3] != "Our own idea" || recs[3][16] != "In-house Development" {
			t.Errorf("export rows %q", recs)
		}

		// One audit event per run, with the counts.
		for action, want := range map[string]int{"fedinventory.import": 1, "fedinventory.export": 1} {
			act := action
			evs, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{Action: &act})
			if err != nil || len(evs) != want || !strings.Contains(string(evs[0].Diff), "rows") && !strings.Contains(string(evs[0].Diff), "created") {
				t.Errorf("%s events %+v, %v", action, evs, err)
			}
		}

		// Wrong format: rejected with line and column; nothing written.
		_, err = f.app.ImportFedInventory(f.sys, strings.NewReader(head+"\nDOX,\"unterminated\n"), nil)
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "line 2, column") {
			t.Errorf("err = %v", err)
		}
		if _, n, _ := f.app.FindUseCases(f.sys, caio.UseCaseFilter{}); n != 3 {
			t.Errorf("use cases after a rejected file: %d", n)
		}
		// Contributors may not import.
		if _, err := f.app.ImportFedInventory(f.as(caio.RoleContributor), strings.NewReader(file), nil); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("contributor import: %v", err)
		}
	})
}

func BenchmarkFedInventoryImport(b *testing.B) {
	raw := fedFile(b, "2025_individually_reported_AI_use_cases.csv")
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			a := app.New(sqldbtest.Open(b, d, sqldbtest.Options{}), nil)
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				ctx := caio.WithActor(b.Context(), caio.Actor{System: true, Via: "test"})
				slug := fmt.Sprintf("bench-%d", i)
				if _, err := a.CreateOrg(ctx, app.SignupInput{OrgName: "Bench", OrgSlug: slug, Email: slug + "@bench.test", Name: "Owner", Password: password}); err != nil {
					b.Fatal(err)
				}
				sys, err := a.SystemActor(ctx, slug)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := a.ImportFedInventory(caio.WithActor(b.Context(), sys), bytes.NewReader(raw), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
