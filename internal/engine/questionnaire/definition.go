package questionnaire

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/goccy/go-yaml"
)

// Question types.
const (
	TypeSingle   = "single"   // one option
	TypeMultiple = "multiple" // any number of options
	TypeScale    = "scale"    // a number from Min to Max, scored linearly
	TypeNumber   = "number"   // a number, optionally bounded, never scored
	TypeText     = "text"     // free text up to MaxTextLen characters
	TypeDate     = "date"     // a calendar date written YYYY-MM-DD
)

// Kinds and subjects of a questionnaire.
var (
	Kinds    = []string{"readiness", "impact", "vendor", "custom"}
	Subjects = []string{"organization", "system", "vendor"}
)

// Limits that keep a definition and its answers to a size a form can show.
const (
	MaxTextLen      = 4000    // characters in one text answer
	MaxQuestions    = 1000    // questions in one definition
	MaxOptions      = 100     // options in one question
	MaxDefinitionSz = 1 << 20 // bytes of YAML
)

// Definition is one questionnaire: its questions in sections, the dimensions
// its scored questions feed and the maturity levels a score falls into.
// A Definition returned by Load or Builtin is shared; treat it as read-only.
type Definition struct {
	ID         string      `json:"id"`
	Version    string      `json:"version"`
	Title      string      `json:"title"`
	Summary    string      `json:"summary"`
	Kind       string      `json:"kind"`    // readiness, impact, vendor or custom
	Subject    string      `json:"subject"` // organization, system or vendor
	Dimensions []Dimension `json:"dimensions"`
	Sections   []Section   `json:"sections"`
	Levels     []Level     `json:"levels"`            // ascending by level and by min score
	Outputs    []Output    `json:"outputs,omitempty"` // figures computed by formulas
	Source     string      `json:"source"`            // where the content comes from

	idx *index
}

// Dimension is one axis of the score, such as data or governance.
type Dimension struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Summary string  `json:"summary"`
	Weight  float64 `json:"weight"` // share in the overall score; 1 when not given
	// Recommendations holds the advice for a dimension scored at each level.
	Recommendations []LevelText `json:"recommendations"`
}

// Level is one step of the maturity scale.
type Level struct {
	Level   int     `json:"level"`
	Label   string  `json:"label"`
	Summary string  `json:"summary"`
	Min     float64 `json:"min"` // lowest score (0-100) of this level
}

// LevelText is a text that applies at one level.
type LevelText struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
}

// Section groups questions on one page or under one heading.
type Section struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Help      string     `json:"help"`
	Questions []Question `json:"questions"`
}

// Question is one item of the form. A question with a Dimension is scored:
// single and scale questions by the chosen option or value, multiple
// questions by the sum of the chosen options' scores, capped at 100.
type Question struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"` // single, multiple, scale, number, text or date
	Title     string   `json:"title"`
	Help      string   `json:"help"`
	Ref       string   `json:"ref"` // the provision of law or the model the question serves
	Required  bool     `json:"required"`
	Options   []Option `json:"options"`
	Min       *float64 `json:"min,omitempty"` // bounds of scale and number questions
	Max       *float64 `json:"max,omitempty"`
	VisibleIf string   `json:"visible_if"` // a condition, see Condition; empty means always visible
	Dimension string   `json:"dimension"`
	Weight    float64  `json:"weight"` // share in its dimension; 1 when not given
}

// Option is one possible answer to a single, multiple or scale question.
type Option struct {
	Value string  `json:"value"`
	Label string  `json:"label"`
	Score float64 `json:"score"` // 0..100; for multiple questions, points summed and capped at 100
	// Recommendation is advice given whenever this option is chosen.
	Recommendation string `json:"recommendation"`
}

// Scored reports whether the question contributes to a dimension score.
func (q *Question) Scored() bool {
	return q.Dimension != "" && (q.Type == TypeSingle || q.Type == TypeMultiple || q.Type == TypeScale)
}

