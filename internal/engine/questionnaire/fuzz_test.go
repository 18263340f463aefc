package questionnaire_test

import (
	"testing"
	"time"

	"github.com/caio-office/caio/internal/engine/questionnaire"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte(small))
	f.Add([]byte("id: x\nsections: [{id: s, questions: [{id: q, type: scale, min: 5, max: 1}]}]"))
	f.Add([]byte("levels: [{level: .nan, min: .inf}]"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		done := make(chan struct{})
		var d *questionnaire.Definition
		var err error
		go func() { d, err = questionnaire.Load(b); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second): // a hang detector, not a speed check: the fuzzer would otherwise stall silently
			t.Fatalf("Load hangs on %q", b)
		}
		if err != nil {
			return
		}
		// Whatever loads must evaluate and check without panicking.
		a := questionnaire.Answers{}
		for _, s := range d.Sections {
			for _, q := range s.Questions {
				if len(q.Options) > 0 {
					a[q.ID] = []string{q.Options[0].Value}
				} else {
					a[q.ID] = []string{"1"}
				}
			}
		}
		_ = d.Check(a)
		r := questionnaire.Evaluate(d, a)
		if r.Score < 0 || r.Score > 100 || r.Progress < 0 || r.Progress > 1 {
			t.Fatalf("score %g progress %g out of range", r.Score, r.Progress)
		}
	})
}

func FuzzCondition(f *testing.F) {
	for _, s := range []string{"q3 == 'yes'", "not (a != \"b\" or answered(c)) and d includes 'x'", "((", "answered(", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := questionnaire.ParseCondition(s)
		if err != nil {
			return
		}
		a := questionnaire.Answers{}
		for _, id := range c.Questions() {
			a[id] = []string{"yes"}
		}
		_ = c.Eval(a)
		// The text round-trips: parsing it again gives the same questions.
		c2, err := questionnaire.ParseCondition(c.String())
		if err != nil || len(c2.Questions()) != len(c.Questions()) {
			t.Fatalf("%q does not parse again: %v", s, err)
		}
	})
}
