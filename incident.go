package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AI incidents: what happened with an AI system, the harm it did, whether
// that makes it a serious incident under EU AI Act Art 3(49), the Art 73
// reporting clock that runs from the moment the organisation became aware
// of it, and the corrective actions and lessons that follow.

// IncidentStatuses are the states of an incident, in order.
var IncidentStatuses = []string{"open", "investigating", "reported", "resolved", "closed"}

// IncidentSeverities are the severities of an incident, least first.
var IncidentSeverities = []string{"low", "medium", "high", "critical"}

// CorrectiveStatuses are the states of a corrective action, in order.
var CorrectiveStatuses = []string{"planned", "in_progress", "done", "cancelled"}

// Bounds of an incident's lists.
const (
	// MaxIncidentSystems bounds the AI systems one incident is linked to.
	MaxIncidentSystems = 100
	// MaxCorrectiveActions bounds the corrective actions of one incident.
	MaxCorrectiveActions = 100
)

// HarmType is one kind of harm an incident may do. The four with a Limb
// are the points of Art 3(49): any of them makes the incident a serious
// incident. The others are recorded for the organisation's own learning.
type HarmType struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Limb is the point of Art 3(49), "a" to "d", or "" for harm that does
	// not by itself make an incident serious.
	Limb string `json:"limb,omitempty"`
	// Ref cites the provision, such as "Art 3(49)(b)", or "".
	Ref  string `json:"ref,omitempty"`
	Hint string `json:"hint,omitempty"`
}

// Serious reports whether the harm is one of the points of Art 3(49).
func (h HarmType) Serious() bool { return h.Limb != "" }

// HarmTypes are the kinds of harm, the Art 3(49) points first.
var HarmTypes = []HarmType{
	{Key: "health", Label: "A person died, or a person's health was seriously harmed", Limb: "a", Ref: "Art 3(49)(a)"},
	{Key: "critical_infrastructure", Label: "Serious and irreversible disruption of how critical infrastructure is managed or operated", Limb: "b", Ref: "Art 3(49)(b)",
		Hint: "Sets the two-day reporting limit of Art 73(3)."},
	{Key: "fundamental_rights", Label: "Breach of obligations under Union law that protect fundamental rights", Limb: "c", Ref: "Art 3(49)(c)",
		Hint: "Such as unlawful discrimination or a breach of data protection law."},
	{Key: "property_environment", Label: "Serious harm to property or to the environment", Limb: "d", Ref: "Art 3(49)(d)"},
	{Key: "financial", Label: "Financial loss", Hint: "Not serious harm to property."},
	{Key: "reputational", Label: "Harm to reputation or trust"},
	{Key: "privacy", Label: "Privacy or personal data exposed", Hint: "Choose the fundamental rights point as well when it breaches Union law such as the GDPR."},
	{Key: "service", Label: "Service disruption or wrong outputs, without the harm above"},
	{Key: "other", Label: "Other harm"},
}

// HarmKeys lists the keys of HarmTypes, in order.
func HarmKeys() []string {
	out := make([]string, len(HarmTypes))
	for i, h := range HarmTypes {
		out[i] = h.Key
	}
	return out
}

// Harm returns the harm type of a key.
func Harm(key string) (HarmType, bool) {
	for _, h := range HarmTypes {
		if h.Key == key {
			return h, true
		}
	}
	return HarmType{}, false
}

// SeverityRank returns 1 (low) to 4 (critical), or 0 for an unknown severity.
func SeverityRank(s string) int { return slices.Index(IncidentSeverities, s) + 1 }

// IsSerious reports whether harms include a point of Art 3(49), with the
// reasons, each citing its point; without one, the reason says so.
func IsSerious(harms []string) (bool, []string) {
	var reasons []string
	for _, k := range harms {
		if h, ok := Harm(k); ok && h.Serious() {
			reasons = append(reasons, h.Ref+": "+h.Label+".")
		}
	}
	if len(reasons) == 0 {
		return false, []string{"No harm of Art 3(49) points (a) to (d) is recorded, so this is not a serious incident under the EU AI Act."}
	}
	return true, reasons
}

