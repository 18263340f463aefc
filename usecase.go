package caio

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// UseCase is an idea for using AI, from intake to retirement: the canvas
// that describes it, the team's ratings that score it, its stage in the
// lifecycle, and its place on the roadmap. Business case, KPIs and stage
// history are kept beside it.
type UseCase struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	UseCaseCanvas
	// Stage is the lifecycle stage (portfolio.Stages). HeldFrom is the stage
	// a use case on hold came from; StageSince is when it entered Stage.
	Stage      string    `json:"stage"`
	HeldFrom   string    `json:"held_from"`
	StageSince time.Time `json:"stage_since"`
	// Intake is where a submitted idea stands in the triage queue.
	Intake     string           `json:"intake"`
	IntakeNote string           `json:"intake_note"`
	MergedInto string           `json:"merged_into"`
	Ratings    UseCaseRatings   `json:"ratings"`
	Roadmap    RoadmapPlacement `json:"roadmap"`
	// ObjectiveIDs, SystemIDs and DependsOn are the linked objectives, AI
	// systems and the use cases this one waits for.
	ObjectiveIDs []string `json:"objective_ids"`
	SystemIDs    []string `json:"system_ids"`
	DependsOn    []string `json:"depends_on"`
	// HasBusinessCase tells whether a business case is stored; NPVP50 is its
	// simulated median NPV, for lists.
	HasBusinessCase bool      `json:"has_business_case"`
	SubmittedBy     string    `json:"submitted_by"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// UseCaseCanvas is the intake canvas: what a person describes when they
// propose a use case (practice.md §2.6–2.7).
type UseCaseCanvas struct {
	Title         string `json:"title"`
	Problem       string `json:"problem"`
	Process       string `json:"process"`
	Users         string `json:"users"`
	Volume        string `json:"volume"`
	DataNeeded    string `json:"data_needed"`
	DataAvailable string `json:"data_available"`
	// Approach is one of UseCaseApproaches; Sourcing one of UseCaseSourcing.
	Approach     string `json:"approach"`
	Sourcing     string `json:"sourcing"`
	Benefits     string `json:"benefits"`
	Costs        string `json:"costs"`
	Risks        string `json:"risks"`
	Dependencies string `json:"dependencies"`
	Owner        string `json:"owner"`
	Sponsor      string `json:"sponsor"`
}

// UseCaseApproaches are the AI approaches of a use case.
var UseCaseApproaches = []string{"predictive", "generative", "agentic", "optimisation", "other"}

// UseCaseSourcing are the ways to obtain the capability.
var UseCaseSourcing = []string{"build", "buy", "partner"}

// Intake states of the triage queue. Use cases created by editors start
// accepted; ideas submitted by contributors start submitted.
const (
	IntakeSubmitted = "submitted"
	IntakeAccepted  = "accepted"
	IntakeMerged    = "merged"
	IntakeRejected  = "rejected"
)

// UseCaseInput is what a person may set on a use case: the canvas and its
// links to objectives and AI systems.
type UseCaseInput struct {
	UseCaseCanvas
	ObjectiveIDs []string `json:"objective_ids"`
	SystemIDs    []string `json:"system_ids"`
}

// Normalize trims the canvas and returns an EINVALID error naming every
// field to fix. It checks the form of linked IDs; the service checks that
// they exist.
func (in *UseCaseInput) Normalize() error {
	var v Validation
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		v.Add("title", "is required")
	}
	checkText(&v, textRule{"title", &in.Title, 200},
		textRule{"problem", &in.Problem, 4000}, textRule{"process", &in.Process, 2000},
		textRule{"users", &in.Users, 2000}, textRule{"volume", &in.Volume, 500},
		textRule{"data_needed", &in.DataNeeded, 4000}, textRule{"data_available", &in.DataAvailable, 4000},
		textRule{"benefits", &in.Benefits, 4000}, textRule{"costs", &in.Costs, 4000},
		textRule{"risks", &in.Risks, 4000}, textRule{"dependencies", &in.Dependencies, 2000},
		textRule{"owner", &in.Owner, 200}, textRule{"sponsor", &in.Sponsor, 200})
	in.Approach = strings.ToLower(strings.TrimSpace(in.Approach))
	if in.Approach != "" && !slices.Contains(UseCaseApproaches, in.Approach) {
		v.Add("approach", "must be empty or one of "+strings.Join(UseCaseApproaches, ", "))
	}
	in.Sourcing = strings.ToLower(strings.TrimSpace(in.Sourcing))
	if in.Sourcing != "" && !slices.Contains(UseCaseSourcing, in.Sourcing) {
		v.Add("sourcing", "must be empty or one of "+strings.Join(UseCaseSourcing, ", "))
	}
	in.ObjectiveIDs = idList(&v, "objective_ids", "obj", in.ObjectiveIDs)
	in.SystemIDs = idList(&v, "system_ids", "sys", in.SystemIDs)
	return v.Err()
}

// idList trims, checks the form of and de-duplicates IDs, keeping their order.
func idList(v *Validation, field, prefix string, in []string) []string {
	out := []string{}
	for _, id := range in {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(out, id) {
			continue
		}
		if !ValidID(prefix, id) {
			v.Add(field, "has "+quote(id)+", which is not an ID of the form "+prefix+"_…")
			continue
		}
		out = append(out, id)
	}
	if len(out) > 100 {
		v.Add(field, "must list at most 100 IDs")
	}
	return out
}

// Fields returns the use case's canvas and links, for audit diffs.
func (u *UseCase) Fields() map[string]any {
	c := u.UseCaseCanvas
	return map[string]any{
		"title": c.Title, "problem": c.Problem, "process": c.Process, "users": c.Users, "volume": c.Volume,
		"data_needed": c.DataNeeded, "data_available": c.DataAvailable, "approach": c.Approach,
		"sourcing": c.Sourcing, "benefits": c.Benefits, "costs": c.Costs, "risks": c.Risks,
		"dependencies": c.Dependencies, "owner": c.Owner, "sponsor": c.Sponsor,
		"objective_ids": strings.Join(u.ObjectiveIDs, ","), "system_ids": strings.Join(u.SystemIDs, ","),
	}
}

// Input returns the use case's canvas and links as an input, for partial updates.
func (u *UseCase) Input() UseCaseInput {
	return UseCaseInput{UseCaseCanvas: u.UseCaseCanvas, ObjectiveIDs: slices.Clone(u.ObjectiveIDs), SystemIDs: slices.Clone(u.SystemIDs)}
}

// UseCaseRatings are the team's ratings that the scoring engine combines
// (internal/engine/portfolio): value and feasibility components on 1–5 (0
// when not rated; complexity 5 is the most complex), and the inputs of RICE
// and WSJF (0 when not given).
type UseCaseRatings struct {
	ObjectiveFit   int `json:"objective_fit"`
	StrategicFit   int `json:"strategic_fit"`
	PeopleAffected int `json:"people_affected"`
	Urgency        int `json:"urgency"`
	DataReadiness  int `json:"data_readiness"`
	Complexity     int `json:"complexity"`
	Skills         int `json:"skills"`
	Integration    int `json:"integration"`

	Reach      float64 `json:"reach"`
	Impact     float64 `json:"impact"`
	Confidence float64 `json:"confidence"`
	Effort     float64 `json:"effort"`

	BusinessValue   int `json:"business_value"`
	TimeCriticality int `json:"time_criticality"`
	RiskReduction   int `json:"risk_reduction"`
	JobSize         int `json:"job_size"`
}

// Fields returns the ratings, for audit diffs.
func (r UseCaseRatings) Fields() map[string]any {
	b, _ := json.Marshal(r)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// Rated reports whether every value and feasibility component is rated.
func (r UseCaseRatings) Rated() bool {
	for _, x := range []int{r.ObjectiveFit, r.StrategicFit, r.PeopleAffected, r.Urgency, r.DataReadiness, r.Complexity, r.Skills, r.Integration} {
		if x == 0 {
			return false
		}
	}
	return true
}

// RoadmapPlacement places a use case on the roadmap: the quarters it is
// active in (such as 2027Q1, inclusive) and what it needs in each of them.
type RoadmapPlacement struct {
	Start  string  `json:"start"`
	End    string  `json:"end"`
	People float64 `json:"people"`
	Budget float64 `json:"budget"`
}

// RoadmapInput is what a person may set on a use case's roadmap placement.
// Quarters are checked by the service with the portfolio engine.
type RoadmapInput struct {
	RoadmapPlacement
	DependsOn []string `json:"depends_on"`
}

// Normalize checks the amounts and the form of the dependencies.
func (in *RoadmapInput) Normalize() error {
	var v Validation
	in.Start, in.End = strings.ToUpper(strings.TrimSpace(in.Start)), strings.ToUpper(strings.TrimSpace(in.End))
	if in.People < 0 || in.People > 10000 || math.IsNaN(in.People) {
		v.Add("people", "must be between 0 and 10,000 full-time equivalents per quarter")
	}
	if in.Budget < 0 || in.Budget > 1e12 || math.IsNaN(in.Budget) {
		v.Add("budget", "must be zero or more (the budget needed per quarter)")
	}
	if (in.Start == "") != (in.End == "") {
		v.Add("end", "must be given with start (both quarters, or neither to leave it unscheduled)")
	}
	in.DependsOn = idList(&v, "depends_on", "uc", in.DependsOn)
	return v.Err()
}

// UseCaseFilter selects use cases. Nil fields do not filter.
type UseCaseFilter struct {
	// Query matches title, problem or owner, case-insensitively.
	Query       *string
	Stage       *string
	Intake      *string
	Approach    *string
	Owner       *string
	ObjectiveID *string
	SystemID    *string
	// Sort is one of UseCaseSorts; "priority" ranks by the organisation's
	// scoring method.
	Sort string
	Page
}

// UseCaseSorts lists the accepted values of UseCaseFilter.Sort.
var UseCaseSorts = []string{"priority", "-created", "created", "title", "-title", "stage", "-updated", "updated"}

// KPI is a measure of a use case's value, with its baseline, target and the
// actual values recorded over time.
type KPI struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"org_id"`
	UseCaseID string      `json:"use_case_id"`
	Name      string      `json:"name"`
	Unit      string      `json:"unit"`
	Direction string      `json:"direction"` // "increase" or "decrease": which way is better
	Baseline  *float64    `json:"baseline"`
	Target    *float64    `json:"target"`
	Actuals   []KPIActual `json:"actuals"`
	CreatedAt time.Time   `json:"created_at"`
}

