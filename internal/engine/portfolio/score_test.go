package portfolio_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// rated returns an input with every component rated r and one linked objective.
func rated(r int) portfolio.ScoreInput {
	return portfolio.ScoreInput{ObjectiveFit: r, StrategicFit: r, PeopleAffected: r, Urgency: r,
		DataReadiness: r, Complexity: 6 - r, Skills: r, Integration: r, ObjectiveCount: 1}
}

func equalWeights() portfolio.Weights {
	return portfolio.Weights{ObjectiveFit: 25, StrategicFit: 25, PeopleAffected: 25, Urgency: 25,
		DataReadiness: 25, Complexity: 25, Skills: 25, Integration: 25,
		Value: 45, Feasibility: 35, Risk: 20, Method: portfolio.MethodWeighted}
}

func component(t *testing.T, s portfolio.Score, key string) portfolio.Component {
	t.Helper()
	for _, c := range s.Components {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("no component %q in %+v", key, s.Components)
	return portfolio.Component{}
}

func hasReason(s portfolio.Score, part string) bool {
	return slices.ContainsFunc(s.Reasons, func(r string) bool { return strings.Contains(r, part) })
}

func TestQuadrantBoundaries(t *testing.T) {
	// With equal weights, ratings 3,3,3,2 average exactly 2.75: just below the line.
	in := func(v [4]int, f [4]int) portfolio.ScoreInput {
		return portfolio.ScoreInput{ObjectiveFit: v[0], StrategicFit: v[1], PeopleAffected: v[2], Urgency: v[3],
			DataReadiness: f[0], Complexity: 6 - f[1], Skills: f[2], Integration: f[3], ObjectiveCount: 1}
	}
	three, below, five, one := [4]int{3, 3, 3, 3}, [4]int{3, 3, 3, 2}, [4]int{5, 5, 5, 5}, [4]int{1, 1, 1, 1}
	tests := []struct {
		name        string
		in          portfolio.ScoreInput
		w           portfolio.Weights
		value, feas float64
		want        string
	}{
		{"both exactly 3", in(three, three), equalWeights(), 3, 3, portfolio.QuadrantQuickWin},
		{"value 3, feasibility 2.75", in(three, below), equalWeights(), 3, 2.75, portfolio.QuadrantStrategic},
		{"value 2.75, feasibility 3", in(below, three), equalWeights(), 2.75, 3, portfolio.QuadrantFillIn},
		{"both 2.75", in(below, below), equalWeights(), 2.75, 2.75, portfolio.QuadrantDeprioritise},
		{"both 5", in(five, five), equalWeights(), 5, 5, portfolio.QuadrantQuickWin},
		{"both 1", in(one, one), equalWeights(), 1, 1, portfolio.QuadrantDeprioritise},
		{"value 5, feasibility 1", in(five, one), equalWeights(), 5, 1, portfolio.QuadrantStrategic},
		{"value 1, feasibility 5", in(one, five), equalWeights(), 1, 5, portfolio.QuadrantFillIn},
		// Default weights 40/25/15/20: 2×40 + 4×25 + 4×15 + 3×20 = 300, exactly 3
		// even though 0.4×2 + 0.25×4 + ... in floating point is not.
		{"default weights land exactly on 3", in([4]int{2, 4, 4, 3}, three), portfolio.DefaultWeights(), 3, 3, portfolio.QuadrantQuickWin},
		// 35/25/20/20: 2×35 + 3×25 + 3×20 + 4×20 = 285, 2.85.
		{"default weights just below 3", in(three, [4]int{2, 3, 3, 4}), portfolio.DefaultWeights(), 3, 2.85, portfolio.QuadrantStrategic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := portfolio.Compute(tt.in, tt.w)
			if !s.Rated || s.Value != tt.value || s.Feasibility != tt.feas || s.Quadrant != tt.want {
				t.Errorf("got rated=%v value=%v feasibility=%v quadrant=%s; want value=%v feasibility=%v quadrant=%s",
					s.Rated, s.Value, s.Feasibility, s.Quadrant, tt.value, tt.feas, tt.want)
			}
		})
	}
}

