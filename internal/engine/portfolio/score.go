package portfolio

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// Scoring methods: which number ranks a list of use cases. Weighted is the
// value × feasibility priority with a risk discount (practice.md §2.2), RICE
// is reach × impact × confidence ÷ effort (§2.3) and WSJF is cost of delay
// ÷ job size (§2.4).
const (
	MethodWeighted = "weighted"
	MethodRICE     = "rice"
	MethodWSJF     = "wsjf"
)

// Methods lists the scoring methods in the order a settings form offers them.
var Methods = []string{MethodWeighted, MethodRICE, MethodWSJF}

// Quadrants of the value × feasibility grid. The four names are the de-facto
// standard of CoE scoring templates (practice.md §2.2); unrated is ours, for
// use cases the team has not rated in full yet.
const (
	QuadrantQuickWin     = "quick_win"
	QuadrantStrategic    = "strategic"
	QuadrantFillIn       = "fill_in"
	QuadrantDeprioritise = "deprioritise"
	QuadrantUnrated      = "unrated"
)

// Quadrants lists the quadrants in the order a legend shows them.
var Quadrants = []string{QuadrantQuickWin, QuadrantStrategic, QuadrantFillIn, QuadrantDeprioritise, QuadrantUnrated}

// Groups of score components.
const (
	GroupValue       = "value"
	GroupFeasibility = "feasibility"
	GroupRisk        = "risk"
)

// RICE scales (practice.md §2.3): impact from minimal (0.25) to massive (3),
// confidence from low (50%) to high (100%), written as fractions.
var (
	RICEImpacts     = []float64{0.25, 0.5, 1, 2, 3}
	RICEConfidences = []float64{0.5, 0.8, 1}
)

// WSJFScale is the modified Fibonacci scale every WSJF term is rated on
// (practice.md §2.4).
var WSJFScale = []int{1, 2, 3, 5, 8, 13, 20}

// SystemRisk is an AI system linked to a use case, with its EU AI Act class
// from the inventory ("" when it is not classified yet).
type SystemRisk struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
}

// RegisterRisk is a risk of the organisation's risk register: its score
// (likelihood × impact, residual when assessed) on a scale of Scale × Scale.
type RegisterRisk struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Score int    `json:"score"`
	Scale int    `json:"scale"`
}

// Level maps the risk's score onto the 1–5 risk of a use case: the share of
// the largest possible score, in fifths, rounded up.
func (r RegisterRisk) Level() int {
	scale := r.Scale
	if scale < 2 {
		scale = 5
	}
	max := scale * scale
	level := (5*r.Score + max - 1) / max
	return min(5, max1(level))
}

func max1(x int) int {
	if x < 1 {
		return 1
	}
	return x
}

// ScoreInput holds everything the scores read about one use case: the team's
// ratings, the number of linked objectives and the linked AI systems.
type ScoreInput struct {
	// Value components, each 1..5, 0 = not rated.
	ObjectiveFit   int `json:"objective_fit"`
	StrategicFit   int `json:"strategic_fit"`
	PeopleAffected int `json:"people_affected"`
	Urgency        int `json:"urgency"`
	// Feasibility components, each 1..5, 0 = not rated. Complexity 5 is the
	// most complex; it counts inverted (6 − x) because simpler work is more
	// feasible.
	DataReadiness int `json:"data_readiness"`
	Complexity    int `json:"complexity"`
	Skills        int `json:"skills"`
	Integration   int `json:"integration"`
	// ObjectiveCount is the number of linked business objectives. With none,
	// objective fit counts as 1 whatever the team rated: a use case cannot fit
	// objectives it serves none of.
	ObjectiveCount int `json:"objective_count"`
	// Systems are the linked AI systems; the riskiest one sets the risk.
	Systems []SystemRisk `json:"systems"`
	// Register is the highest open risk of the risk register linked to the
	// use case, if any; it raises the risk when it is higher than the
	// systems' classes say.
	Register *RegisterRisk `json:"register,omitempty"`
	// RICE inputs (practice.md §2.3): reach per quarter, impact one of
	// RICEImpacts, confidence one of RICEConfidences, effort in person-months.
	// 0 means not given.
	Reach      float64 `json:"reach"`
	Impact     float64 `json:"impact"`
	Confidence float64 `json:"confidence"`
	Effort     float64 `json:"effort"`
	// WSJF inputs (practice.md §2.4), each on WSJFScale; 0 means not given.
	BusinessValue   int `json:"business_value"`
	TimeCriticality int `json:"time_criticality"`
	RiskReduction   int `json:"risk_reduction"`
	JobSize         int `json:"job_size"`
}

