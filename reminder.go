package caio

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Reminders: the dates by which something must be done — an EU AI Act
// obligation that applies to a system, a review the organisation set itself,
// a treatment of a risk, and what other areas add (policy acknowledgements,
// incident reporting clocks, tasks) — gathered in one list per person and
// sent as a daily email digest when the server has a mail relay.

// The kinds of deadline caio knows today. Other areas add their own kinds
// (such as "acknowledgement", "incident_clock" or "task"); a kind is any
// lower-case word of letters and underscores.
const (
	// DeadlineObligation is an open control: an EU AI Act obligation that
	// applies from a date in law, or the organisation's own target date
	// for implementing a requirement.
	DeadlineObligation = "obligation"
	// DeadlineControlReview is the review date set on a control.
	DeadlineControlReview = "control_review"
	// DeadlineRiskReview is the review date of a risk that is not closed.
	DeadlineRiskReview = "risk_review"
	// DeadlineRiskTreatment is the due date of a planned or running treatment of a risk.
	DeadlineRiskTreatment = "risk_treatment"
)

// DeadlineKindLabels names the kinds of deadline for people, singular. Areas
// that add a kind may add its label from an init function.
var DeadlineKindLabels = map[string]string{
	DeadlineObligation: "Obligation", DeadlineControlReview: "Control review", DeadlineRiskReview: "Risk review",
	DeadlineRiskTreatment: "Risk treatment", "policy_review": "Policy review", "acknowledgement": "Policy acknowledgement",
	"incident_clock": "Incident reporting clock", "task": "Task",
}

// DeadlineKindLabel names a kind of deadline; an unknown kind is shown with
// spaces for its underscores.
func DeadlineKindLabel(kind string) string {
	if l, ok := DeadlineKindLabels[kind]; ok {
		return l
	}
	s := strings.ReplaceAll(kind, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Limits of reminders.
const (
	// DefaultDeadlineDays is how far ahead the reminders page looks when
	// not told: a quarter, since governance dates are set months ahead.
	DefaultDeadlineDays = 90
	// MaxDeadlineDays is the furthest ahead a list or a digest looks: two
	// years, so the EU AI Act's later application dates are in sight.
	MaxDeadlineDays = 730
	// DefaultDigestDays is how far ahead the daily digest looks when not told.
	DefaultDigestDays = 14
)

// Deadline is one date by which something must be done, with why that date
// and where it is done. Deadlines are derived on every read from the
// objects that carry them; none is stored.
type Deadline struct {
	// Kind says what is due, such as obligation or risk_review.
	Kind string `json:"kind"`
	// Title says what to do, for people: "Implement EU AI Act Art 26 for CV screening".
	Title string `json:"title"`
	// Due is the date, YYYY-MM-DD.
	Due string `json:"due"`
	// Source says why this date: the article of law that applies from it,
	// or who set it and where.
	Source string `json:"source"`
	// Link is the path of the page where the work is done, such as /controls/ctl_….
	Link string `json:"link"`
	// ObjectKind and ObjectID name the object the deadline belongs to
	// (control, risk, …); with Kind they identify the deadline.
	ObjectKind string `json:"object_kind"`
	ObjectID   string `json:"object_id"`
	// Owner is the free-text owner of the object, as people wrote it.
	Owner string `json:"owner,omitempty"`
	// UserID is the member the deadline is assigned to, when it is assigned
	// to a member rather than described by an owner's name.
	UserID string `json:"user_id,omitempty"`
	// Overdue says the date has passed; DaysLeft counts the days from today
	// to the date (negative when overdue, 0 on the day).
	Overdue  bool `json:"overdue"`
	DaysLeft int  `json:"days_left"`
}

// Key identifies a deadline: one per kind and object.
func (d *Deadline) Key() string { return d.Kind + "\x00" + d.ObjectKind + "\x00" + d.ObjectID }

// SetToday fills Overdue and DaysLeft from today (YYYY-MM-DD). A date that
// cannot be read counts as due today.
func (d *Deadline) SetToday(today string) {
	t, err1 := time.Parse(time.DateOnly, today)
	due, err2 := time.Parse(time.DateOnly, d.Due)
	if err1 != nil || err2 != nil {
		d.Overdue, d.DaysLeft = false, 0
		return
	}
	d.DaysLeft = int(due.Sub(t).Hours() / 24)
	d.Overdue = d.DaysLeft < 0
}

// AddDays returns the date n days after day (YYYY-MM-DD); day itself when it
// cannot be read.
func AddDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

var deadlineKindPattern = regexp.MustCompile(`^[a-z][a-z_]{0,39}$`)

// ValidDeadlineKind reports whether s is written as a kind of deadline:
// lower-case letters and underscores, up to 40.
func ValidDeadlineKind(s string) bool { return deadlineKindPattern.MatchString(s) }

// DeadlineFilter selects deadlines. Overdue deadlines are always included;
// Within says how many days ahead of today to look.
type DeadlineFilter struct {
	// Within is the number of days ahead, 0 to MaxDeadlineDays; 0 keeps
	// what is overdue or due today. Nil means DefaultDeadlineDays.
	Within *int
	// Mine keeps the deadlines of the actor (see Deadline assignment in
	// docs/reminders.md): assigned to them, owned by their name or email,
	// or, for a deadline nobody among the members owns, every member who
	// may edit.
	Mine bool
	// Kind keeps one kind of deadline.
	Kind *string
	Page
}

// Days returns the number of days ahead the filter looks.
func (f *DeadlineFilter) Days() int {
	if f.Within == nil {
		return DefaultDeadlineDays
	}
	return *f.Within
}

// Normalize checks the filter, naming the field of each problem.
func (f *DeadlineFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Within != nil && (*f.Within < 0 || *f.Within > MaxDeadlineDays) {
		v.Add("within", "must be a number of days from 0 to "+strconv.Itoa(MaxDeadlineDays))
	}
	if f.Kind != nil && !ValidDeadlineKind(*f.Kind) {
		v.Add("kind", "must be a kind of deadline such as obligation, control_review or risk_review")
	}
	return v.Err()
}

// ReminderPreferences are one member's reminder settings in one
// organisation. Without a saved choice the digest is on.
type ReminderPreferences struct {
	// Digest says whether the member receives the daily email digest of
	// this organisation's deadlines.
	Digest bool `json:"digest"`
	// UpdatedAt is when the member last changed them; nil for the defaults.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// ReminderService gathers deadlines and keeps each member's reminder
// settings. Reads need PermRead; a member changes only their own settings,
// which also needs PermRead only, and is audited.
type ReminderService interface {
	// Deadlines returns a page of the organisation's open deadlines that
	// match, overdue first then by date, and the total that match.
	// EINVALID names a bad filter value.
	Deadlines(ctx context.Context, f DeadlineFilter) ([]*Deadline, int, error)
	// ReminderPreferences returns the actor's settings in their current
	// organisation; EFORBIDDEN for an actor that is not a member (the system).
	ReminderPreferences(ctx context.Context) (*ReminderPreferences, error)
	// SetReminderPreferences stores the actor's settings and records
	// reminder.preferences in the audit trail.
	SetReminderPreferences(ctx context.Context, p ReminderPreferences) (*ReminderPreferences, error)
}
