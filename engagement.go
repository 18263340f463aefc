package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The interim engagement: an interim or fractional Chief AI Officer's
// mandate in one organisation, with its sponsor, dates, goals and phases, a
// 30/60/90-day plan, the deliverables it must leave behind, its progress
// and weekly status notes (practice.md §3.1 and §3.2). An organisation has
// at most one active engagement; closed ones are kept. A consultant saves
// an engagement as a template of their own and starts the next client from
// it.

// Engagement statuses.
const (
	EngagementActive = "active"
	EngagementClosed = "closed"
)

// EngagementPhaseKeys are the phases of an engagement, in order.
var EngagementPhaseKeys = []string{"discover", "assess", "strategise", "execute", "handover"}

// PlanWindows are the windows of the 30/60/90-day plan, in order.
var PlanWindows = []string{"0-30", "31-60", "61-90", "later"}

// PlanStatuses are the states of a plan item, in order.
var PlanStatuses = []string{"todo", "doing", "done"}

// RAGStatuses are the ratings of a weekly status note: green (on track),
// amber (at risk) and red (off track). Pages always show the word.
var RAGStatuses = []string{"green", "amber", "red"}

// Limits of an engagement.
const (
	MaxEngagementGoals = 30
	MaxPlanItems       = 300
	// MaxEngagementDays bounds an engagement's length: 6 to 12 months is
	// typical (practice.md §3.2), two years is generous.
	MaxEngagementDays = 731
)

// DeliverableInfo describes one deliverable of the checklist.
type DeliverableInfo struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Why says what the deliverable is for, with its source.
	Why string `json:"why"`
	// Source cites the practice note the deliverable comes from.
	Source string `json:"source"`
}

// Deliverables is the checklist of an engagement, in order (practice.md
// §3.2, "Deliverables", numbers in brackets; §3.1 for the clocks).
var Deliverables = []DeliverableInfo{
	{"inventory_complete", "Inventory complete", "Every AI system in use is recorded with an owner and classified, shadow AI included.", "practice.md §3.1 (days 1–30) and §3.2 (2)"},
	{"readiness_baseline", "Readiness baseline", "A readiness assessment sets the maturity baseline the engagement is measured against.", "practice.md §3.2 (1)"},
	{"strategy_approved", "Strategy approved", "An AI strategy with a vision and priorities tied to business objectives.", "practice.md §3.2 (6)"},
	{"governance_board", "Governance board running", "A board with a charter and decision rights meets and decides; M-24-10 asked for one within 60 days.", "practice.md §3.1 and §3.2 (4)"},
	{"policies_approved", "Policies approved", "An interim usage policy first, then the full AI policy set, approved.", "practice.md §3.2 (3)"},
	{"portfolio_prioritised", "Portfolio prioritised", "Every active use case is rated the same way, so the portfolio can be ranked.", "practice.md §3.2 (5)"},
	{"pilot_use_cases", "First use cases in pilot", "At least one visible use case has reached pilot or production.", "practice.md §3.2 (7)"},
	{"successor_hired", "Successor hired and onboarded", "A permanent leader is hired and works alongside the interim before handover.", "practice.md §3.2 (10, 11)"},
}

// DeliverableInfoOf returns the deliverable with the key, or false.
func DeliverableInfoOf(key string) (DeliverableInfo, bool) {
	for _, d := range Deliverables {
		if d.Key == key {
			return d, true
		}
	}
	return DeliverableInfo{}, false
}

// EngagementPhase is a phase with its planned dates (YYYY-MM-DD).
type EngagementPhase struct {
	Key   string `json:"key"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// Engagement is an interim CAIO's mandate in one organisation.
type Engagement struct {
	ID      string            `json:"id"`
	OrgID   string            `json:"org_id"`
	Title   string            `json:"title"`
	Sponsor string            `json:"sponsor"`
	Start   string            `json:"start"`
	End     string            `json:"end"`
	Goals   []string          `json:"goals"`
	Phases  []EngagementPhase `json:"phases"`
	Status  string            `json:"status"`
	// Template names the plan template the engagement started from.
	Template  string     `json:"template"`
	Version   int        `json:"version"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// Final is the deliverables checklist as it stood when the engagement
	// was closed; nil while it is active.
	Final []Deliverable `json:"final,omitempty"`
}

