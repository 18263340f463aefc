package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestFedInventoryCommands imports the published 2025 inventory, imports it
// again (nothing changes), and exports it byte for byte.
func TestFedInventoryCommands(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "data", "us-federal-ai-inventory-2025", "2025_individually_reported_AI_use_cases.csv")
	raw, err := os.ReadFile(src)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the federal inventory is missing: %v", err)
		}
		t.Skipf("the federal inventory is not at %s; skipping", src)
	}
	e := newEnv(t)
	setupOrg(e)
	out, stderr, err := e.run("import", "fedinventory", src, "--org", "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Rows read: 3611", "Use cases created: 3611", "Use cases updated: 0", "Warnings (empty_id): 704", "Warnings (duplicate_id): 3"} {
		if !strings.Contains(out, want) {
			t.Errorf("import printed %q, want %q", out, want)
		}
	}
	if !strings.Contains(stderr, "read 3611 rows") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
	if out := e.must("import", "fedinventory", src, "--org", "acme-bank", "-q", "--warnings"); !strings.Contains(out, "Use cases created: 0") || !strings.Contains(out, "Unchanged: 3611") ||
		!strings.Contains(out, ": duplicate_id: id ") {
		t.Errorf("re-import printed %q", out)
	}
	dst := filepath.Join(t.TempDir(), "out.csv")
	if out := e.must("export", "fedinventory", "--org", "acme-bank", "--out", dst); !strings.Contains(out, "Wrote 3611 rows") {
		t.Errorf("export printed %q", out)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, raw) {
		t.Errorf("exported file differs from the published one (%d vs %d bytes)", len(got), len(raw))
	}
	bad := writeFile(t, "agency,nope\n")
	_, _, err = e.run("import", "fedinventory", bad, "--org", "acme-bank")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(err.Error(), "line 1, column 8") {
		t.Errorf("error %v does not give line and column", err)
	}
	_, _, err = e.run("export", "fedinventory", "--org", "acme-bank")
	wantCode(t, err, caio.EINVALID)
}
