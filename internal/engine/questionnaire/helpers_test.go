package questionnaire_test

import (
	"os"
	"strconv"
	"testing"
)

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func readinessYAML(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile("content/readiness.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
