package govcode_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/govcode"
)

const today = "2026-11-27"

func check(t *testing.T, dir string, minImpact int) []string {
	t.Helper()
	r, probs, err := govcode.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	probs = append(probs, govcode.Check(r, govcode.Options{Today: today, MinImpact: minImpact})...)
	govcode.SortProblems(probs)
	var out []string
	for _, p := range probs {
		out = append(out, p.String())
	}
	return out
}

func TestCheckCleanDirectoryPasses(t *testing.T) {
	if got := check(t, "testdata/clean", 0); len(got) != 0 {
		t.Fatalf("a clean register has problems:\n%s", strings.Join(got, "\n"))
	}
}

// TestCheckBrokenDirectory is what a reviewer sees in CI: each problem at
// its file and line, the broken files with their column.
func TestCheckBrokenDirectory(t *testing.T) {
	got := check(t, "testdata/broken", 0)
	want := []string{
		`systems/mood.yaml:1: Name an owner for Agent mood analytics (rule rul.owner, impact 4)`,
		`systems/mood.yaml:4: prohibited AI practice (art5:1(f)): It is a prohibited practice: emotion recognition in the workplace or in education. (Art 5(1)(f))`,
		`systems/stage.yaml:1: Classify Pricing model under the EU AI Act (rule system-unclassified, impact 4)`,
		`systems/stage.yaml:3: stage must be one of planned, development, testing, production, retired`,
		`systems/stage.yaml:5: vendor "Nobody Inc" is not in the register`,
		`systems/syntax.yaml:3:1: `,
		`systems/typo.yaml:3:1: unknown field "ownr"`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q\nwant prefix %q", i, got[i], want[i])
		}
	}
	// A higher threshold keeps validation and the prohibition, drops the
	// impact-4 advice.
	high := check(t, "testdata/broken", 5)
	if len(high) != len(want)-2 {
		t.Errorf("--min-impact 5 gave:\n%s", strings.Join(high, "\n"))
	}
	for _, p := range high {
		if strings.Contains(p, "impact 4") {
			t.Errorf("--min-impact 5 kept %q", p)
		}
	}
}

// An action whose due date has passed fails the check whatever its impact.
func TestCheckOverdueActionFailsAtAnyImpact(t *testing.T) {
	dir := copyDir(t, "testdata/clean")
	rule := `kind: system
title: Review {name}
statement: Every system is reviewed each year.
when: system.stage == "production"
reason: "{name} is due for its yearly review."
due: "'2026-10-01'"
due_source: yearly review
owner_role: editor
impact: 1
`
	if err := os.WriteFile(filepath.Join(dir, "rules", "review.yaml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	got := check(t, dir, 0)
	if len(got) != 1 || !strings.HasPrefix(got[0], "systems/card-fraud-monitor.yaml:3: Review Card fraud monitor (rule rul.review, impact 1, due 2026-10-01, overdue)") {
		t.Fatalf("got %q", got)
	}
	// A CEL error in a rule names the rule's file and the line of the field.
	bad := strings.Replace(rule, `system.stage == "production"`, `system.stag == "production"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "rules", "review.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	got = check(t, dir, 0)
	if len(got) != 1 || !strings.HasPrefix(got[0], "rules/review.yaml:4: rule when: ") {
		t.Fatalf("got %q", got)
	}
}

func copyDir(t *testing.T, src string) string {
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

// TestWriteIsStable: writing a register twice gives the same bytes, and
// reading what was written gives the register back.
func TestWriteIsStable(t *testing.T) {
	r, probs, err := govcode.ReadDir("testdata/clean")
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	govcode.Normalize(r)
	a, err := govcode.Write(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := govcode.Write(r)
	if len(a) != 6 || len(a) != len(b) {
		t.Fatalf("wrote %d and %d files", len(a), len(b))
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two writes", name)
		}
	}
	back, probs := govcode.Read(a)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	c, _ := govcode.Write(back)
	for name := range a {
		if !bytes.Equal(a[name], c[name]) {
			t.Errorf("%s changed after a round trip:\n%s\n---\n%s", name, a[name], c[name])
		}
	}
	if !strings.Contains(string(a["policies/ai-acceptable-use-policy.yaml"]), "body: |") {
		t.Errorf("the policy body is not a literal block:\n%s", a["policies/ai-acceptable-use-policy.yaml"])
	}
	// Written to a directory twice, the second run writes nothing.
	dir := t.TempDir()
	if n, _, err := govcode.WriteDir(dir, a); err != nil || n != 6 {
		t.Fatal(n, err)
	}
	if n, removed, err := govcode.WriteDir(dir, a); err != nil || n != 0 || removed != 0 {
		t.Fatalf("second write: %d written, %d removed, %v", n, removed, err)
	}
	delete(a, "models/fraud-model.yaml")
	if _, removed, err := govcode.WriteDir(dir, a); err != nil || removed != 1 {
		t.Fatalf("a deleted object's file stays: %d removed, %v", removed, err)
	}
}

func TestReadRejectsWhatItCannotTrust(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"alias", "name: &a x\nowner: *a\nroles: [deployer]\n", "systems/x.yaml:1:7: anchors and aliases"},
		{"two documents", "name: a\nroles: [deployer]\n---\nname: b\n", "more than one document"},
		{"empty", "# nothing\n", "the file is empty"},
		{"list", "- name: a\n", "systems/x.yaml:1:1: the file must hold one mapping"},
		{"type", "name: a\nroles: deployer\n", "systems/x.yaml:2:"},
		{"duplicate key", "name: a\nname: b\nroles: [deployer]\n", "systems/x.yaml:2:1:"},
	} {
		_, p := govcode.ReadItem[govcode.System]("systems/x.yaml", []byte(c.src))
		if p == nil || !strings.Contains(p.String(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, p, c.want)
		}
	}
}

func FuzzReadItem(f *testing.F) {
	for _, dir := range []string{"testdata/clean/systems", "testdata/broken/systems", "testdata/clean/policies", "testdata/clean/rules"} {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			f.Add(b)
		}
	}
	f.Add([]byte("name: a\nroles: [x]\nprofile: {facts: {a: true}}\n"))
	f.Add([]byte("!!map {? a: b}"))
	// Run with -fuzzminimizetime 2s: minimising large interesting inputs
	// otherwise takes most of the time.
	f.Fuzz(func(t *testing.T, b []byte) {
		files := map[string][]byte{"systems/a.yaml": b}
		r, probs := govcode.Read(files)
		for _, p := range probs {
			if p.Line < 1 || p.File == "" || p.Message == "" {
				t.Fatalf("problem without a place: %+v", p)
			}
		}
		govcode.Normalize(r)
		// What was read can be written and read back.
		out, err := govcode.Write(r)
		if err != nil {
			return
		}
		if _, probs := govcode.Read(out); len(probs) > 0 {
			t.Fatalf("a written file cannot be read back: %v", probs)
		}
	})
}