func TestPriorityIsTheSumOfPoints(t *testing.T) {
	tests := []struct {
		name string
		in   portfolio.ScoreInput
		want float64
	}{
		// Value 5, feasibility 5, no system (risk 2, so 6-2 = 4):
		// 20 × (5×45 + 5×35 + 4×20) / 100 = 96.
		{"best ratings, no system", rated(5), 96},
		// Value 1, feasibility 1, prohibited system (6-5 = 1): 20 × 1 = 20.
		{"worst everything", func() portfolio.ScoreInput {
			in := rated(1)
			in.Systems = []portfolio.SystemRisk{{ID: "sys_1", Name: "Face scraper", Class: "prohibited"}}
			return in
		}(), 20},
		// Value 3, feasibility 3, minimal risk (6-1 = 5): 20 × (135 + 105 + 100) / 100 = 68.
		{"middle ratings, minimal risk", func() portfolio.ScoreInput {
			in := rated(3)
			in.Systems = []portfolio.SystemRisk{{ID: "sys_1", Name: "Spell checker", Class: "minimal"}}
			return in
		}(), 68},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := portfolio.Compute(tt.in, portfolio.DefaultWeights())
			if s.Priority != tt.want {
				t.Errorf("priority = %v, want %v", s.Priority, tt.want)
			}
			sum := 0.0
			for _, c := range s.Components {
				sum += c.Points
			}
			if math.Abs(sum-s.Priority) > 0.05 {
				t.Errorf("points add up to %v, priority is %v", sum, s.Priority)
			}
			if len(s.Components) != 9 {
				t.Errorf("got %d components, want 8 ratings and the risk", len(s.Components))
			}
		})
	}
}

func TestComplexityCountsInverted(t *testing.T) {
	in := rated(3)
	in.Complexity = 5 // the most complex work: counts as 1
	w := equalWeights()
	s := portfolio.Compute(in, w)
	if s.Feasibility != 2.5 { // (3 + 1 + 3 + 3) / 4
		t.Errorf("feasibility = %v, want 2.5", s.Feasibility)
	}
	c := component(t, s, "complexity")
	if c.Rating != 5 || !strings.Contains(c.Source, "6 - 5 = 1") {
		t.Errorf("complexity component = %+v, want the rating 5 and how it counts", c)
	}
}

func TestObjectiveFitCap(t *testing.T) {
	tests := []struct {
		name       string
		fit, count int
		want       float64
		capped     bool
	}{
		{"no objective caps a high rating", 5, 0, 1, true},
		{"no objective and a rating of 1 needs no cap", 1, 0, 1, false},
		{"one objective keeps the rating", 5, 1, 5, false},
		{"several objectives keep the rating", 4, 3, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := rated(3)
			in.ObjectiveFit, in.ObjectiveCount = tt.fit, tt.count
			s := portfolio.Compute(in, portfolio.DefaultWeights())
			c := component(t, s, "objective_fit")
			if c.Rating != tt.want {
				t.Errorf("objective fit counts as %v, want %v", c.Rating, tt.want)
			}
			if got := strings.Contains(c.Source, "capped: no linked objective"); got != tt.capped {
				t.Errorf("source %q: capped = %v, want %v", c.Source, got, tt.capped)
			}
			if got := hasReason(s, "linked to no business objective"); got != tt.capped {
				t.Errorf("reasons %q: capped = %v, want %v", s.Reasons, got, tt.capped)
			}
		})
	}
}