// Question returns the question with the id, or nil.
func (d *Definition) Question(id string) *Question {
	ix := d.index()
	if i, ok := ix.pos[id]; ok {
		return ix.qs[i]
	}
	return nil
}

// index is what Load precomputes so Evaluate needs no parsing.
type index struct {
	qs    []*Question      // in definition order
	pos   map[string]int   // question id → position in qs
	conds []*Condition     // parallel to qs; nil when always visible
	topo  []int            // positions ordered so a question comes after those its condition reads
	dims  map[string]int   // dimension id → position in Dimensions
	opts  []map[string]int // parallel to qs: option value → position
	recs  []map[int]string // parallel to Dimensions: level → recommendation
}

// index returns the precomputed index, building one for a Definition that
// was not made by Load. Such a definition is not validated: conditions that
// do not parse count as false, and a cycle leaves its questions hidden.
func (d *Definition) index() *index {
	if d.idx != nil {
		return d.idx
	}
	ix, _ := build(d)
	return ix
}

func build(d *Definition) (*index, map[string][]string) {
	ix := &index{pos: map[string]int{}, dims: map[string]int{}}
	for i := range d.Dimensions {
		if _, dup := ix.dims[d.Dimensions[i].ID]; !dup {
			ix.dims[d.Dimensions[i].ID] = i
		}
		m := map[int]string{}
		for _, r := range d.Dimensions[i].Recommendations {
			m[r.Level] = r.Text
		}
		ix.recs = append(ix.recs, m)
	}
	for s := range d.Sections {
		for q := range d.Sections[s].Questions {
			qq := &d.Sections[s].Questions[q]
			if _, dup := ix.pos[qq.ID]; !dup {
				ix.pos[qq.ID] = len(ix.qs)
			}
			ix.qs = append(ix.qs, qq)
			m := make(map[string]int, len(qq.Options))
			for k, o := range qq.Options {
				if _, dup := m[o.Value]; !dup {
					m[o.Value] = k
				}
			}
			ix.opts = append(ix.opts, m)
		}
	}
	ix.conds = make([]*Condition, len(ix.qs))
	for i, q := range ix.qs {
		if strings.TrimSpace(q.VisibleIf) == "" {
			continue
		}
		c, err := ParseCondition(q.VisibleIf)
		if err != nil {
			c = &Condition{op: "or"} // an empty or is false: never visible
		}
		ix.conds[i] = c
	}
	cycles := ix.order()
	return ix, cycles
}