// KPIActual is one measured value of a KPI.
type KPIActual struct {
	ID    string  `json:"id"`
	On    string  `json:"on"` // YYYY-MM-DD
	Value float64 `json:"value"`
	Note  string  `json:"note"`
}

// KPIInput is what a person may set on a KPI.
type KPIInput struct {
	Name      string   `json:"name"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"`
	Baseline  *float64 `json:"baseline"`
	Target    *float64 `json:"target"`
}

// Normalize trims the input and names every field to fix.
func (in *KPIInput) Normalize() error {
	var v Validation
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		v.Add("name", "is required")
	}
	checkText(&v, textRule{"name", &in.Name, 200}, textRule{"unit", &in.Unit, 50})
	in.Direction = strings.ToLower(strings.TrimSpace(in.Direction))
	if in.Direction == "" {
		in.Direction = "increase"
	} else if in.Direction != "increase" && in.Direction != "decrease" {
		v.Add("direction", "must be increase or decrease (which way is better)")
	}
	for _, f := range []struct {
		name string
		x    *float64
	}{{"baseline", in.Baseline}, {"target", in.Target}} {
		if f.x != nil && (math.IsNaN(*f.x) || math.IsInf(*f.x, 0) || math.Abs(*f.x) > 1e15) {
			v.Add(f.name, "must be a finite number")
		}
	}
	return v.Err()
}

