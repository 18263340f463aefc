// Package euaiact classifies AI systems under the EU AI Act (Regulation (EU)
// 2024/1689, as amended by Regulation (EU) 2026/1744) and lists the
// obligations that follow, with their dates. It is a pure engine: it takes a
// Profile and Content and returns a Result, with no database, clock or I/O,
// so the same profile always gives the same result.
//
// Every result carries a trace of each rule evaluated, in order, with its
// article, the facts it read and its outcome, and lists the facts still
// unknown that could change the answer. Unknown facts never grant an
// exclusion, exception or derogation, and never impose a prohibition: the
// engine takes the path that holds without them and says what could change.
package euaiact

import (
	"github.com/caio-office/caio"
)

// Engine identifies the rules in this package; it changes when the code
// (not the content) changes how facts are read.
const Engine = "caio-euaiact/1"

// Classes, most severe first.
const (
	OutOfScope       = "out_of_scope"
	Prohibited       = "prohibited"
	HighRisk         = "high_risk"
	NotHighRisk      = "not_high_risk" // Annex III use that passes the Art 6(3) filter
	TransparencyOnly = "transparency_only"
	Minimal          = "minimal"
)

// Classes lists every class, in the order reports show them.
var Classes = []string{Prohibited, HighRisk, NotHighRisk, TransparencyOnly, Minimal, OutOfScope}

// Options choose how to read the law.
type Options struct {
	// Timeline is Amended (default) or Enacted.
	Timeline string
}

// Result is the classification of one profile.
type Result struct {
	Engine         string `json:"engine"`
	ContentVersion string `json:"content_version"`
	Timeline       string `json:"timeline"`
	// Class is the primary class; Basis holds its legal basis as keys such
	// as "annex_iii:4(a)", "annex_i:A.11", "art5:1(f)" or "art6_3:a".
	Class string   `json:"class"`
	Basis []string `json:"basis"`
	// Provisional is true while unknown facts could change the result.
	Provisional  bool               `json:"provisional"`
	Reasons      []Reason           `json:"reasons"`
	Transparency []TransparencyDuty `json:"transparency"`
	GPAI         GPAIStatus         `json:"gpai"`
	Roles        RoleResult         `json:"roles"`
	Conformity   *Conformity        `json:"conformity,omitempty"`
	Obligations  []Obligation       `json:"obligations"`
	Missing      []Missing          `json:"missing"`
	Trace        []Step             `json:"trace"`
	Disclaimer   string             `json:"disclaimer"`
}

// Reason is one sentence of explanation with the provision behind it.
type Reason struct {
	Text string `json:"text"`
	Ref  string `json:"ref"`
}

// TransparencyDuty is an Art 50 duty triggered by the system.
type TransparencyDuty struct {
	Key    string `json:"key"`
	Ref    string `json:"ref"`
	Holder string `json:"holder"`
	Title  string `json:"title"`
	// Yours is true when the organisation holds the role that carries it.
	Yours bool   `json:"yours"`
	Note  string `json:"note,omitempty"`
}

// GPAIStatus is the general-purpose model axis, separate from the class.
type GPAIStatus struct {
	// Status is "not_applicable", "gpai", "gpai_systemic_risk" or "unknown".
	Status string   `json:"status"`
	Basis  []string `json:"basis,omitempty"`
	// OpenSourceExemption is true when Art 53(2) and 54(6) relieve the provider.
	OpenSourceExemption bool     `json:"open_source_exemption"`
	Reasons             []Reason `json:"reasons,omitempty"`
}

// RoleResult shows the declared roles and the roles the Act assigns.
type RoleResult struct {
	Declared  []string `json:"declared"`
	Effective []string `json:"effective"`
	Shifts    []Reason `json:"shifts,omitempty"`
}

// Conformity is the conformity-assessment route of a high-risk system (Art 43).
type Conformity struct {
	Route string `json:"route"`
	Text  string `json:"text"`
	Ref   string `json:"ref"`
}

