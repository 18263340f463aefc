package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/cyclonedx"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func TestCycloneDXExportImport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		s := f.classified(t, "CV screening")
		other := f.system(t, "Chatbot")
		m, err := f.app.CreateModel(f.sys, caio.AIModelInput{Name: "Ranker", Provider: "Acme AI", ModelVersion: "3", Kind: "deep_learning", Licence: "proprietary"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.app.CreateDataset(f.sys, caio.DatasetInput{Name: "Applicants", PersonalData: true, SpecialCategories: []string{"health"}})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.app.CreateVendor(f.sys, caio.VendorInput{Name: "Acme AI", Website: "https://acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []struct{ kind, id string }{{"model", m.ID}, {"dataset", d.ID}, {"vendor", v.ID}} {
			if _, err := f.app.LinkSystem(f.sys, s.ID, l.kind, l.id); err != nil {
				t.Fatal(err)
			}
		}

		// A viewer may export; the export is audited with its counts.
		ex, err := f.app.ExportCycloneDX(f.as(caio.RoleViewer), "")
		if err != nil {
			t.Fatal(err)
		}
		if ex.Systems != 2 || ex.Models != 1 || ex.Datasets != 1 {
			t.Errorf("exported %d systems, %d models, %d datasets", ex.Systems, ex.Models, ex.Datasets)
		}
		bom := string(ex.BOM)
		for _, want := range []string{`"caio:eu_ai_act:class",` + "\n" + `          "value": "high_risk"`, `"annex_iii:4(a)"`,
			`"caio:eu_ai_act:obligation:art26"`, `applies from 2027-12-02`, `"name": "Acme AI"`, `"https://acme.example"`, `"sensitiveData"`} {
			if !strings.Contains(bom, want) {
				t.Errorf("BOM lacks %s", want)
			}
		}
		action := "cyclonedx.export"
		es, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{Action: &action})
		if err != nil || len(es) != 1 || !strings.Contains(string(es[0].Diff), `"systems":2`) {
			t.Errorf("export audit: %v %v", es, err)
		}

		// One system's export holds that system and what it links to.
		one, err := f.app.ExportCycloneDX(f.sys, other.ID)
		if err != nil || one.Systems != 1 || one.Models != 0 {
			t.Errorf("one-system export: %+v %v", one, err)
		}
		if _, err := f.app.ExportCycloneDX(f.sys, "sys_nope"); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("bad system id: %v", err)
		}
		// Another organisation's system is not found.
		ctx2 := newFixture2(t, f)
		if _, err := f.app.ExportCycloneDX(ctx2, s.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("other org's system: %v", err)
		}

		// Importing the BOM into another organisation recreates models, datasets and vendors.
		res, err := f.app.ImportCycloneDX(ctx2, ex.BOM)
		if err != nil {
			t.Fatal(err)
		}
		if res.ModelsCreated != 1 || res.DatasetsCreated != 1 || res.VendorsCreated != 1 || res.Skipped != 2 {
			t.Errorf("import: %+v", res)
		}
		ms, _, _ := f.app.FindModels(ctx2, caio.InventoryFilter{})
		if len(ms) != 1 || ms[0].Name != "Ranker" || ms[0].Provider != "Acme AI" || ms[0].Kind != "deep_learning" || ms[0].ModelVersion != "3" {
			t.Errorf("imported models: %+v", ms)
		}
		ds, _, _ := f.app.FindDatasets(ctx2, caio.InventoryFilter{})
		if len(ds) != 1 || !ds[0].PersonalData || len(ds[0].SpecialCategories) != 1 {
			t.Errorf("imported datasets: %+v", ds)
		}
		// Again: nothing new.
		res, err = f.app.ImportCycloneDX(ctx2, ex.BOM)
		if err != nil || res.ModelsCreated+res.DatasetsCreated+res.VendorsCreated != 0 || res.ModelsExisting != 1 {
			t.Errorf("second import: %+v %v", res, err)
		}
		action = "cyclonedx.import"
		es, _, _ = f.app.FindAuditEvents(ctx2, caio.AuditFilter{Action: &action})
		if len(es) != 2 {
			t.Errorf("import audit events: %d, want 2", len(es))
		}

		// A viewer may not import; a bad file changes nothing and names line and column.
		if _, err := f.app.ImportCycloneDX(f.as(caio.RoleViewer), ex.BOM); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("viewer import: %v", err)
		}
		_, err = f.app.ImportCycloneDX(f.sys, []byte("{\n \"bomFormat\": \"CycloneDX\",\n \"components\": [}\n"))
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(caio.ErrorMessage(err), "line 3, column 17") {
			t.Errorf("malformed: %v", err)
		}
		// One bad component rejects the whole BOM.
		bad := `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
			{"type":"data","name":"Good data"},
			{"type":"machine-learning-model","name":"` + strings.Repeat("x", 201) + `"}]}`
		_, err = f.app.ImportCycloneDX(f.sys, []byte(bad))
		if caio.ErrorCode(err) != caio.EINVALID || len(caio.ErrorFields(err)) == 0 {
			t.Errorf("too long name: %v", err)
		}
		ds, _, _ = f.app.FindDatasets(f.sys, caio.InventoryFilter{})
		if len(ds) != 1 {
			t.Errorf("a failed import left %d datasets, want 1", len(ds))
		}
	})
}

