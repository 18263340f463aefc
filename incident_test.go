package caio_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
)

// TestReportingClock checks the Art 73 limits at their boundaries: which
// limit binds, when the deadline falls, and the state just before, at and
// just after it.
func TestReportingClock(t *testing.T) {
	aware := time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)
	days := func(n int) time.Time { return aware.Add(time.Duration(n) * 24 * time.Hour) }
	at := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name    string
		facts   caio.ClockFacts
		now     time.Time
		applies bool
		days    int
		article string
		state   string
		limits  int // how many limits apply
		hours   int
	}{
		{name: "no harm of Art 3(49): no clock", facts: caio.ClockFacts{Harms: []string{"financial", "reputational"}}, now: days(30), state: "not_required"},
		{name: "no harm at all", facts: caio.ClockFacts{}, now: days(1), state: "not_required"},
		{name: "health harm: 15 days (Art 73(2))", facts: caio.ClockFacts{Harms: []string{"health"}}, now: days(1), applies: true, days: 15, article: "Art 73(2)", state: "running", limits: 1, hours: 14 * 24},
		{name: "fundamental rights: 15 days", facts: caio.ClockFacts{Harms: []string{"fundamental_rights"}}, now: aware, applies: true, days: 15, article: "Art 73(2)", state: "running", limits: 1, hours: 15 * 24},
		{name: "property: 15 days", facts: caio.ClockFacts{Harms: []string{"property_environment", "privacy"}}, now: aware, applies: true, days: 15, article: "Art 73(2)", state: "running", limits: 1, hours: 360},
		{name: "one second before 15 days", facts: caio.ClockFacts{Harms: []string{"health"}}, now: days(15).Add(-time.Second), applies: true, days: 15, article: "Art 73(2)", state: "running", limits: 1, hours: 0},
		{name: "at 15 days exactly: still in time", facts: caio.ClockFacts{Harms: []string{"health"}}, now: days(15), applies: true, days: 15, article: "Art 73(2)", state: "running", limits: 1, hours: 0},
		{name: "one second after 15 days: overdue", facts: caio.ClockFacts{Harms: []string{"health"}}, now: days(15).Add(time.Second), applies: true, days: 15, article: "Art 73(2)", state: "overdue", limits: 1, hours: 0},
		{name: "a day after 15 days", facts: caio.ClockFacts{Harms: []string{"health"}}, now: days(16), applies: true, days: 15, article: "Art 73(2)", state: "overdue", limits: 1, hours: -24},
		{name: "critical infrastructure: 2 days (Art 73(3))", facts: caio.ClockFacts{Harms: []string{"critical_infrastructure"}}, now: aware, applies: true, days: 2, article: "Art 73(3)", state: "running", limits: 2, hours: 48},
		{name: "critical infrastructure after 2 days", facts: caio.ClockFacts{Harms: []string{"critical_infrastructure"}}, now: days(2).Add(time.Minute), applies: true, days: 2, article: "Art 73(3)", state: "overdue", limits: 2},
		{name: "death: 10 days (Art 73(4))", facts: caio.ClockFacts{Harms: []string{"health"}, Death: true}, now: days(9), applies: true, days: 10, article: "Art 73(4)", state: "running", limits: 2, hours: 24},
		{name: "death at 10 days and a minute: overdue", facts: caio.ClockFacts{Harms: []string{"health"}, Death: true}, now: days(10).Add(time.Minute), applies: true, days: 10, article: "Art 73(4)", state: "overdue", limits: 2},
		{name: "widespread alone: 2 days", facts: caio.ClockFacts{Widespread: true}, now: days(1), applies: true, days: 2, article: "Art 73(3)", state: "running", limits: 1, hours: 24},
		{name: "widespread and fundamental rights: 2 days win", facts: caio.ClockFacts{Widespread: true, Harms: []string{"fundamental_rights"}}, now: days(1), applies: true, days: 2, article: "Art 73(3)", state: "running", limits: 2, hours: 24},
		{name: "death and widespread: 2 days win", facts: caio.ClockFacts{Widespread: true, Death: true, Harms: []string{"health"}}, now: aware, applies: true, days: 2, article: "Art 73(3)", state: "running", limits: 3, hours: 48},
		{name: "death and critical infrastructure: 2 days win", facts: caio.ClockFacts{Death: true, Harms: []string{"health", "critical_infrastructure"}}, now: aware, applies: true, days: 2, article: "Art 73(3)", state: "running", limits: 3},
		{name: "reported at the deadline: on time", facts: caio.ClockFacts{Harms: []string{"health"}, ReportedAt: at(days(15))}, now: days(40), applies: true, days: 15, article: "Art 73(2)", state: "reported", limits: 1, hours: 0},
		{name: "reported a minute late", facts: caio.ClockFacts{Harms: []string{"health"}, ReportedAt: at(days(15).Add(time.Minute))}, now: days(40), applies: true, days: 15, article: "Art 73(2)", state: "reported_late", limits: 1, hours: 0},
		{name: "reported early", facts: caio.ClockFacts{Harms: []string{"fundamental_rights"}, ReportedAt: at(days(3))}, now: days(40), applies: true, days: 15, article: "Art 73(2)", state: "reported", limits: 1, hours: 12 * 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.facts.Aware = aware
			c := caio.ReportingClock(tc.facts, tc.now)
			if c.Applies != tc.applies || c.State != tc.state {
				t.Fatalf("applies %v state %q, want %v %q (%s)", c.Applies, c.State, tc.applies, tc.state, c.Summary)
			}
			if !tc.applies {
				if c.Due != nil || len(c.Deadlines) != 0 || !strings.Contains(c.Summary, "No report is required") {
					t.Errorf("no clock, got %+v", c)
				}
				return
			}
			if c.Days != tc.days || c.Article != tc.article || !c.Due.Equal(days(tc.days)) || len(c.Deadlines) != tc.limits {
				t.Errorf("binds %d days %s due %v with %d limits, want %d %s %v with %d", c.Days, c.Article, c.Due, len(c.Deadlines), tc.days, tc.article, days(tc.days), tc.limits)
			}
			if !strings.Contains(c.Reason, "at the latest") {
				t.Errorf("no reason: %+v", c)
			}
			for k := 1; k < len(c.Deadlines); k++ {
				if c.Deadlines[k].Days < c.Deadlines[k-1].Days {
					t.Errorf("limits not shortest first: %+v", c.Deadlines)
				}
			}
			if tc.hours != 0 && c.HoursLeft != tc.hours {
				t.Errorf("hours left %d, want %d", c.HoursLeft, tc.hours)
			}
			if !slices.ContainsFunc(c.Notes, func(n string) bool { return strings.Contains(n, "Art 73(5)") }) {
				t.Errorf("notes lack Art 73(5): %v", c.Notes)
			}
		})
	}
}

