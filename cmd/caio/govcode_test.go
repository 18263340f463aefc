package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const govTestdata = "../../internal/engine/govcode/testdata"

// copyTree copies a directory of fixture files into a fresh one.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// readTree returns every file under dir by its relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	return out
}

// TestGovCodeCommands keeps a small register in a directory as a team
// would in git: import it, export it, check it, edit it, import again.
func TestGovCodeCommands(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			var e *caioEnv
			if engine == "postgres" {
				e = &caioEnv{t: t, data: t.TempDir(), url: postgresURL(t)}
				e.must("migrate")
			} else {
				e = newEnv(t)
			}
			setupOrg(e)
			reg := copyTree(t, govTestdata+"/clean")

			// The hand-written files import after a plan.
			out := e.must("import", "yaml", reg, "--org", "acme-bank")
			if !strings.Contains(out, "create systems/card-fraud-monitor.yaml (Card fraud monitor)") || !strings.Contains(out, "Plan: 6 to create, 0 to change, 0 to delete.") {
				t.Fatalf("plan: %q", out)
			}
			if out := e.must("import", "yaml", reg, "--org", "acme-bank", "--format", "json"); !strings.Contains(out, `"applied": false`) {
				t.Fatalf("plan as JSON: %q", out)
			}
			if out := e.must("system", "list", "--org", "acme-bank"); strings.Contains(out, "Card fraud monitor") {
				t.Fatal("a plan without --apply created the system")
			}
			if out := e.must("import", "yaml", reg, "--org", "acme-bank", "--apply"); !strings.Contains(out, "Applied: 6 created, 0 changed, 0 deleted.") {
				t.Fatalf("apply: %q", out)
			}

			// Export twice: the same bytes; the files carry IDs now.
			if out := e.must("export", "yaml", "--org", "acme-bank", "--out", reg); !strings.Contains(out, "Exported 10 objects") {
				t.Fatalf("export: %q", out)
			}
			first := readTree(t, reg)
			if out := e.must("export", "yaml", "--org", "acme-bank", "--out", reg); !strings.Contains(out, "(0 files written, 0 removed)") {
				t.Fatalf("second export: %q", out)
			}
			second := readTree(t, reg)
			if len(first) != len(second) {
				t.Fatalf("%d files, then %d", len(first), len(second))
			}
			for name, b := range first {
				if !bytes.Equal(b, second[name]) {
					t.Errorf("%s churns between exports", name)
				}
			}
			var sysFile string
			for name := range first {
				if strings.HasPrefix(name, "systems/sys_") {
					sysFile = name
				}
			}
			if sysFile == "" {
				t.Fatalf("no system file in %v", first)
			}
			if out := e.must("import", "yaml", reg, "--org", "acme-bank"); !strings.Contains(out, "Nothing to do") {
				t.Fatalf("plan of an export: %q", out)
			}

			// The exported register passes the check, without a database.
			if out, _, err := e.run("check", reg, "--today", "2026-11-27"); err != nil || !strings.Contains(out, "OK: 1 systems, 1 use cases, 4 controls, 1 policies, 1 rules checked.") {
				t.Fatalf("check of a clean export: %q, %v", out, err)
			}

			// Edit a file: the plan names the change, --apply makes it.
			p := filepath.Join(reg, filepath.FromSlash(sysFile))
			b := first[sysFile]
			if err := os.WriteFile(p, bytes.Replace(b, []byte("stage: production"), []byte("stage: retired"), 1), 0o644); err != nil {
				t.Fatal(err)
			}
			out = e.must("import", "yaml", reg, "--org", "acme-bank")
			if !strings.Contains(out, "change "+sysFile+" (Card fraud monitor): stage") || !strings.Contains(out, "Plan: 0 to create, 1 to change, 0 to delete.") {
				t.Fatalf("plan after an edit: %q", out)
			}
			e.must("import", "yaml", reg, "--org", "acme-bank", "--apply")
			if out := e.must("system", "list", "--org", "acme-bank"); !strings.Contains(out, "retired") {
				t.Fatalf("system list after apply: %q", out)
			}
			e.must("export", "yaml", "--org", "acme-bank", "--out", reg)
			if got := readTree(t, reg)[sysFile]; !bytes.Contains(got, []byte("stage: retired")) {
				t.Fatalf("export after apply:\n%s", got)
			}

			// A file with a YAML error is reported with its line and column;
			// nothing changes.
			if err := os.WriteFile(p, []byte("name: Card fraud monitor\nstage: production\nownr: x\nroles: [deployer]\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, err := e.run("import", "yaml", reg, "--org", "acme-bank", "--apply")
			if err == nil || !strings.Contains(stderr, sysFile+`:3:1: unknown field "ownr"`) {
				t.Fatalf("import of a broken file: %v, %q", err, stderr)
			}
		})
	}
}

func TestCheckCommandFailsOnViolations(t *testing.T) {
	e := emptyEnv(t) // no database is opened
	out, stderr, err := e.run("check", govTestdata+"/broken", "--today", "2026-11-27")
	if code, ok := err.(exitCode); !ok || code != 1 {
		t.Fatalf("check of a broken register: %v", err)
	}
	for _, want := range []string{
		"systems/mood.yaml:4: prohibited AI practice (art5:1(f))",
		`systems/typo.yaml:3:1: unknown field "ownr"`,
		"systems/stage.yaml:3: stage must be one of",
		"systems/mood.yaml:1: Name an owner for Agent mood analytics (rule rul.owner, impact 4)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "7 problem(s) found.") {
		t.Errorf("stderr %q", stderr)
	}
	if out, _, _ := e.run("check", govTestdata+"/broken", "--today", "2026-11-27", "--min-impact", "5"); strings.Contains(out, "impact 4") {
		t.Errorf("--min-impact 5 kept impact-4 advice:\n%s", out)
	}
	if _, _, err := e.run("check", govTestdata+"/broken", "--min-impact", "9"); err == nil || !strings.Contains(err.Error(), "min-impact") {
		t.Errorf("--min-impact 9: %v", err)
	}
	if out, _, err := e.run("check", govTestdata+"/clean", "--today", "2026-11-27"); err != nil || !strings.HasPrefix(out, "OK:") {
		t.Errorf("check of the clean register: %q, %v", out, err)
	}
}
