package portfolio_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/portfolio"
)

var active = []string{"idea", "assessment", "approved", "poc", "pilot", "production"}

func TestGatesLoad(t *testing.T) {
	g, err := portfolio.DefaultGates()
	if err != nil {
		t.Fatalf("the embedded gate content does not load: %v", err)
	}
	if g.Version == "" || g.Source == "" {
		t.Errorf("version %q source %q", g.Version, g.Source)
	}
	// Every criterion has an evaluator (Load checks it) and is used by a gate.
	used := map[string]bool{}
	for _, tr := range g.Transitions {
		for _, id := range tr.Criteria {
			used[id] = true
		}
	}
	for _, c := range g.Criteria {
		if !used[c.ID] {
			t.Errorf("criterion %s is used by no gate", c.ID)
		}
		if !strings.Contains(c.Source, "§") && !strings.Contains(c.Source, "Art") {
			t.Errorf("criterion %s cites no section: %q", c.ID, c.Source)
		}
	}
	if len(g.Criteria) != 14 {
		t.Errorf("got %d criteria, want 14", len(g.Criteria))
	}
}

func TestStages(t *testing.T) {
	want := []struct{ key, label string }{{"idea", "Idea"}, {"assessment", "Assessment"}, {"approved", "Approved"},
		{"poc", "Proof of concept"}, {"pilot", "Pilot"}, {"production", "Production"}, {"retired", "Retired"},
		{"rejected", "Rejected"}, {"on_hold", "On hold"}}
	got := portfolio.Stages()
	if len(got) != len(want) {
		t.Fatalf("got %d stages, want %d", len(got), len(want))
	}
	for i, w := range want {
		s := got[i]
		if s.Key != w.key || s.Label != w.label || s.Description == "" || s.Active != slices.Contains(active, w.key) {
			t.Errorf("stage %d = %+v, want %s %q", i, s, w.key, w.label)
		}
		if portfolio.StageLabel(w.key) != w.label || !portfolio.ValidStage(w.key) {
			t.Errorf("StageLabel/ValidStage(%q) wrong", w.key)
		}
	}
	if portfolio.ValidStage("deployed") || portfolio.ValidStage("") || portfolio.StageLabel("deployed") != "deployed" {
		t.Error("unknown stages should be invalid and labelled as themselves")
	}
	if portfolio.StageIdea != "idea" || portfolio.StagePoC != "poc" || portfolio.StageOnHold != "on_hold" {
		t.Error("stage constants changed")
	}
}

// allMet are facts that meet every criterion.
func allMet(stage string) portfolio.GateFacts {
	return portfolio.GateFacts{Stage: stage, Owner: "Ana", Sponsor: "Ben", Problem: "Slow claims",
		DataNeeded: "Claims history", ObjectiveCount: 1, Scored: true, HasBusinessCase: true,
		Systems: []portfolio.SystemFact{{ID: "sys_1", Name: "Claims triage", Class: "high_risk", FRIARequired: true, FRIADone: true}},
		KPIs:    []portfolio.KPIFact{{Name: "Days to settle", HasBaseline: true, HasTarget: true}}}
}

type move struct {
	approval, reason bool
	criteria         []string
}

// lifecycle is the rule of the brief, written out independently of the YAML.
func lifecycle() map[[2]string]move {
	m := map[[2]string]move{
		{"idea", "assessment"}:     {false, false, []string{"owner_named", "sponsor_named", "problem_stated", "objective_linked"}},
		{"assessment", "approved"}: {true, false, []string{"scored", "business_case", "systems_classified", "none_prohibited"}},
		{"approved", "poc"}:        {true, false, []string{"data_described", "kpis_defined", "none_prohibited"}},
		{"poc", "pilot"}:           {true, false, []string{"kpis_baselined", "systems_classified", "none_prohibited", "fria_done"}},
		{"pilot", "production"}:    {true, false, []string{"system_linked", "kpis_baselined", "kpis_targeted", "systems_classified", "none_prohibited", "fria_done", "business_case"}},
		{"production", "retired"}:  {true, true, nil},
		{"on_hold", "rejected"}:    {false, true, nil},
	}
	for i, from := range active {
		m[[2]string{from, "rejected"}] = move{false, true, nil}
		m[[2]string{from, "on_hold"}] = move{false, true, nil}
		m[[2]string{"on_hold", from}] = move{false, false, nil}
		for _, to := range active[:i] {
			m[[2]string{from, to}] = move{false, true, nil}
		}
	}
	return m
}

