package euaiact

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed content/euaiact.yaml
var contentFS embed.FS

// Content is one version of the regulatory knowledge the engine applies:
// the facts it asks about, the prohibitions, Annex I and Annex III entries,
// the Art 6(3) filter, the Art 50 duties, the obligations and their dates.
// It is data, loaded from an embedded YAML file, so a new version of the law
// is a new file and not new code.
type Content struct {
	Version      string          `yaml:"version" json:"version"`
	Regulation   string          `yaml:"regulation" json:"regulation"`
	Amendment    string          `yaml:"amendment" json:"amendment"`
	Disclaimer   string          `yaml:"disclaimer" json:"disclaimer"`
	Sections     []Section       `yaml:"sections" json:"sections"`
	Facts        []Fact          `yaml:"facts" json:"facts"`
	Contradicts  []Contradict    `yaml:"contradictions" json:"contradictions"`
	Milestones   []Milestone     `yaml:"milestones" json:"milestones"`
	Prohibitions []Prohibition   `yaml:"prohibitions" json:"prohibitions"`
	AnnexI       []AnnexIEntry   `yaml:"annex_i" json:"annex_i"`
	AnnexIII     []AnnexIIIPoint `yaml:"annex_iii" json:"annex_iii"`
	Art63        Art63Filter     `yaml:"art6_3" json:"art6_3"`
	Transparency []Duty          `yaml:"transparency" json:"transparency"`
	GPAI         GPAIThresholds  `yaml:"gpai" json:"gpai"`
	Obligations  []ObligationDef `yaml:"obligations" json:"obligations"`

	facts      map[string]*Fact
	milestones map[string]*Milestone
	annexI     map[string]*AnnexIEntry
	annexIII   map[string]*AnnexIIIPoint
}

// Section groups facts for the guided questionnaire.
type Section struct {
	Key   string `yaml:"key" json:"key"`
	Title string `yaml:"title" json:"title"`
	Ref   string `yaml:"ref" json:"ref"`
}

// Fact is one yes/no question about a system, with the provision it serves.
type Fact struct {
	Key      string `yaml:"key" json:"key"`
	Ref      string `yaml:"ref" json:"ref"`
	Question string `yaml:"question" json:"question"`
	Help     string `yaml:"help" json:"help,omitempty"`
}

// Section returns the key of the questionnaire section the fact belongs to.
func (f *Fact) Section() string {
	s, _, _ := strings.Cut(f.Key, ".")
	switch s {
	case "art22", "art25", "deployer", "art111":
		return "roles"
	}
	return s
}

// Contradict names two facts that cannot hold together. With NegateSecond
// the second fact must not be false while the first is true.
type Contradict struct {
	Facts        [2]string `yaml:"facts" json:"facts"`
	NegateSecond bool      `yaml:"negate_second" json:"negate_second,omitempty"`
	Message      string    `yaml:"message" json:"message"`
}

// Milestone is an application date as enacted and as amended, each with
// the provision that sets it. An empty date means the timeline has no such
// date (the provision does not exist in it).
type Milestone struct {
	Key           string `yaml:"key" json:"key"`
	Title         string `yaml:"title" json:"title,omitempty"`
	Enacted       string `yaml:"enacted" json:"enacted"`
	EnactedSource string `yaml:"enacted_source" json:"enacted_source"`
	Amended       string `yaml:"amended" json:"amended"`
	AmendedSource string `yaml:"amended_source" json:"amended_source"`
}

// Prohibition is one point of Art 5(1): it applies when When holds and
// Unless does not.
type Prohibition struct {
	Key       string   `yaml:"key" json:"key"`
	Ref       string   `yaml:"ref" json:"ref"`
	Title     string   `yaml:"title" json:"title"`
	Milestone string   `yaml:"milestone" json:"milestone"`
	Timelines []string `yaml:"timelines" json:"timelines,omitempty"`
	When      *Cond    `yaml:"when" json:"when"`
	Unless    *Cond    `yaml:"unless" json:"unless,omitempty"`
	UnlessRef string   `yaml:"unless_ref" json:"unless_ref,omitempty"`
}

// AnnexIEntry is one act of Union harmonisation legislation in Annex I.
type AnnexIEntry struct {
	Key       string   `yaml:"key" json:"key"`
	Section   string   `yaml:"section" json:"section"`
	Act       string   `yaml:"act" json:"act"`
	Subject   string   `yaml:"subject" json:"subject"`
	Timelines []string `yaml:"timelines" json:"timelines,omitempty"`
	MovedTo   string   `yaml:"moved_to" json:"moved_to,omitempty"`
	MovedFrom string   `yaml:"moved_from" json:"moved_from,omitempty"`
}

