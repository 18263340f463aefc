package portfolio

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed content/gates.yaml
var gatesYAML []byte

// Stage is a lifecycle stage of a use case. The Stage constants are untyped
// so they work wherever a plain string is expected, such as GateFacts.Stage.
type Stage string

// Lifecycle stages (practice.md §2.8, adapted). Idea to production are the
// active stages; retired, rejected and on hold are not.
const (
	StageIdea       = "idea"
	StageAssessment = "assessment"
	StageApproved   = "approved"
	StagePoC        = "poc"
	StagePilot      = "pilot"
	StageProduction = "production"
	StageRetired    = "retired"
	StageRejected   = "rejected"
	StageOnHold     = "on_hold"
)

// stageKeys are the stages the Go code knows; the content must define
// exactly these.
var stageKeys = []string{StageIdea, StageAssessment, StageApproved, StagePoC, StagePilot,
	StageProduction, StageRetired, StageRejected, StageOnHold}

// StageInfo describes one stage for people.
type StageInfo struct {
	Key         string `yaml:"key" json:"key"`
	Label       string `yaml:"label" json:"label"`
	Order       int    `yaml:"order" json:"order"`
	Description string `yaml:"description" json:"description"`
	// Active is true for the stages where work goes on (idea to production).
	Active bool `yaml:"active" json:"active"`
}

// Criterion is one condition a gate can ask for. Its evaluator is Go code
// keyed by ID; its words and source are content.
type Criterion struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Explanation string `yaml:"explanation" json:"explanation"`
	Source      string `yaml:"source" json:"source"`
}

// Transition is one allowed move between stages and what it asks for.
type Transition struct {
	From           string   `yaml:"from" json:"from"`
	To             string   `yaml:"to" json:"to"`
	Approval       bool     `yaml:"approval" json:"approval"`
	ReasonRequired bool     `yaml:"reason_required" json:"reason_required"`
	Criteria       []string `yaml:"criteria" json:"criteria"`
	Source         string   `yaml:"source" json:"source,omitempty"`
}

// Gates is one version of the stage-gate content, checked and indexed.
type Gates struct {
	Version     string       `yaml:"version" json:"version"`
	Source      string       `yaml:"source" json:"source"`
	Stages      []StageInfo  `yaml:"stages" json:"stages"`
	Criteria    []Criterion  `yaml:"criteria" json:"criteria"`
	Transitions []Transition `yaml:"transitions" json:"transitions"`

	stages      map[string]*StageInfo
	criteria    map[string]*Criterion
	transitions map[[2]string]*Transition
}

// SystemFact is what a gate knows about a linked AI system.
type SystemFact struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"` // EU AI Act class from the inventory, "" when not classified
	// FRIARequired tells whether the deployer must carry out a fundamental
	// rights impact assessment (EU AI Act Art 27); FRIADone whether it has.
	FRIARequired bool `json:"fria_required"`
	FRIADone     bool `json:"fria_done"`
}

// KPIFact is what a gate knows about one KPI of the use case.
type KPIFact struct {
	Name        string `json:"name"`
	HasBaseline bool   `json:"has_baseline"`
	HasTarget   bool   `json:"has_target"`
}

// GateFacts is the state of a use case that the gate criteria read.
type GateFacts struct {
	// Stage is the current stage; HeldFrom the stage a use case on hold was
	// paused at.
	Stage    string `json:"stage"`
	HeldFrom string `json:"held_from"`

	Owner      string `json:"owner"`
	Sponsor    string `json:"sponsor"`
	Problem    string `json:"problem"`
	DataNeeded string `json:"data_needed"`

	ObjectiveCount  int          `json:"objective_count"`
	Scored          bool         `json:"scored"`
	HasBusinessCase bool         `json:"has_business_case"`
	Systems         []SystemFact `json:"systems"`
	KPIs            []KPIFact    `json:"kpis"`
}

// CriterionResult is one criterion checked against a use case. Reason names
// the objects it is about, met or not, such as "AI system 'Foo' is not
// classified yet."
type CriterionResult struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Met    bool   `json:"met"`
	Reason string `json:"reason"`
	Source string `json:"source"`
}

