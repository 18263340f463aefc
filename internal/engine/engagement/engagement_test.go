package engagement_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/engagement"
)

func TestBuiltin(t *testing.T) {
	tpl := engagement.Builtin()
	if len(tpl.Items) < 15 || len(tpl.Goals) == 0 || len(tpl.Sources) == 0 {
		t.Fatalf("built-in template too thin: %d items, %d goals", len(tpl.Items), len(tpl.Goals))
	}
	windows := map[string]int{}
	for _, it := range tpl.Items {
		windows[it.WindowOfItem()]++
	}
	for _, w := range engagement.Windows {
		if windows[w] == 0 {
			t.Errorf("no item in window %s", w)
		}
	}
}

func TestValidateNamesPaths(t *testing.T) {
	_, err := engagement.Parse([]byte(`
name: ""
phases:
  - {key: discover, days: 30}
  - {key: strategise, days: 30}
  - {key: assess, days: 0}
  - {key: execute, days: 30}
  - {key: handover, days: 30}
items:
  - {title: Fine, phase: discover, day: 3}
  - {title: "", phase: launch, day: -1, window: "1-30", link: "https://evil.example"}
`))
	var ps engagement.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not Problems", err)
	}
	for _, want := range []string{"name: is required", "phases[1].key", "phases[2].days", "items[1].title", "items[1].phase", "items[1].day", "items[1].window", "items[1].link"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "items[0]") {
		t.Errorf("a good item is blamed: %v", err)
	}
	if _, err := engagement.Parse([]byte("name: x\nunknown: 1\n")); err == nil {
		t.Error("an unknown field is accepted")
	}
}

func TestPlanPhases(t *testing.T) {
	lengths := engagement.DefaultLengths()
	ps, end := engagement.PlanPhases("2026-10-13", "", lengths)
	if end != "2027-04-10" || ps[0].Start != "2026-10-13" || ps[0].End != "2026-11-11" || ps[4].End != end {
		t.Errorf("default phases %+v end %s", ps, end)
	}
	// Scaled to a shorter end, still contiguous and in order.
	ps, end = engagement.PlanPhases("2027-01-01", "2027-03-31", lengths)
	if end != "2027-03-31" || ps[4].End != "2027-03-31" {
		t.Errorf("scaled phases %+v end %s", ps, end)
	}
	for i := 1; i < len(ps); i++ {
		if engagement.AddDays(ps[i-1].End, 1) != ps[i].Start || ps[i].Start > ps[i].End {
			t.Errorf("phases not contiguous at %d: %+v", i, ps)
		}
	}
	if got := engagement.CurrentPhase(ps, "2027-02-10"); got != "strategise" {
		t.Errorf("current phase %q", got)
	}
	if got := engagement.CurrentPhase(ps, "2026-12-01"); got != "" {
		t.Errorf("before the start: %q", got)
	}
	// A span shorter than the phases gives each phase one day at least.
	ps, _ = engagement.PlanPhases("2027-01-01", "2027-01-02", lengths)
	for _, p := range ps {
		if p.Start > p.End {
			t.Errorf("empty phase %+v", p)
		}
	}
}

func TestWindowsAndWeeks(t *testing.T) {
	for day, want := range map[int]string{0: "0-30", 30: "0-30", 31: "31-60", 60: "31-60", 61: "61-90", 90: "61-90", 91: "later"} {
		if got := engagement.WindowOf(day); got != want {
			t.Errorf("WindowOf(%d) = %s, want %s", day, got, want)
		}
	}
	m, label, err := engagement.ISOWeek("2026-11-27")
	if err != nil || m != "2026-11-23" || label != "2026-W48" {
		t.Errorf("ISOWeek = %s %s %v", m, label, err)
	}
	if e, n := engagement.Elapsed("2026-10-13", "2027-04-10", "2026-11-27"); e != 46 || n != 180 {
		t.Errorf("elapsed %d of %d", e, n)
	}
}