func TestEveryTransition(t *testing.T) {
	want := lifecycle()
	stages := portfolio.Stages()
	for _, from := range stages {
		for _, to := range stages {
			f := allMet(from.Key)
			mv, ok := want[[2]string{from.Key, to.Key}]
			if from.Key == "on_hold" && to.Key != "rejected" {
				f.HeldFrom = to.Key // resuming where it was held
			}
			c := portfolio.Evaluate(f, to.Key)
			name := from.Key + "→" + to.Key
			if c.Allowed != ok {
				t.Errorf("%s: allowed = %v, want %v (%s)", name, c.Allowed, ok, c.Refusal)
				continue
			}
			if !ok {
				if c.Refusal == "" || c.Passed {
					t.Errorf("%s: refused without a refusal: %+v", name, c)
				}
				continue
			}
			var ids []string
			for _, r := range c.Criteria {
				ids = append(ids, r.ID)
			}
			if c.NeedsApproval != mv.approval || c.ReasonRequired != mv.reason || !slices.Equal(ids, mv.criteria) {
				t.Errorf("%s: approval=%v reason=%v criteria=%v; want %v %v %v",
					name, c.NeedsApproval, c.ReasonRequired, ids, mv.approval, mv.reason, mv.criteria)
			}
			if !c.Passed {
				t.Errorf("%s: facts that meet everything did not pass: %+v", name, c.Criteria)
			}
			if c.FromLabel != from.Label || c.ToLabel != to.Label {
				t.Errorf("%s: labels %q %q", name, c.FromLabel, c.ToLabel)
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name string
		f    portfolio.GateFacts
		to   string
		want string
	}{
		{"skipping a gate", portfolio.GateFacts{Stage: "idea"}, "pilot",
			"A use case at Idea cannot move to Pilot. From Idea it can move to Assessment, Rejected or On hold."},
		{"already there", portfolio.GateFacts{Stage: "pilot"}, "pilot", "The use case is already at Pilot."},
		{"retired is final", portfolio.GateFacts{Stage: "retired"}, "production", "Retired is final."},
		{"rejected is final", portfolio.GateFacts{Stage: "rejected"}, "idea", "Rejected is final."},
		{"unknown target", portfolio.GateFacts{Stage: "idea"}, "launched", `"launched" is not a stage`},
		{"unknown current stage", portfolio.GateFacts{Stage: "deployed"}, "idea", `The current stage "deployed" is not a stage`},
		{"retiring from a pilot", portfolio.GateFacts{Stage: "pilot"}, "retired", "cannot move to Retired"},
		{"resuming elsewhere", portfolio.GateFacts{Stage: "on_hold", HeldFrom: "poc"}, "pilot",
			"The use case was put on hold at Proof of concept, so it can only resume at Proof of concept."},
		{"resuming without a record", portfolio.GateFacts{Stage: "on_hold"}, "pilot", "can only restart at Idea"},
		{"holding twice", portfolio.GateFacts{Stage: "on_hold", HeldFrom: "poc"}, "on_hold", "already at On hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := portfolio.Evaluate(tt.f, tt.to)
			if c.Allowed || c.Passed || !strings.Contains(c.Refusal, tt.want) {
				t.Errorf("got allowed=%v refusal %q, want it to contain %q", c.Allowed, c.Refusal, tt.want)
			}
		})
	}
	// A use case on hold whose earlier stage was lost can restart at idea.
	if c := portfolio.Evaluate(portfolio.GateFacts{Stage: "on_hold"}, "idea"); !c.Allowed {
		t.Errorf("restart at idea refused: %s", c.Refusal)
	}
}

func TestCriteria(t *testing.T) {
	systems := func(s ...portfolio.SystemFact) func(*portfolio.GateFacts) {
		return func(f *portfolio.GateFacts) { f.Systems = s }
	}
	kpis := func(k ...portfolio.KPIFact) func(*portfolio.GateFacts) {
		return func(f *portfolio.GateFacts) { f.KPIs = k }
	}
	tests := []struct {
		id, from, to string
		change       func(*portfolio.GateFacts)
		met          bool
		reason       string
	}{
		{"owner_named", "idea", "assessment", nil, true, "Owner: Ana."},
		{"owner_named", "idea", "assessment", func(f *portfolio.GateFacts) { f.Owner = "  " }, false, "No accountable owner is named."},
		{"sponsor_named", "idea", "assessment", nil, true, "Sponsor: Ben."},
		{"sponsor_named", "idea", "assessment", func(f *portfolio.GateFacts) { f.Sponsor = "" }, false, "No business sponsor is named."},
		{"problem_stated", "idea", "assessment", nil, true, "The problem is described."},
		{"problem_stated", "idea", "assessment", func(f *portfolio.GateFacts) { f.Problem = "" }, false, "problem the use case solves is not described"},
		{"objective_linked", "idea", "assessment", func(f *portfolio.GateFacts) { f.ObjectiveCount = 2 }, true, "Linked to 2 business objectives."},
		{"objective_linked", "idea", "assessment", func(f *portfolio.GateFacts) { f.ObjectiveCount = 0 }, false, "No business objective is linked."},
		{"scored", "assessment", "approved", nil, true, "Value and feasibility are rated."},
		{"scored", "assessment", "approved", func(f *portfolio.GateFacts) { f.Scored = false }, false, "not rated yet"},
		{"business_case", "assessment", "approved", nil, true, "A business case is recorded."},
		{"business_case", "pilot", "production", func(f *portfolio.GateFacts) { f.HasBusinessCase = false }, false, "No business case is recorded."},
		{"systems_classified", "assessment", "approved", nil, true, "AI system 'Claims triage' is classified."},
		{"systems_classified", "assessment", "approved", systems(), true, "No AI system is linked, so none needs classifying."},
		{"systems_classified", "poc", "pilot", systems(portfolio.SystemFact{ID: "sys_1", Name: "Foo"}), false, "AI system 'Foo' is not classified yet."},
		{"systems_classified", "pilot", "production", systems(portfolio.SystemFact{ID: "sys_1", Name: "Foo"},
			portfolio.SystemFact{ID: "sys_2", Name: "Bar", Class: "minimal"}, portfolio.SystemFact{ID: "sys_3"}), false,
			"AI systems 'Foo' and 'sys_3' are not classified yet."},
		{"none_prohibited", "approved", "poc", nil, true, "No linked AI system is classified prohibited."},
		{"none_prohibited", "approved", "poc", systems(portfolio.SystemFact{ID: "sys_9", Name: "Mood reader", Class: "prohibited"}), false,
			"AI system 'Mood reader' is classified prohibited under the EU AI Act (Art 5)."},
		{"data_described", "approved", "poc", nil, true, "The data needed is described."},
		{"data_described", "approved", "poc", func(f *portfolio.GateFacts) { f.DataNeeded = "" }, false, "The data the use case needs is not described."},
		{"kpis_defined", "approved", "poc", nil, true, "KPI 'Days to settle' is defined."},
		{"kpis_defined", "approved", "poc", kpis(), false, "No KPI is defined."},
		{"kpis_baselined", "poc", "pilot", nil, true, "KPI 'Days to settle' has a baseline."},
		{"kpis_baselined", "poc", "pilot", kpis(portfolio.KPIFact{Name: "Cost", HasBaseline: true}, portfolio.KPIFact{Name: "NPS"}), false,
			"KPI 'NPS' has no baseline."},
		{"kpis_baselined", "poc", "pilot", kpis(), false, "No KPI is defined, so none has a baseline."},
		{"kpis_targeted", "pilot", "production", kpis(portfolio.KPIFact{Name: "Cost", HasTarget: true}, portfolio.KPIFact{Name: "NPS", HasTarget: true}), true,
			"Every KPI has a target."},
		{"kpis_targeted", "pilot", "production", kpis(portfolio.KPIFact{Name: "Cost"}, portfolio.KPIFact{Name: "NPS"}), false,
			"KPIs 'Cost' and 'NPS' have no target."},
		{"fria_done", "poc", "pilot", nil, true, "The FRIA is done for AI system 'Claims triage'."},
		{"fria_done", "poc", "pilot", systems(portfolio.SystemFact{ID: "sys_1", Name: "Chatbot", Class: "transparency_only"}), true,
			"No linked system needs a FRIA (EU AI Act Art 27)."},
		{"fria_done", "pilot", "production", systems(portfolio.SystemFact{ID: "sys_1", Name: "Benefit scorer", Class: "high_risk", FRIARequired: true}), false,
			"AI system 'Benefit scorer' needs a fundamental rights impact assessment (EU AI Act Art 27) that is not done yet."},
		{"system_linked", "pilot", "production", nil, true, "Linked to AI system 'Claims triage'."},
		{"system_linked", "pilot", "production", systems(), false, "No AI system from the inventory is linked."},
	}
	seen := map[string]map[bool]bool{}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			f := allMet(tt.from)
			if tt.change != nil {
				tt.change(&f)
			}
			c := portfolio.Evaluate(f, tt.to)
			i := slices.IndexFunc(c.Criteria, func(r portfolio.CriterionResult) bool { return r.ID == tt.id })
			if i < 0 {
				t.Fatalf("%s→%s does not check %s", tt.from, tt.to, tt.id)
			}
			r := c.Criteria[i]
			if r.Met != tt.met || !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("met=%v reason %q; want met=%v and %q", r.Met, r.Reason, tt.met, tt.reason)
			}
			if r.Title == "" || r.Source == "" {
				t.Errorf("criterion result without title or source: %+v", r)
			}
			if !tt.met && c.Passed {
				t.Error("a gate with an unmet criterion passed")
			}
			if seen[tt.id] == nil {
				seen[tt.id] = map[bool]bool{}
			}
			seen[tt.id][tt.met] = true
		})
	}
	g, _ := portfolio.DefaultGates()
	for _, c := range g.Criteria {
		if !seen[c.ID][true] || !seen[c.ID][false] {
			t.Errorf("criterion %s is not tested both met and unmet", c.ID)
		}
	}
}