// Check is the answer to "may this use case move to that stage?".
type Check struct {
	From      string `json:"from"`
	To        string `json:"to"`
	FromLabel string `json:"from_label"`
	ToLabel   string `json:"to_label"`
	// Allowed is false when the lifecycle has no such move; Refusal says why.
	Allowed bool   `json:"allowed"`
	Refusal string `json:"refusal,omitempty"`
	// NeedsApproval means the move is requested and decided by approvers;
	// ReasonRequired means the person moving it must say why.
	NeedsApproval  bool              `json:"needs_approval"`
	ReasonRequired bool              `json:"reason_required"`
	Criteria       []CriterionResult `json:"criteria"`
	// Passed is Allowed with every criterion met.
	Passed bool   `json:"passed"`
	Source string `json:"source,omitempty"`
}

// evaluators check one criterion each: whether it is met, and a sentence
// that names the objects it found or missed.
var evaluators = map[string]func(GateFacts) (bool, string){
	"owner_named": func(f GateFacts) (bool, string) {
		if s := strings.TrimSpace(f.Owner); s != "" {
			return true, "Owner: " + s + "."
		}
		return false, "No accountable owner is named."
	},
	"sponsor_named": func(f GateFacts) (bool, string) {
		if s := strings.TrimSpace(f.Sponsor); s != "" {
			return true, "Sponsor: " + s + "."
		}
		return false, "No business sponsor is named."
	},
	"problem_stated": func(f GateFacts) (bool, string) {
		if strings.TrimSpace(f.Problem) != "" {
			return true, "The problem is described."
		}
		return false, "The problem the use case solves is not described."
	},
	"objective_linked": func(f GateFacts) (bool, string) {
		switch {
		case f.ObjectiveCount == 1:
			return true, "Linked to 1 business objective."
		case f.ObjectiveCount > 1:
			return true, "Linked to " + strconv.Itoa(f.ObjectiveCount) + " business objectives."
		}
		return false, "No business objective is linked."
	},
	"scored": func(f GateFacts) (bool, string) {
		if f.Scored {
			return true, "Value and feasibility are rated."
		}
		return false, "Value and feasibility are not rated yet: rate every component."
	},
	"business_case": func(f GateFacts) (bool, string) {
		if f.HasBusinessCase {
			return true, "A business case is recorded."
		}
		return false, "No business case is recorded."
	},
	"system_linked": func(f GateFacts) (bool, string) {
		switch len(f.Systems) {
		case 0:
			return false, "No AI system from the inventory is linked."
		case 1:
			return true, "Linked to AI system " + systemName(f.Systems[0].ID, f.Systems[0].Name) + "."
		}
		return true, "Linked to AI systems " + systemNames(f.Systems, func(SystemFact) bool { return true }) + "."
	},
	"systems_classified": func(f GateFacts) (bool, string) {
		if len(f.Systems) == 0 {
			return true, "No AI system is linked, so none needs classifying."
		}
		if n := count(f.Systems, func(s SystemFact) bool { return s.Class == "" }); n > 0 {
			names := systemNames(f.Systems, func(s SystemFact) bool { return s.Class == "" })
			if n == 1 {
				return false, "AI system " + names + " is not classified yet."
			}
			return false, "AI systems " + names + " are not classified yet."
		}
		if len(f.Systems) == 1 {
			return true, "AI system " + systemName(f.Systems[0].ID, f.Systems[0].Name) + " is classified."
		}
		return true, "All " + strconv.Itoa(len(f.Systems)) + " linked AI systems are classified."
	},
	"none_prohibited": func(f GateFacts) (bool, string) {
		prohibited := func(s SystemFact) bool { return s.Class == "prohibited" }
		if n := count(f.Systems, prohibited); n > 0 {
			if n == 1 {
				return false, "AI system " + systemNames(f.Systems, prohibited) + " is classified prohibited under the EU AI Act (Art 5)."
			}
			return false, "AI systems " + systemNames(f.Systems, prohibited) + " are classified prohibited under the EU AI Act (Art 5)."
		}
		if len(f.Systems) == 0 {
			return true, "No AI system is linked, so none is prohibited."
		}
		return true, "No linked AI system is classified prohibited."
	},
	"data_described": func(f GateFacts) (bool, string) {
		if strings.TrimSpace(f.DataNeeded) != "" {
			return true, "The data needed is described."
		}
		return false, "The data the use case needs is not described."
	},
	"kpis_defined": func(f GateFacts) (bool, string) {
		switch len(f.KPIs) {
		case 0:
			return false, "No KPI is defined."
		case 1:
			return true, "KPI " + kpiNames(f.KPIs, func(KPIFact) bool { return true }) + " is defined."
		}
		return true, "KPIs " + kpiNames(f.KPIs, func(KPIFact) bool { return true }) + " are defined."
	},
	"kpis_baselined": func(f GateFacts) (bool, string) {
		return kpisHave(f.KPIs, "a baseline", func(k KPIFact) bool { return k.HasBaseline })
	},
	"kpis_targeted": func(f GateFacts) (bool, string) {
		return kpisHave(f.KPIs, "a target", func(k KPIFact) bool { return k.HasTarget })
	},
	"fria_done": func(f GateFacts) (bool, string) {
		required := func(s SystemFact) bool { return s.FRIARequired }
		open := func(s SystemFact) bool { return s.FRIARequired && !s.FRIADone }
		switch n := count(f.Systems, open); {
		case n == 1:
			return false, "AI system " + systemNames(f.Systems, open) + " needs a fundamental rights impact assessment (EU AI Act Art 27) that is not done yet."
		case n > 1:
			return false, "AI systems " + systemNames(f.Systems, open) + " need fundamental rights impact assessments (EU AI Act Art 27) that are not done yet."
		}
		if count(f.Systems, required) == 0 {
			return true, "No linked system needs a FRIA (EU AI Act Art 27)."
		}
		return true, "The FRIA is done for AI system " + systemNames(f.Systems, required) + "."
	},
}