// Weights are an organisation's scoring weights in whole percent: four that
// make up value, four that make up feasibility, and three that combine value,
// feasibility and risk into the priority. Each group adds up to 100.
type Weights struct {
	ObjectiveFit   int `json:"objective_fit"`
	StrategicFit   int `json:"strategic_fit"`
	PeopleAffected int `json:"people_affected"`
	Urgency        int `json:"urgency"`

	DataReadiness int `json:"data_readiness"`
	Complexity    int `json:"complexity"`
	Skills        int `json:"skills"`
	Integration   int `json:"integration"`

	Value       int `json:"value"`
	Feasibility int `json:"feasibility"`
	Risk        int `json:"risk"`

	// Method is the scoring method that ranks lists: one of Methods.
	Method string `json:"method"`
}

// DefaultWeights returns the weights an organisation starts with.
//
// They are a synthesis of the templates in practice.md §2.2. Those weigh
// business impact at 30–35% and strategic fit or alignment at 15–25%, so
// value leans on fit with the organisation's objectives (40) and strategy
// (25), with urgency (20) and the people affected (15) after them. Both
// templates weigh data readiness at least as high as any other feasibility
// factor, so it leads feasibility (35) ahead of complexity (25), skills (20)
// and integration (20). The §2.2 recommendation treats risk as a discount,
// so the priority is 45% value, 35% feasibility and 20% risk.
func DefaultWeights() Weights {
	return Weights{
		ObjectiveFit: 40, StrategicFit: 25, PeopleAffected: 15, Urgency: 20,
		DataReadiness: 35, Complexity: 25, Skills: 20, Integration: 20,
		Value: 45, Feasibility: 35, Risk: 20,
		Method: MethodWeighted,
	}
}

// Normalize tidies the method (an empty one becomes weighted) and returns an
// EINVALID error naming every weight to fix: negative weights, weights above
// 100, groups that do not add up to 100 ("value_weights",
// "feasibility_weights", "priority_weights") and unknown methods.
func (w *Weights) Normalize() error {
	w.Method = strings.ToLower(strings.TrimSpace(w.Method))
	if w.Method == "" {
		w.Method = MethodWeighted
	}
	var v caio.Validation
	groups := []struct {
		field string
		names [4]string
		vals  []int
	}{
		{"value_weights", [4]string{"objective_fit", "strategic_fit", "people_affected", "urgency"},
			[]int{w.ObjectiveFit, w.StrategicFit, w.PeopleAffected, w.Urgency}},
		{"feasibility_weights", [4]string{"data_readiness", "complexity", "skills", "integration"},
			[]int{w.DataReadiness, w.Complexity, w.Skills, w.Integration}},
		{"priority_weights", [4]string{"value", "feasibility", "risk"},
			[]int{w.Value, w.Feasibility, w.Risk}},
	}
	for _, g := range groups {
		sum, ok := 0, true
		for i, x := range g.vals {
			switch {
			case x < 0:
				v.Add(g.names[i], "must not be negative")
				ok = false
			case x > 100:
				v.Add(g.names[i], "must be at most 100")
				ok = false
			}
			sum += x
		}
		if ok && sum != 100 {
			v.Add(g.field, fmt.Sprintf("must add up to 100 (now %d)", sum))
		}
	}
	if !slices.Contains(Methods, w.Method) {
		v.Add("method", "must be one of weighted, rice or wsjf")
	}
	return v.Err()
}

// Component is one number that went into a score, with where it came from.
type Component struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Group is value, feasibility or risk.
	Group string `json:"group"`
	// Rating is the rating as it counts (1..5), 0 when not rated. Complexity
	// shows the team's rating; its Source says how it was inverted.
	Rating float64 `json:"rating"`
	// Weight is the component's share of its group in percent; the risk
	// group has one component, weighted 100.
	Weight int `json:"weight"`
	// Points is what the component adds to the priority (0..100); the points
	// of all components add up to the priority, up to rounding. 0 when the
	// use case is not rated.
	Points float64 `json:"points"`
	Source string  `json:"source"`
}

