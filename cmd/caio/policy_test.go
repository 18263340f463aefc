package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestPolicyCommands adopts a starter, lists, shows and exports it as a
// script would.
func TestPolicyCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	var p caio.Policy
	invJSON(e, &p, "policy", "adopt", "--org", "acme-bank", "--starter", "incident-response")
	if p.ID == "" || p.Status != "draft" || p.Kind != "incident_response" {
		t.Fatalf("adopted %+v", p)
	}
	_, _, err := e.run("policy", "adopt", "--org", "acme-bank", "--starter", "nonsense")
	wantCode(t, err, caio.EINVALID)
	if out := e.must("policy", "list", "--org", "acme-bank"); !strings.Contains(out, "AI incident response policy") || !strings.Contains(out, "1 of 1 policies") {
		t.Fatalf("list: %q", out)
	}
	if out := e.must("policy", "show", "--org", "acme-bank", p.ID); !strings.Contains(out, "no approved version in force") || !strings.Contains(out, "v1 draft") {
		t.Fatalf("show: %q", out)
	}
	out := e.must("policy", "export", "--org", "acme-bank", p.ID)
	if !strings.HasPrefix(out, "# AI incident response policy") || !strings.Contains(out, "15 days") {
		t.Fatalf("export: %q", out[:min(len(out), 200)])
	}
	file := filepath.Join(t.TempDir(), "incident.md")
	e.must("policy", "export", "--org", "acme-bank", p.ID, "--output", file)
	if b, err := os.ReadFile(file); err != nil || string(b) != out {
		t.Fatalf("exported file differs: %v", err)
	}
	_, _, err = e.run("policy", "export", "--org", "acme-bank", p.ID, "--version", "7")
	wantCode(t, err, caio.ENOTFOUND)
}