// kpisHave checks that every KPI has something, naming those that lack it.
func kpisHave(kpis []KPIFact, what string, has func(KPIFact) bool) (bool, string) {
	if len(kpis) == 0 {
		return false, "No KPI is defined, so none has " + what + "."
	}
	lacks := func(k KPIFact) bool { return !has(k) }
	switch n := count(kpis, lacks); {
	case n == 1:
		return false, "KPI " + kpiNames(kpis, lacks) + " has no " + strings.TrimPrefix(what, "a ") + "."
	case n > 1:
		return false, "KPIs " + kpiNames(kpis, lacks) + " have no " + strings.TrimPrefix(what, "a ") + "."
	}
	if len(kpis) == 1 {
		return true, "KPI " + kpiNames(kpis, has) + " has " + what + "."
	}
	return true, "Every KPI has " + what + "."
}

func count[T any](xs []T, keep func(T) bool) int {
	n := 0
	for _, x := range xs {
		if keep(x) {
			n++
		}
	}
	return n
}

// maxNames is how many names a reason lists before it says "and N more".
const maxNames = 10

// listNames joins quoted names as prose, shortening long lists.
func listNames(names []string) string {
	if len(names) > maxNames {
		more := len(names) - maxNames
		return strings.Join(names[:maxNames], ", ") + " and " + strconv.Itoa(more) + " more"
	}
	return joinAnd(names)
}

func systemNames(systems []SystemFact, keep func(SystemFact) bool) string {
	var names []string
	for _, s := range systems {
		if keep(s) {
			names = append(names, systemName(s.ID, s.Name))
		}
	}
	return listNames(names)
}

func kpiNames(kpis []KPIFact, keep func(KPIFact) bool) string {
	var names []string
	for _, k := range kpis {
		if keep(k) {
			names = append(names, "'"+strings.TrimSpace(k.Name)+"'")
		}
	}
	return listNames(names)
}

