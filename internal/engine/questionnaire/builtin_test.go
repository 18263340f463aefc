package questionnaire_test

import (
	"slices"
	"testing"

	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// extreme answers every question of d with its highest (max) or lowest
// scoring choice, so the result must land on the top or bottom level.
func extreme(d *questionnaire.Definition, max bool) questionnaire.Answers {
	a := questionnaire.Answers{}
	for _, s := range d.Sections {
		for _, q := range s.Questions {
			switch q.Type {
			case questionnaire.TypeSingle:
				best := q.Options[0]
				for _, o := range q.Options {
					if max && o.Score > best.Score || !max && o.Score < best.Score {
						best = o
					}
				}
				a[q.ID] = []string{best.Value}
			case questionnaire.TypeMultiple:
				if max {
					for _, o := range q.Options {
						if o.Score > 0 {
							a[q.ID] = append(a[q.ID], o.Value)
						}
					}
					if len(a[q.ID]) == 0 { // an unscored checklist: any answer will do
						a[q.ID] = []string{q.Options[0].Value}
					}
				} else {
					low := q.Options[0]
					for _, o := range q.Options {
						if o.Score < low.Score {
							low = o
						}
					}
					a[q.ID] = []string{low.Value}
				}
			case questionnaire.TypeText:
				a[q.ID] = []string{"Described."}
			case questionnaire.TypeDate:
				a[q.ID] = []string{"2026-03-01"}
			case questionnaire.TypeNumber, questionnaire.TypeScale:
				v := 0.0
				if q.Min != nil {
					v = *q.Min
				}
				if max && q.Max != nil {
					v = *q.Max
				}
				a[q.ID] = []string{formatFloat(v)}
			}
		}
	}
	return a
}

func TestBuiltins(t *testing.T) {
	tests := []struct {
		id            string
		kind, subject string
		dims, levels  int
		minQ, maxQ    int
		scored        bool
	}{
		{"readiness", "readiness", "organization", 6, 5, 36, 44, true},
		{"impact", "impact", "system", 0, 0, 15, 40, false},
		{"vendor", "vendor", "vendor", 6, 5, 18, 40, true},
	}
	all := questionnaire.Builtins()
	if len(all) != len(tests) {
		t.Fatalf("Builtins() = %d definitions, want %d", len(all), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d, ok := questionnaire.Builtin(tt.id)
			if !ok {
				t.Fatalf("Builtin(%q) not found", tt.id)
			}
			if all[i] != d {
				t.Errorf("Builtins()[%d] is not Builtin(%q)", i, tt.id)
			}
			if d.Kind != tt.kind || d.Subject != tt.subject {
				t.Errorf("kind, subject = %s, %s; want %s, %s", d.Kind, d.Subject, tt.kind, tt.subject)
			}
			if len(d.Dimensions) != tt.dims || len(d.Levels) != tt.levels {
				t.Errorf("dimensions, levels = %d, %d; want %d, %d", len(d.Dimensions), len(d.Levels), tt.dims, tt.levels)
			}
			for _, s := range d.Sections {
				for _, q := range s.Questions {
					for _, o := range q.Options {
						if o.Value == "false" || o.Value == "true" {
							t.Errorf("%s: option value %q was read as a YAML boolean", q.ID, o.Value)
						}
					}
				}
			}
			if d.Source == "" {
				t.Error("source is empty")
			}
			var n int
			dims := map[string]int{}
			for _, s := range d.Sections {
				for _, q := range s.Questions {
					n++
					if q.Dimension != "" {
						if !slices.ContainsFunc(d.Dimensions, func(x questionnaire.Dimension) bool { return x.ID == q.Dimension }) {
							t.Errorf("%s: dimension %s does not exist", q.ID, q.Dimension)
						}
						dims[q.Dimension]++
					}
				}
			}
			if n < tt.minQ || n > tt.maxQ {
				t.Errorf("%d questions, want %d to %d", n, tt.minQ, tt.maxQ)
			}
			t.Logf("%s: %d questions, %d dimensions %v", d.ID, n, len(d.Dimensions), dims)
			for _, dim := range d.Dimensions {
				if len(dim.Recommendations) != len(d.Levels) {
					t.Errorf("dimension %s has advice for %d levels, want %d", dim.ID, len(dim.Recommendations), len(d.Levels))
				}
			}

			hi, lo := extreme(d, true), extreme(d, false)
			for name, a := range map[string]questionnaire.Answers{"max": hi, "min": lo} {
				if err := d.Check(a); err != nil {
					t.Errorf("%s answers do not pass Check: %v", name, err)
				}
			}
			rh, rl := questionnaire.Evaluate(d, hi), questionnaire.Evaluate(d, lo)
			if !rh.Complete {
				t.Errorf("all answered but missing %v", rh.Missing)
			}
			if tt.scored {
				if rh.Level != 5 || rh.Score != 100 {
					t.Errorf("all-max answers: level %d score %g, want 5 and 100", rh.Level, rh.Score)
				}
				if rl.Level != 1 {
					t.Errorf("all-min answers: level %d score %g, want 1", rl.Level, rl.Score)
				}
				if len(rl.Recommendations) == 0 {
					t.Error("all-min answers give no recommendations")
				}
			} else if rh.Level != 0 || len(rh.Dimensions) != 0 {
				t.Errorf("unscored questionnaire has level %d and %d dimensions", rh.Level, len(rh.Dimensions))
			}
		})
	}
	if _, ok := questionnaire.Builtin("nope"); ok {
		t.Error("Builtin(nope) found")
	}
}