// KPIActualInput is one measurement to record.
type KPIActualInput struct {
	On    string  `json:"on"`
	Value float64 `json:"value"`
	Note  string  `json:"note"`
}

// Normalize checks the date and the value.
func (in *KPIActualInput) Normalize() error {
	var v Validation
	in.On = strings.TrimSpace(in.On)
	if _, err := time.Parse(time.DateOnly, in.On); err != nil {
		v.Add("on", "must be a date written YYYY-MM-DD, such as 2027-03-31")
	}
	if math.IsNaN(in.Value) || math.IsInf(in.Value, 0) || math.Abs(in.Value) > 1e15 {
		v.Add("value", "must be a finite number")
	}
	checkText(&v, textRule{"note", &in.Note, 1000})
	return v.Err()
}

// BenefitActual is a benefit realised in one year of a use case's business
// case (year 1 is the first year after the one-off spend), in its currency.
type BenefitActual struct {
	Year   int     `json:"year"`
	Amount float64 `json:"amount"`
	Note   string  `json:"note"`
}

// StageChange is one entry of a use case's stage history.
type StageChange struct {
	From       string     `json:"from"`
	To         string     `json:"to"`
	At         time.Time  `json:"at"`
	Until      *time.Time `json:"until"` // when the use case left To; nil while it is there
	By         string     `json:"by"`
	ByName     string     `json:"by_name"`
	Reason     string     `json:"reason"`
	ApprovalID string     `json:"approval_id"`
}