// Incident is an event or malfunction of one or more AI systems of the
// organisation.
type Incident struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	Title       string `json:"title"`
	Description string `json:"description"` // what happened
	// OccurredAt is when it happened, nil when unknown; AwareAt when the
	// organisation became aware of it, from which the Art 73 clock runs.
	OccurredAt *time.Time `json:"occurred_at"`
	AwareAt    time.Time  `json:"aware_at"`
	// Harms are keys of HarmTypes, in their order.
	Harms    []string `json:"harms"`
	Severity string   `json:"severity"` // one of IncidentSeverities
	// Serious is derived from Harms: a point of Art 3(49) is among them.
	Serious bool `json:"serious"`
	// Widespread marks a widespread infringement (Art 3(61)); Death that a
	// person died (Art 73(4)).
	Widespread bool   `json:"widespread"`
	Death      bool   `json:"death"`
	Status     string `json:"status"` // one of IncidentStatuses
	// ReportedAt is when it was reported to the market surveillance
	// authority, nil when not yet; ReportedTo names the authority.
	ReportedAt    *time.Time `json:"reported_at"`
	ReportedTo    string     `json:"reported_to"`
	Owner         string     `json:"owner"`
	LessonsLearnt string     `json:"lessons_learnt"`
	// ReportDue is the binding Art 73 deadline, nil when no clock runs;
	// stored with the incident so lists sort and filter by it.
	ReportDue *time.Time `json:"report_due"`
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`

	// The services fill these when they read an incident.
	Systems        []IncidentSystem `json:"systems"`
	HighRisk       bool             `json:"high_risk"` // a linked system is classified high-risk
	SeriousReasons []string         `json:"serious_reasons"`
	Clock          *ReportClock     `json:"clock"`
	// Actions are filled when one incident is read, not in lists.
	Actions []*CorrectiveAction `json:"actions,omitempty"`
}

// IncidentSystem is an AI system an incident is linked to.
type IncidentSystem struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"` // the system's EU AI Act class, "" when not classified
}

// SystemIDs returns the IDs of the linked systems.
func (i *Incident) SystemIDs() []string {
	out := make([]string, len(i.Systems))
	for k, s := range i.Systems {
		out[k] = s.ID
	}
	return out
}

// ClockFacts returns what the reporting clock reads of the incident.
func (i *Incident) ClockFacts() ClockFacts {
	return ClockFacts{Aware: i.AwareAt, Harms: i.Harms, Widespread: i.Widespread, Death: i.Death, HighRisk: i.HighRisk, ReportedAt: i.ReportedAt}
}

// Derive fills the fields that follow from the others: Serious, its
// reasons, HighRisk from the systems' classes, ReportDue and the clock at now.
func (i *Incident) Derive(now time.Time) {
	i.HighRisk = false
	for _, s := range i.Systems {
		i.HighRisk = i.HighRisk || s.Class == "high_risk"
	}
	i.Serious, i.SeriousReasons = IsSerious(i.Harms)
	i.Clock = ReportingClock(i.ClockFacts(), now)
	i.ReportDue = i.Clock.Due
}

// Input returns the incident's editable fields as an input, for partial updates.
func (i *Incident) Input() IncidentInput {
	return IncidentInput{Title: i.Title, Description: i.Description, OccurredAt: incidentTime(i.OccurredAt), AwareAt: incidentTime(&i.AwareAt),
		Harms: slices.Clone(i.Harms), Severity: i.Severity, Widespread: i.Widespread, Death: i.Death, Status: i.Status,
		ReportedAt: incidentTime(i.ReportedAt), ReportedTo: i.ReportedTo, Owner: i.Owner, LessonsLearnt: i.LessonsLearnt, Systems: i.SystemIDs()}
}

func incidentTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Fields returns the incident's editable fields, for audit diffs.
func (i *Incident) Fields() map[string]any {
	return map[string]any{"title": i.Title, "description": i.Description, "occurred_at": incidentTime(i.OccurredAt),
		"aware_at": incidentTime(&i.AwareAt), "harms": strings.Join(i.Harms, ","), "severity": i.Severity, "serious": i.Serious,
		"widespread": i.Widespread, "death": i.Death, "status": i.Status, "reported_at": incidentTime(i.ReportedAt),
		"reported_to": i.ReportedTo, "owner": i.Owner, "lessons_learnt": i.LessonsLearnt, "report_due": incidentTime(i.ReportDue),
		"systems": strings.Join(i.SystemIDs(), ",")}
}

// IncidentInput is what a person may set on an incident. Times are text:
// RFC 3339 (2026-11-20T14:30:00Z), a local form's 2026-11-20T14:30 (read
// as UTC) or a date (midnight UTC). Systems replace the incident's links.
type IncidentInput struct {
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	OccurredAt    string   `json:"occurred_at"`
	AwareAt       string   `json:"aware_at"`
	Harms         []string `json:"harms"`
	Severity      string   `json:"severity"`
	Widespread    bool     `json:"widespread"`
	Death         bool     `json:"death"`
	Status        string   `json:"status"`
	ReportedAt    string   `json:"reported_at"`
	ReportedTo    string   `json:"reported_to"`
	Owner         string   `json:"owner"`
	LessonsLearnt string   `json:"lessons_learnt"`
	Systems       []string `json:"systems"`

	// Occurred, Aware and Reported are the times read by Normalize.
	Occurred *time.Time `json:"-"`
	Aware    time.Time  `json:"-"`
	Reported *time.Time `json:"-"`
}