// Score is the result of scoring one use case.
type Score struct {
	// Rated is true when all eight value and feasibility components are rated.
	Rated bool `json:"rated"`
	// Value and Feasibility are weighted averages on 1..5, 0 when not rated.
	Value       float64 `json:"value"`
	Feasibility float64 `json:"feasibility"`
	// Risk is 1..5 from the riskiest linked AI system. It needs no rating, so
	// it is set even when the use case is not rated.
	Risk float64 `json:"risk"`
	// Priority is 20 × the weighted mean of value, feasibility and 6 − risk:
	// 20 when everything is at its worst, 100 at its best, 0 when not rated.
	Priority float64 `json:"priority"`
	// Quadrant is one of Quadrants.
	Quadrant string `json:"quadrant"`
	// RICE and WSJF are nil unless all their inputs are given and valid.
	RICE *float64 `json:"rice"`
	WSJF *float64 `json:"wsjf"`
	// Blocked is true when a linked AI system is prohibited under the EU AI
	// Act: the use case sorts last whatever its scores.
	Blocked    bool        `json:"blocked"`
	Components []Component `json:"components"`
	Reasons    []string    `json:"reasons"`
	// Weights are the weights the score used, after Compute's repairs.
	Weights Weights `json:"weights"`
}

// component describes one rated component.
type component struct {
	key, label, group string
}

// components are the eight rated components, value first, in the order of
// ScoreInput and Weights.
var components = [8]component{
	{"objective_fit", "Objective fit", GroupValue},
	{"strategic_fit", "Strategic fit", GroupValue},
	{"people_affected", "People affected", GroupValue},
	{"urgency", "Urgency", GroupValue},
	{"data_readiness", "Data readiness", GroupFeasibility},
	{"complexity", "Complexity", GroupFeasibility},
	{"skills", "Skills", GroupFeasibility},
	{"integration", "Integration", GroupFeasibility},
}

// complexitySources explain the inverted complexity rating, one per rating,
// built once because Compute runs for every use case of a list.
var complexitySources = func() (s [6]string) {
	for r := 1; r <= 5; r++ {
		s[r] = fmt.Sprintf("rated by the team; counts as 6 - %d = %d, as simpler work is more feasible", r, 6-r)
	}
	return s
}()

const (
	idxObjectiveFit = 0
	idxComplexity   = 5
)

// usable returns weights Compute can divide by: negative weights count as 0
// and a group whose weights add up to 0 takes the default weights. Groups
// that add up to something other than 100 are scaled by their sum, so a
// score never depends on whether Normalize ran.
func (w Weights) usable() Weights {
	d := DefaultWeights()
	for _, p := range []*int{&w.ObjectiveFit, &w.StrategicFit, &w.PeopleAffected, &w.Urgency,
		&w.DataReadiness, &w.Complexity, &w.Skills, &w.Integration, &w.Value, &w.Feasibility, &w.Risk} {
		*p = max(*p, 0)
	}
	if w.ObjectiveFit+w.StrategicFit+w.PeopleAffected+w.Urgency == 0 {
		w.ObjectiveFit, w.StrategicFit, w.PeopleAffected, w.Urgency = d.ObjectiveFit, d.StrategicFit, d.PeopleAffected, d.Urgency
	}
	if w.DataReadiness+w.Complexity+w.Skills+w.Integration == 0 {
		w.DataReadiness, w.Complexity, w.Skills, w.Integration = d.DataReadiness, d.Complexity, d.Skills, d.Integration
	}
	if w.Value+w.Feasibility+w.Risk == 0 {
		w.Value, w.Feasibility, w.Risk = d.Value, d.Feasibility, d.Risk
	}
	w.Method = strings.ToLower(strings.TrimSpace(w.Method))
	if !slices.Contains(Methods, w.Method) {
		w.Method = MethodWeighted
	}
	return w
}