func TestRiskPerClass(t *testing.T) {
	tests := []struct {
		class   string
		risk    float64
		blocked bool
		source  string
		reason  string
	}{
		{"prohibited", 5, true, "classified Prohibited (EU AI Act)", "Blocked: AI system 'Foo' is classified prohibited"},
		{"high_risk", 4, false, "from AI system 'Foo' classified High-risk (EU AI Act)", ""},
		{"", 3, false, "not classified yet: counted as 3 until it is", "AI system 'Foo' is not classified yet: counted as 3 until it is"},
		{"not_high_risk", 2, false, "classified Not high-risk", ""},
		{"transparency_only", 2, false, "classified Transparency duties", ""},
		{"minimal", 1, false, "classified Minimal risk", ""},
		{"out_of_scope", 1, false, "classified Out of scope", ""},
		{"made_up", 3, false, "unknown class", "unknown class \"made_up\""},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			in := rated(4)
			in.Systems = []portfolio.SystemRisk{{ID: "sys_1", Name: "Foo", Class: tt.class}}
			s := portfolio.Compute(in, portfolio.DefaultWeights())
			c := component(t, s, "risk")
			if s.Risk != tt.risk || c.Rating != tt.risk || s.Blocked != tt.blocked {
				t.Errorf("risk=%v component=%v blocked=%v; want risk %v blocked %v", s.Risk, c.Rating, s.Blocked, tt.risk, tt.blocked)
			}
			if c.Group != portfolio.GroupRisk || !strings.Contains(c.Source, tt.source) {
				t.Errorf("risk source %q, want it to contain %q", c.Source, tt.source)
			}
			if tt.reason != "" && !hasReason(s, tt.reason) {
				t.Errorf("reasons %q lack %q", s.Reasons, tt.reason)
			}
		})
	}
	t.Run("no system", func(t *testing.T) {
		s := portfolio.Compute(rated(4), portfolio.DefaultWeights())
		if s.Risk != 2 || !hasReason(s, "No AI system linked yet") || !strings.Contains(component(t, s, "risk").Source, "no AI system linked yet") {
			t.Errorf("risk=%v reasons=%q", s.Risk, s.Reasons)
		}
	})
	t.Run("the riskiest system counts", func(t *testing.T) {
		in := rated(4)
		in.Systems = []portfolio.SystemRisk{
			{ID: "sys_1", Name: "Spell checker", Class: "minimal"},
			{ID: "sys_2", Name: "CV screener", Class: "high_risk"},
			{ID: "sys_3", Name: "", Class: ""},
		}
		s := portfolio.Compute(in, portfolio.DefaultWeights())
		if s.Risk != 4 || !strings.Contains(component(t, s, "risk").Source, "'CV screener'") {
			t.Errorf("risk=%v source=%q", s.Risk, component(t, s, "risk").Source)
		}
		if !hasReason(s, "AI system 'sys_3' is not classified yet") {
			t.Errorf("a nameless system should be named by its ID: %q", s.Reasons)
		}
	})
	t.Run("a prohibited system blocks and sorts last", func(t *testing.T) {
		in := rated(5)
		in.Reach, in.Impact, in.Confidence, in.Effort = 100, 1, 1, 1
		in.Systems = []portfolio.SystemRisk{{ID: "sys_1", Name: "Social scorer", Class: "prohibited"}}
		s := portfolio.Compute(in, portfolio.DefaultWeights())
		for _, m := range portfolio.Methods {
			if got := portfolio.RankKey(s, m); got != -1 {
				t.Errorf("RankKey(%s) = %v, want -1", m, got)
			}
		}
	})
}