// TestReportingClockHighRisk checks that the clock says whether Art 73 binds.
func TestReportingClockHighRisk(t *testing.T) {
	f := caio.ClockFacts{Aware: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Harms: []string{"health"}}
	now := f.Aware.Add(time.Hour)
	if c := caio.ReportingClock(f, now); !strings.Contains(c.Notes[0], "No linked AI system is classified high-risk") || c.HighRisk {
		t.Errorf("not high-risk: %+v", c.Notes)
	}
	f.HighRisk = true
	if c := caio.ReportingClock(f, now); !strings.Contains(c.Notes[0], "Art 73(1)") || !c.HighRisk {
		t.Errorf("high-risk: %+v", c.Notes)
	}
}

func TestClockSpan(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "less than an hour", 59 * time.Minute: "less than an hour", time.Hour: "1 hour", 25 * time.Hour: "1 day 1 hour",
		48 * time.Hour: "2 days", -50 * time.Hour: "2 days 2 hours", 14*24*time.Hour + 23*time.Hour: "14 days 23 hours",
	} {
		if got := caio.ClockSpan(d); got != want {
			t.Errorf("ClockSpan(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestIsSerious(t *testing.T) {
	if ok, why := caio.IsSerious([]string{"financial"}); ok || !strings.Contains(why[0], "not a serious incident") {
		t.Errorf("financial: %v %v", ok, why)
	}
	ok, why := caio.IsSerious([]string{"fundamental_rights", "critical_infrastructure"})
	if !ok || len(why) != 2 || !strings.Contains(why[0], "Art 3(49)(c)") || !strings.Contains(why[1], "Art 3(49)(b)") {
		t.Errorf("serious: %v %v", ok, why)
	}
}

// TestIncidentInputNormalize checks that every problem is named by its field.
func TestIncidentInputNormalize(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	ok := caio.IncidentInput{Title: " Leak ", AwareAt: "2026-11-20T14:30", Severity: "High", Death: true, Harms: []string{"privacy"},
		Systems: []string{caio.NewID("sys")}, OccurredAt: "2026-11-19"}
	if err := ok.Normalize(now); err != nil {
		t.Fatal(err)
	}
	if ok.Title != "Leak" || ok.Severity != "high" || ok.Status != "open" || !ok.Aware.Equal(time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)) ||
		!slices.Equal(ok.Harms, []string{"health", "privacy"}) || ok.AwareAt != "2026-11-20T14:30:00Z" || ok.Occurred == nil {
		t.Errorf("normalised %+v", ok)
	}
	tz := caio.IncidentInput{Title: "x", Severity: "low", AwareAt: "2026-11-20T14:30:00+01:00"}
	if err := tz.Normalize(now); err != nil || tz.Aware.Hour() != 13 {
		t.Errorf("zone: %v %v", tz.Aware, err)
	}
	tests := []struct {
		name   string
		in     caio.IncidentInput
		fields []string
	}{
		{"empty", caio.IncidentInput{}, []string{"title", "aware_at", "severity"}},
		{"bad times", caio.IncidentInput{Title: "x", Severity: "low", AwareAt: "yesterday", OccurredAt: "20/11/2026", ReportedAt: "2026-02-30"}, []string{"aware_at", "occurred_at", "reported_at"}},
		{"future", caio.IncidentInput{Title: "x", Severity: "low", AwareAt: "2026-11-28T00:00"}, []string{"aware_at"}},
		{"aware before occurred", caio.IncidentInput{Title: "x", Severity: "low", OccurredAt: "2026-11-21", AwareAt: "2026-11-20"}, []string{"aware_at"}},
		{"reported before aware, without authority", caio.IncidentInput{Title: "x", Severity: "low", AwareAt: "2026-11-20", ReportedAt: "2026-11-19"}, []string{"reported_at", "reported_to"}},
		{"reported status without a report", caio.IncidentInput{Title: "x", Severity: "low", AwareAt: "2026-11-20", Status: "reported"}, []string{"reported_at"}},
		{"unknown keys", caio.IncidentInput{Title: "x", Severity: "dire", AwareAt: "2026-11-20", Status: "lost", Harms: []string{"boredom"}, Systems: []string{"rsk_1"}}, []string{"severity", "status", "harms", "systems"}},
		{"too long", caio.IncidentInput{Title: strings.Repeat("t", 201), Severity: "low", AwareAt: "2026-11-20", Owner: strings.Repeat("o", 201), LessonsLearnt: strings.Repeat("l", 10001)}, []string{"title", "owner", "lessons_learnt"}},
	}
	for _, tc := range tests {
		err := tc.in.Normalize(now)
		var got []string
		for _, p := range caio.ErrorFields(err) {
			got = append(got, p.Field)
		}
		for _, f := range tc.fields {
			if !slices.Contains(got, f) {
				t.Errorf("%s: problems %v lack %s (%v)", tc.name, got, f, err)
			}
		}
	}
	var a caio.CorrectiveInput
	if err := a.Normalize(); err == nil || caio.ErrorFields(err)[0].Field != "description" {
		t.Errorf("empty action: %v", err)
	}
	a = caio.CorrectiveInput{Description: "Retrain", Due: "2027-13-01", Status: "never"}
	if n := len(caio.ErrorFields(a.Normalize())); n != 2 {
		t.Errorf("bad action: %d problems", n)
	}
}

// FuzzIncidentInput feeds arbitrary text to the incident input: Normalize
// must not panic, must name a field for every problem, and an accepted
// input must be accepted again unchanged (it is canonical).
func FuzzIncidentInput(f *testing.F) {
	f.Add("Leak", "2026-11-20T14:30", "2026-11-19", "", "high", "health,privacy", "open", "", false, false)
	f.Add("", "yesterday", "", "2026-11-21", "dire", "boredom", "lost", "MSA", true, true)
	f.Add("x", "2026-11-20T14:30:00+14:00", "0000-01-01", "9999-12-31", "low", ",,,", "reported", "\x00", false, true)
	f.Add("x", "2026-11-20 14:30", "2026-11-20T14:30:00.999999999Z", "2026-11-20T15:00", "critical", "critical_infrastructure", "closed", "Authority", true, false)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, title, aware, occurred, reported, severity, harms, status, to string, death, widespread bool) {
		in := caio.IncidentInput{Title: title, AwareAt: aware, OccurredAt: occurred, ReportedAt: reported, Severity: severity,
			Harms: strings.Split(harms, ","), Status: status, ReportedTo: to, Death: death, Widespread: widespread}
		err := in.Normalize(now)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID || len(caio.ErrorFields(err)) == 0 {
				t.Fatalf("error without fields: %v", err)
			}
			return
		}
		again := in
		again.Harms = slices.Clone(in.Harms)
		if err := again.Normalize(now); err != nil {
			t.Fatalf("accepted input refused the second time: %v", err)
		}
		if again.AwareAt != in.AwareAt || !slices.Equal(again.Harms, in.Harms) || again.OccurredAt != in.OccurredAt || again.ReportedAt != in.ReportedAt {
			t.Fatalf("not canonical: %+v then %+v", in, again)
		}
		c := caio.ReportingClock(caio.ClockFacts{Aware: in.Aware, Harms: in.Harms, Widespread: in.Widespread, Death: in.Death, ReportedAt: in.Reported}, now)
		if serious, _ := caio.IsSerious(in.Harms); (serious || in.Widespread) != c.Applies {
			t.Fatalf("clock applies %v for serious %v widespread %v", c.Applies, serious, in.Widespread)
		}
	})
}