// incidentTimeLayouts are the ways a time may be written, UTC unless the
// text carries a zone.
var incidentTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly}

// ParseIncidentTime reads a time written in one of the accepted ways,
// in UTC, to the second.
func ParseIncidentTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range incidentTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC().Truncate(time.Second)
			if t.Year() < 1970 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// incidentFutureSlack is how far ahead of the server's clock a time may be, for
// clients whose clocks run a little fast.
const incidentFutureSlack = 5 * time.Minute

// Normalize trims the input, fills the default status, reads the times
// and returns an EINVALID error naming every field to fix. now is the
// current time: no time may be later. A death counts as harm to health,
// point (a) of Art 3(49), which is added to the harms.
func (in *IncidentInput) Normalize(now time.Time) error {
	var v Validation
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		v.Add("title", "is required")
	}
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"description", &in.Description, 10000},
		textRule{"owner", &in.Owner, 200}, textRule{"reported_to", &in.ReportedTo, 200}, textRule{"lessons_learnt", &in.LessonsLearnt, 10000},
		textRule{"occurred_at", &in.OccurredAt, 40}, textRule{"aware_at", &in.AwareAt, 40}, textRule{"reported_at", &in.ReportedAt, 40})
	read := func(field, s string, required bool) *time.Time {
		if v.has(field) {
			return nil
		}
		if s == "" {
			if required {
				v.Add(field, "is required: the date and time, such as 2026-11-20T14:30 (UTC)")
			}
			return nil
		}
		t, ok := ParseIncidentTime(s)
		if !ok {
			v.Add(field, "must be a date and time such as 2026-11-20T14:30 (UTC) or 2026-11-20T14:30:00+01:00")
			return nil
		}
		if !now.IsZero() && t.After(now.Add(incidentFutureSlack)) {
			v.Add(field, "must not be in the future")
			return nil
		}
		return &t
	}
	in.Occurred = read("occurred_at", in.OccurredAt, false)
	aware := read("aware_at", in.AwareAt, true)
	in.Reported = read("reported_at", in.ReportedAt, false)
	if aware != nil {
		in.Aware = *aware
		in.AwareAt = aware.Format(time.RFC3339)
		if in.Occurred != nil && aware.Before(*in.Occurred) {
			v.Add("aware_at", "must not be before the incident occurred")
		}
		if in.Reported != nil && in.Reported.Before(*aware) {
			v.Add("reported_at", "must not be before the organisation became aware of the incident")
		}
	}
	if in.Occurred != nil {
		in.OccurredAt = in.Occurred.Format(time.RFC3339)
	}
	if in.Reported != nil {
		in.ReportedAt = in.Reported.Format(time.RFC3339)
	}
	if in.Death {
		in.Harms = append(in.Harms, "health")
	}
	in.Harms = keyList(&v, "harms", in.Harms, HarmKeys())
	in.Severity = strings.ToLower(strings.TrimSpace(in.Severity))
	if in.Severity == "" {
		v.Add("severity", "is required: one of "+strings.Join(IncidentSeverities, ", "))
	} else if !slices.Contains(IncidentSeverities, in.Severity) {
		v.Add("severity", "must be one of "+strings.Join(IncidentSeverities, ", "))
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "open"
	} else if !slices.Contains(IncidentStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(IncidentStatuses, ", "))
	}
	if in.ReportedAt != "" && in.ReportedTo == "" && !v.has("reported_to") {
		v.Add("reported_to", "is required with a report: name the market surveillance authority it went to")
	}
	if in.Status == "reported" && in.ReportedAt == "" && !v.has("reported_at") {
		v.Add("reported_at", "is required when the status is reported: when did the report go out?")
	}
	in.Systems = incidentIDList(&v, "systems", "sys", in.Systems, MaxIncidentSystems)
	return v.Err()
}

// incidentIDList trims, checks and de-duplicates IDs with the prefix, sorted.
func incidentIDList(v *Validation, field, prefix string, in []string, most int) []string {
	out := []string{}
	for _, id := range in {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(out, id) {
			continue
		}
		if !ValidID(prefix, id) {
			v.Add(field, "has "+quote(id)+", which is not an id of the form "+prefix+"_…")
			continue
		}
		out = append(out, id)
	}
	if len(out) > most {
		v.Add(field, "must name at most "+strconv.Itoa(most))
	}
	slices.Sort(out)
	return out
}

// CorrectiveAction is one thing done so that an incident does not happen
// again, or does less harm (Art 73(6) asks providers for corrective action).
type CorrectiveAction struct {
	ID          string    `json:"id"`
	IncidentID  string    `json:"incident_id"`
	Description string    `json:"description"`
	Owner       string    `json:"owner"`
	Due         string    `json:"due"`    // YYYY-MM-DD, or ""
	Status      string    `json:"status"` // one of CorrectiveStatuses
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Overdue says the action is not done or cancelled and its due date
	// has passed; filled when read.
	Overdue bool `json:"overdue"`
}

