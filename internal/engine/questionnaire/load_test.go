package questionnaire_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// base is a small valid definition; tests break one part of it at a time.
const base = `
id: mini
version: "1"
title: Mini
kind: custom
subject: organization
levels:
  - {level: 1, label: Low, min: 0}
  - {level: 2, label: High, min: 50}
dimensions:
  - id: d1
    title: One
    recommendations:
      - {level: 1, text: Do more.}
sections:
  - id: s1
    title: First
    questions:
      - id: q1
        type: single
        title: Q1
        dimension: d1
        options:
          - {value: "yes", label: "Yes", score: 100}
          - {value: "no", label: "No", score: 0}
      - id: q2
        type: text
        title: Q2
        visible_if: q1 == 'yes'
`

func TestLoadValid(t *testing.T) {
	d, err := questionnaire.Load([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	q := d.Question("q1")
	if q == nil || q.Weight != 1 || d.Dimensions[0].Weight != 1 {
		t.Fatalf("default weights not filled: %+v", q)
	}
	if q.Options[1].Value != "no" {
		t.Errorf("option value %q, want no", q.Options[1].Value)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		from, to string // replace in base
		field    string
		msg      string
	}{
		{"unknown question in condition", "q1 == 'yes'", "q9 == 'yes'", "sections[0].questions[1].visible_if", "unknown question q9"},
		{"condition syntax", "q1 == 'yes'", "q1 = 'yes'", "sections[0].questions[1].visible_if", "write == or !="},
		{"value not an option", "q1 == 'yes'", "q1 == 'maybe'", "sections[0].questions[1].visible_if", "'maybe' is not an option of q1"},
		{"includes on single", "q1 == 'yes'", "q1 includes 'yes'", "sections[0].questions[1].visible_if", "includes needs a multiple question"},
		{"self cycle", "visible_if: q1 == 'yes'", "visible_if: answered(q2)", "sections[0].questions[1].visible_if", "cycle q2 → q2"},
		{"weight not a number", "title: One", "title: One\n    weight: heavy", "dimensions[0].weight", `must be a number, not "heavy"`},
		{"score not a number", "score: 100}", "score: lots}", "sections[0].questions[0].options[0].score", "must be a number"},
		{"negative weight", "title: One", "title: One\n    weight: -1", "dimensions[0].weight", "greater than 0"},
		{"duplicate question id", "id: q2", "id: q1", "sections[0].questions[1].id", "already the id of sections[0].questions[0]"},
		{"duplicate option value", `{value: "no"`, `{value: "yes"`, "sections[0].questions[0].options[1].value", "already the value of options[0]"},
		{"options on text", "title: Q2\n", "title: Q2\n        options: [{value: a, label: A}]\n", "sections[0].questions[1].options", "a text question takes no options"},
		{"levels not ascending", "{level: 2, label: High, min: 50}", "{level: 2, label: High, min: 0}", "levels[1].min", "ascending"},
		{"level numbers not ascending", "{level: 2, label: High", "{level: 1, label: High", "levels[1].level", "ascending"},
		{"first level not zero", "{level: 1, label: Low, min: 0}", "{level: 1, label: Low, min: 10}", "levels[0].min", "must be 0"},
		{"unknown dimension", "dimension: d1", "dimension: d7", "sections[0].questions[0].dimension", "unknown dimension d7"},
		{"unknown type", "type: text", "type: essay", "sections[0].questions[1].type", "must be one of"},
		{"recommendation for missing level", "{level: 1, text: Do more.}", "{level: 3, text: Do more.}", "dimensions[0].recommendations[0].level", "level 3 is not one of the levels"},
		{"score out of range", "score: 100}", "score: 150}", "sections[0].questions[0].options[0].score", "between 0 and 100"},
		{"bad kind", "kind: custom", "kind: quiz", "kind", "must be one of"},
		{"missing title", "title: Mini", "title: ''", "title", "is required"},
		{"scale without bounds", "type: text", "type: scale", "sections[0].questions[1].max", "needs min and max"},
		{"bad id", "id: q2", "id: 2q", "sections[0].questions[1].id", "must start with a letter"},
		{"unknown field", "title: Q2", "titel: Q2", "yaml", "could not be read"},
		{"not yaml", "id: mini", "id: [mini", "yaml", "could not be read"},
		{"dimension without questions", "dimension: d1\n", "\n", "dimensions[0]", "no scored question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.from, tt.to, 1)
			if src == base {
				t.Fatalf("replacement %q not found", tt.from)
			}
			d, err := questionnaire.Load([]byte(src))
			if err == nil {
				t.Fatalf("Load succeeded: %+v", d)
			}
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Errorf("code %s, want invalid", caio.ErrorCode(err))
			}
			for _, f := range caio.ErrorFields(err) {
				if f.Field == tt.field && strings.Contains(f.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no field %s containing %q in %v", tt.field, tt.msg, err)
		})
	}
}

func TestLoadCycle(t *testing.T) {
	src := `
id: cyc
version: "1"
title: Cycle
kind: custom
subject: system
sections:
  - id: s
    title: S
    questions:
      - {id: q3, type: text, title: Three, visible_if: "answered(q7)"}
      - {id: q5, type: text, title: Five}
      - {id: q7, type: text, title: Seven, visible_if: "answered(q5) and not answered(q3)"}
`
	_, err := questionnaire.Load([]byte(src))
	if err == nil || !strings.Contains(err.Error(), "q3 → q7 → q3") {
		t.Fatalf("want a cycle q3 → q7 → q3, got %v", err)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	src := strings.NewReplacer("kind: custom", "kind: quiz", "q1 == 'yes'", "q9 == 'yes'").Replace(base)
	_, err := questionnaire.Load([]byte(src))
	if n := len(caio.ErrorFields(err)); n != 2 {
		t.Errorf("%d problems reported, want 2: %v", n, err)
	}
}