// Obligation is a duty that applies (or may apply) to the organisation.
type Obligation struct {
	ID      string `json:"id"`
	Ref     string `json:"ref"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Roles are the organisation's roles that carry the duty.
	Roles []string `json:"roles"`
	// Status is "applies", or "may_apply" when unknown facts decide it.
	Status string `json:"status"`
	Dates  Dates  `json:"dates"`
	// Because lists the facts still unknown for a "may_apply" obligation.
	Because []string `json:"because,omitempty"`
}

// Dates give when an obligation applies under each timeline.
type Dates struct {
	Milestone     string `json:"milestone"`
	Enacted       string `json:"enacted"`
	EnactedSource string `json:"enacted_source"`
	Amended       string `json:"amended"`
	AmendedSource string `json:"amended_source"`
	// Applies is the date of the timeline in force for this result.
	Applies string `json:"applies"`
	Source  string `json:"source"`
}

// Missing is an unknown fact that could change the result.
type Missing struct {
	Fact     string `json:"fact"`
	Question string `json:"question"`
	Ref      string `json:"ref"`
	Section  string `json:"section"`
	// Effect says what the answer could change.
	Effect string `json:"effect"`
}

// Step is one rule evaluated, in order.
type Step struct {
	Rule    string `json:"rule"`
	Ref     string `json:"ref"`
	Read    []Read `json:"read"`
	Outcome string `json:"outcome"`
	Note    string `json:"note,omitempty"`
}

// Read is a fact a rule read and its value (true, false, a string, a number
// or null when unknown).
type Read struct {
	Fact  string `json:"fact"`
	Value any    `json:"value"`
}

// Step outcomes.
const (
	OutcomeApplies    = "applies"
	OutcomeNot        = "does_not_apply"
	OutcomeExcepted   = "excepted"
	OutcomeUnknown    = "unknown"
	OutcomeSkipped    = "skipped"
	OutcomeOutOfScope = "out_of_scope"
)

// run holds one classification's working state.
type run struct {
	c        *Content
	p        *Profile
	opt      Options
	derived  map[string]bool
	res      *Result
	reads    []Read // every read; each step takes those from readFrom on
	readFrom int
	missing  map[string]int // fact → index in res.Missing

	prohibited []*Prohibition // the Art 5 points that apply
	art5Open   bool           // an Art 5 point is undecided
	art50Open  bool           // an Art 50 duty is undecided
}

// Classify applies the content to the profile. It returns EINVALID naming
// each field when the profile uses unknown keys or contradicts itself.
func (c *Content) Classify(p *Profile, opt Options) (*Result, error) {
	if opt.Timeline == "" {
		opt.Timeline = Amended
	}
	if opt.Timeline != Amended && opt.Timeline != Enacted {
		return nil, caio.FieldError("timeline", "must be amended or enacted")
	}
	if err := c.Validate(p); err != nil {
		return nil, err
	}
	r := &run{c: c, p: p, opt: opt, derived: make(map[string]bool, 64), missing: map[string]int{},
		reads: make([]Read, 0, 128), // sized for a full profile: see the golden traces
		res: &Result{Engine: Engine, ContentVersion: c.Version, Timeline: opt.Timeline, Disclaimer: c.Disclaimer,
			Basis: []string{}, Reasons: []Reason{}, Transparency: []TransparencyDuty{},
			Obligations: make([]Obligation, 0, 24), Missing: []Missing{}, Trace: make([]Step, 0, 64)}}
	r.classify()
	r.res.Provisional = len(r.res.Missing) > 0
	return r.res, nil
}

// fact reads a fact, recording the read for the trace.
func (r *run) fact(key string) tri {
	var t tri
	if isDerived(key) {
		t = triOf(r.derived[key])
	} else if v, ok := r.p.Facts[key]; ok {
		t = triOf(v)
	}
	r.read(key, t.value())
	return t
}

// eval evaluates a condition in three-valued logic and returns the unknown
// facts that decide it when it is unknown.
func (r *run) eval(c *Cond) (tri, []string) {
	switch {
	case c == nil:
		return no, nil
	case c.Fact != "":
		t := r.fact(c.Fact)
		if t == unknown {
			return unknown, []string{c.Fact}
		}
		return t, nil
	case c.Not != nil:
		t, u := r.eval(c.Not)
		return -t, u
	case c.All != nil:
		return r.evalList(c.All, no)
	default:
		return r.evalList(c.Any, yes)
	}
}

// evalList is Kleene's all (decisive = no) or any (decisive = yes): every
// element is read, so the trace shows all the facts behind a decision.
func (r *run) evalList(list []*Cond, decisive tri) (tri, []string) {
	decided := false
	var unknowns []string
	for _, x := range list {
		t, u := r.eval(x)
		switch t {
		case decisive:
			decided = true
		case unknown:
			unknowns = append(unknowns, u...)
		}
	}
	if decided {
		return decisive, nil
	}
	if unknowns != nil {
		return unknown, unknowns
	}
	return -decisive, nil
}
