package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/tabular"
)

func writeNamed(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportTabularCommands imports CSV and XLSX files from the command
// line: a dry run writes nothing, a re-import updates what it matches,
// refused rows are printed FILE:WHERE: field (column): message and fail the
// command, --per-row writes the valid rows, --mapping and --sheet choose.
func TestImportTabularCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	f := writeNamed(t, "systems.csv", []byte("Name,Owner\nChatbot,Ann\nScorer,Bob\n"))
	out := e.must("import", "csv", f, "--org", "acme-bank", "--kind", "systems", "--dry-run")
	if !strings.Contains(out, "Dry run: nothing was written.") || !strings.Contains(out, "Created: 2\n") {
		t.Errorf("dry run printed %q", out)
	}
	out = e.must("import", "csv", f, "--org", "acme-bank", "--kind", "systems")
	if !strings.Contains(out, "Rows read: 2\nCreated: 2\nUpdated: 0\n") {
		t.Errorf("import printed %q", out)
	}
	f2 := writeNamed(t, "again.csv", []byte("System,Who\nchatbot,Cleo\nTriage,Dan\n"))
	out = e.must("import", "csv", f2, "--org", "acme-bank", "--kind", "systems", "--mapping", "name=System,owner=Who")
	if !strings.Contains(out, "Created: 1\nUpdated: 1\nUnchanged: 0\nRejected: 0\n") {
		t.Errorf("re-import printed %q", out)
	}
	// Risks with a bad row: all or nothing refuses, per row writes the good one.
	r := writeNamed(t, "risks.csv", []byte("Title,Likelihood,Impact\nBias,3,3\nDrift,three,3\n"))
	out, _, err := e.run("import", "csv", r, "--org", "acme-bank", "--kind", "risks")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(out, "Rejected: 1") || !strings.Contains(out, r+`:line 3, column 2: likelihood (column "Likelihood"): must be a whole number, not "three"`) ||
		!strings.Contains(out, "Nothing was written") {
		t.Errorf("refused import printed %q", out)
	}
	out, _, err = e.run("import", "csv", r, "--org", "acme-bank", "--kind", "risks", "--per-row", "--format", "json")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(out, `"created": 1`) || !strings.Contains(out, `"action": "reject"`) {
		t.Errorf("per-row json printed %q", out)
	}
	// XLSX, from a named sheet, with a JSON mapping file.
	var xb bytes.Buffer
	w, _ := tabular.NewWriter(tabular.XLSX, &xb, "Suppliers", []tabular.Column{{Name: "Company"}, {Name: "Land"}})
	_ = w.Write([]string{"Acme AI", "DE"})
	_ = w.Close()
	x := writeNamed(t, "vendors.xlsx", xb.Bytes())
	m := writeNamed(t, "map.json", []byte(`{"name":"Company","country":"Land"}`))
	out = e.must("import", "xlsx", x, "--org", "acme-bank", "--kind", "vendors", "--sheet", "suppliers", "--mapping", m)
	if !strings.Contains(out, "Created: 1") {
		t.Errorf("xlsx import printed %q", out)
	}
	_, _, err = e.run("import", "xlsx", x, "--org", "acme-bank", "--kind", "vendors", "--sheet", "Nope")
	if err == nil || !strings.Contains(err.Error(), `no sheet "Nope"`) {
		t.Errorf("missing sheet: %v", err)
	}
	// Wrong command for the file, unknown kind, bad mapping.
	_, _, err = e.run("import", "csv", x, "--org", "acme-bank", "--kind", "vendors")
	if err == nil || !strings.Contains(err.Error(), "use caio import xlsx") {
		t.Errorf("csv of a workbook: %v", err)
	}
	_, _, err = e.run("import", "csv", f, "--org", "acme-bank", "--kind", "cats")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("import", "csv", f, "--org", "acme-bank", "--kind", "systems", "--mapping", "nonsense")
	wantCode(t, err, caio.EINVALID)
}