// Load parses and checks stage-gate content: every stage the Go code knows
// is defined once and no other, every criterion has an evaluator and a
// source, and every transition names stages and criteria that exist. It
// returns an error, never panics, on content it cannot use.
func Load(b []byte) (*Gates, error) {
	var g Gates
	if err := yaml.UnmarshalWithOptions(b, &g, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return nil, fmt.Errorf("portfolio gates: %w", err)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if g.Version == "" {
		bad("version is missing")
	}

	g.stages = make(map[string]*StageInfo, len(g.Stages))
	orders := map[int]string{}
	for i := range g.Stages {
		s := &g.Stages[i]
		switch {
		case g.stages[s.Key] != nil:
			bad("stage %q is defined twice", s.Key)
		case !slices.Contains(stageKeys, s.Key):
			bad("stage %q is not a stage the code knows (%s)", s.Key, strings.Join(stageKeys, ", "))
		}
		if s.Label == "" || s.Description == "" {
			bad("stage %q needs a label and a description", s.Key)
		}
		if other, dup := orders[s.Order]; dup {
			bad("stages %q and %q have the same order %d", other, s.Key, s.Order)
		}
		orders[s.Order] = s.Key
		g.stages[s.Key] = s
	}
	for _, k := range stageKeys {
		if g.stages[k] == nil {
			bad("stage %q is missing", k)
		}
	}
	// Keep the stages in display order whatever order the file lists them in.
	slices.SortStableFunc(g.Stages, func(a, b StageInfo) int { return a.Order - b.Order })
	for i := range g.Stages {
		g.stages[g.Stages[i].Key] = &g.Stages[i]
	}

	g.criteria = make(map[string]*Criterion, len(g.Criteria))
	for i := range g.Criteria {
		c := &g.Criteria[i]
		if g.criteria[c.ID] != nil {
			bad("criterion %q is defined twice", c.ID)
		}
		if evaluators[c.ID] == nil {
			bad("criterion %q has no evaluator in the code", c.ID)
		}
		if c.Title == "" || c.Explanation == "" || c.Source == "" {
			bad("criterion %q needs a title, an explanation and a source", c.ID)
		}
		g.criteria[c.ID] = c
	}

	g.transitions = make(map[[2]string]*Transition, len(g.Transitions))
	for i := range g.Transitions {
		t := &g.Transitions[i]
		where := t.From + " → " + t.To
		if g.stages[t.From] == nil {
			bad("transition %s: stage %q does not exist", where, t.From)
		}
		if g.stages[t.To] == nil {
			bad("transition %s: stage %q does not exist", where, t.To)
		}
		if t.From == t.To {
			bad("transition %s goes nowhere", where)
		}
		if g.transitions[[2]string{t.From, t.To}] != nil {
			bad("transition %s is listed twice", where)
		}
		for _, id := range t.Criteria {
			if g.criteria[id] == nil {
				bad("transition %s: criterion %q is not defined", where, id)
			}
		}
		if len(t.Criteria) != len(slices.Compact(slices.Sorted(slices.Values(t.Criteria)))) {
			bad("transition %s names a criterion twice", where)
		}
		g.transitions[[2]string{t.From, t.To}] = t
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("portfolio gates %s: %s", g.Version, strings.Join(errs, "; "))
	}
	return &g, nil
}

var (
	defaultOnce  sync.Once
	defaultGates *Gates
	defaultErr   error
)

// DefaultGates returns the embedded stage-gate content, loaded once.
func DefaultGates() (*Gates, error) {
	defaultOnce.Do(func() { defaultGates, defaultErr = Load(gatesYAML) })
	return defaultGates, defaultErr
}

// StageList returns the stages in display order.
func (g *Gates) StageList() []StageInfo { return slices.Clone(g.Stages) }

// Criterion returns the criterion with the ID.
func (g *Gates) Criterion(id string) (Criterion, bool) {
	if c := g.criteria[id]; c != nil {
		return *c, true
	}
	return Criterion{}, false
}

// Transition returns the move from one stage to another, if the lifecycle
// has it.
func (g *Gates) Transition(from, to string) (Transition, bool) {
	if t := g.transitions[[2]string{from, to}]; t != nil {
		return *t, true
	}
	return Transition{}, false
}

// label names a stage, or returns the key when it is unknown.
func (g *Gates) label(s string) string {
	if st := g.stages[s]; st != nil {
		return st.Label
	}
	return s
}

// NextStages returns the stages reachable from `from` in display order. For
// on_hold that is every stage a use case can resume at; Next narrows it to
// the stage it was held from.
func (g *Gates) NextStages(from string) []string {
	var out []string
	for _, s := range g.Stages {
		if g.transitions[[2]string{from, s.Key}] != nil {
			out = append(out, s.Key)
		}
	}
	return out
}

// Next returns the stages a use case with the facts can be asked to move
// to, in display order: NextStages, with a use case on hold resuming only at
// the stage it was held from. Criteria are not checked; Evaluate does that.
func (g *Gates) Next(f GateFacts) []string {
	var out []string
	for _, to := range g.NextStages(f.Stage) {
		if g.resumeRefusal(f, to) == "" {
			out = append(out, to)
		}
	}
	return out
}

// resumeRefusal says why a use case on hold may not resume at a stage, or ""
// when it may (or is not on hold, or is being rejected). A use case whose earlier stage was not
// recorded can restart at idea, the one stage that skips no gate.
func (g *Gates) resumeRefusal(f GateFacts, to string) string {
	if f.Stage != StageOnHold || to == StageRejected {
		return ""
	}
	if f.HeldFrom == "" {
		if to == StageIdea {
			return ""
		}
		return "The stage the use case was paused at is not recorded, so it can only restart at " + g.label(StageIdea) + "."
	}
	if to != f.HeldFrom {
		return "The use case was put on hold at " + g.label(f.HeldFrom) + ", so it can only resume at " + g.label(f.HeldFrom) + "."
	}
	return ""
}

// Evaluate checks whether a use case with the facts may move to the stage
// `to`: whether the lifecycle allows the move, whether it needs approval and
// a reason, and each criterion of the gate with a reason that names what it
// found. It never fails; a refused move has Allowed false and a Refusal.
func (g *Gates) Evaluate(f GateFacts, to string) Check {
	from := f.Stage
	c := Check{From: from, To: to, FromLabel: g.label(from), ToLabel: g.label(to), Criteria: []CriterionResult{}}
	switch {
	case g.stages[from] == nil:
		c.Refusal = "The current stage " + strconv.Quote(from) + " is not a stage of the lifecycle."
		return c
	case g.stages[to] == nil:
		c.Refusal = strconv.Quote(to) + " is not a stage of the lifecycle."
		return c
	case from == to:
		c.Refusal = "The use case is already at " + c.ToLabel + "."
		return c
	}
	t := g.transitions[[2]string{from, to}]
	if t == nil {
		c.Refusal = "A use case at " + c.FromLabel + " cannot move to " + c.ToLabel + "."
		if next := g.Next(f); len(next) > 0 {
			labels := make([]string, len(next))
			for i, s := range next {
				labels[i] = g.label(s)
			}
			c.Refusal += " From " + c.FromLabel + " it can move to " + joinOr(labels) + "."
		} else {
			c.Refusal += " " + c.FromLabel + " is final."
		}
		return c
	}
	if r := g.resumeRefusal(f, to); r != "" {
		c.Refusal = r
		return c
	}
	c.Allowed, c.NeedsApproval, c.ReasonRequired, c.Source = true, t.Approval, t.ReasonRequired, t.Source
	c.Passed = true
	for _, id := range t.Criteria {
		crit := g.criteria[id]
		met, reason := evaluators[id](f)
		c.Criteria = append(c.Criteria, CriterionResult{ID: id, Title: crit.Title, Met: met, Reason: reason, Source: crit.Source})
		c.Passed = c.Passed && met
	}
	return c
}

// joinOr lists words as prose: "a", "a or b", "a, b or c".
func joinOr(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Stages returns the stages of the embedded content in display order, or nil
// if it failed to load (a test guarantees it loads).
func Stages() []StageInfo {
	g, err := DefaultGates()
	if err != nil {
		return nil
	}
	return g.StageList()
}

// StageLabel names a stage for people; an unknown key is returned as is.
func StageLabel(s string) string {
	g, err := DefaultGates()
	if err != nil {
		return s
	}
	return g.label(s)
}

// ValidStage reports whether s is a stage of the lifecycle.
func ValidStage(s string) bool { return slices.Contains(stageKeys, s) }

// Evaluate checks a move with the embedded content; see Gates.Evaluate.
func Evaluate(f GateFacts, to string) Check {
	g, err := DefaultGates()
	if err != nil {
		return Check{From: f.Stage, To: to, Criteria: []CriterionResult{}, Refusal: "The stage-gate content could not be loaded: " + err.Error()}
	}
	return g.Evaluate(f, to)
}

// NextStages returns the stages reachable from `from` in display order, with
// the embedded content, for a menu; see Gates.NextStages.
func NextStages(from string) []string {
	g, err := DefaultGates()
	if err != nil {
		return nil
	}
	return g.NextStages(from)
}

// NextStagesFor is NextStages for one use case: a use case on hold is
// offered only the stage it was held from. See Gates.Next.
func NextStagesFor(f GateFacts) []string {
	g, err := DefaultGates()
	if err != nil {
		return nil
	}
	return g.Next(f)
}