// Fields returns the engagement's editable fields, for audit diffs.
func (e *Engagement) Fields() map[string]any {
	ph := make([]string, len(e.Phases))
	for i, p := range e.Phases {
		ph[i] = p.Key + " " + p.Start + ".." + p.End
	}
	return map[string]any{"title": e.Title, "sponsor": e.Sponsor, "start": e.Start, "end": e.End,
		"goals": strings.Join(e.Goals, "; "), "phases": strings.Join(ph, ", "), "status": e.Status}
}

// EngagementInput is what a person sets on an engagement. Phases may be
// left out: they are then planned from the start (and end) by the plan
// template's lengths. End may be left out: it then follows from the phases.
type EngagementInput struct {
	Title   string            `json:"title"`
	Sponsor string            `json:"sponsor"`
	Start   string            `json:"start"`
	End     string            `json:"end"`
	Goals   []string          `json:"goals"`
	Phases  []EngagementPhase `json:"phases"`
}

// Normalize trims the input and names every field to fix.
func (in *EngagementInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"sponsor", &in.Sponsor, 200},
		textRule{"start", &in.Start, 10}, textRule{"end", &in.End, 10})
	if in.Title == "" && !v.has("title") {
		in.Title = "Interim CAIO engagement"
	}
	if in.Sponsor == "" && !v.has("sponsor") {
		v.Add("sponsor", "is required: name the executive the engagement reports to")
	}
	if in.Start == "" && !v.has("start") {
		v.Add("start", "is required, written YYYY-MM-DD")
	}
	checkDate(&v, "start", in.Start)
	checkDate(&v, "end", in.End)
	if in.End != "" && !v.has("end") && !v.has("start") {
		if in.End < in.Start {
			v.Add("end", "must be on or after the start, "+in.Start)
		} else if days(in.Start, in.End) > MaxEngagementDays {
			v.Add("end", "must be at most two years after the start")
		}
	}
	goals := []string{}
	for _, g := range in.Goals {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if utf8.RuneCountInString(g) > 500 {
			v.Add("goals", "has a goal longer than 500 characters")
			break
		}
		goals = append(goals, g)
	}
	if len(goals) > MaxEngagementGoals {
		v.Add("goals", "must list at most "+strconv.Itoa(MaxEngagementGoals)+" goals")
	}
	in.Goals = goals
	if len(in.Phases) > 0 {
		if len(in.Phases) != len(EngagementPhaseKeys) {
			v.Add("phases", "must list the five phases "+strings.Join(EngagementPhaseKeys, ", ")+" in this order")
		} else {
			for i := range in.Phases {
				p := &in.Phases[i]
				field := "phases." + EngagementPhaseKeys[i]
				p.Key, p.Start, p.End = strings.TrimSpace(p.Key), strings.TrimSpace(p.Start), strings.TrimSpace(p.End)
				if p.Key == "" {
					p.Key = EngagementPhaseKeys[i]
				}
				if p.Key != EngagementPhaseKeys[i] {
					v.Add("phases", "must list the five phases "+strings.Join(EngagementPhaseKeys, ", ")+" in this order")
					break
				}
				for _, d := range []string{p.Start, p.End} {
					if _, err := time.Parse(time.DateOnly, d); err != nil {
						v.Add(field, "needs a start and an end written YYYY-MM-DD")
						break
					}
				}
				if !v.has(field) && p.End < p.Start {
					v.Add(field, "ends before it starts")
				}
			}
		}
	}
	return v.Err()
}

func days(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// PlanItem is one item of an engagement's 30/60/90-day plan.
type PlanItem struct {
	ID           string `json:"id"`
	EngagementID string `json:"engagement_id"`
	Position     int    `json:"position"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Phase        string `json:"phase"`
	Window       string `json:"window"`
	Due          string `json:"due"`
	Owner        string `json:"owner"`
	Status       string `json:"status"`
	// Link is the page of caio where the work is done, such as /systems.
	Link        string     `json:"link"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// Overdue says the item is not done and its due date has passed; filled when read.
	Overdue bool `json:"overdue"`
}

// Fields returns the item's editable fields, for audit diffs.
func (p *PlanItem) Fields() map[string]any {
	return map[string]any{"title": p.Title, "description": p.Description, "phase": p.Phase, "window": p.Window,
		"due": p.Due, "owner": p.Owner, "status": p.Status, "link": p.Link}
}

// PlanItemInput is what a person sets on a plan item. Window may be left
// out (it then follows from the due date), or Due (it is then the last
// day of the window counted from the engagement's start).
type PlanItemInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Phase       string `json:"phase"`
	Window      string `json:"window"`
	Due         string `json:"due"`
	Owner       string `json:"owner"`
	Status      string `json:"status"`
	Link        string `json:"link"`
}

