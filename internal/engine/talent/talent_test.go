package talent_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/talent"
)

// TestDefaultFramework checks the shipped framework: its groups, the CAIO
// profile's ten competencies, the AI team's roles and the default
// scorecard.
func TestDefaultFramework(t *testing.T) {
	f := talent.Default()
	if len(f.Scale) != 5 || f.LevelName(3) != "Practitioner" {
		t.Errorf("scale %+v", f.Scale)
	}
	for _, g := range []string{"technical", "product", "governance", "leadership", "business"} {
		if f.Group(g) == nil {
			t.Errorf("group %s missing", g)
		}
	}
	caioRole := f.Role("caio")
	var names []string
	for _, tg := range caioRole.Targets {
		names = append(names, f.SkillName(tg.Skill))
	}
	want := []string{"Adapting to and integrating new technology", "Innovative business acumen", "AI expertise and leadership",
		"Product and team management", "Advising junior developers", "Communication and interpersonal skills",
		"Proven technical proficiency", "Product design and architecture", "Software development methodologies",
		"Awareness of the IT market and emerging technologies"}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("CAIO competencies:\n got %q\nwant %q", names, want)
	}
	for _, r := range []string{"ml-engineer", "data-scientist", "ai-product-manager", "ai-governance-lead", "data-engineer", "mlops-engineer", "ai-engineer", "ai-enablement-lead"} {
		role := f.Role(r)
		if role == nil {
			t.Errorf("role %s missing", r)
			continue
		}
		if len(role.Targets) < 5 {
			t.Errorf("role %s has only %d targets", r, len(role.Targets))
		}
	}
	// The roles caio adds beyond the usual team say why.
	for _, r := range []string{"ai-engineer", "ai-enablement-lead"} {
		if f.Role(r).Why == "" {
			t.Errorf("role %s does not justify itself", r)
		}
	}
	for _, s := range f.Skills {
		for _, l := range []int{1, 3, 5} {
			if s.Levels[l] == "" {
				t.Errorf("skill %s lacks level %d", s.ID, l)
			}
		}
	}
	sc := f.DefaultScorecard()
	if len(sc.Criteria) != 10 || sc.Weights() != 100 {
		t.Errorf("default scorecard: %d criteria, weights %d", len(sc.Criteria), sc.Weights())
	}
	if err := sc.Normalize(); err != nil {
		t.Errorf("default scorecard does not validate: %v", err)
	}
	for _, c := range sc.Criteria {
		if c.Reason == "" || !strings.Contains(c.Description, "A 5 looks like") {
			t.Errorf("criterion %+v lacks its reason or anchor", c)
		}
	}
	if l, d := f.Skill("mlops").Anchor(4); l != 3 || d == "" {
		t.Errorf("anchor of level 4 = %d %q, want level 3's", l, d)
	}
}