// Compute scores one use case with the given weights. It never fails: a
// rating outside its scale counts as not rated, weights are repaired as
// described on Score.Weights, and every component and reason is in the
// result. Call ValidateInput and Weights.Normalize to refuse bad input
// before storing it.
func Compute(in ScoreInput, w Weights) Score {
	w = w.usable()
	s := Score{Weights: w, Components: make([]Component, 0, len(components)+1)}
	ratings := [8]int{in.ObjectiveFit, in.StrategicFit, in.PeopleAffected, in.Urgency,
		in.DataReadiness, in.Complexity, in.Skills, in.Integration}
	weights := [8]int{w.ObjectiveFit, w.StrategicFit, w.PeopleAffected, w.Urgency,
		w.DataReadiness, w.Complexity, w.Skills, w.Integration}

	// counted holds each rating as it counts: capped, inverted, or 0.
	var counted [8]int
	var missing []string
	for i, c := range components {
		r := ratings[i]
		comp := Component{Key: c.key, Label: c.label, Group: c.group, Weight: weights[i]}
		switch {
		case r == 0:
			comp.Source = "not rated yet"
			missing = append(missing, strings.ToLower(c.label))
		case r < 0 || r > 5:
			comp.Source = fmt.Sprintf("rating %d is outside 1-5, so it does not count", r)
			missing = append(missing, strings.ToLower(c.label))
			s.Reasons = append(s.Reasons, fmt.Sprintf("%s is rated %d, outside the scale of 1 to 5: it does not count until it is rated again.", c.label, r))
		case i == idxObjectiveFit && in.ObjectiveCount <= 0 && r > 1:
			counted[i] = 1
			comp.Rating = 1
			comp.Source = fmt.Sprintf("capped: no linked objective (rated %d)", r)
			s.Reasons = append(s.Reasons, fmt.Sprintf("Objective fit counts as 1, not the %d the team rated, because the use case is linked to no business objective.", r))
		case i == idxComplexity:
			counted[i] = 6 - r
			comp.Rating = float64(r)
			comp.Source = complexitySources[r]
		default:
			counted[i] = r
			comp.Rating = float64(r)
			comp.Source = "rated by the team"
		}
		s.Components = append(s.Components, comp)
	}

	risk, riskSource, blocked, riskReasons := systemsRisk(in.Systems)
	if r := in.Register; r != nil {
		if lv := r.Level(); lv > risk {
			risk = lv
			riskSource = fmt.Sprintf("from risk %s of the register: score %d of %d, counted as %d", strconv.Quote(r.Title), r.Score, max1(r.Scale)*max1(r.Scale), lv)
			riskReasons = append(riskReasons, fmt.Sprintf("The risk register's %s (score %d) sets the risk at %d, above what the linked systems' classes give.", strconv.Quote(r.Title), r.Score, lv))
		}
	}
	s.Risk, s.Blocked = float64(risk), blocked
	s.Reasons = append(s.Reasons, riskReasons...)
	s.Components = append(s.Components, Component{Key: "risk", Label: "EU AI Act risk", Group: GroupRisk,
		Rating: float64(risk), Weight: 100, Source: riskSource})

	s.Rated = len(missing) == 0
	if !s.Rated {
		s.Quadrant = QuadrantUnrated
		s.Reasons = append(s.Reasons, "Not rated yet: rate "+joinAnd(missing)+" to place it on the value × feasibility grid.")
	} else {
		// Sums stay integers until the last step, so a value of exactly 3 is
		// exactly 3 and the quadrant boundaries hold.
		var nv, sv, nf, sf int
		for i := range 4 {
			nv += counted[i] * weights[i]
			sv += weights[i]
			nf += counted[4+i] * weights[4+i]
			sf += weights[4+i]
		}
		s.Value = float64(nv) / float64(sv)
		s.Feasibility = float64(nf) / float64(sf)
		sp := float64(w.Value + w.Feasibility + w.Risk)
		s.Priority = round2(20 * (s.Value*float64(w.Value) + s.Feasibility*float64(w.Feasibility) +
			float64(6-risk)*float64(w.Risk)) / sp)
		for i := range s.Components[:8] {
			if i < 4 {
				s.Components[i].Points = round2(20 * float64(counted[i]*weights[i]) / float64(sv) * float64(w.Value) / sp)
			} else {
				s.Components[i].Points = round2(20 * float64(counted[i]*weights[i]) / float64(sf) * float64(w.Feasibility) / sp)
			}
		}
		s.Components[8].Points = round2(20 * float64((6-risk)*w.Risk) / sp)
		s.Quadrant = quadrant(nv >= 3*sv, nf >= 3*sf)
		s.Value, s.Feasibility = round2(s.Value), round2(s.Feasibility)
	}

	var reason string
	s.RICE, reason = rice(in, w.Method == MethodRICE)
	if reason != "" {
		s.Reasons = append(s.Reasons, reason)
	}
	s.WSJF, reason = wsjf(in, w.Method == MethodWSJF)
	if reason != "" {
		s.Reasons = append(s.Reasons, reason)
	}
	return s
}

// quadrant places a rated use case on the value × feasibility grid
// (practice.md §2.2): 3 and above is high on either axis.
func quadrant(highValue, highFeasibility bool) string {
	switch {
	case highValue && highFeasibility:
		return QuadrantQuickWin
	case highValue:
		return QuadrantStrategic
	case highFeasibility:
		return QuadrantFillIn
	}
	return QuadrantDeprioritise
}

