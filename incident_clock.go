package caio

import (
	"slices"
	"strconv"
	"time"
)

// The EU AI Act Art 73 reporting clock of an incident, as a pure function
// of its facts and the time now.
//
// Art 73(1) asks providers of high-risk AI systems to report serious
// incidents to the market surveillance authorities of the Member States
// where they happened (Art 26(5) sends deployers the same way when they
// cannot reach the provider). The limits run from the moment the provider
// or deployer becomes aware of the incident:
//
//   - Art 73(2): immediately once a causal link with the AI system is
//     established or reasonably likely, and at the latest 15 days after;
//   - Art 73(3): at the latest 2 days after, for a widespread
//     infringement (Art 3(61)) or a serious incident of Art 3(49)(b);
//   - Art 73(4): at the latest 10 days after, where a person died.
//
// Where several apply, the shortest binds. caio counts a limit of n days
// as n × 24 hours from the recorded time of awareness: the strict reading,
// never later than a count to the end of the last day. The clock is
// computed for every serious incident and every widespread infringement,
// whether or not a linked system is classified high-risk, so that the
// organisation is ready when a classification changes and can see what it
// owes a provider; HighRisk says whether Art 73 binds it for certain.

// ReportDeadline is one limit of Art 73 that applies to an incident.
type ReportDeadline struct {
	Days    int       `json:"days"`
	Due     time.Time `json:"due"`
	Article string    `json:"article"` // such as "Art 73(3)"
	Reason  string    `json:"reason"`
}

// ReportClock is the Art 73 reporting clock of an incident at one moment.
type ReportClock struct {
	// Applies says a report is due: the incident is serious (Art 3(49)) or
	// a widespread infringement (Art 3(61)).
	Applies bool `json:"applies"`
	// Deadlines are every limit that applies, shortest first; the first
	// binds. Due, Days, Article and Reason repeat it.
	Deadlines []ReportDeadline `json:"deadlines"`
	Due       *time.Time       `json:"due"`
	Days      int              `json:"days"`
	Article   string           `json:"article"`
	Reason    string           `json:"reason"`
	// State is one of ClockStates.
	State string `json:"state"`
	// HoursLeft is the whole hours to the deadline, negative when it has
	// passed; DaysLeft the whole days. For a report, both are measured
	// from the report instead of now.
	HoursLeft int `json:"hours_left"`
	DaysLeft  int `json:"days_left"`
	// Summary says the state in a sentence, such as "4 days 3 hours left".
	Summary string `json:"summary"`
	// HighRisk says a linked system is classified high-risk.
	HighRisk bool `json:"high_risk"`
	// Notes explain the scope of Art 73 and Art 73(5)'s initial report.
	Notes []string `json:"notes"`
}

// ClockStates are the states of a reporting clock.
var ClockStates = []string{"not_required", "running", "overdue", "reported", "reported_late"}

// ClockFacts are what the reporting clock depends on.
type ClockFacts struct {
	Aware      time.Time
	Harms      []string
	Widespread bool
	Death      bool
	HighRisk   bool
	ReportedAt *time.Time
}

// Reporting periods of Art 73 in days.
const (
	ReportDaysGeneral    = 15 // Art 73(2)
	ReportDaysDeath      = 10 // Art 73(4)
	ReportDaysWidespread = 2  // Art 73(3)
)

// ReportingClock computes the Art 73 clock of an incident at now.
func ReportingClock(f ClockFacts, now time.Time) *ReportClock {
	c := &ReportClock{HighRisk: f.HighRisk, Deadlines: []ReportDeadline{}, Notes: []string{}}
	serious, _ := IsSerious(f.Harms)
	add := func(days int, article, reason string) {
		c.Deadlines = append(c.Deadlines, ReportDeadline{Days: days, Due: f.Aware.Add(time.Duration(days) * 24 * time.Hour), Article: article, Reason: reason})
	}
	if serious {
		add(ReportDaysGeneral, "Art 73(2)", "A serious incident (Art 3(49)) is reported as soon as a causal link with the AI system is established or reasonably likely, and at the latest 15 days after becoming aware of it.")
	}
	if f.Death {
		add(ReportDaysDeath, "Art 73(4)", "A person died: report as soon as a causal link with the AI system is established or suspected, and at the latest 10 days after becoming aware of the incident.")
	}
	if f.Widespread {
		add(ReportDaysWidespread, "Art 73(3)", "A widespread infringement (Art 3(61)) is reported immediately, and at the latest 2 days after becoming aware of it.")
	}
	if slices.Contains(f.Harms, "critical_infrastructure") {
		add(ReportDaysWidespread, "Art 73(3)", "A serious and irreversible disruption of critical infrastructure (Art 3(49)(b)) is reported immediately, and at the latest 2 days after becoming aware of it.")
	}
	if len(c.Deadlines) == 0 {
		c.State = "not_required"
		c.Summary = "No report is required under Art 73: the incident is neither serious (Art 3(49)) nor a widespread infringement (Art 3(61))."
		return c
	}
	slices.SortStableFunc(c.Deadlines, func(a, b ReportDeadline) int { return a.Days - b.Days })
	c.Applies = true
	bind := c.Deadlines[0]
	due := bind.Due
	c.Due, c.Days, c.Article, c.Reason = &due, bind.Days, bind.Article, bind.Reason
	at := now
	if f.ReportedAt != nil {
		at = *f.ReportedAt
	}
	left := due.Sub(at)
	c.HoursLeft = int(left / time.Hour)
	c.DaysLeft = c.HoursLeft / 24
	switch {
	case f.ReportedAt != nil && left >= 0:
		c.State = "reported"
		c.Summary = "Reported on time, " + ClockSpan(left) + " before the deadline."
	case f.ReportedAt != nil:
		c.State = "reported_late"
		c.Summary = "Reported " + ClockSpan(-left) + " after the deadline."
	case left >= 0:
		c.State = "running"
		c.Summary = ClockSpan(left) + " left to report."
	default:
		c.State = "overdue"
		c.Summary = "Overdue by " + ClockSpan(-left) + ": report now, incomplete if need be (Art 73(5))."
	}
	if f.HighRisk {
		c.Notes = append(c.Notes, "A linked AI system is classified high-risk, so Art 73 applies: its provider reports to the market surveillance authority of each Member State where the incident happened (Art 73(1)); a deployer informs the provider first, and reports itself if it cannot reach the provider (Art 26(5)).")
	} else {
		c.Notes = append(c.Notes, "No linked AI system is classified high-risk. Art 73 binds providers of high-risk AI systems (and their deployers through Art 26(5)); caio shows the clock for every serious incident so that you are ready if a classification changes.")
	}
	c.Notes = append(c.Notes, "Art 73(5): where needed to report in time, send an initial report that is incomplete and complete it afterwards.")
	return c
}

// ClockSpan writes a duration in days and hours for people, such as "4 days 3
// hours", "1 day", "5 hours" or "less than an hour".
func ClockSpan(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	h := int(d / time.Hour)
	days, hours := h/24, h%24
	unit := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	switch {
	case days > 0 && hours > 0:
		return unit(days, "day") + " " + unit(hours, "hour")
	case days > 0:
		return unit(days, "day")
	case hours > 0:
		return unit(hours, "hour")
	}
	return "less than an hour"
}