func TestLongNameListsAreShortened(t *testing.T) {
	f := allMet("poc")
	f.Systems = nil
	for _, n := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"} {
		f.Systems = append(f.Systems, portfolio.SystemFact{ID: n, Name: n})
	}
	c := portfolio.Evaluate(f, "pilot")
	i := slices.IndexFunc(c.Criteria, func(r portfolio.CriterionResult) bool { return r.ID == "systems_classified" })
	if r := c.Criteria[i]; !strings.Contains(r.Reason, "'J' and 2 more are not classified yet") {
		t.Errorf("reason %q", r.Reason)
	}
}

func TestNextStages(t *testing.T) {
	tests := []struct {
		from string
		want []string
	}{
		{"idea", []string{"assessment", "rejected", "on_hold"}},
		{"pilot", []string{"idea", "assessment", "approved", "poc", "production", "rejected", "on_hold"}},
		{"production", []string{"idea", "assessment", "approved", "poc", "pilot", "retired", "rejected", "on_hold"}},
		{"on_hold", append(slices.Clone(active), "rejected")},
		{"retired", nil},
		{"rejected", nil},
		{"nonsense", nil},
	}
	for _, tt := range tests {
		if got := portfolio.NextStages(tt.from); !slices.Equal(got, tt.want) {
			t.Errorf("NextStages(%s) = %v, want %v", tt.from, got, tt.want)
		}
	}
	if got := portfolio.NextStagesFor(portfolio.GateFacts{Stage: "on_hold", HeldFrom: "pilot"}); !slices.Equal(got, []string{"pilot", "rejected"}) {
		t.Errorf("NextStagesFor(on hold from pilot) = %v", got)
	}
	if got := portfolio.NextStagesFor(portfolio.GateFacts{Stage: "on_hold"}); !slices.Equal(got, []string{"idea", "rejected"}) {
		t.Errorf("NextStagesFor(on hold, unknown) = %v", got)
	}
	if got := portfolio.NextStagesFor(portfolio.GateFacts{Stage: "idea"}); !slices.Equal(got, portfolio.NextStages("idea")) {
		t.Errorf("NextStagesFor(idea) = %v", got)
	}
}