// TestLoadErrors checks that each broken framework is refused with the
// path of the problem.
func TestLoadErrors(t *testing.T) {
	base := `version: "1"
scale: [{level: 1, name: A}, {level: 2, name: B}, {level: 3, name: C}, {level: 4, name: D}, {level: 5, name: E}]
groups: [{id: tech, name: Technical}]
skills:
  - id: ml
    group: tech
    name: ML
    description: Models.
    levels: {1: a, 3: b, 5: c}
roles:
  - id: caio
    name: CAIO
    description: Leads.
    targets: {ml: 5}
`
	if _, err := talent.Load([]byte(base)); err != nil {
		t.Fatalf("base: %v", err)
	}
	tests := []struct{ name, from, to, want string }{
		{"unknown skill in a role", "targets: {ml: 5}", "targets: {ml: 5, stats: 3}", `roles.caio.targets.stats: unknown skill "stats"`},
		{"target out of range", "targets: {ml: 5}", "targets: {ml: 6}", "roles.caio.targets.ml: level 6 out of 1–5"},
		{"target zero", "targets: {ml: 5}", "targets: {ml: 0}", "roles.caio.targets.ml: level 0 out of 1–5"},
		{"level out of range", "{1: a, 3: b, 5: c}", "{1: a, 3: b, 5: c, 7: d}", "skills.ml.levels.7: level out of 1–5"},
		{"missing anchor", "{1: a, 3: b, 5: c}", "{1: a, 5: c}", "skills.ml.levels.3: is missing"},
		{"unknown group", "group: tech", "group: people", `skills.ml.group: "people" is not a group`},
		{"no caio", "id: caio", "id: boss", `the "caio" role is missing`},
		{"hiring weights", "targets: {ml: 5}", "targets: {ml: 5}\n    hiring: [{skill: ml, weight: 90, reason: x}]", "roles.caio.hiring: weights add up to 90, not 100"},
		{"hiring off target", "targets: {ml: 5}", "targets: {ml: 5}\n    hiring: [{skill: nope, weight: 100, reason: x}]", `roles.caio.hiring[0].skill: "nope" is not a target`},
		{"unknown field", "name: ML", "name: ML\n    colour: red", "colour"},
		{"duplicate skill", "roles:", "  - {id: ml, group: tech, name: X, description: Y, levels: {1: a, 3: b, 5: c}}\nroles:", `skills[1].id: "ml" is defined twice`},
	}
	for _, tc := range tests {
		if !strings.Contains(base, tc.from) {
			t.Fatalf("%s: base lacks %q", tc.name, tc.from)
		}
		_, err := talent.Load([]byte(strings.Replace(base, tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// FuzzLoad feeds the loader mutations of the shipped framework: it must
// never panic, and what it accepts must be consistent.
func FuzzLoad(f *testing.F) {
	f.Add(talentYAML())
	f.Add([]byte("version: x\nroles: [{id: caio, targets: {a: 9}}]"))
	f.Add([]byte("skills: [{id: A, levels: {0: x, 99: y}}]"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fw, err := talent.Load(b)
		if err != nil {
			return
		}
		for _, r := range fw.Roles {
			for _, tg := range r.Targets {
				if !fw.KnownSkill(tg.Skill) || tg.Level < 1 || tg.Level > 5 {
					t.Fatalf("accepted role %s with target %+v", r.ID, tg)
				}
			}
			fw.PersonGaps(r.ID, map[string]int{})
		}
		sc := fw.DefaultScorecard()
		if len(sc.Criteria) > 0 && sc.Weights() != 100 {
			t.Fatalf("accepted hiring weights adding up to %d", sc.Weights())
		}
	})
}

func talentYAML() []byte {
	var b bytes.Buffer
	b.WriteString(`version: "1"
scale: [{level: 1, name: A}, {level: 2, name: B}, {level: 3, name: C}, {level: 4, name: D}, {level: 5, name: E}]
groups: [{id: tech, name: Technical}]
skills: [{id: ml, group: tech, name: ML, description: M, levels: {1: a, 3: b, 5: c}}]
roles: [{id: caio, name: CAIO, description: L, targets: {ml: 5}, hiring: [{skill: ml, weight: 100, reason: r}]}]
`)
	return b.Bytes()
}

// TestGaps checks a person's gaps, the heat map and the team's weakest
// skills on a small team.
func TestGaps(t *testing.T) {
	f := talent.Default()
	gaps := f.PersonGaps("mlops-engineer", map[string]int{"mlops": 3, "dev-methodologies": 4, "technical-proficiency": 5})
	byskill := map[string]caio.SkillGap{}
	for _, g := range gaps {
		byskill[g.Skill] = g
	}
	if g := byskill["mlops"]; g.Status != "below" || g.Gap != 2 || g.Target != 5 || !strings.Contains(g.Reason, "rated 3, 2 below") {
		t.Errorf("mlops gap %+v", g)
	}
	if g := byskill["dev-methodologies"]; g.Status != "meets" || g.Gap != 0 {
		t.Errorf("meets %+v", g)
	}
	if g := byskill["technical-proficiency"]; g.Status != "above" {
		t.Errorf("above %+v", g)
	}
	if g := byskill["model-evaluation"]; g.Status != "unrated" || g.Level != 0 {
		t.Errorf("unrated %+v", g)
	}
	if n := f.CountBelow("mlops-engineer", map[string]int{"mlops": 3}); n != 1 {
		t.Errorf("below = %d", n)
	}
	if f.PersonGaps("nobody", nil) != nil {
		t.Error("an unknown role has gaps")
	}

	team := []talent.Member{
		{ID: "a", Name: "Ana", Role: "mlops-engineer", Levels: map[string]int{"mlops": 2, "statistics": 4}},
		{ID: "b", Name: "Ben", Role: "data-engineer", Levels: map[string]int{"mlops": 1, "data-engineering": 5}},
		{ID: "c", Name: "Cy", Role: "ml-engineer", Levels: map[string]int{"mlops": 3}},
	}
	h := f.HeatMap(team)
	if len(h.Rows) != 3 || h.Rows[0].Name != "Ana" {
		t.Fatalf("rows %+v", h.Rows)
	}
	col := slices.IndexFunc(h.Skills, func(s caio.HeatSkill) bool { return s.ID == "mlops" })
	stats := slices.IndexFunc(h.Skills, func(s caio.HeatSkill) bool { return s.ID == "statistics" })
	if col < 0 || stats < 0 {
		t.Fatalf("columns %+v", h.Skills)
	}
	if c := h.Rows[0].Cells[col]; c.Level != 2 || c.Target != 5 || c.Status != "below" || c.Gap != 3 {
		t.Errorf("Ana mlops %+v", c)
	}
	if c := h.Rows[0].Cells[stats]; c.Level != 4 || c.Target != 0 || c.Status != "" {
		t.Errorf("Ana statistics (no target) %+v", c)
	}
	// Columns come grouped in the framework's order of groups.
	var groups []string
	for _, s := range h.Skills {
		if len(groups) == 0 || groups[len(groups)-1] != s.Group {
			groups = append(groups, s.Group)
		}
	}
	seen := map[string]bool{}
	for _, g := range groups {
		if seen[g] {
			t.Errorf("group %s split in columns %v", g, groups)
		}
		seen[g] = true
	}

	tg := f.TeamGaps(team)
	if len(tg) == 0 || tg[0].Skill != "mlops" {
		t.Fatalf("weakest first: %+v", tg)
	}
	// mlops: Ana 2 vs 5, Ben 1 vs 3, Cy 3 vs 3: shortfall 3+2 over 3 rated.
	if g := tg[0]; g.People != 3 || g.Rated != 3 || g.Below != 2 || g.Shortfall != 5 || g.MeanShortfall != 1.67 || g.MeanLevel != 2 || !strings.Contains(g.Reason, "2 of 3 people") {
		t.Errorf("mlops team gap %+v", g)
	}
	last := tg[len(tg)-1]
	if last.Below != 0 || last.MeanShortfall != 0 {
		t.Errorf("strongest last: %+v", last)
	}
}

// TestScore checks the weighted scorecard by hand.
func TestScore(t *testing.T) {
	sc := &caio.Scorecard{Criteria: []caio.Criterion{
		{Key: "strategy", Name: "Strategy", Weight: 50},
		{Key: "tech", Name: "Technical", Weight: 30},
		{Key: "comms", Name: "Communication", Weight: 20},
	}}
	panel := func(who string, r map[string]int) caio.PanelRating {
		return caio.PanelRating{InterviewerID: who, Interviewer: who + "@x.test", Ratings: r}
	}
	a := talent.Candidate{ID: "a", Name: "Avery", Panels: []caio.PanelRating{
		panel("u1", map[string]int{"strategy": 4, "tech": 3, "comms": 5}),
		panel("u2", map[string]int{"strategy": 5, "tech": 3, "comms": 2}),
	}}
	s := talent.Score(sc, a)
	// Means 4.5, 3, 3.5: 50×4.5 + 30×3 + 20×3.5 = 225 + 90 + 70 = 385 → 3.85.
	if s.Score != 3.85 || !s.Complete || s.Interviewers != 2 {
		t.Fatalf("score %+v", s)
	}
	if c := s.Criteria[2]; c.Mean != 3.5 || c.Spread != 3 || c.Min != 2 || c.Max != 5 || c.Contribution != 0.7 {
		t.Errorf("comms %+v", c)
	}
	// u1: (200+90+100)/100 = 3.9; u2: (250+90+40)/100 = 3.8.
	if len(s.ByInterview) != 2 || s.ByInterview[0].Score != 3.9 || s.ByInterview[1].Score != 3.8 || s.Spread != 0.1 {
		t.Errorf("by interviewer %+v spread %v", s.ByInterview, s.Spread)
	}
	joined := strings.Join(s.Reasons, "\n")
	for _, w := range []string{"Weighted score 3.85 of 5 from 2 interviewers", "Strongest on Strategy (mean 4.50", "weakest on Technical", "disagree on Communication by 3 points (2 to 5)"} {
		if !strings.Contains(joined, w) {
			t.Errorf("reasons lack %q:\n%s", w, joined)
		}
	}

	// A criterion nobody rated: the rest is scaled up, and it says so.
	b := talent.Candidate{ID: "b", Name: "Blake", Panels: []caio.PanelRating{panel("u1", map[string]int{"strategy": 4, "tech": 2})}}
	sb := talent.Score(sc, b)
	// (50×4 + 30×2) / 80 = 3.25.
	if sb.Score != 3.25 || sb.Complete || !strings.Contains(strings.Join(sb.Reasons, " "), "Not rated by anyone on Communication") ||
		!strings.Contains(strings.Join(sb.Reasons, " "), "Only one interviewer") {
		t.Errorf("incomplete %+v", sb)
	}
	c := talent.Candidate{ID: "c", Name: "Casey"}
	ranked := talent.Compare(sc, []talent.Candidate{c, b, a})
	if ranked[0].Name != "Avery" || ranked[0].Rank != 1 || ranked[1].Rank != 2 || ranked[2].Name != "Casey" || ranked[2].Rank != 0 {
		t.Errorf("ranking %+v %+v %+v", ranked[0], ranked[1], ranked[2])
	}
	if !strings.Contains(ranked[2].Reasons[0], "No interviewer") {
		t.Errorf("unrated reasons %v", ranked[2].Reasons)
	}
	// Ratings outside 1–5 and unknown criteria are ignored.
	d := talent.Score(sc, talent.Candidate{Panels: []caio.PanelRating{panel("u", map[string]int{"strategy": 9, "other": 3})}})
	if d.Score != 0 || d.Interviewers != 0 {
		t.Errorf("ignored ratings gave %+v", d)
	}
}

// FuzzScore checks that any ratings give a score within 0–5 and never panic.
func FuzzScore(f *testing.F) {
	f.Add(50, 30, 4, 3, 5, 1, 2, 9)
	f.Fuzz(func(t *testing.T, w1, w2, a, b, c, d, e, g int) {
		sc := &caio.Scorecard{Criteria: []caio.Criterion{{Key: "x", Name: "X", Weight: w1}, {Key: "y", Name: "Y", Weight: w2}}}
		s := talent.Score(sc, talent.Candidate{Panels: []caio.PanelRating{
			{InterviewerID: "1", Ratings: map[string]int{"x": a, "y": b}},
			{InterviewerID: "2", Ratings: map[string]int{"x": c, "y": d, "z": e}},
			{InterviewerID: "3", Ratings: map[string]int{"y": g}},
		}})
		if w1 > 0 && w2 > 0 && (s.Score < 0 || s.Score > 5) {
			t.Fatalf("score %v out of 0–5", s.Score)
		}
	})
}
