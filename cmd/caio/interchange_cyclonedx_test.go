package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

func TestCycloneDXCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	e.must("org", "create", "--name", "Globex", "--slug", "globex", "--owner-email", "ada@example.com")
	a := e.openApp()
	ctx, err := orgCtx(context.Background(), a, "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "Chat assistant", Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.CreateModel(ctx, caio.AIModelInput{Name: "GPT-4.1", Provider: "OpenAI", Kind: "llm"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LinkSystem(ctx, s.ID, "model", m.ID); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "acme.cdx.json")
	out := e.must("export", "cyclonedx", "--org", "acme-bank", "--out", file)
	if !strings.Contains(out, "1 AI systems, 1 models, 0 datasets") {
		t.Errorf("export printed %q", out)
	}
	var bom map[string]any
	b, _ := os.ReadFile(file)
	if err := json.Unmarshal(b, &bom); err != nil || bom["specVersion"] != "1.6" {
		t.Fatalf("BOM %v %v", bom["specVersion"], err)
	}
	one := e.must("export", "cyclonedx", "--org", "acme-bank", "--system", s.ID, "--out", "-")
	if !strings.Contains(one, `"bomFormat": "CycloneDX"`) || !strings.Contains(one, "GPT-4.1") {
		t.Errorf("one system to stdout: %.200s", one)
	}

	out = e.must("import", "cyclonedx", file, "--org", "globex")
	if !strings.Contains(out, "Models: 1 created") || !strings.Contains(out, "Vendors: 1 created") {
		t.Errorf("import printed %q", out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}"), 0o600)
	_, _, err = e.run("import", "cyclonedx", bad, "--org", "globex")
	if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "bad.json: ") || !strings.Contains(err.Error(), "line 3, column 3") {
		t.Errorf("bad file: %v", err)
	}
}

func TestOrgJSONCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	a := e.openApp()
	ctx, err := orgCtx(context.Background(), a, "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "Chat assistant", Roles: []string{"deployer"}}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "acme.caio.json.gz")
	out := e.must("export", "json", "--org", "acme-bank", "--out", file)
	if !strings.Contains(out, "Wrote "+file+": organisation acme-bank") {
		t.Errorf("export printed %q", out)
	}
	if _, _, err := e.run("export", "json", "--org", "acme-bank", "--out", file); err == nil {
		t.Errorf("export overwrote a file")
	}

	// Into PostgreSQL, a new database: migrated on the way.
	pg := &caioEnv{t: t, data: t.TempDir(), url: postgresURL(t)}
	out = pg.must("import", "json", file)
	if !strings.Contains(out, "Imported organisation acme-bank") || strings.Contains(out, "re-chained") {
		t.Errorf("import printed %q", out)
	}
	if out := pg.must("audit", "verify", "--org", "acme-bank"); !strings.Contains(strings.ToLower(out), "intact") {
		t.Errorf("audit verify: %q", out)
	}
	// Into the same SQLite database as a copy.
	out = e.must("import", "json", file, "--org-slug", "acme-copy")
	if !strings.Contains(out, "every ID was replaced") || !strings.Contains(out, "re-chained") {
		t.Errorf("copy printed %q", out)
	}
	if out := e.must("audit", "verify", "--org", "acme-copy"); !strings.Contains(strings.ToLower(out), "intact") {
		t.Errorf("audit verify of the copy: %q", out)
	}
}
