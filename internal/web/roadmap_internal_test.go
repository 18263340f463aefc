package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

func TestFigures(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{rollupMoney(1234567.4, "EUR"), "EUR 1,234,567"},
		{rollupMoney(-40000, "USD"), "USD −40,000"},
		{rollupMoney(-0.3, ""), "0"},
		{rollupMoney(999.5, ""), "1,000"},
		{compactMoney(1250000), "1.3M"},
		{compactMoney(350000), "350k"},
		{compactMoney(-1500), "-1.5k"},
		{compactMoney(999), "999"},
		{fteText(0.1 + 0.2), "0.3"},
		{fteText(2), "2"},
		{chanceText(0.16), "16 %"},
		{percentValue(0.055), "5.5"},
		{clipText("Claims triage", 34), "Claims triage"},
		{clipText("abcdef", 4), "abc…"},
		{maturityName(3), "Operational"},
		{maturityName(0), "not set"},
		{approvalSubjectURL("use_case", "uc_1"), "/usecases/uc_1"},
		{approvalSubjectURL("policy", "pol_1"), ""},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestRemapRowFields checks that problems about the rows sent land on the
// rows of the form they were typed in, and that other problems stay.
func TestRemapRowFields(t *testing.T) {
	var v caio.Validation
	v.Add("capacity[0].quarter", "must be a quarter")
	v.Add("capacity[1].people", "must be 0 or more")
	v.Add("capacity[7].budget", "out of the rows sent")
	v.Add("capacity", "must list at most 80 quarters")
	got := map[string]string{}
	for _, f := range caio.ErrorFields(remapRowFields(v.Err(), "capacity", []int{2, 5})) {
		got[f.Field] = f.Message
	}
	want := map[string]string{"capacity[2].quarter": "must be a quarter", "capacity[5].people": "must be 0 or more",
		"capacity[7].budget": "out of the rows sent", "capacity": "must list at most 80 quarters"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("remapped %v, want %v", got, want)
	}
	folded := caio.ErrorFields(foldLineFields(caio.FieldError("principles[2]", "must be at most 500 characters"), "principles"))
	if len(folded) != 1 || folded[0].Field != "principles" || folded[0].Message != "entry 3 must be at most 500 characters" {
		t.Errorf("folded %v", folded)
	}
	for _, bad := range []string{"capacity", "capacity[", "capacity[x]", "capacity[-1]", "capacityX[1]"} {
		if i, ok := fieldRowIndex(bad, "capacity"); ok {
			t.Errorf("fieldRowIndex(%q) = %d, true", bad, i)
		}
	}
}

// ganttRows makes n use cases over eight quarters, each waiting for the
// one before it, every tenth one too early.
func ganttRows(n int) ([]string, []ganttRow) {
	quarters := []string{"2027Q1", "2027Q2", "2027Q3", "2027Q4", "2028Q1", "2028Q2", "2028Q3", "2028Q4"}
	rows := make([]ganttRow, n)
	for i := range rows {
		first := i % 6
		rows[i] = ganttRow{ID: fmt.Sprintf("uc_%d", i), Title: fmt.Sprintf("Use case <%d>", i), Href: fmt.Sprintf("/usecases/uc_%d", i),
			Stage: "pilot", StageLabel: "Pilot", Class: "s-in_progress", Start: quarters[first], End: quarters[first+2], First: first, Last: first + 2}
		if i > 0 {
			rows[i].DependsOn = []string{rows[i-1].ID}
		}
		if i%10 == 9 {
			rows[i].Conflicts = []string{"starts too early"}
		}
	}
	return quarters, rows
}

func TestRoadmapGantt(t *testing.T) {
	quarters, rows := ganttRows(12)
	svg := string(roadmapGantt("g", "Roadmap", quarters, rows))
	for _, want := range []string{`role="img"`, `<title id="g-t">Roadmap: 12 use cases from 2027Q1 to 2028Q4, 1 with a dependency conflict.</title>`,
		`<desc id="g-d">`, "Use case &lt;3&gt;", `fill="url(#g-hatch)"`, "⚠ Use case &lt;9&gt;", `marker-end="url(#g-arrow)"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if strings.Contains(svg, "<3>") {
		t.Errorf("a title is not escaped")
	}
	if n := strings.Count(svg, "<path class=\"dep\""); n != 11 {
		t.Errorf("%d dependency arrows, want 11", n)
	}
}

func BenchmarkRoadmapGantt(b *testing.B) {
	quarters, rows := ganttRows(200)
	b.ReportAllocs()
	for b.Loop() {
		_ = roadmapGantt("g", "Roadmap", quarters, rows)
	}
}