// Normalize trims the input, fills defaults and names every field to fix.
func (in *PlanItemInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"description", &in.Description, 4000},
		textRule{"owner", &in.Owner, 200}, textRule{"link", &in.Link, 300}, textRule{"due", &in.Due, 10})
	if in.Title == "" && !v.has("title") {
		v.Add("title", "is required")
	}
	in.Phase = strings.ToLower(strings.TrimSpace(in.Phase))
	if in.Phase == "" {
		in.Phase = EngagementPhaseKeys[0]
	} else if !slices.Contains(EngagementPhaseKeys, in.Phase) {
		v.Add("phase", "must be one of "+strings.Join(EngagementPhaseKeys, ", "))
	}
	in.Window = strings.ToLower(strings.TrimSpace(in.Window))
	if in.Window != "" && !slices.Contains(PlanWindows, in.Window) {
		v.Add("window", "must be one of "+strings.Join(PlanWindows, ", "))
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "todo"
	} else if !slices.Contains(PlanStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(PlanStatuses, ", "))
	}
	checkDate(&v, "due", in.Due)
	if in.Link != "" && !v.has("link") && !validLink(in.Link) {
		v.Add("link", "must be a page of caio starting with a single /, such as /systems")
	}
	return v.Err()
}

func validLink(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\ \t\r\n\"<>") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// Deliverable is one item of the checklist as it stands: done or not, and
// why. Detected deliverables are read from the organisation's data;
// manual ones are confirmed by a person with a note.
type Deliverable struct {
	DeliverableInfo
	Done bool `json:"done"`
	// Reason says what caio found, such as "3 of 12 AI systems are not classified".
	Reason string `json:"reason"`
	// Detected says caio tells this from the data; otherwise a person confirms it.
	Detected    bool       `json:"detected"`
	Note        string     `json:"note,omitempty"`
	ConfirmedBy string     `json:"confirmed_by,omitempty"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
}

// DeliverableInput confirms (or withdraws the confirmation of) a manual deliverable.
type DeliverableInput struct {
	Done bool   `json:"done"`
	Note string `json:"note"`
}

// Normalize trims the note and names the field to fix.
func (in *DeliverableInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"note", &in.Note, 2000})
	if in.Done && in.Note == "" && !v.has("note") {
		v.Add("note", "is required: say how you know, such as the date of the board's first meeting")
	}
	return v.Err()
}

// StatusNote is a weekly status note of an engagement.
type StatusNote struct {
	ID           string `json:"id"`
	EngagementID string `json:"engagement_id"`
	// Week is the Monday of the week (YYYY-MM-DD); WeekLabel its ISO week, such as 2026-W48.
	Week         string    `json:"week"`
	WeekLabel    string    `json:"week_label"`
	RAG          string    `json:"rag"`
	Summary      string    `json:"summary"`
	Achievements string    `json:"achievements"`
	NextSteps    string    `json:"next_steps"`
	Risks        string    `json:"risks"`
	Author       string    `json:"author"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Fields returns the note's editable fields, for audit diffs.
func (n *StatusNote) Fields() map[string]any {
	return map[string]any{"week": n.Week, "rag": n.RAG, "summary": n.Summary, "achievements": n.Achievements,
		"next_steps": n.NextSteps, "risks": n.Risks, "author": n.Author}
}

// StatusNoteInput is what a person writes in a weekly note. Week is any
// day of the week (YYYY-MM-DD); the note is filed under its Monday. Author
// defaults to the person writing.
type StatusNoteInput struct {
	Week         string `json:"week"`
	RAG          string `json:"rag"`
	Summary      string `json:"summary"`
	Achievements string `json:"achievements"`
	NextSteps    string `json:"next_steps"`
	Risks        string `json:"risks"`
	Author       string `json:"author"`
}

// Normalize trims the note and names every field to fix; Week becomes the Monday of its week.
func (in *StatusNoteInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"week", &in.Week, 10}, textRule{"summary", &in.Summary, 4000},
		textRule{"achievements", &in.Achievements, 10000}, textRule{"next_steps", &in.NextSteps, 10000},
		textRule{"risks", &in.Risks, 10000}, textRule{"author", &in.Author, 200})
	if in.Week == "" && !v.has("week") {
		v.Add("week", "is required: a day of the week the note is for, YYYY-MM-DD")
	} else if t, err := time.Parse(time.DateOnly, in.Week); err != nil {
		if !v.has("week") {
			v.Add("week", "must be a date written YYYY-MM-DD, such as 2026-11-23")
		}
	} else {
		in.Week = t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)).Format(time.DateOnly)
	}
	in.RAG = strings.ToLower(strings.TrimSpace(in.RAG))
	if !slices.Contains(RAGStatuses, in.RAG) {
		v.Add("rag", "must be one of green (on track), amber (at risk), red (off track)")
	}
	if in.Summary == "" && !v.has("summary") {
		v.Add("summary", "is required: the week in a sentence or two")
	}
	return v.Err()
}

