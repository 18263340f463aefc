package questionnaire_test

import (
	"testing"

	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// BenchmarkEvaluate scores a fully answered readiness assessment, the
// largest built-in, as a results page does on every view.
func BenchmarkEvaluate(b *testing.B) {
	d, _ := questionnaire.Builtin("readiness")
	a := extreme(d, true)
	b.ReportAllocs()
	for b.Loop() {
		questionnaire.Evaluate(d, a)
	}
}

// BenchmarkLoad parses and validates the readiness definition.
func BenchmarkLoad(b *testing.B) {
	d, _ := questionnaire.Builtin("readiness")
	_ = d
	b.ReportAllocs()
	for b.Loop() {
		if _, err := questionnaire.Load(readinessYAML(b)); err != nil {
			b.Fatal(err)
		}
	}
}
