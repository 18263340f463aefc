package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aiaFile returns the path of a file of the AIA data beside the repository
// (../shared/data/canada-aia), skipping the test when it is absent, except
// under CI, where it fails. The questionnaire is not part of the repository.
func aiaFile(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
		} else {
			t.Fatal("no go.mod above the test's directory")
		}
	}
	p := filepath.Join(dir, "..", "shared", "data", "canada-aia", name)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the AIA questionnaire is needed under CI: %v", err)
		}
		t.Skipf("the AIA questionnaire is not here (%v): put canada-ca/aia-eia-js v1.0.1 src/survey-enfr.json at %s to run this test", err, p)
	}
	return p
}

// tempJSON writes content to a file named name in a new directory.
func tempJSON(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAssessScoreAIA(t *testing.T) {
	e := emptyEnv(t) // assess needs no database
	survey := aiaFile(t, "survey-enfr.json")
	sample := aiaFile(t, "samples/01_upstream_unit_test.json")

	out := e.must("assess", "score", "--questionnaire", survey, "--answers", sample, "--format", "json")
	var got struct {
		Raw, Mitigation, Total, Level int
		MaxRaw                        int `json:"max_raw"`
		MaxMitigation                 int `json:"max_mitigation"`
		Lines                         []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Raw != 3 || got.Mitigation != 0 || got.Total != 3 || got.Level != 1 || got.MaxRaw != 167 || got.MaxMitigation != 154 {
		t.Errorf("got %+v, want raw 3, mitigation 0, total 3, level 1 of 167 and 154", got)
	}
	if len(got.Lines) != 1 || got.Lines[0].Name != "decisionSector1" {
		t.Errorf("lines = %+v", got.Lines)
	}

	text := e.must("assess", "score", "--questionnaire", survey, "--answers", sample)
	for _, want := range []string{"Impact level I\n", "Raw impact score  3  of 167", "Mitigation score  0  of 154", "at least 62", "Current score     3", "decisionSector1  RS    3       8    item1-1, item2-1, item3-1"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}

	// A saved file with its version, a hidden answer, an unknown choice and an unknown question.
	answers := tempJSON(t, "AIA Results.json", `{"version": "v1.0.1", "currentPage": 2, "data": {
	  "projectDetailsPhase": "item2", "impact6": "item9-9", "aboutDataSource14": ["item4-3"], "old7": "item1-1"}}`)
	text = e.must("assess", "score", "--questionnaire", survey, "--answers", answers)
	for _, want := range []string{"version v1.0.1", "aboutDataSource14", "hidden by other answers", "impact6 = item9-9: the question offers no such choice", "old7"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	out = e.must("assess", "score", "--questionnaire", survey, "--answers", answers, "--format", "json", "--only-visible")
	if !strings.Contains(out, `"raw": 0`) || !strings.Contains(out, `"version": "v1.0.1"`) {
		t.Errorf("--only-visible should drop the hidden answer:\n%s", out)
	}

	// Standard input.
	out, _, err := e.runIn(`{"riskProfile1": "item1-3"}`, "assess", "score", "--questionnaire", survey, "--answers", "-", "--format", "json")
	if err != nil || !strings.Contains(out, `"raw": 3`) {
		t.Errorf("answers on standard input: %v\n%s", err, out)
	}
}

func TestAssessScoreErrors(t *testing.T) {
	e := emptyEnv(t)
	q := tempJSON(t, "q.json", `{"pages": [{"name": "p", "elements": [{"type": "panel", "name": "x-RS", "elements": [
	  {"type": "radiogroup", "name": "a", "choices": ["item1-4", "item2-0"]}]}]}]}`)
	good := tempJSON(t, "a.json", `{"a": "item1-4"}`)
	out := e.must("assess", "score", "--questionnaire", q, "--answers", good, "--format", "json")
	// With no mitigation questions, 0 reaches 80 % of 0, so the tool's rule
	// takes 15 % off: round(3.4) = 3, which is 75 % of 4, level III.
	if !strings.Contains(out, `"total": 3`) || !strings.Contains(out, `"level": 3`) || !strings.Contains(out, `"max_raw": 4`) {
		t.Errorf("a questionnaire of our own scores too:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--questionnaire", q, "--answers", tempJSON(t, "bad.json", "{\n  \"a\": \"item1-4\",\n}")}, "bad.json: The answer file is not valid JSON: line 3, column 1"},
		{[]string{"--questionnaire", tempJSON(t, "badq.json", `{"pages": [{"elements": [{"type": "text"}]}]}`), "--answers", good}, "badq.json: pages[0].elements[0].name"},
		{[]string{"--questionnaire", tempJSON(t, "cond.json", `{"pages": [{"elements": [{"type": "text", "name": "z", "visibleIf": "age({b}) > 3"}]}]}`), "--answers", good}, `text "z"`},
		{[]string{"--questionnaire", filepath.Join(t.TempDir(), "missing.json"), "--answers", good}, "missing.json could not be read"},
		{[]string{"--answers", good}, "questionnaire is required"},
		{[]string{"--questionnaire", q}, "answers is required"},
		{[]string{"--questionnaire", q, "--answers", good, "--format", "xml"}, "format must be text or json"},
	} {
		_, _, err := e.run(append([]string{"assess", "score"}, tc.args...)...)
		if err == nil || !strings.Contains(userMessage(err), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
}