// order fills topo with a depth-first order over the condition graph and
// returns each cycle found, keyed by the question where it was detected.
// Questions on a cycle are made never visible so evaluation stays finite.
func (ix *index) order() map[string][]string {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(ix.qs))
	var stack []int
	cycles := map[string][]string{}
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		if c := ix.conds[i]; c != nil {
			for _, id := range c.Questions() {
				j, ok := ix.pos[id]
				if !ok {
					continue
				}
				switch color[j] {
				case white:
					visit(j)
				case grey:
					k := slices.Index(stack, j)
					var path []string
					for _, p := range stack[k:] {
						path = append(path, ix.qs[p].ID)
					}
					path = append(path, ix.qs[j].ID)
					cycles[ix.qs[j].ID] = path
					for _, p := range stack[k:] {
						ix.conds[p] = &Condition{op: "or"}
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		ix.topo = append(ix.topo, i)
	}
	for i := range ix.qs {
		if color[i] == white {
			visit(i)
		}
	}
	return cycles
}

// num holds a number as written in YAML, so Load can name the path of a
// value that is not a number instead of failing on the whole document.
type num struct {
	set bool
	v   any
}

// UnmarshalYAML keeps whatever scalar the document holds.
func (n *num) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	n.set, n.v = v != nil, v
	return nil
}

// float returns the value, or an error message naming what is wrong.
func (n num) float() (float64, string) {
	var f float64
	switch t := n.v.(type) {
	case int:
		f = float64(t)
	case int64:
		f = float64(t)
	case uint64:
		f = float64(t)
	case float64:
		f = t
	case float32:
		f = float64(t)
	case string:
		return 0, fmt.Sprintf("must be a number, not %q", t)
	default:
		return 0, "must be a number"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, "must be a finite number"
	}
	return f, ""
}

type rawDef struct {
	ID         string       `yaml:"id"`
	Version    string       `yaml:"version"`
	Title      string       `yaml:"title"`
	Summary    string       `yaml:"summary"`
	Kind       string       `yaml:"kind"`
	Subject    string       `yaml:"subject"`
	Source     string       `yaml:"source"`
	Dimensions []rawDim     `yaml:"dimensions"`
	Levels     []rawLevel   `yaml:"levels"`
	Sections   []rawSection `yaml:"sections"`
	Outputs    []Output     `yaml:"outputs"`
}

type rawDim struct {
	ID              string         `yaml:"id"`
	Title           string         `yaml:"title"`
	Summary         string         `yaml:"summary"`
	Weight          num            `yaml:"weight"`
	Recommendations []rawLevelText `yaml:"recommendations"`
}

type rawLevelText struct {
	Level num    `yaml:"level"`
	Text  string `yaml:"text"`
}

type rawLevel struct {
	Level   num    `yaml:"level"`
	Label   string `yaml:"label"`
	Summary string `yaml:"summary"`
	Min     num    `yaml:"min"`
}

type rawSection struct {
	ID        string        `yaml:"id"`
	Title     string        `yaml:"title"`
	Help      string        `yaml:"help"`
	Questions []rawQuestion `yaml:"questions"`
}

type rawQuestion struct {
	ID        string      `yaml:"id"`
	Type      string      `yaml:"type"`
	Title     string      `yaml:"title"`
	Help      string      `yaml:"help"`
	Ref       string      `yaml:"ref"`
	Required  bool        `yaml:"required"`
	Options   []rawOption `yaml:"options"`
	Min       num         `yaml:"min"`
	Max       num         `yaml:"max"`
	VisibleIf string      `yaml:"visible_if"`
	Dimension string      `yaml:"dimension"`
	Weight    num         `yaml:"weight"`
}

type rawOption struct {
	Value          string `yaml:"value"`
	Label          string `yaml:"label"`
	Score          num    `yaml:"score"`
	Recommendation string `yaml:"recommendation"`
}

// idPattern is what an id may look like; question ids must also be usable
// in conditions, so they follow the condition language's identifiers.
var idPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]{0,63}$`)

// Load reads and checks a questionnaire definition written in YAML. Every
// problem is reported at once, each under the path of the field to fix, such
// as "sections[2].questions[4].visible_if". The error is a caio EINVALID
// error. Load never panics, whatever the input.
func Load(b []byte) (d *Definition, err error) {
	if len(b) > MaxDefinitionSz {
		return nil, caio.FieldError("yaml", fmt.Sprintf("is larger than %d bytes", MaxDefinitionSz))
	}
	// The YAML parser is third-party code fed with user input; a panic in it
	// must become an error, not a crash of the server.
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, caio.FieldError("yaml", fmt.Sprintf("could not be read: %v", r))
		}
	}()
	var raw rawDef
	if err := yaml.UnmarshalWithOptions(b, &raw, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		msg := yaml.FormatError(err, false, false)
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, caio.FieldError("yaml", "could not be read: "+msg)
	}
	var v caio.Validation
	d = convert(&raw, &v)
	validate(d, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	d.idx, _ = build(d)
	return d, nil
}

// convert turns the raw document into a Definition, reporting numbers that
// are not numbers and filling default weights.
func convert(r *rawDef, v *caio.Validation) *Definition {
	number := func(path string, n num, def float64) float64 {
		if !n.set {
			return def
		}
		f, msg := n.float()
		if msg != "" {
			v.Add(path, msg)
			return def
		}
		return f
	}
	integer := func(path string, n num) int {
		f := number(path, n, 0)
		if f != math.Trunc(f) || math.Abs(f) > 1e6 {
			v.Add(path, "must be a whole number")
			return 0
		}
		return int(f)
	}
	d := &Definition{ID: r.ID, Version: r.Version, Title: r.Title, Summary: r.Summary, Kind: r.Kind,
		Subject: r.Subject, Source: r.Source, Outputs: r.Outputs}
	for i, rd := range r.Dimensions {
		p := fmt.Sprintf("dimensions[%d]", i)
		dim := Dimension{ID: rd.ID, Title: rd.Title, Summary: rd.Summary, Weight: number(p+".weight", rd.Weight, 1)}
		for k, rt := range rd.Recommendations {
			dim.Recommendations = append(dim.Recommendations, LevelText{
				Level: integer(fmt.Sprintf("%s.recommendations[%d].level", p, k), rt.Level), Text: rt.Text})
		}
		d.Dimensions = append(d.Dimensions, dim)
	}
	for i, rl := range r.Levels {
		p := fmt.Sprintf("levels[%d]", i)
		if !rl.Min.set {
			v.Add(p+".min", "is required: the lowest score (0-100) of the level")
		}
		d.Levels = append(d.Levels, Level{Level: integer(p+".level", rl.Level), Label: rl.Label,
			Summary: rl.Summary, Min: number(p+".min", rl.Min, 0)})
	}
	for i, rs := range r.Sections {
		s := Section{ID: rs.ID, Title: rs.Title, Help: rs.Help}
		for j, rq := range rs.Questions {
			p := fmt.Sprintf("sections[%d].questions[%d]", i, j)
			q := Question{ID: rq.ID, Type: rq.Type, Title: rq.Title, Help: rq.Help, Ref: rq.Ref,
				Required: rq.Required, VisibleIf: rq.VisibleIf, Dimension: rq.Dimension,
				Weight: number(p+".weight", rq.Weight, 1)}
			if rq.Min.set {
				f := number(p+".min", rq.Min, 0)
				q.Min = &f
			}
			if rq.Max.set {
				f := number(p+".max", rq.Max, 0)
				q.Max = &f
			}
			for k, ro := range rq.Options {
				q.Options = append(q.Options, Option{Value: ro.Value, Label: ro.Label,
					Score: number(fmt.Sprintf("%s.options[%d].score", p, k), ro.Score, 0), Recommendation: ro.Recommendation})
			}
			s.Questions = append(s.Questions, q)
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}

// validate checks everything that is not a matter of YAML syntax.
func validate(d *Definition, v *caio.Validation) {
	defer checkOutputs(d, formulaNames(d), v.Add)
	checkID := func(path, id string) {
		if id == "" {
			v.Add(path, "is required")
		} else if !idPattern.MatchString(id) {
			v.Add(path, "must start with a letter or _ and use only letters, digits, _ . - (at most 64)")
		}
	}
	checkID("id", d.ID)
	if strings.TrimSpace(d.Version) == "" {
		v.Add("version", "is required")
	}
	if strings.TrimSpace(d.Title) == "" {
		v.Add("title", "is required")
	}
	if !slices.Contains(Kinds, d.Kind) {
		v.Add("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	if !slices.Contains(Subjects, d.Subject) {
		v.Add("subject", "must be one of "+strings.Join(Subjects, ", "))
	}

	levels := map[int]bool{}
	for i, l := range d.Levels {
		p := fmt.Sprintf("levels[%d]", i)
		levels[l.Level] = true
		if strings.TrimSpace(l.Label) == "" {
			v.Add(p+".label", "is required")
		}
		if l.Min < 0 || l.Min > 100 {
			v.Add(p+".min", "must be between 0 and 100")
		}
		if i == 0 && l.Min != 0 {
			v.Add(p+".min", "must be 0 for the first level, so every score has a level")
		}
		if i > 0 {
			prev := d.Levels[i-1]
			if l.Level <= prev.Level {
				v.Add(p+".level", fmt.Sprintf("must be greater than the level before (%d): levels are listed in ascending order", prev.Level))
			}
			if l.Min <= prev.Min {
				v.Add(p+".min", fmt.Sprintf("must be greater than the min of the level before (%g): levels are listed in ascending order", prev.Min))
			}
		}
	}

	dims := map[string]int{}
	for i, dim := range d.Dimensions {
		p := fmt.Sprintf("dimensions[%d]", i)
		checkID(p+".id", dim.ID)
		if j, dup := dims[dim.ID]; dup && dim.ID != "" {
			v.Add(p+".id", fmt.Sprintf("%s is already the id of dimensions[%d]", dim.ID, j))
		} else {
			dims[dim.ID] = i
		}
		if strings.TrimSpace(dim.Title) == "" {
			v.Add(p+".title", "is required")
		}
		if dim.Weight <= 0 {
			v.Add(p+".weight", "must be greater than 0")
		}
		seen := map[int]bool{}
		for k, r := range dim.Recommendations {
			rp := fmt.Sprintf("%s.recommendations[%d]", p, k)
			if !levels[r.Level] {
				v.Add(rp+".level", fmt.Sprintf("level %d is not one of the levels", r.Level))
			} else if seen[r.Level] {
				v.Add(rp+".level", fmt.Sprintf("level %d already has a recommendation", r.Level))
			}
			seen[r.Level] = true
			if strings.TrimSpace(r.Text) == "" {
				v.Add(rp+".text", "is required")
			}
		}
	}

	if len(d.Sections) == 0 {
		v.Add("sections", "needs at least one section")
	}
	qpath := map[string]string{}
	qs := map[string]*Question{}
	sections := map[string]int{}
	total := 0
	scoredIn := map[string]int{}
	for i := range d.Sections {
		s := &d.Sections[i]
		sp := fmt.Sprintf("sections[%d]", i)
		checkID(sp+".id", s.ID)
		if j, dup := sections[s.ID]; dup && s.ID != "" {
			v.Add(sp+".id", fmt.Sprintf("%s is already the id of sections[%d]", s.ID, j))
		} else {
			sections[s.ID] = i
		}
		if strings.TrimSpace(s.Title) == "" {
			v.Add(sp+".title", "is required")
		}
		if len(s.Questions) == 0 {
			v.Add(sp+".questions", "needs at least one question")
		}
		for j := range s.Questions {
			q := &s.Questions[j]
			p := fmt.Sprintf("%s.questions[%d]", sp, j)
			total++
			checkID(p+".id", q.ID)
			if other, dup := qpath[q.ID]; dup && q.ID != "" {
				v.Add(p+".id", fmt.Sprintf("%s is already the id of %s", q.ID, other))
			} else if q.ID != "" {
				qpath[q.ID] = p
				qs[q.ID] = q
			}
			if strings.TrimSpace(q.Title) == "" {
				v.Add(p+".title", "is required")
			}
			validateQuestion(p, q, dims, v)
			if q.Scored() {
				scoredIn[q.Dimension]++
			}
		}
	}
	if total > MaxQuestions {
		v.Add("sections", fmt.Sprintf("hold %d questions; at most %d are allowed", total, MaxQuestions))
	}
	for i, dim := range d.Dimensions {
		if dim.ID != "" && scoredIn[dim.ID] == 0 {
			v.Add(fmt.Sprintf("dimensions[%d]", i), fmt.Sprintf("no scored question feeds dimension %s", dim.ID))
		}
	}

	// Conditions: each parses, names questions that exist, compares with
	// values those questions can take; and no condition depends on itself.
	for i := range d.Sections {
		for j := range d.Sections[i].Questions {
			q := &d.Sections[i].Questions[j]
			if strings.TrimSpace(q.VisibleIf) == "" {
				continue
			}
			p := fmt.Sprintf("sections[%d].questions[%d].visible_if", i, j)
			c, err := ParseCondition(q.VisibleIf)
			if err != nil {
				v.Add(p, err.Error())
				continue
			}
			c.walk(func(n *Condition) {
				if n.id == "" {
					return
				}
				r, ok := qs[n.id]
				if !ok {
					v.Add(p, "unknown question "+n.id)
					return
				}
				switch {
				case n.op == "includes" && r.Type != TypeMultiple:
					v.Add(p, fmt.Sprintf("includes needs a multiple question, and %s is %s", n.id, r.Type))
				case (n.op == "==" || n.op == "!=" || n.op == "includes") && len(r.Options) > 0 &&
					!slices.ContainsFunc(r.Options, func(o Option) bool { return o.Value == n.value }):
					v.Add(p, fmt.Sprintf("'%s' is not an option of %s", n.value, n.id))
				}
			})
		}
	}
	if len(qpath) == total { // cycles are only meaningful when ids are unique
		_, cycles := build(d)
		ids := make([]string, 0, len(cycles))
		for id := range cycles {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int { return strings.Compare(qpath[a], qpath[b]) })
		for _, id := range ids {
			v.Add(qpath[id]+".visible_if", "conditions form a cycle "+strings.Join(cycles[id], " → "))
		}
	}
}

func validateQuestion(p string, q *Question, dims map[string]int, v *caio.Validation) {
	switch q.Type {
	case TypeSingle, TypeMultiple:
		if len(q.Options) == 0 {
			v.Add(p+".options", "a "+q.Type+" question needs at least one option")
		}
		if q.Min != nil || q.Max != nil {
			v.Add(p+".min", "only scale and number questions take min and max")
		}
	case TypeScale:
		if q.Min == nil || q.Max == nil {
			v.Add(p+".max", "a scale question needs min and max")
		} else if *q.Min >= *q.Max {
			v.Add(p+".max", fmt.Sprintf("must be greater than min (%g)", *q.Min))
		}
	case TypeNumber:
		if len(q.Options) > 0 {
			v.Add(p+".options", "a number question takes no options")
		}
		if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
			v.Add(p+".max", fmt.Sprintf("must not be less than min (%g)", *q.Min))
		}
	case TypeText, TypeDate:
		if len(q.Options) > 0 {
			v.Add(p+".options", "a "+q.Type+" question takes no options")
		}
		if q.Min != nil || q.Max != nil {
			v.Add(p+".min", "only scale and number questions take min and max")
		}
	default:
		v.Add(p+".type", "must be one of single, multiple, scale, number, text, date")
	}
	if len(q.Options) > MaxOptions {
		v.Add(p+".options", fmt.Sprintf("has %d options; at most %d are allowed", len(q.Options), MaxOptions))
	}
	values := map[string]int{}
	for k, o := range q.Options {
		op := fmt.Sprintf("%s.options[%d]", p, k)
		if strings.TrimSpace(o.Value) == "" {
			v.Add(op+".value", "is required")
		} else if o.Value != strings.TrimSpace(o.Value) {
			v.Add(op+".value", "must not start or end with spaces")
		} else if j, dup := values[o.Value]; dup {
			v.Add(op+".value", fmt.Sprintf("%q is already the value of options[%d]", o.Value, j))
		} else {
			values[o.Value] = k
		}
		if strings.TrimSpace(o.Label) == "" {
			v.Add(op+".label", "is required")
		}
		if o.Score < 0 || o.Score > 100 {
			v.Add(op+".score", "must be between 0 and 100")
		}
		if q.Type == TypeScale && q.Min != nil && q.Max != nil {
			f, err := parseNumber(o.Value)
			if err != nil || f < *q.Min || f > *q.Max {
				v.Add(op+".value", fmt.Sprintf("a scale option's value must be a number from %g to %g", *q.Min, *q.Max))
			}
		}
	}
	if q.Dimension != "" {
		if _, ok := dims[q.Dimension]; !ok {
			v.Add(p+".dimension", "unknown dimension "+q.Dimension)
		}
		if !q.Scored() && q.Type != "" {
			v.Add(p+".dimension", "a "+q.Type+" question cannot be scored; only single, multiple and scale questions take a dimension")
		}
		if q.Weight <= 0 {
			v.Add(p+".weight", "must be greater than 0")
		}
	}
}
