package questionnaire_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// withOutputs is the small definition with formulas over its dimensions,
// a question's score and the overall score.
const withOutputs = small + `
outputs:
  - {id: index, title: Weighted index, formula: "(a + 3 * b) / 4"}
  - {id: gap, title: Gap to 100, formula: "100 - score", unit: points}
  - {id: lowest, title: Lowest, formula: "min(a, b, single)"}
  - {id: halved, title: Halved and rounded, formula: "round(-(-a) / 3)"}
  - {id: broken, title: Divides by zero, formula: "a / (b - b)"}
`

func TestFormulaOutputs(t *testing.T) {
	d, err := questionnaire.Load([]byte(withOutputs))
	if err != nil {
		t.Fatal(err)
	}
	// single hi (80) and scale 5 (100): a = (80·1 + 100·3)/4 = 95;
	// multi x+y (80, capped at 100): b = 80 … and follow unanswered.
	r := questionnaire.Evaluate(d, questionnaire.Answers{"single": {"hi"}, "scale": {"5"}, "multi": {"x", "y"}})
	got := map[string]questionnaire.OutputValue{}
	for _, o := range r.Outputs {
		got[o.ID] = o
	}
	a, b := r.Dimensions[0].Score, r.Dimensions[1].Score
	want := map[string]float64{"index": (a + 3*b) / 4, "gap": 100 - r.Score, "lowest": min(a, b, 80), "halved": float64(int(a/3*10+0.5)) / 10}
	for id, w := range want {
		v := got[id].Value
		if v == nil || *v < w-0.051 || *v > w+0.051 {
			t.Errorf("%s = %v, want %.2f (a %v, b %v, score %v)", id, v, w, a, b, r.Score)
		}
	}
	if got["broken"].Value != nil {
		t.Errorf("a division by zero gave %v", *got["broken"].Value)
	}
	// With nothing answered, outputs that read a dimension have no value
	// and say which name is missing.
	r = questionnaire.Evaluate(d, questionnaire.Answers{})
	for _, o := range r.Outputs {
		if o.ID == "index" && (o.Value != nil || !strings.Contains(strings.Join(o.Missing, ","), "a")) {
			t.Errorf("index with no answers: %+v", o)
		}
	}
}

func TestFormulaErrors(t *testing.T) {
	for _, tt := range []struct{ formula, want string }{
		{"a +", "ends where"},
		{"(a + b", "misses a )"},
		{"a $ b", "character 3"},
		{"nope + 1", "reads nope"},
		{"sqrt(a)", "not a function"},
		{"round(a, b)", "takes one"},
		{"1.2.3", "not a number"},
		{strings.Repeat("(", 40) + "1" + strings.Repeat(")", 40), "too deep"},
	} {
		_, err := questionnaire.Load([]byte(small + "\noutputs:\n  - {id: o, title: O, formula: \"" + tt.formula + "\"}\n"))
		found := false
		for _, f := range caio.ErrorFields(err) {
			if f.Field == "outputs[0].formula" && strings.Contains(f.Message, tt.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("formula %q: %v, want a problem at outputs[0].formula containing %q", tt.formula, err, tt.want)
		}
	}
}

func FuzzFormula(f *testing.F) {
	for _, s := range []string{"a + b", "(a*3 - b)/4", "min(a, max(b, 2), round(score))", "-(-a)", "1/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\"\n\\") {
			return
		}
		d, err := questionnaire.Load([]byte(small + "\noutputs:\n  - {id: o, title: O, formula: \"" + s + "\"}\n"))
		if err != nil {
			return
		}
		questionnaire.Evaluate(d, questionnaire.Answers{"single": {"hi"}, "scale": {"3"}, "multi": {"x"}})
	})
}