// Days returns the whole days spent in the stage, up to now for the current one.
func (s StageChange) Days(now time.Time) int {
	end := now
	if s.Until != nil {
		end = *s.Until
	}
	return int(end.Sub(s.At).Hours() / 24)
}

// Approval is a request for a decision by approvers: a stage gate of a use
// case today, a policy later. It passes when Quorum approvers approve and
// fails when one rejects; the change it asks for is applied in the
// transaction of the deciding vote.
type Approval struct {
	ID            string          `json:"id"`
	OrgID         string          `json:"org_id"`
	SubjectKind   string          `json:"subject_kind"` // "use_case"
	SubjectID     string          `json:"subject_id"`
	SubjectTitle  string          `json:"subject_title"`
	Action        string          `json:"action"` // "stage"
	Payload       json.RawMessage `json:"payload"`
	Summary       string          `json:"summary"` // what is asked, for people: "Move to Pilot"
	Reason        string          `json:"reason"`
	Status        string          `json:"status"` // ApprovalStatuses
	Quorum        int             `json:"quorum"`
	RequestedBy   string          `json:"requested_by"`
	RequesterName string          `json:"requester_name"`
	CreatedAt     time.Time       `json:"created_at"`
	DecidedAt     *time.Time      `json:"decided_at"`
	Votes         []ApprovalVote  `json:"votes"`
}

// ApprovalStatuses are the states of an approval.
var ApprovalStatuses = []string{"pending", "approved", "rejected", "withdrawn"}

// ApprovalVote is one approver's decision.
type ApprovalVote struct {
	UserID   string    `json:"user_id"`
	UserName string    `json:"user_name"`
	Decision string    `json:"decision"` // "approve" or "reject"
	Comment  string    `json:"comment"`
	At       time.Time `json:"at"`
}

// Approvals counts the approving votes.
func (a *Approval) Approvals() int {
	n := 0
	for _, v := range a.Votes {
		if v.Decision == "approve" {
			n++
		}
	}
	return n
}

// ApprovalFilter selects approvals.
type ApprovalFilter struct {
	Status    *string
	SubjectID *string
	Page
}

