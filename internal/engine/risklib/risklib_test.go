package risklib_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/risklib"
)

// TestDefault checks the shipped libraries: their sizes, attribution and
// the categories people will type.
func TestDefault(t *testing.T) {
	s := risklib.Default()
	want := map[string]int{"owasp-llm": 10, "mit": 31, risklib.NISTLibrary: 12, "atlas": 16}
	if got := len(s.Libraries()); got != len(want) {
		t.Fatalf("%d libraries, want %d", got, len(want))
	}
	for _, lib := range s.Libraries() {
		if n := len(lib.Items); n != want[lib.ID] {
			t.Errorf("%s has %d items, want %d", lib.ID, n, want[lib.ID])
		}
		if lib.Licence == "" || lib.URL == "" {
			t.Errorf("%s lacks its attribution", lib.ID)
		}
	}
	for cat, label := range map[string]string{
		"owasp-llm:LLM01":  "OWASP LLM01 Prompt Injection",
		"mit:2.1":          "MIT 2.1 Compromise of privacy",
		"nist-600-1:GAI-2": "NIST AI 600-1 GAI-2 Confabulation",
		"atlas:AML.TA0001": "ATLAS AML.TA0001 AI Attack Staging",
	} {
		if !s.Known(cat) {
			t.Errorf("%s unknown", cat)
		}
		if got := s.Label(cat); !strings.HasPrefix(got, label) {
			t.Errorf("Label(%s) = %q, want it to start %q", cat, got, label)
		}
	}
	for _, bad := range []string{"", "owasp-llm", "owasp-llm:LLM11", "mit:8.1", "nist-ai-600-1:GAI-2", "LLM01"} {
		if s.Known(bad) {
			t.Errorf("%q known", bad)
		}
	}
	if got := s.Label("nope:1"); got != "nope:1" {
		t.Errorf("unknown label = %q", got)
	}
}

// TestLoadRefusesBrokenLibraries checks the validation of a library file.
func TestLoadRefusesBrokenLibraries(t *testing.T) {
	good := "id: x\nname: X\nlicence: ours\nitems:\n  - {id: a, name: A}\n"
	cases := map[string]string{
		"duplicate item":  "id: x\nname: X\nlicence: ours\nitems:\n  - {id: a, name: A}\n  - {id: a, name: B}\n",
		"missing parent":  "id: x\nname: X\nlicence: ours\nitems:\n  - {id: a, parent: z, name: A}\n",
		"no licence":      "id: x\nname: X\nitems:\n  - {id: a, name: A}\n",
		"unknown field":   "id: x\nname: X\nlicence: ours\ncolour: red\nitems:\n  - {id: a, name: A}\n",
		"colon in the id": "id: 'x:y'\nname: X\nlicence: ours\nitems:\n  - {id: a, name: A}\n",
	}
	for name, mit := range cases {
		fsys := fstest.MapFS{"owasp-llm.yaml": {Data: []byte(strings.ReplaceAll(good, "id: x", "id: o"))},
			"mit.yaml": {Data: []byte(mit)}, "atlas.yaml": {Data: []byte(strings.ReplaceAll(good, "id: x", "id: t"))}}
		if _, err := risklib.LoadFS(fsys, catalog.Default()); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func FuzzKnown(f *testing.F) {
	for _, s := range []string{"owasp-llm:LLM01", "mit:2.1", "::", ""} {
		f.Add(s)
	}
	s := risklib.Default()
	f.Fuzz(func(t *testing.T, cat string) {
		if s.Known(cat) && s.Label(cat) == cat {
			t.Errorf("known %q has no label", cat)
		}
	})
}