// classRisk maps an EU AI Act class to a risk on 1..5. Prohibited is the
// worst and blocks the use case; a system not classified yet counts in the
// middle so that classifying it can move the score either way.
func classRisk(class string) int {
	switch class {
	case "prohibited":
		return 5
	case "high_risk":
		return 4
	case "not_high_risk", "transparency_only":
		return 2
	case "minimal", "out_of_scope":
		return 1
	}
	return 3
}

// systemsRisk returns the risk of the riskiest linked system, where the
// number came from, whether a prohibited system blocks the use case, and the
// reasons a person should read.
func systemsRisk(systems []SystemRisk) (risk int, source string, blocked bool, reasons []string) {
	if len(systems) == 0 {
		return 2, "no AI system linked yet: counted as 2",
			false, []string{"No AI system linked yet: risk counts as 2 until one is."}
	}
	top := -1
	for i, sys := range systems {
		r := classRisk(sys.Class)
		name := systemName(sys.ID, sys.Name)
		switch {
		case sys.Class == "prohibited":
			blocked = true
			reasons = append(reasons, "Blocked: AI system "+name+" is classified prohibited under the EU AI Act (Art 5), so the use case cannot go ahead with it.")
		case sys.Class == "":
			reasons = append(reasons, "AI system "+name+" is not classified yet: counted as 3 until it is.")
		case r == 3:
			reasons = append(reasons, "AI system "+name+" has an unknown class "+strconv.Quote(sys.Class)+": counted as 3 until it is classified again.")
		}
		if top < 0 || r > risk {
			top, risk = i, r
		}
	}
	sys := systems[top]
	name := systemName(sys.ID, sys.Name)
	switch {
	case sys.Class == "":
		source = "from AI system " + name + ", not classified yet: counted as 3 until it is"
	case risk == 3:
		source = "from AI system " + name + " with unknown class " + strconv.Quote(sys.Class) + ": counted as 3"
	default:
		source = "from AI system " + name + " classified " + caio.ClassLabel(sys.Class) + " (EU AI Act)"
	}
	return risk, source, blocked, reasons
}

// systemName quotes a system's name for messages, falling back on its ID.
func systemName(id, name string) string {
	if strings.TrimSpace(name) == "" {
		name = id
	}
	return "'" + name + "'"
}

// rice computes RICE = reach × impact × confidence ÷ effort (practice.md
// §2.3) when all four inputs are given and valid. The reason explains a
// missing score when some inputs are given, or when RICE ranks the list.
func rice(in ScoreInput, ranks bool) (*float64, string) {
	var problems []string
	given := in.Reach != 0 || in.Impact != 0 || in.Confidence != 0 || in.Effort != 0
	if !(in.Reach > 0 && in.Reach <= MaxReach) {
		problems = append(problems, "reach")
	}
	if !slices.Contains(RICEImpacts, in.Impact) {
		problems = append(problems, "impact")
	}
	if !slices.Contains(RICEConfidences, in.Confidence) {
		problems = append(problems, "confidence")
	}
	if !(in.Effort >= MinEffort && in.Effort <= MaxEffort) {
		problems = append(problems, "effort")
	}
	if len(problems) == 0 {
		x := round2(in.Reach * in.Impact * in.Confidence / in.Effort)
		return &x, ""
	}
	if !given && !ranks {
		return nil, ""
	}
	return nil, "No RICE score: give a valid " + joinAnd(problems) + " (RICE = reach × impact × confidence ÷ effort)."
}

// wsjf computes WSJF = (business value + time criticality + risk reduction)
// ÷ job size (practice.md §2.4) when all four are on the Fibonacci scale.
func wsjf(in ScoreInput, ranks bool) (*float64, string) {
	var problems []string
	given := in.BusinessValue != 0 || in.TimeCriticality != 0 || in.RiskReduction != 0 || in.JobSize != 0
	for _, t := range []struct {
		name string
		x    int
	}{{"business value", in.BusinessValue}, {"time criticality", in.TimeCriticality},
		{"risk reduction", in.RiskReduction}, {"job size", in.JobSize}} {
		if !slices.Contains(WSJFScale, t.x) {
			problems = append(problems, t.name)
		}
	}
	if len(problems) == 0 {
		x := round2(float64(in.BusinessValue+in.TimeCriticality+in.RiskReduction) / float64(in.JobSize))
		return &x, ""
	}
	if !given && !ranks {
		return nil, ""
	}
	return nil, "No WSJF score: rate " + joinAnd(problems) + " on 1, 2, 3, 5, 8, 13, 20 (WSJF = (business value + time criticality + risk reduction) ÷ job size)."
}