func TestRICEAndWSJF(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name   string
		in     portfolio.ScoreInput
		rice   *float64
		wsjf   *float64
		reason string
	}{
		// RICE = reach × impact × confidence ÷ effort (practice.md §2.3).
		{"RICE", portfolio.ScoreInput{Reach: 1000, Impact: 2, Confidence: 0.8, Effort: 4}, f(400), nil, ""},
		{"RICE rounds to cents", portfolio.ScoreInput{Reach: 500, Impact: 0.25, Confidence: 0.5, Effort: 3}, f(20.83), nil, ""},
		{"RICE missing effort", portfolio.ScoreInput{Reach: 1000, Impact: 2, Confidence: 0.8}, nil, nil, "No RICE score: give a valid effort"},
		{"RICE off the impact scale", portfolio.ScoreInput{Reach: 10, Impact: 4, Confidence: 1, Effort: 1}, nil, nil, "valid impact"},
		{"RICE confidence as percent is not on the scale", portfolio.ScoreInput{Reach: 10, Impact: 1, Confidence: 80, Effort: 1}, nil, nil, "valid confidence"},
		// WSJF = (business value + time criticality + risk reduction) ÷ job size (§2.4).
		{"WSJF", portfolio.ScoreInput{BusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5}, nil, f(3.2), ""},
		{"WSJF rounds to cents", portfolio.ScoreInput{BusinessValue: 1, TimeCriticality: 1, RiskReduction: 1, JobSize: 13}, nil, f(0.23), ""},
		{"WSJF off the Fibonacci scale", portfolio.ScoreInput{BusinessValue: 4, TimeCriticality: 5, RiskReduction: 3, JobSize: 5}, nil, nil, "rate business value on 1, 2, 3, 5, 8, 13, 20"},
		{"nothing given, nothing said", portfolio.ScoreInput{}, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := portfolio.Compute(tt.in, portfolio.DefaultWeights())
			if !equalPtr(s.RICE, tt.rice) || !equalPtr(s.WSJF, tt.wsjf) {
				t.Errorf("RICE=%v WSJF=%v, want %v %v", show(s.RICE), show(s.WSJF), show(tt.rice), show(tt.wsjf))
			}
			if tt.reason != "" && !hasReason(s, tt.reason) {
				t.Errorf("reasons %q lack %q", s.Reasons, tt.reason)
			}
			if tt.reason == "" && (hasReason(s, "RICE") || hasReason(s, "WSJF")) {
				t.Errorf("unexpected reasons %q", s.Reasons)
			}
		})
	}
	t.Run("the ranking method explains a missing score", func(t *testing.T) {
		w := portfolio.DefaultWeights()
		w.Method = portfolio.MethodWSJF
		s := portfolio.Compute(rated(3), w)
		if s.WSJF != nil || !hasReason(s, "No WSJF score") || portfolio.RankKey(s, portfolio.MethodWSJF) != -1 {
			t.Errorf("WSJF=%v reasons=%q", show(s.WSJF), s.Reasons)
		}
	})
}

