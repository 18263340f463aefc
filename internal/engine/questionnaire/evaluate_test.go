package questionnaire_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// small has two dimensions with weights 1 and 3 and one question of each
// scored kind, so every score below can be worked out by hand.
const small = `
id: small
version: "1"
title: Small
kind: custom
subject: organization
levels:
  - {level: 1, label: Low, min: 0}
  - {level: 2, label: Mid, min: 40}
  - {level: 3, label: High, min: 70}
dimensions:
  - id: a
    title: Alpha
    weight: 1
    recommendations:
      - {level: 1, text: Alpha low advice.}
      - {level: 2, text: Alpha mid advice.}
  - id: b
    title: Beta
    weight: 3
    recommendations:
      - {level: 3, text: Beta high advice.}
sections:
  - id: s
    title: S
    questions:
      - id: single
        type: single
        title: Single
        required: true
        dimension: a
        weight: 1
        options:
          - {value: lo, label: Low, score: 0, recommendation: Fix the single answer.}
          - {value: hi, label: High, score: 80}
      - id: scale
        type: scale
        title: Scale
        dimension: a
        weight: 3
        min: 1
        max: 5
      - id: multi
        type: multiple
        title: Multi
        required: true
        dimension: b
        options:
          - {value: x, label: X, score: 30}
          - {value: y, label: Y, score: 50}
          - {value: z, label: Z, score: 40}
      - id: follow
        type: single
        title: Follow-up
        required: true
        visible_if: single == 'hi'
        dimension: b
        options:
          - {value: "no", label: "No", score: 0}
          - {value: "yes", label: "Yes", score: 100}
      - id: deeper
        type: text
        title: Deeper
        required: true
        visible_if: answered(follow)
      - id: note
        type: text
        title: Note
      - id: when
        type: date
        title: When
      - id: count
        type: number
        title: Count
        min: 0
        max: 10
`

