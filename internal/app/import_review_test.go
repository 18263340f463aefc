package app_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// smallFedFile writes an individual federal inventory file with one row per
// values map, every other column empty.
func smallFedFile(t *testing.T, rows ...map[string]string) []byte {
	t.Helper()
	f := &fedinv.File{Kind: fedinv.Individual}
	for _, vals := range rows {
		v := map[string]string{}
		for _, c := range fedinv.IndividualColumns {
			v[c] = ""
		}
		for _, c := range fedinv.ListColumns {
			v[c] = "[]"
		}
		for k, x := range vals {
			v[k] = x
		}
		f.Rows = append(f.Rows, fedinv.Row{Values: v})
	}
	var b bytes.Buffer
	if err := fedinv.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A vendor the federal import creates is a vendor like any other: its page,
// its edit and a spreadsheet update by its ID find it.
func TestReviewFedImportVendorIsAVendor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		raw := smallFedFile(t, map[string]string{"agency": "DHS", "id": "DHS-1", "use_case_name": "Screening model",
			"development_stage": "Deployed", "vendor_name": "Acme Analytics"})
		res, err := f.app.ImportFedInventory(f.sys, bytes.NewReader(raw), nil)
		if err != nil || res.Vendors != 1 {
			t.Fatalf("import %+v %v", res, err)
		}
		vs, _, err := f.app.FindVendors(f.sys, caio.InventoryFilter{Page: caio.Page{Limit: 10}})
		if err != nil || len(vs) != 1 {
			t.Fatalf("vendors %v %v", vs, err)
		}
		id := vs[0].ID
		if !caio.ValidID("vnd", id) {
			t.Errorf("the federal import created vendor %s, not a vnd_ ID", id)
		}
		if _, err := f.app.FindVendor(f.sys, id); err != nil {
			t.Errorf("FindVendor(%s): %v", id, err)
		}
		up, err := f.app.ImportFile(f.sys, "vendors", "v.csv", []byte("ID,Name,Country\n"+id+",Acme Analytics,US\n"), nil, "", false)
		if err != nil || up.Updated != 1 {
			t.Errorf("update by the vendor's ID: %+v %v", up, err)
		}
	})
}

// A spreadsheet that updates systems without an omb_impact column keeps
// each system's OMB M-25-21 determination (and so its M-25-21 controls);
// a column that states it sets it; the export of systems carries it, and
// importing that export back changes nothing.
func TestReviewImportKeepsOMBImpact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if _, err := f.app.SetOrgFrameworks(f.sys, []string{"eu-ai-act", "omb-m-25-21"}); err != nil {
			t.Fatal(err)
		}
		s, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: "Benefits triage", Owner: "Ann", Roles: []string{"deployer"},
			OMBImpact: caio.OMBHighImpact})
		if err != nil {
			t.Fatal(err)
		}
		fw := "omb-m-25-21"
		ombControls := func() int {
			_, n, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &s.ID, Framework: &fw, Page: caio.Page{Limit: 50}})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := ombControls()
		if before == 0 {
			t.Fatal("a high-impact system got no M-25-21 controls")
		}

		res, err := f.app.ImportFile(f.sys, "systems", "s.csv", []byte("Name,Owner\nBenefits triage,Bob\n"), nil, "", false)
		if err != nil || res.Updated != 1 {
			t.Fatalf("import %+v %v", res, err)
		}
		got, _ := f.app.FindSystem(f.sys, s.ID)
		if got.Owner != "Bob" || got.OMBImpact != caio.OMBHighImpact {
			t.Errorf("after an owner-only import: owner %q, omb_impact %q (want Bob, high_impact)", got.Owner, got.OMBImpact)
		}
		if n := ombControls(); n != before {
			t.Errorf("M-25-21 controls %d → %d after an import that did not touch the determination", before, n)
		}

		// The export carries the determination, and importing the export
		// back changes nothing.
		col := -1
		for i, c := range app.SystemExport.Columns {
			if c.Name == "omb_impact" {
				col = i
			}
		}
		if col < 0 {
			t.Fatal("the systems export has no omb_impact column")
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		var head []string
		for _, c := range app.SystemExport.Columns {
			head = append(head, c.Name)
		}
		_ = w.Write(head)
		row := app.SystemExport.Row(got)
		if row[col] != caio.OMBHighImpact {
			t.Errorf("export omb_impact = %q", row[col])
		}
		_ = w.Write(row)
		w.Flush()
		res, err = f.app.ImportFile(f.sys, "systems", "export.csv", buf.Bytes(), nil, "", false)
		if err != nil || res.Unchanged != 1 || res.Updated != 0 || res.Created != 0 {
			t.Fatalf("re-importing the export: %+v %v", res, err)
		}

		// A column that states the determination sets it (and the controls follow).
		res, err = f.app.ImportFile(f.sys, "systems", "s.csv", []byte("Name,OMB impact\nBenefits triage,not_high_impact\n"), nil, "", false)
		if err != nil || res.Updated != 1 {
			t.Fatalf("import of the determination %+v %v", res, err)
		}
		if got, _ := f.app.FindSystem(f.sys, s.ID); got.OMBImpact != caio.OMBNotHighImpact {
			t.Errorf("omb_impact %q after importing not_high_impact", got.OMBImpact)
		}
		if n := ombControls(); n >= before {
			t.Errorf("M-25-21 controls %d → %d after the system stopped being high-impact", before, n)
		}
		res, err = f.app.ImportFile(f.sys, "systems", "s.csv", []byte("Name,OMB impact\nBenefits triage,very high\n"), nil, "", false)
		if caio.ErrorCode(err) != caio.EINVALID || res == nil || len(res.Errors) != 1 || res.Errors[0].Field != "omb_impact" {
			t.Errorf("a bad determination: %+v %v", res, err)
		}
	})
}