// AnnexIIIPoint is one high-risk use listed in Annex III, keyed like "4(a)",
// with the facts that take a system out of the point.
type AnnexIIIPoint struct {
	Key       string   `yaml:"key" json:"key"`
	Area      int      `yaml:"area" json:"area"`
	AreaTitle string   `yaml:"area_title" json:"area_title"`
	Title     string   `yaml:"title" json:"title"`
	CarveOuts []string `yaml:"carve_outs" json:"carve_outs,omitempty"`
}

// Art63Filter names the facts of the Art 6(3) derogation.
type Art63Filter struct {
	Profiling         string           `yaml:"profiling" json:"profiling"`
	NoSignificantRisk string           `yaml:"no_significant_risk" json:"no_significant_risk"`
	Conditions        []Art63Condition `yaml:"conditions" json:"conditions"`
}

// Art63Condition is one of the conditions (a)–(d) of Art 6(3). Reason
// completes the sentence "It poses no significant risk of harm ..., and".
type Art63Condition struct {
	Key    string `yaml:"key" json:"key"`
	Fact   string `yaml:"fact" json:"fact"`
	Ref    string `yaml:"ref" json:"ref"`
	Reason string `yaml:"reason" json:"reason"`
}

// Duty is one transparency duty of Art 50.
type Duty struct {
	Key        string `yaml:"key" json:"key"`
	Ref        string `yaml:"ref" json:"ref"`
	Holder     string `yaml:"holder" json:"holder"`
	Obligation string `yaml:"obligation" json:"obligation"`
	Title      string `yaml:"title" json:"title"`
	When       *Cond  `yaml:"when" json:"when"`
	Unless     *Cond  `yaml:"unless" json:"unless,omitempty"`
}

// GPAIThresholds are the compute thresholds for general-purpose models.
type GPAIThresholds struct {
	IndicativeFLOP float64 `yaml:"indicative_flop" json:"indicative_flop"`
	IndicativeRef  string  `yaml:"indicative_ref" json:"indicative_ref"`
	SystemicFLOP   float64 `yaml:"systemic_flop" json:"systemic_flop"`
	SystemicRef    string  `yaml:"systemic_ref" json:"systemic_ref"`
}

// ObligationDef is a duty of the Act: who carries it, when it applies, and
// from which date.
type ObligationDef struct {
	ID        string   `yaml:"id" json:"id"`
	Ref       string   `yaml:"ref" json:"ref"`
	Title     string   `yaml:"title" json:"title"`
	Summary   string   `yaml:"summary" json:"summary"`
	Roles     []string `yaml:"roles" json:"roles"`
	When      *Cond    `yaml:"when" json:"when"`
	Milestone string   `yaml:"milestone" json:"milestone"`
	// Axis "gpai" marks a duty of the model provider: it follows the
	// gpai.provider fact, not the roles towards the system.
	Axis        string        `yaml:"axis" json:"axis,omitempty"`
	MilestoneIf []MilestoneIf `yaml:"milestone_if" json:"milestone_if,omitempty"`

	rule string // "obligation:<id>", the name of its trace step
}

// MilestoneIf replaces an obligation's milestone when a fact holds.
type MilestoneIf struct {
	When      string `yaml:"when" json:"when"`
	Milestone string `yaml:"milestone" json:"milestone"`
}

// Roles an organisation can hold towards an AI system (Art 3(3)–(8)).
var Roles = []string{"provider", "deployer", "importer", "distributor", "authorised_representative", "product_manufacturer"}

// Timelines: which version of the application dates is in force.
const (
	Amended = "amended" // as amended by Reg (EU) 2026/1744 (the default)
	Enacted = "enacted" // as enacted in Reg (EU) 2024/1689
)

var (
	defaultOnce    sync.Once
	defaultContent *Content
	defaultErr     error
)

// DefaultContent returns the embedded content, parsed and checked once.
func DefaultContent() (*Content, error) {
	defaultOnce.Do(func() {
		b, err := contentFS.ReadFile("content/euaiact.yaml")
		if err != nil {
			defaultErr = err
			return
		}
		defaultContent, defaultErr = ParseContent(b)
	})
	return defaultContent, defaultErr
}

// MustContent returns the embedded content; a test guarantees it parses.
func MustContent() *Content {
	c, err := DefaultContent()
	if err != nil {
		panic(err)
	}
	return c
}

// ParseContent reads and checks a content file: every fact a rule reads
// exists, keys are unique, milestones resolve.
func ParseContent(b []byte) (*Content, error) {
	var c Content
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return nil, fmt.Errorf("euaiact content: %w", err)
	}
	if err := c.index(); err != nil {
		return nil, fmt.Errorf("euaiact content %s: %w", c.Version, err)
	}
	return &c, nil
}