// RankKey returns the number a list sorts by, highest first, under method
// (one of Methods; anything else ranks by the weighted priority). A use case
// that is blocked, not rated, or lacks the method's score returns -1, so it
// sorts after every scored one.
func RankKey(s Score, method string) float64 {
	if s.Blocked {
		return -1
	}
	switch method {
	case MethodRICE:
		if s.RICE == nil {
			return -1
		}
		return *s.RICE
	case MethodWSJF:
		if s.WSJF == nil {
			return -1
		}
		return *s.WSJF
	}
	if !s.Rated {
		return -1
	}
	return s.Priority
}

// QuadrantLabel names a quadrant for people; an unknown key is returned as is.
func QuadrantLabel(q string) string {
	switch q {
	case QuadrantQuickWin:
		return "Quick win"
	case QuadrantStrategic:
		return "Strategic"
	case QuadrantFillIn:
		return "Fill-in"
	case QuadrantDeprioritise:
		return "Deprioritise"
	case QuadrantUnrated:
		return "Not rated"
	}
	return q
}

// MethodLabel names a scoring method for people; an unknown key is returned
// as is.
func MethodLabel(m string) string {
	switch m {
	case MethodWeighted:
		return "Value × feasibility"
	case MethodRICE:
		return "RICE"
	case MethodWSJF:
		return "WSJF"
	}
	return m
}

// ValidateInput returns an EINVALID error naming every input to fix, with
// the JSON names of ScoreInput: ratings outside 0..5, an unknown class of a
// linked system, RICE and WSJF values off their scales. Zero is always
// accepted: it means not rated or not given.
func ValidateInput(in ScoreInput) error {
	var v caio.Validation
	for i, r := range [8]int{in.ObjectiveFit, in.StrategicFit, in.PeopleAffected, in.Urgency,
		in.DataReadiness, in.Complexity, in.Skills, in.Integration} {
		if r < 0 || r > 5 {
			v.Add(components[i].key, "must be 1-5 (or 0 when not rated)")
		}
	}
	if in.ObjectiveCount < 0 {
		v.Add("objective_count", "must not be negative")
	}
	for i, sys := range in.Systems {
		if sys.Class != "" && !slices.Contains(caio.SystemClasses, sys.Class) {
			v.Add(fmt.Sprintf("systems[%d].class", i), "must be empty (not classified) or one of "+strings.Join(caio.SystemClasses, ", "))
		}
	}
	// Bounds keep RICE finite: a reach of 1e308 or an effort of 1e-310
	// would make it infinite, and no list could be written as JSON.
	if in.Reach < 0 || !finite(in.Reach) || in.Reach > MaxReach {
		v.Add("reach", "must be a number of people or events per quarter, from 0 to 1,000,000,000,000")
	}
	if in.Impact != 0 && !slices.Contains(RICEImpacts, in.Impact) {
		v.Add("impact", "must be one of 0.25, 0.5, 1, 2, 3 (minimal to massive), or 0 when not given")
	}
	if in.Confidence != 0 && !slices.Contains(RICEConfidences, in.Confidence) {
		v.Add("confidence", "must be one of 0.5, 0.8, 1 (50%, 80%, 100%), or 0 when not given")
	}
	if in.Effort < 0 || !finite(in.Effort) || (in.Effort != 0 && in.Effort < MinEffort) || in.Effort > MaxEffort {
		v.Add("effort", "must be a number of person-months from 0.01 to 1,000,000 (or 0 when not given)")
	}
	for _, t := range []struct {
		name string
		x    int
	}{{"business_value", in.BusinessValue}, {"time_criticality", in.TimeCriticality},
		{"risk_reduction", in.RiskReduction}, {"job_size", in.JobSize}} {
		if t.x != 0 && !slices.Contains(WSJFScale, t.x) {
			v.Add(t.name, "must be on the Fibonacci scale 1, 2, 3, 5, 8, 13, 20 (or 0 when not given)")
		}
	}
	return v.Err()
}

// Bounds of the RICE inputs that ValidateInput accepts.
const (
	MaxReach  = 1e12
	MinEffort = 0.01
	MaxEffort = 1e6
)

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// joinAnd lists words as prose: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