func mustLoad(t testing.TB, src string) *questionnaire.Definition {
	t.Helper()
	d, err := questionnaire.Load([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEvaluateByHand(t *testing.T) {
	d := mustLoad(t, small)
	r := questionnaire.Evaluate(d, questionnaire.Answers{
		"single": {"hi"}, // 80, weight 1
		"scale":  {"2"},  // (2-1)/(5-1) = 25, weight 3
		"multi":  {"x", "y", "z"},
		"follow": {"no"}, // 0
	})
	// Alpha = (80*1 + 25*3) / 4 = 38.75 → 38.8, level 1.
	// Beta = mean(min(30+50+40, 100), 0) = 50, level 2.
	// Overall = (38.8*1 + 50*3) / 4 = 47.2, level 2.
	if got := r.Dimensions[0]; got.Score != 38.8 || got.Level != 1 || got.Answered != 2 || got.Questions != 2 {
		t.Errorf("alpha = %+v", got)
	}
	if got := r.Dimensions[1]; got.Score != 50 || got.Level != 2 || got.LevelLabel != "Mid" || got.Answered != 2 {
		t.Errorf("beta = %+v", got)
	}
	if r.Score != 47.2 || r.Level != 2 || r.LevelLabel != "Mid" {
		t.Errorf("overall %g level %d %s, want 47.2 level 2 Mid", r.Score, r.Level, r.LevelLabel)
	}
	// Progress: visible required are single, multi, follow, deeper; deeper is missing.
	if r.Required != 4 || !slices.Equal(r.Missing, []string{"deeper"}) || r.Progress != 0.75 || r.Complete {
		t.Errorf("required %d missing %v progress %g complete %v", r.Required, r.Missing, r.Progress, r.Complete)
	}
	if r.Visible != 8 || r.Answered != 4 || len(r.Hidden) != 0 {
		t.Errorf("visible %d answered %d hidden %v", r.Visible, r.Answered, r.Hidden)
	}
	// Weakest dimension first: alpha's level-1 advice, then beta has no level-2 advice.
	if len(r.Recommendations) != 1 || r.Recommendations[0].Text != "Alpha low advice." ||
		!strings.Contains(r.Recommendations[0].Because, "level 1") {
		t.Errorf("recommendations %+v", r.Recommendations)
	}
	if !slices.ContainsFunc(r.Dimensions[0].Reasons, func(s string) bool { return strings.Contains(s, "scale: 2 scores 25") }) {
		t.Errorf("reasons %v", r.Dimensions[0].Reasons)
	}
}

func TestEvaluateHiddenIgnored(t *testing.T) {
	d := mustLoad(t, small)
	r := questionnaire.Evaluate(d, questionnaire.Answers{
		"single": {"lo"},
		"multi":  {"y"},
		"follow": {"yes"},   // hidden: single is not hi
		"deeper": {"words"}, // hidden in turn: follow is hidden, so not answered
	})
	if !slices.Equal(r.Hidden, []string{"follow", "deeper"}) {
		t.Errorf("hidden %v, want follow and deeper", r.Hidden)
	}
	if r.Dimensions[1].Score != 50 || r.Dimensions[1].Questions != 1 {
		t.Errorf("beta %+v: the hidden follow-up must not count", r.Dimensions[1])
	}
	if !r.Complete || r.Required != 2 || r.Progress != 1 {
		t.Errorf("complete %v required %d progress %g", r.Complete, r.Required, r.Progress)
	}
	var byOption bool
	for _, rec := range r.Recommendations {
		if rec.Text == "Fix the single answer." && strings.Contains(rec.Because, `"Low"`) && rec.Dimension == "a" {
			byOption = true
		}
	}
	if !byOption {
		t.Errorf("the chosen option's advice is missing: %+v", r.Recommendations)
	}
}

func TestEvaluateNothingAnswered(t *testing.T) {
	d := mustLoad(t, small)
	r := questionnaire.Evaluate(d, nil)
	if r.Score != 0 || r.Level != 0 || r.LevelLabel != "" || r.Progress != 0 || r.Complete || len(r.Recommendations) != 0 {
		t.Errorf("empty answers: %+v", r)
	}
	if !slices.Equal(r.Missing, []string{"single", "multi"}) {
		t.Errorf("missing %v", r.Missing)
	}
}

func TestCheck(t *testing.T) {
	d := mustLoad(t, small)
	ok := questionnaire.Answers{"single": {"hi"}, "scale": {"4.5"}, "multi": {"x", "z"}, "note": {"fine"},
		"when": {"2026-02-28"}, "count": {"10"}, "follow": {""}}
	if err := d.Check(ok); err != nil {
		t.Fatalf("valid answers refused: %v", err)
	}
	tests := []struct {
		id   string
		vals []string
		msg  string
	}{
		{"nope", []string{"a"}, "is not a question"},
		{"single", []string{"maybe"}, `"maybe" is not one of the options (lo, hi)`},
		{"single", []string{"lo", "hi"}, "takes one answer, not 2"},
		{"multi", []string{"x", "w"}, `"w" is not one of the options`},
		{"multi", []string{"x", "x"}, "twice"},
		{"scale", []string{"6"}, "must be from 1 to 5"},
		{"scale", []string{"many"}, "must be a number"},
		{"count", []string{"-1"}, "must be from 0 to 10"},
		{"count", []string{"NaN"}, "must be a number"},
		{"when", []string{"2026-02-30"}, "YYYY-MM-DD"},
		{"when", []string{"28/02/2026"}, "YYYY-MM-DD"},
		{"note", []string{strings.Repeat("é", 4001)}, "4001 characters long; at most 4000"},
		{"note", []string{"\xff"}, "UTF-8"},
	}
	for _, tt := range tests {
		err := d.Check(questionnaire.Answers{tt.id: tt.vals})
		fields := caio.ErrorFields(err)
		if caio.ErrorCode(err) != caio.EINVALID || len(fields) != 1 || fields[0].Field != tt.id || !strings.Contains(fields[0].Message, tt.msg) {
			t.Errorf("%s %q: got %v, want field %s with %q", tt.id, tt.vals, err, tt.id, tt.msg)
		}
	}
	err := d.Check(questionnaire.Answers{"nope": {"a"}, "count": {"99"}})
	if n := len(caio.ErrorFields(err)); n != 2 {
		t.Errorf("%d problems, want both: %v", n, err)
	}
	if err := d.Check(questionnaire.Answers{"note": {strings.Repeat("é", 4000)}}); err != nil {
		t.Errorf("4000 characters refused: %v", err)
	}
}

// TestDefinitionWithoutLoad covers a Definition built in Go: Evaluate and
// Check still work, building their index on the fly.
func TestDefinitionWithoutLoad(t *testing.T) {
	d := &questionnaire.Definition{
		Levels:     []questionnaire.Level{{Level: 1, Label: "One", Min: 0}},
		Dimensions: []questionnaire.Dimension{{ID: "d", Title: "D", Weight: 1}},
		Sections: []questionnaire.Section{{ID: "s", Questions: []questionnaire.Question{
			{ID: "q", Type: "single", Dimension: "d", Weight: 1, Options: []questionnaire.Option{{Value: "a", Label: "A", Score: 60}}},
			{ID: "r", Type: "text", VisibleIf: "q == 'a'"},
		}}},
	}
	r := questionnaire.Evaluate(d, questionnaire.Answers{"q": {"a"}})
	if r.Score != 60 || r.Level != 1 || len(r.Hidden) != 0 {
		t.Errorf("result %+v", r)
	}
	if err := d.Check(questionnaire.Answers{"q": {"b"}}); err == nil {
		t.Error("bad option accepted")
	}
}