func (c *Content) index() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if c.Version == "" {
		bad("version is missing")
	}
	c.facts = make(map[string]*Fact, len(c.Facts))
	sections := map[string]bool{}
	for _, s := range c.Sections {
		sections[s.Key] = true
	}
	for i := range c.Facts {
		f := &c.Facts[i]
		if _, dup := c.facts[f.Key]; dup {
			bad("fact %s is defined twice", f.Key)
		}
		if f.Question == "" || f.Ref == "" {
			bad("fact %s needs a question and a ref", f.Key)
		}
		if !sections[f.Section()] {
			bad("fact %s belongs to no section", f.Key)
		}
		c.facts[f.Key] = f
	}
	c.milestones = map[string]*Milestone{}
	for i := range c.Milestones {
		c.milestones[c.Milestones[i].Key] = &c.Milestones[i]
	}
	checkFact := func(where, key string) {
		if isDerived(key) {
			return
		}
		if _, ok := c.facts[key]; !ok {
			bad("%s reads unknown fact %q", where, key)
		}
	}
	checkCond := func(where string, cond *Cond) {
		if cond == nil {
			return
		}
		cond.walk(func(k string) { checkFact(where, k) })
	}
	checkMilestone := func(where, key string) {
		if key == "high_risk" || key == "prohibition" { // resolved per result: see run.dates
			return
		}
		if _, ok := c.milestones[key]; !ok {
			bad("%s names unknown milestone %q", where, key)
		}
	}
	for _, x := range c.Contradicts {
		checkFact("contradiction", x.Facts[0])
		checkFact("contradiction", x.Facts[1])
	}
	for _, p := range c.Prohibitions {
		if _, ok := c.milestones[p.Milestone]; !ok {
			bad("prohibition %s needs a milestone with dates", p.Key)
		}
		if p.When == nil {
			bad("prohibition %s has no condition", p.Key)
		}
		checkCond("prohibition "+p.Key, p.When)
		checkCond("prohibition "+p.Key, p.Unless)
		checkMilestone("prohibition "+p.Key, p.Milestone)
	}
	c.annexI = map[string]*AnnexIEntry{}
	for i := range c.AnnexI {
		e := &c.AnnexI[i]
		if e.Section != "A" && e.Section != "B" {
			bad("annex I entry %s has section %q", e.Key, e.Section)
		}
		c.annexI[e.Key] = e
	}
	c.annexIII = map[string]*AnnexIIIPoint{}
	for i := range c.AnnexIII {
		p := &c.AnnexIII[i]
		if _, dup := c.annexIII[p.Key]; dup {
			bad("annex III point %s is defined twice", p.Key)
		}
		c.annexIII[p.Key] = p
		for _, f := range p.CarveOuts {
			checkFact("annex III "+p.Key, f)
		}
	}
	checkFact("art6_3", c.Art63.Profiling)
	checkFact("art6_3", c.Art63.NoSignificantRisk)
	for _, x := range c.Art63.Conditions {
		checkFact("art6_3 "+x.Key, x.Fact)
		if x.Reason == "" {
			bad("art6_3 condition %s needs a reason", x.Key)
		}
	}
	ids := map[string]bool{}
	for i := range c.Obligations {
		o := &c.Obligations[i]
		o.rule = "obligation:" + o.ID
		if ids[o.ID] {
			bad("obligation %s is defined twice", o.ID)
		}
		ids[o.ID] = true
		checkCond("obligation "+o.ID, o.When)
		checkMilestone("obligation "+o.ID, o.Milestone)
		for _, m := range o.MilestoneIf {
			checkFact("obligation "+o.ID, m.When)
			checkMilestone("obligation "+o.ID, m.Milestone)
		}
		for _, r := range o.Roles {
			if !slices.Contains(Roles, r) {
				bad("obligation %s names unknown role %q", o.ID, r)
			}
		}
	}
	for _, d := range c.Transparency {
		checkCond("duty "+d.Key, d.When)
		checkCond("duty "+d.Key, d.Unless)
		if !ids[d.Obligation] {
			bad("duty %s names unknown obligation %q", d.Key, d.Obligation)
		}
	}
	if c.GPAI.SystemicFLOP <= c.GPAI.IndicativeFLOP {
		bad("gpai thresholds are out of order")
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// FactDef returns the definition of a fact, or nil.
func (c *Content) FactDef(key string) *Fact { return c.facts[key] }

// AnnexIIIPointDef returns an Annex III point by key, or nil.
func (c *Content) AnnexIIIPointDef(key string) *AnnexIIIPoint { return c.annexIII[key] }

// AnnexIEntryDef returns an Annex I entry by key, or nil.
func (c *Content) AnnexIEntryDef(key string) *AnnexIEntry { return c.annexI[key] }

// MilestoneDef returns a milestone by key, or nil.
func (c *Content) MilestoneDef(key string) *Milestone { return c.milestones[key] }

func inTimeline(timelines []string, t string) bool {
	return len(timelines) == 0 || slices.Contains(timelines, t)
}