func TestLoadRefusesBrokenContent(t *testing.T) {
	good, err := os.ReadFile("content/gates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"criterion without an evaluator", "  - id: owner_named\n", "  - id: owner_named\n    title: x\n    explanation: x\n    source: x\n  - id: vibes_checked\n", "criterion \"vibes_checked\" has no evaluator"},
		{"transition to an unknown stage", "{from: idea, to: rejected, reason_required: true}", "{from: idea, to: limbo, reason_required: true}", "stage \"limbo\" does not exist"},
		{"transition with an unknown criterion", "[owner_named, sponsor_named, problem_stated, objective_linked]", "[owner_named, lucky]", "criterion \"lucky\" is not defined"},
		{"stage the code does not know", "  - key: on_hold\n", "  - key: paused\n", "stage \"paused\" is not a stage the code knows"},
		{"stage missing", "  - key: on_hold\n", "  - key: paused\n", "stage \"on_hold\" is missing"},
		{"duplicate transition", "  - {from: poc, to: idea, reason_required: true}\n", "  - {from: poc, to: idea, reason_required: true}\n  - {from: poc, to: idea}\n", "transition poc → idea is listed twice"},
		{"criterion without source", "    source: \"practice.md §2.2, strategic fit and alignment\"\n", "", "criterion \"objective_linked\" needs a title, an explanation and a source"},
		{"unknown field", "    approval: false\n", "    approval: false\n    approver: cfo\n", "approver"},
		{"not YAML", "stages:", "stages: [", "portfolio gates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := strings.Replace(string(good), tt.old, tt.new, 1)
			if b == string(good) {
				t.Fatalf("the test's edit %q matched nothing", tt.old)
			}
			g, err := portfolio.Load([]byte(b))
			if err == nil || g != nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := portfolio.Load(good); err != nil {
		t.Errorf("the file on disk does not load: %v", err)
	}
}

func TestCheckJSON(t *testing.T) {
	b, err := json.Marshal(portfolio.Evaluate(allMet("poc"), "pilot"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"from":"poc"`, `"to_label":"Pilot"`, `"needs_approval":true`, `"reason_required":false`,
		`"criteria":[{"id":"kpis_baselined"`, `"met":true`, `"passed":true`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func FuzzLoad(f *testing.F) {
	good, err := os.ReadFile("content/gates.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("version: x\nstages: []\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := portfolio.Load(b)
		if err != nil {
			return
		}
		// Content that loads must answer every question without panicking.
		for _, from := range g.Stages {
			for _, to := range g.Stages {
				c := g.Evaluate(portfolio.GateFacts{Stage: from.Key, HeldFrom: to.Key}, to.Key)
				if c.Passed && !c.Allowed {
					t.Fatalf("passed but not allowed: %+v", c)
				}
			}
			_ = g.NextStages(from.Key)
		}
	})
}