// Matching never crosses organisations: another organisation's system ID
// in the ID column is refused, and its name matches nothing here.
func TestReviewImportNeverTouchesAnotherOrganisation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		other := newFixture2(t, f)
		theirs, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "Secret scorer", Owner: "Them", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{caio.ImportAll, caio.ImportPerRow} {
			res, err := f.app.ImportFile(f.sys, "systems", "s.csv", []byte("ID,Name,Owner\n"+theirs.ID+",Secret scorer,Us\n"), nil, mode, false)
			if err == nil && res.Rejected != 1 {
				t.Errorf("%s: another organisation's ID was not refused: %+v", mode, res)
			}
		}
		res, err := f.app.ImportFile(f.sys, "systems", "s.csv", []byte("Name,Owner\nsecret SCORER,Us\n"), nil, "", false)
		if err != nil || res.Created != 1 || res.Updated != 0 {
			t.Errorf("by name: %+v %v", res, err)
		}
		if s, _ := f.app.FindSystem(other, theirs.ID); s.Owner != "Them" || s.Version != theirs.Version {
			t.Errorf("another organisation's system changed: %+v", s)
		}
		if strings.Contains(theirs.ID, " ") {
			t.Fatal("unreachable")
		}
	})
}

// A row the check says creates an object creates it in every mode: in a
// per-row import an earlier row that renames an object to the same name
// must not turn the later row into a second write of that object.
func TestReviewImportPerRowDoesWhatTheCheckSaid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, mode := range []string{caio.ImportAll, caio.ImportPerRow} {
			x, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: "Old " + mode, Owner: "Ann", Roles: []string{"deployer"}})
			if err != nil {
				t.Fatal(err)
			}
			file := []byte("ID,Name,Owner\n" + x.ID + ",New " + mode + ",Bob\n,New " + mode + ",Cleo\n")
			dry, err := f.app.ImportFile(f.sys, "systems", "s.csv", file, nil, mode, true)
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.app.ImportFile(f.sys, "systems", "s.csv", file, nil, mode, false)
			if err != nil {
				t.Fatal(err)
			}
			if importActions(res) != importActions(dry) {
				t.Errorf("%s: the dry run said %q, the import did %q", mode, importActions(dry), importActions(res))
			}
			if got, _ := f.app.FindSystem(f.sys, x.ID); got.Owner != "Bob" {
				t.Errorf("%s: row 1's update of %s was overwritten by a later row (owner %q)", mode, x.ID, got.Owner)
			}
		}
	})
}