// WeekLabel returns the ISO week of a Monday (YYYY-MM-DD), such as 2026-W48.
func WeekLabel(monday string) string {
	t, err := time.Parse(time.DateOnly, monday)
	if err != nil {
		return monday
	}
	y, w := t.ISOWeek()
	return strconv.Itoa(y) + "-W" + pad2(w)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// EngagementTemplate is an engagement saved by a consultant to start the
// next client from: goals, phase lengths, plan items (their days counted
// from the start) and parts contributed by other areas, such as the
// organisation's questionnaires. It belongs to the user who saved it, not
// to an organisation: that user may start from it in any organisation
// where they may edit; nobody else sees it.
type EngagementTemplate struct {
	ID          string `json:"id"`
	UserID      string `json:"-"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Source names the engagement and organisation it was saved from.
	Source string `json:"source"`
	// Content is the plan template (goals, phases, items) as JSON.
	Content []byte `json:"-"`
	// Parts names the extra parts it carries with a short summary each.
	Parts     []TemplatePartInfo `json:"parts"`
	Version   int                `json:"version"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// TemplatePartInfo is one part of a saved template: its name and size.
type TemplatePartInfo struct {
	Name  string `json:"name"`
	Bytes int    `json:"bytes"`
}

// TemplateInput names a template being saved.
type TemplateInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Normalize trims the input and names every field to fix.
func (in *TemplateInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"name", &in.Name, 200}, textRule{"description", &in.Description, 4000})
	if in.Name == "" && !v.has("name") {
		v.Add("name", "is required")
	}
	return v.Err()
}

// EngagementService manages the interim engagement of the actor's
// organisation. Reads need PermRead, changes PermEdit; every change is one
// event in the audit trail. IDs of another organisation are reported as
// not found. Templates need PermEdit in the current organisation and
// belong to the user: another user's template is not found.
type EngagementService interface {
	// ActiveEngagement returns the organisation's active engagement, or ENOTFOUND.
	ActiveEngagement(ctx context.Context) (*Engagement, error)
	// FindEngagements lists the organisation's engagements, newest first.
	FindEngagements(ctx context.Context, p Page) ([]*Engagement, int, error)
	// FindEngagement returns one engagement, or ENOTFOUND.
	FindEngagement(ctx context.Context, id string) (*Engagement, error)
	// StartEngagement creates the active engagement with the built-in plan;
	// ECONFLICT when one is active already.
	StartEngagement(ctx context.Context, in EngagementInput) (*Engagement, error)
	// UpdateEngagement replaces the editable fields; ECONFLICT for a stale
	// version or a closed engagement.
	UpdateEngagement(ctx context.Context, id string, version int, in EngagementInput) (*Engagement, error)
	// CloseEngagement closes the active engagement, keeping its checklist as it stands.
	CloseEngagement(ctx context.Context, id string) (*Engagement, error)
}
