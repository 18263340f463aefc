// Package engagement holds the rules of an interim CAIO engagement that need
// no database: the phases and their planned dates, the 30/60/90-day windows,
// the plan template (embedded YAML in our own words, validated on load with
// the path of each problem) and the dates a plan computes from a start date.
// It is pure: no database, clock or I/O beyond its embedded file.
package engagement

import (
	"fmt"
	"time"
)

// The phases of an engagement, in order (practice.md §3.1: an arc of learning
// and assessment, strategic design, execution planning; §3.2: exit criteria
// set at the start and a handover to a permanent leader).
const (
	PhaseDiscover   = "discover"
	PhaseAssess     = "assess"
	PhaseStrategise = "strategise"
	PhaseExecute    = "execute"
	PhaseHandover   = "handover"
)

// Phases lists the phase keys in order.
var Phases = []string{PhaseDiscover, PhaseAssess, PhaseStrategise, PhaseExecute, PhaseHandover}

// PhaseLabels names the phases for people.
var PhaseLabels = map[string]string{
	PhaseDiscover: "Discover", PhaseAssess: "Assess", PhaseStrategise: "Strategise",
	PhaseExecute: "Execute", PhaseHandover: "Hand over",
}

// The windows of the 30/60/90-day plan.
const (
	Window30    = "0-30"
	Window60    = "31-60"
	Window90    = "61-90"
	WindowLater = "later"
)

// Windows lists the plan's windows in order.
var Windows = []string{Window30, Window60, Window90, WindowLater}

// WindowLabels names the windows for people.
var WindowLabels = map[string]string{
	Window30: "Days 0–30", Window60: "Days 31–60", Window90: "Days 61–90", WindowLater: "After day 90",
}

// MaxDay bounds the day of a plan item and the length of a phase: an
// interim engagement runs 6 to 12 months (practice.md §3.2), so two years
// leaves room.
const MaxDay = 730

// WindowOf returns the window of a plan item due day days after the start.
func WindowOf(day int) string {
	switch {
	case day <= 30:
		return Window30
	case day <= 60:
		return Window60
	case day <= 90:
		return Window90
	}
	return WindowLater
}

// WindowEnd returns the last day of a window, the default due day of an
// item placed in it without a date; later is day 120.
func WindowEnd(w string) int {
	switch w {
	case Window30:
		return 30
	case Window60:
		return 60
	case Window90:
		return 90
	}
	return 120
}

// Date is a calendar date written YYYY-MM-DD.
const Date = time.DateOnly

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) { return time.Parse(Date, s) }

// AddDays returns the date days after start (YYYY-MM-DD); start must parse.
func AddDays(start string, days int) string {
	t, err := ParseDate(start)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, days).Format(Date)
}

// DaysBetween returns the whole days from a to b (negative when b is
// earlier), or 0 when either does not parse.
func DaysBetween(a, b string) int {
	ta, err1 := ParseDate(a)
	tb, err2 := ParseDate(b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// PhaseDates is a phase with its planned first and last day.
type PhaseDates struct {
	Key   string `json:"key"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// PlanPhases lays the phases out one after another from start, each for
// its length in days, scaled to end when end is set (each phase keeps at
// least one day). It returns the phases and the end date used.
func PlanPhases(start, end string, lengths []PhaseLength) ([]PhaseDates, string) {
	total := 0
	for _, p := range lengths {
		total += max(p.Days, 1)
	}
	span := total
	if end != "" {
		if d := DaysBetween(start, end) + 1; d >= len(lengths) {
			span = d
		}
	}
	out := make([]PhaseDates, 0, len(lengths))
	day, cum := 0, 0
	for i, p := range lengths {
		cum += max(p.Days, 1)
		next := cum * span / max(total, 1)
		if i == len(lengths)-1 {
			next = max(span, day+1)
		}
		next = max(next, day+1)
		out = append(out, PhaseDates{Key: p.Key, Start: AddDays(start, day), End: AddDays(start, next-1)})
		day = next
	}
	span = max(span, day)
	return out, AddDays(start, span-1)
}

// CurrentPhase returns the key of the phase whose dates hold today, the
// last phase that started when today falls in a gap, "" before the first
// phase starts.
func CurrentPhase(phases []PhaseDates, today string) string {
	cur := ""
	for _, p := range phases {
		if p.Start <= today {
			cur = p.Key
		}
		if p.Start <= today && today <= p.End {
			return p.Key
		}
	}
	return cur
}

// Progress sums up how far an engagement is: deliverables and plan items
// done, and days elapsed of its planned length.
type Progress struct {
	DeliverablesDone  int `json:"deliverables_done"`
	DeliverablesTotal int `json:"deliverables_total"`
	ItemsDone         int `json:"plan_items_done"`
	ItemsTotal        int `json:"plan_items_total"`
	ItemsOverdue      int `json:"plan_items_overdue"`
	DaysElapsed       int `json:"days_elapsed"`
	DaysTotal         int `json:"days_total"`
}

// Percent returns part of whole as a whole percentage, 0 when whole is 0.
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return min(100, max(0, part*100/whole))
}

// Elapsed returns the days from start to today, clamped to the
// engagement's length (start to end, both included).
func Elapsed(start, end, today string) (elapsed, total int) {
	total = DaysBetween(start, end) + 1
	elapsed = DaysBetween(start, today) + 1
	return min(max(elapsed, 0), max(total, 0)), max(total, 0)
}

// ISOWeek returns the Monday of the week of a date (YYYY-MM-DD) and its ISO
// week label such as 2026-W48.
func ISOWeek(date string) (monday, label string, err error) {
	t, err := ParseDate(date)
	if err != nil {
		return "", "", err
	}
	wd := (int(t.Weekday()) + 6) % 7 // Monday 0
	m := t.AddDate(0, 0, -wd)
	y, w := m.ISOWeek()
	return m.Format(Date), fmt.Sprintf("%d-W%02d", y, w), nil
}