// ActionOverdue reports whether the action is still to do and its due date
// is before today (YYYY-MM-DD).
func (a *CorrectiveAction) ActionOverdue(today string) bool {
	return (a.Status == "planned" || a.Status == "in_progress") && a.Due != "" && a.Due < today
}

// Fields returns the action's editable fields, for audit diffs.
func (a *CorrectiveAction) Fields() map[string]any {
	return map[string]any{"description": a.Description, "owner": a.Owner, "due": a.Due, "status": a.Status}
}

// CorrectiveInput is what a person may set on a corrective action.
type CorrectiveInput struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
	Status      string `json:"status"`
}

// Normalize trims the input, fills the default status and returns an
// EINVALID error naming every field to fix.
func (in *CorrectiveInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"description", &in.Description, 2000}, textRule{"owner", &in.Owner, 200}, textRule{"due", &in.Due, 10})
	if in.Description == "" && !v.has("description") {
		v.Add("description", "is required: say what will be done")
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "planned"
	} else if !slices.Contains(CorrectiveStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(CorrectiveStatuses, ", "))
	}
	checkDate(&v, "due", in.Due)
	return v.Err()
}

// IncidentFilter selects incidents. Nil fields do not filter.
type IncidentFilter struct {
	// Query matches the title, description and owner, case-insensitively.
	Query *string
	// Status keeps incidents of one of IncidentStatuses; Severity likewise.
	Status   *string
	Severity *string
	// System keeps incidents linked to this AI system.
	System *string
	// Serious keeps serious incidents under Art 3(49) (true) or the others.
	Serious *bool
	// Overdue keeps incidents whose Art 73 deadline has passed without a
	// report (true), or the others (false).
	Overdue *bool
	// Sort is one of IncidentSorts (default "-aware").
	Sort string
	Page
}

// IncidentSorts lists the accepted values of IncidentFilter.Sort.
// Incidents without a reporting deadline come last in the "due" order.
var IncidentSorts = []string{"-aware", "aware", "due", "-severity", "-created", "created", "title", "-title", "-updated", "updated"}

// Normalize checks the filter's values, naming the field of each problem.
func (f *IncidentFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(IncidentSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(IncidentSorts, ", "))
	}
	if f.Status != nil && !slices.Contains(IncidentStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(IncidentStatuses, ", "))
	}
	if f.Severity != nil && !slices.Contains(IncidentSeverities, *f.Severity) {
		v.Add("severity", "must be one of "+strings.Join(IncidentSeverities, ", "))
	}
	if f.System != nil && !ValidID("sys", *f.System) {
		v.Add("system", "must be the id of an AI system, sys_…")
	}
	return v.Err()
}

// IncidentService manages the incidents of the actor's organisation. Reads
// need PermRead, changes PermEdit; every change is one event in the audit
// trail. IDs of another organisation, and malformed IDs, are reported as
// not found. Every incident read carries its Art 73 reporting clock at the
// time of the read.
type IncidentService interface {
	// FindIncident returns one incident with its systems, clock and
	// corrective actions, or ENOTFOUND.
	FindIncident(ctx context.Context, id string) (*Incident, error)
	// FindIncidents returns a page of incidents, each with its systems and
	// clock, and the total that match; EINVALID names a bad filter value.
	FindIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, int, error)
	// CreateIncident stores a new incident at version 1. EINVALID names
	// each field to fix, including a system of another organisation.
	CreateIncident(ctx context.Context, in IncidentInput) (*Incident, error)
	// UpdateIncident replaces the editable fields and the systems. When
	// version is not zero and differs from the stored version, returns
	// ECONFLICT.
	UpdateIncident(ctx context.Context, id string, version int, in IncidentInput) (*Incident, error)
	// DeleteIncident removes an incident with its links and corrective actions.
	DeleteIncident(ctx context.Context, id string) error
	// AddCorrectiveAction adds a corrective action to an incident;
	// ECONFLICT when it has MaxCorrectiveActions already.
	AddCorrectiveAction(ctx context.Context, incidentID string, in CorrectiveInput) (*CorrectiveAction, error)
	// UpdateCorrectiveAction replaces an action's fields; ENOTFOUND when
	// the incident has no such action.
	UpdateCorrectiveAction(ctx context.Context, incidentID, actionID string, in CorrectiveInput) (*CorrectiveAction, error)
	// DeleteCorrectiveAction removes a corrective action.
	DeleteCorrectiveAction(ctx context.Context, incidentID, actionID string) error
}