// Strategy is an organisation's AI strategy as structured content.
type Strategy struct {
	StrategyContent
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// StrategyContent is what a person edits.
type StrategyContent struct {
	Vision     string             `json:"vision"`
	Principles []string           `json:"principles"`
	Priorities []StrategyPriority `json:"priorities"`
	// TargetMaturity is the maturity level aimed for, 1–5 (0 when not set).
	TargetMaturity int      `json:"target_maturity"`
	Budget         float64  `json:"budget"`
	Currency       string   `json:"currency"`
	BudgetPeriod   string   `json:"budget_period"`
	Owners         []string `json:"owners"`
	Horizon        string   `json:"horizon"` // YYYY-MM-DD the strategy runs to
}

// StrategyPriority is one strategic priority and the objectives it serves.
type StrategyPriority struct {
	Title        string   `json:"title"`
	Description  string   `json:"description"`
	ObjectiveIDs []string `json:"objective_ids"`
}

// Normalize trims the content and names every field to fix.
func (s *StrategyContent) Normalize() error {
	var v Validation
	checkText(&v, textRule{"vision", &s.Vision, 4000}, textRule{"budget_period", &s.BudgetPeriod, 100})
	s.Principles = textList(&v, "principles", s.Principles, 30, 500)
	s.Owners = textList(&v, "owners", s.Owners, 20, 200)
	if len(s.Priorities) > 20 {
		v.Add("priorities", "must list at most 20 priorities")
	}
	for i := range s.Priorities {
		p := &s.Priorities[i]
		f := "priorities[" + strconv.Itoa(i) + "]"
		p.Title = strings.TrimSpace(p.Title)
		if p.Title == "" {
			v.Add(f+".title", "is required")
		}
		checkText(&v, textRule{f + ".title", &p.Title, 200}, textRule{f + ".description", &p.Description, 2000})
		p.ObjectiveIDs = idList(&v, f+".objective_ids", "obj", p.ObjectiveIDs)
	}
	if s.TargetMaturity < 0 || s.TargetMaturity > 5 {
		v.Add("target_maturity", "must be a level from 1 to 5, or 0 when not set")
	}
	if s.Budget < 0 || math.IsNaN(s.Budget) || s.Budget > 1e13 {
		v.Add("budget", "must be zero or more")
	}
	s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	if s.Currency != "" && !ValidCurrency(s.Currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as EUR or USD")
	}
	s.Horizon = strings.TrimSpace(s.Horizon)
	if s.Horizon != "" {
		if _, err := time.Parse(time.DateOnly, s.Horizon); err != nil {
			v.Add("horizon", "must be a date written YYYY-MM-DD")
		}
	}
	return v.Err()
}

// ValidCurrency reports whether c has the form of an ISO 4217 code.
func ValidCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// textList trims a list of short texts, drops empty ones and checks limits.
func textList(v *Validation, field string, in []string, maxItems, maxLen int) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) > maxItems {
		v.Add(field, "must list at most "+strconv.Itoa(maxItems)+" entries")
	}
	for i := range out {
		checkText(v, textRule{field + "[" + strconv.Itoa(i) + "]", &out[i], maxLen})
	}
	return out
}

// Capacity is what the organisation can give AI work in one quarter.
type Capacity struct {
	Quarter string  `json:"quarter"`
	People  float64 `json:"people"`
	Budget  float64 `json:"budget"`
}

// PortfolioSettings are an organisation's rules for its portfolio: how use
// cases are scored, how many approvers a gate needs, and the chance that a
// use case in each stage reaches production (for the risk-adjusted roll-up).
type PortfolioSettings struct {
	Weights      ScoreWeights       `json:"weights"`
	Quorum       int                `json:"quorum"`
	SelfApproval bool               `json:"self_approval"`
	Currency     string             `json:"currency"`
	Success      map[string]float64 `json:"success"`
	Version      int                `json:"version"`
}

// ScoreWeights are the weights of the scoring engine, in percent, and the
// method that ranks the list (weighted, rice or wsjf).
type ScoreWeights struct {
	ObjectiveFit   int    `json:"objective_fit"`
	StrategicFit   int    `json:"strategic_fit"`
	PeopleAffected int    `json:"people_affected"`
	Urgency        int    `json:"urgency"`
	DataReadiness  int    `json:"data_readiness"`
	Complexity     int    `json:"complexity"`
	Skills         int    `json:"skills"`
	Integration    int    `json:"integration"`
	Value          int    `json:"value"`
	Feasibility    int    `json:"feasibility"`
	Risk           int    `json:"risk"`
	Method         string `json:"method"`
}