func equalPtr(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

func TestUnrated(t *testing.T) {
	in := rated(4)
	in.Urgency, in.Skills = 0, 0
	in.Systems = []portfolio.SystemRisk{{ID: "sys_1", Name: "Chatbot", Class: "transparency_only"}}
	s := portfolio.Compute(in, portfolio.DefaultWeights())
	if s.Rated || s.Quadrant != portfolio.QuadrantUnrated || s.Value != 0 || s.Feasibility != 0 || s.Priority != 0 {
		t.Errorf("got %+v, want an unrated score", s)
	}
	if s.Risk != 2 {
		t.Errorf("risk = %v: risk needs no rating and should still show", s.Risk)
	}
	if !hasReason(s, "Not rated yet: rate urgency and skills") {
		t.Errorf("reasons %q should name what to rate", s.Reasons)
	}
	if c := component(t, s, "urgency"); c.Source != "not rated yet" || c.Rating != 0 || c.Points != 0 {
		t.Errorf("urgency component = %+v", c)
	}
	if portfolio.RankKey(s, portfolio.MethodWeighted) != -1 {
		t.Error("an unrated use case should sort last")
	}
	t.Run("a rating off the scale does not count", func(t *testing.T) {
		in := rated(4)
		in.Urgency = 7
		s := portfolio.Compute(in, portfolio.DefaultWeights())
		if s.Rated || !hasReason(s, "Urgency is rated 7, outside the scale of 1 to 5") {
			t.Errorf("rated=%v reasons=%q", s.Rated, s.Reasons)
		}
	})
}

func TestRankKey(t *testing.T) {
	in := rated(5)
	in.Reach, in.Impact, in.Confidence, in.Effort = 200, 1, 1, 2
	in.BusinessValue, in.TimeCriticality, in.RiskReduction, in.JobSize = 13, 8, 5, 2
	s := portfolio.Compute(in, portfolio.DefaultWeights())
	for method, want := range map[string]float64{
		portfolio.MethodWeighted: 96, portfolio.MethodRICE: 100, portfolio.MethodWSJF: 13, "": 96, "unknown": 96,
	} {
		if got := portfolio.RankKey(s, method); got != want {
			t.Errorf("RankKey(%q) = %v, want %v", method, got, want)
		}
	}
	// A list sorted by the key puts scored use cases first, best first.
	low := portfolio.Compute(rated(2), portfolio.DefaultWeights())
	unrated := portfolio.Compute(portfolio.ScoreInput{}, portfolio.DefaultWeights())
	list := []portfolio.Score{unrated, low, s}
	slices.SortStableFunc(list, func(a, b portfolio.Score) int {
		return -cmpFloat(portfolio.RankKey(a, "weighted"), portfolio.RankKey(b, "weighted"))
	})
	if list[0].Priority != 96 || list[1].Priority != low.Priority || list[2].Rated {
		t.Errorf("sorted priorities %v %v %v", list[0].Priority, list[1].Priority, list[2].Priority)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestWeightsNormalize(t *testing.T) {
	tests := []struct {
		name   string
		change func(*portfolio.Weights)
		fields map[string]string // field → part of the message
	}{
		{"defaults are valid", func(*portfolio.Weights) {}, nil},
		{"empty method becomes weighted", func(w *portfolio.Weights) { w.Method = " " }, nil},
		{"method is case-insensitive", func(w *portfolio.Weights) { w.Method = " RICE " }, nil},
		{"value weights must add up", func(w *portfolio.Weights) { w.Urgency = 15 },
			map[string]string{"value_weights": "must add up to 100 (now 95)"}},
		{"feasibility weights must add up", func(w *portfolio.Weights) { w.Skills = 30 },
			map[string]string{"feasibility_weights": "must add up to 100 (now 110)"}},
		{"priority weights must add up", func(w *portfolio.Weights) { w.Risk = 0 },
			map[string]string{"priority_weights": "must add up to 100 (now 80)"}},
		{"negative weight", func(w *portfolio.Weights) { w.StrategicFit = -5; w.ObjectiveFit = 70 },
			map[string]string{"strategic_fit": "must not be negative"}},
		{"weight above 100", func(w *portfolio.Weights) { w.Value = 120; w.Feasibility = -40 },
			map[string]string{"value": "at most 100", "feasibility": "must not be negative"}},
		{"unknown method", func(w *portfolio.Weights) { w.Method = "gut feeling" },
			map[string]string{"method": "weighted, rice or wsjf"}},
		{"all at once", func(w *portfolio.Weights) { w.Urgency = 0; w.Integration = 0; w.Method = "x" },
			map[string]string{"value_weights": "now 80", "feasibility_weights": "now 80", "method": "one of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := portfolio.DefaultWeights()
			tt.change(&w)
			err := w.Normalize()
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if !slices.Contains(portfolio.Methods, w.Method) {
					t.Errorf("method %q after Normalize", w.Method)
				}
				return
			}
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			got := map[string]string{}
			for _, f := range caio.ErrorFields(err) {
				got[f.Field] = f.Message
			}
			if len(got) != len(tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
			for field, part := range tt.fields {
				if !strings.Contains(got[field], part) {
					t.Errorf("%s: %q, want it to contain %q", field, got[field], part)
				}
			}
		})
	}
}

func TestComputeRepairsWeights(t *testing.T) {
	// Weights that were never normalised still give a score on the same scale:
	// each group is divided by its own sum.
	w := portfolio.Weights{ObjectiveFit: 1, StrategicFit: 1, PeopleAffected: 1, Urgency: 1,
		DataReadiness: -3, Value: 1, Feasibility: 1, Risk: 0, Method: "bogus"}
	s := portfolio.Compute(rated(4), w)
	if s.Value != 4 || s.Feasibility != 4 || s.Priority != 80 || s.Weights.Method != portfolio.MethodWeighted {
		t.Errorf("value=%v feasibility=%v priority=%v method=%q", s.Value, s.Feasibility, s.Priority, s.Weights.Method)
	}
	if s.Weights.DataReadiness != 35 {
		t.Errorf("a feasibility group with no positive weight should take the defaults, got %+v", s.Weights)
	}
}

func TestValidateInput(t *testing.T) {
	if err := portfolio.ValidateInput(portfolio.ScoreInput{}); err != nil {
		t.Errorf("an empty input is valid (nothing rated yet): %v", err)
	}
	ok := rated(5)
	ok.Reach, ok.Impact, ok.Confidence, ok.Effort = 10, 0.25, 0.5, 0.5
	ok.BusinessValue, ok.TimeCriticality, ok.RiskReduction, ok.JobSize = 20, 1, 13, 8
	ok.Systems = []portfolio.SystemRisk{{ID: "a", Class: ""}, {ID: "b", Class: "high_risk"}}
	if err := portfolio.ValidateInput(ok); err != nil {
		t.Errorf("valid input refused: %v", err)
	}
	bad := portfolio.ScoreInput{Urgency: 6, Complexity: -1, ObjectiveCount: -2,
		Systems: []portfolio.SystemRisk{{ID: "a", Class: "high_risk"}, {ID: "b", Class: "scary"}},
		Reach:   -1, Impact: 1.5, Confidence: 0.9, Effort: math.Inf(1),
		BusinessValue: 4, TimeCriticality: 21, RiskReduction: 1, JobSize: -1}
	err := portfolio.ValidateInput(bad)
	want := map[string]string{
		"urgency":          "must be 1-5",
		"complexity":       "must be 1-5",
		"objective_count":  "must not be negative",
		"systems[1].class": "one of prohibited, high_risk",
		"reach":            "from 0 to 1,000,000,000,000",
		"impact":           "one of 0.25, 0.5, 1, 2, 3",
		"confidence":       "one of 0.5, 0.8, 1",
		"effort":           "person-months",
		"business_value":   "Fibonacci",
		"time_criticality": "Fibonacci",
		"job_size":         "Fibonacci",
	}
	got := map[string]string{}
	for _, f := range caio.ErrorFields(err) {
		got[f.Field] = f.Message
	}
	for field, part := range want {
		if !strings.Contains(got[field], part) {
			t.Errorf("%s: %q, want it to contain %q", field, got[field], part)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got fields %v", got)
	}
}

func TestLabels(t *testing.T) {
	for q, want := range map[string]string{"quick_win": "Quick win", "strategic": "Strategic", "fill_in": "Fill-in",
		"deprioritise": "Deprioritise", "unrated": "Not rated", "other": "other"} {
		if got := portfolio.QuadrantLabel(q); got != want {
			t.Errorf("QuadrantLabel(%q) = %q, want %q", q, got, want)
		}
	}
	for _, q := range portfolio.Quadrants {
		if portfolio.QuadrantLabel(q) == q {
			t.Errorf("quadrant %q has no label", q)
		}
	}
	for _, m := range portfolio.Methods {
		if portfolio.MethodLabel(m) == m && m != "rice" {
			t.Errorf("method %q has no label", m)
		}
	}
}

func TestScoreJSON(t *testing.T) {
	in := rated(4)
	in.Reach, in.Impact, in.Confidence, in.Effort = 10, 1, 1, 1
	b, err := json.Marshal(portfolio.Compute(in, portfolio.DefaultWeights()))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"rated":true`, `"quadrant":"quick_win"`, `"rice":10`, `"wsjf":null`,
		`"components":[{"key":"objective_fit"`, `"points":`, `"reasons":`, `"weights":{"objective_fit":40`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	const n = 50000
	inputs := make([]portfolio.ScoreInput, n)
	classes := append([]string{""}, caio.SystemClasses...)
	for i := range inputs {
		r := func(k int) int { return (i*k)%5 + 1 }
		inputs[i] = portfolio.ScoreInput{ObjectiveFit: r(1), StrategicFit: r(3), PeopleAffected: r(7), Urgency: r(11),
			DataReadiness: r(13), Complexity: r(17), Skills: r(19), Integration: r(23), ObjectiveCount: i % 3,
			Systems: []portfolio.SystemRisk{{ID: "sys_a", Name: "A", Class: classes[i%len(classes)]},
				{ID: "sys_b", Name: "B", Class: classes[(i/7)%len(classes)]}},
			Reach: float64(i % 1000), Impact: 1, Confidence: 0.8, Effort: 2,
			BusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5}
	}
	w := portfolio.DefaultWeights()
	b.ReportAllocs()
	for b.Loop() {
		for i := range inputs {
			_ = portfolio.Compute(inputs[i], w)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/input")
}

// TestRICEStaysFinite: inputs at the edge of the bounds give a finite RICE,
// and inputs past them are refused, so no score is ever infinite.
func TestRICEStaysFinite(t *testing.T) {
	in := portfolio.ScoreInput{Reach: portfolio.MaxReach, Impact: 3, Confidence: 1, Effort: portfolio.MinEffort}
	if err := portfolio.ValidateInput(in); err != nil {
		t.Fatalf("inputs at the bounds refused: %v", err)
	}
	s := portfolio.Compute(in, portfolio.DefaultWeights())
	if s.RICE == nil || math.IsInf(*s.RICE, 0) || math.IsNaN(*s.RICE) {
		t.Fatalf("RICE at the bounds = %v", s.RICE)
	}
	for _, bad := range []portfolio.ScoreInput{{Reach: 1e308, Impact: 3, Confidence: 1, Effort: 1}, {Reach: 10, Impact: 3, Confidence: 1, Effort: 1e-310}} {
		if err := portfolio.ValidateInput(bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
		if s := portfolio.Compute(bad, portfolio.DefaultWeights()); s.RICE != nil {
			t.Errorf("%+v got RICE %v", bad, *s.RICE)
		}
	}
}

// TestRegisterRaisesRisk: an open risk of the register linked to the use
// case raises its risk when it is higher than the systems' classes give,
// and says so; a lower one changes nothing.
func TestRegisterRaisesRisk(t *testing.T) {
	base := portfolio.ScoreInput{Systems: []portfolio.SystemRisk{{ID: "sys_1", Name: "Bot", Class: "minimal"}}}
	if got := portfolio.Compute(base, portfolio.DefaultWeights()).Risk; got != 1 {
		t.Fatalf("minimal system alone: risk %v", got)
	}
	for _, tt := range []struct {
		score, scale, want int
	}{{20, 5, 4}, {25, 5, 5}, {1, 5, 1}, {6, 5, 2}, {12, 5, 3}, {9, 3, 5}, {5, 0, 1}} {
		in := base
		in.Register = &portfolio.RegisterRisk{ID: "rsk_1", Title: "Prompt injection", Score: tt.score, Scale: tt.scale}
		s := portfolio.Compute(in, portfolio.DefaultWeights())
		if int(s.Risk) != tt.want {
			t.Errorf("register score %d of scale %d: risk %v, want %d", tt.score, tt.scale, s.Risk, tt.want)
		}
		raised := false
		for _, c := range s.Components {
			if c.Key == "risk" && strings.Contains(c.Source, "Prompt injection") {
				raised = true
			}
		}
		if raised != (tt.want > 1) {
			t.Errorf("score %d: the risk component's source names the register: %v, want %v", tt.score, raised, tt.want > 1)
		}
	}
}