// BenchmarkExportCycloneDX measures the budget: exporting 10,000
// classified systems to CycloneDX in at most 2 s.
func BenchmarkExportCycloneDX(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.Open(b, d, sqldbtest.Options{})
			ctx := context.Background()
			st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, Compliance: true, PasswordHash: "unused"})
			if err != nil {
				b.Fatal(err)
			}
			a := app.New(db, nil)
			sys, err := a.SystemActor(ctx, st.FirstSlug)
			if err != nil {
				b.Fatal(err)
			}
			sctx := caio.WithActor(ctx, sys)
			var size int
			for b.Loop() {
				ex, err := a.ExportCycloneDX(sctx, "")
				if err != nil || ex.Systems != 10000 {
					b.Fatal(ex, err)
				}
				size = len(ex.BOM)
			}
			b.ReportMetric(float64(size)/1e6, "MB")
			var bom cyclonedx.BOM
			ex, _ := a.ExportCycloneDX(sctx, "")
			if err := json.Unmarshal(ex.BOM, &bom); err != nil || len(bom.Components) < 10000 {
				b.Fatalf("%d components, %v", len(bom.Components), err)
			}
		})
	}
}

// TestCycloneDXDemoValidAgainstSchema exports the Northwind demo (classified
// systems with real obligations, models, datasets, vendors) and validates
// the BOM against the official CycloneDX 1.6 schema.
func TestCycloneDXDemoValidAgainstSchema(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "cyclonedx-schema")
	if _, err := os.Stat(filepath.Join(dir, "bom-1.6.SNAPSHOT.schema.json")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the CycloneDX schemas are missing from %s: %v", dir, err)
		}
		t.Skipf("the CycloneDX schemas are not in %s; skipping schema validation", dir)
	}
	c := jsonschema.NewCompiler()
	for file, id := range map[string]string{
		"bom-1.6.SNAPSHOT.schema.json":  "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"spdx.SNAPSHOT.schema.json":     "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
		"jsf-0.82.SNAPSHOT.schema.json": "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
	} {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	onDay(db, "2026-11-27")
	a := app.New(db, nil)
	root := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
	if _, err := a.LoadDemo(root); err != nil {
		t.Fatal(err)
	}
	sys, err := a.SystemActor(root, app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := a.ExportCycloneDX(caio.WithActor(root, sys), "")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Systems == 0 || ex.Models == 0 || !bytes.Contains(ex.BOM, []byte("caio:eu_ai_act:obligation:")) {
		t.Fatalf("the demo BOM holds %d systems, %d models, obligations: %v", ex.Systems, ex.Models, bytes.Contains(ex.BOM, []byte("caio:eu_ai_act:obligation:")))
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ex.BOM))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("the demo BOM is not valid CycloneDX 1.6: %v", err)
	}
}
