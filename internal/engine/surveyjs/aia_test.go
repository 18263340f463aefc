package surveyjs_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/surveyjs"
)

// The AIA questionnaire belongs to its authors and is not part of the
// repository: these tests read it from ../shared/data/canada-aia beside the
// repository root. Without it they skip, except under CI, where they fail.

// aiaDir returns the directory of the AIA data, found from the module root.
func aiaDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	return filepath.Join(dir, "..", "shared", "data", "canada-aia")
}

// readAIA returns a file of the AIA data, skipping the test when it is absent.
func readAIA(tb testing.TB, name string) []byte {
	tb.Helper()
	p := filepath.Join(aiaDir(tb), name)
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the AIA questionnaire is needed under CI: %v", err)
		}
		tb.Skipf("the AIA questionnaire is not here (%v): put canada-ca/aia-eia-js v1.0.1 src/survey-enfr.json at %s to run this test", err, p)
	}
	return b
}

// loadAIA loads the AIA questionnaire v1.0.1.
func loadAIA(tb testing.TB) *surveyjs.Survey {
	tb.Helper()
	s, err := surveyjs.Load(readAIA(tb, "survey-enfr.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// points reads the weight of a value the way the rule states it, apart from
// the package's own code: the whole number after the last "-".
func points(tb testing.TB, value string) int {
	i := strings.LastIndex(value, "-")
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(value[i+1:])
	if err != nil {
		return 0
	}
	return n
}

// fill adds to a answers to questions of the score type (on pages accepted
// by onPage) whose weights add up to exactly target, and fails the test if
// the questionnaire cannot give that sum.
func fill(tb testing.TB, s *surveyjs.Survey, a surveyjs.Answers, typ surveyjs.ScoreType, onPage func(string) bool, target int) {
	tb.Helper()
	left := target
	for _, q := range s.Questions {
		if q.Score != typ || !onPage(q.Page) || left == 0 {
			continue
		}
		if q.Type == "checkbox" {
			var ticked []any
			for _, c := range q.Choices {
				if w := points(tb, c.Value); w > 0 && w <= left {
					ticked = append(ticked, c.Value)
					left -= w
				}
			}
			if len(ticked) > 0 {
				a[q.Name] = ticked
			}
			continue
		}
		best, bestW := "", 0
		for _, c := range q.Choices {
			if w := points(tb, c.Value); w > bestW && w <= left {
				best, bestW = c.Value, w
			}
		}
		if bestW > 0 {
			a[q.Name] = best
			left -= bestW
		}
	}
	if left != 0 {
		tb.Fatalf("could not make answers worth %d (%d left)", target, left)
	}
}

func anyPage(string) bool { return true }

func designPage(p string) bool { return strings.HasSuffix(p, "Design") }

func implementationPage(p string) bool { return strings.HasSuffix(p, "Implementation") }

func TestAIAUpstreamSample(t *testing.T) {
	s := loadAIA(t)
	b := readAIA(t, "samples/01_upstream_unit_test.json")
	a, err := surveyjs.ParseAnswers(b)
	if err != nil {
		t.Fatal(err)
	}
	var sample struct {
		Expected struct{ Raw, Mitigation, Total, Level int }
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	got := s.ScoreAIA(a)
	if got.Raw != 3 || got.Mitigation != 0 || got.Total != 3 || got.Level != 1 {
		t.Fatalf("got raw %d, mitigation %d, total %d, level %d; want 3, 0, 3, 1", got.Raw, got.Mitigation, got.Total, got.Level)
	}
	e := sample.Expected
	if got.Raw != e.Raw || got.Mitigation != e.Mitigation || got.Total != e.Total || got.Level != e.Level {
		t.Fatalf("the sample expects %+v, got %+v", e, got)
	}
	if len(got.Lines) != 1 || got.Lines[0].Name != "decisionSector1" || got.Lines[0].Points != 3 || got.Lines[0].Max != 8 {
		t.Errorf("lines = %+v, want decisionSector1 worth 3 of 8", got.Lines)
	}
	if len(got.UnknownQuestions) != 0 || len(got.Ignored) != 0 {
		t.Errorf("the sample's answers all belong to the questionnaire, got unknown %v, ignored %v", got.UnknownQuestions, got.Ignored)
	}
}

func TestAIAStructure(t *testing.T) {
	s := loadAIA(t)
	got := s.ScoreAIA(surveyjs.Answers{})
	if got.MaxRaw != 167 || got.MaxMitigation != 154 {
		t.Fatalf("maxima %d and %d, want 167 and 154 (v1.0.1)", got.MaxRaw, got.MaxMitigation)
	}
	if got.Raw != 0 || got.Total != 0 || got.Level != 1 || got.Reduced {
		t.Errorf("no answers give %+v, want zeros and level 1", got)
	}
	var rs, ms, design, impl int
	for _, q := range s.Questions {
		switch q.Score {
		case surveyjs.RawScore:
			rs++
		case surveyjs.MitigationScore:
			ms++
			if designPage(q.Page) {
				design += q.Max()
			} else if implementationPage(q.Page) {
				impl += q.Max()
			}
		}
	}
	if rs != 70 || ms != 90 || design != 77 || impl != 77 {
		t.Errorf("%d raw and %d mitigation questions, %d and %d points per phase; want 70, 90, 77, 77", rs, ms, design, impl)
	}
	if len(s.Pages) != 18 {
		t.Errorf("%d pages, want 18", len(s.Pages))
	}
	q := s.Question("projectDetailsPhase")
	if q == nil || !q.IsRequired || len(q.Choices) != 2 || q.Page != "projectDetails" || q.Score != surveyjs.NotScored {
		t.Fatalf("projectDetailsPhase = %+v", q)
	}
	if en, fr := q.Title.In("en"), q.Title.In("fr"); en == "" || fr == "" || en == fr {
		t.Errorf("the phase question should have distinct English and French titles, got %q and %q", en, fr)
	}
	if c := q.Choices[0]; c.Text.In("en") == "" || c.Text.In("fr") == "" {
		t.Errorf("choice texts missing: %+v", c)
	}
	if q := s.Question("decisionSector1"); q == nil || len(q.Panels) != 1 || !strings.HasSuffix(q.Panels[0], "-RS") {
		t.Errorf("decisionSector1 should sit in one -RS panel, got %+v", q)
	}
}

func TestAIAVisibility(t *testing.T) {
	s := loadAIA(t)
	for _, tc := range []struct {
		phase      string
		shown, not []string
	}{
		{"item1", []string{"consultationDesign", "privacyDesign"}, []string{"consultationImplementation", "privacyImplementation"}},
		{"item2", []string{"consultationImplementation", "privacyImplementation"}, []string{"consultationDesign", "privacyDesign"}},
		{"", []string{"projectDetails", "impact"}, []string{"consultationDesign", "consultationImplementation"}},
	} {
		pages, questions := s.Visible(surveyjs.Answers{"projectDetailsPhase": tc.phase})
		for _, p := range tc.shown {
			if !pages[p] {
				t.Errorf("phase %q: page %s hidden, want shown", tc.phase, p)
			}
		}
		for _, p := range tc.not {
			if pages[p] {
				t.Errorf("phase %q: page %s shown, want hidden", tc.phase, p)
			}
		}
		if tc.phase == "item1" && (!questions["fairnessDesign1"] || questions["fairnessImplementation1"]) {
			t.Errorf("phase item1: a question takes its page's visibility")
		}
	}
	for _, tc := range []struct {
		name    string
		answers surveyjs.Answers
		want    bool
	}{
		{"riskProfile8A", surveyjs.Answers{"riskProfile8": "item1-1"}, true},
		{"riskProfile8A", surveyjs.Answers{"riskProfile8": "item2-0"}, false},
		{"riskProfile8A", surveyjs.Answers{}, false},
		{"riskProfile4B", surveyjs.Answers{"riskProfile4": "item3-4"}, true}, // or
		{"riskProfile2A", surveyjs.Answers{"riskProfile2": "item1-3"}, true}, // contains on text
		{"aboutSystem2", surveyjs.Answers{"aboutSystem1": []any{"item2", "item6"}}, true},
		{"aboutSystem2", surveyjs.Answers{"aboutSystem1": []any{"item2"}}, false},
		{"aboutSystem5C", surveyjs.Answers{"aboutSystem5": "item3-2", "aboutSystem5B": "item1-0"}, true}, // parentheses
		{"aboutSystem5C", surveyjs.Answers{"aboutSystem5": "item2-1", "aboutSystem5B": "item1-0"}, false},
		{"aboutDataSource14", surveyjs.Answers{"aboutDataSource1": "item1-2"}, true},
	} {
		if _, q := s.Visible(tc.answers); q[tc.name] != tc.want {
			t.Errorf("%s with %v: visible %v, want %v", tc.name, tc.answers, q[tc.name], tc.want)
		}
	}
}

// TestAIABoundaries checks the level boundaries and the mitigation
// deduction on the real questionnaire (max_raw 167, max_mit 154): the
// levels change above 41.75, 83.5 and 125.25, and mitigation counts from
// 61.6, that is from 62 points. The expected figures come from the rule in
// practice.md §5.3, worked by hand.
func TestAIABoundaries(t *testing.T) {
	s := loadAIA(t)
	for _, tc := range []struct {
		raw, mit     int
		total, level int
		reduced      bool
	}{
		{0, 0, 0, 1, false},
		{41, 0, 41, 1, false},
		{42, 0, 42, 2, false},
		{83, 0, 83, 2, false},
		{84, 0, 84, 3, false},
		{125, 0, 125, 3, false},
		{126, 0, 126, 4, false},
		{167, 0, 167, 4, false},
		{48, 61, 48, 2, false}, // one point short of the threshold
		{48, 62, 41, 1, true},  // 40.8 rounds to 41
		{98, 62, 83, 2, true},  // 83.3
		{99, 62, 84, 3, true},  // 84.15
		{147, 62, 125, 3, true},
		{148, 62, 126, 4, true}, // 125.8
		{10, 77, 9, 1, true},    // 8.5 rounds half up
		{30, 62, 26, 1, true},   // 25.5 rounds half up
		{50, 62, 43, 2, true},   // 42.5 rounds half up, past 41.75
	} {
		a := surveyjs.Answers{"projectDetailsPhase": "item1"}
		fill(t, s, a, surveyjs.RawScore, anyPage, tc.raw)
		fill(t, s, a, surveyjs.MitigationScore, designPage, tc.mit)
		got := s.ScoreAIA(a)
		if got.Raw != tc.raw || got.Mitigation != tc.mit || got.Total != tc.total || got.Level != tc.level || got.Reduced != tc.reduced {
			t.Errorf("raw %d, mitigation %d: got raw %d, mitigation %d, total %d, level %d, reduced %v; want total %d, level %d, reduced %v",
				tc.raw, tc.mit, got.Raw, got.Mitigation, got.Total, got.Level, got.Reduced, tc.total, tc.level, tc.reduced)
		}
	}
}

func TestAIAPhaseCopies(t *testing.T) {
	s := loadAIA(t)
	// Either phase's copy counts when its page shows.
	for _, tc := range []struct {
		phase  string
		onPage func(string) bool
	}{{"item1", designPage}, {"item2", implementationPage}} {
		a := surveyjs.Answers{"projectDetailsPhase": tc.phase}
		fill(t, s, a, surveyjs.RawScore, anyPage, 100)
		fill(t, s, a, surveyjs.MitigationScore, tc.onPage, 62)
		got := s.ScoreAIA(a)
		if !got.Reduced || got.Total != 85 || got.Level != 3 {
			t.Errorf("phase %s: got total %d, level %d, reduced %v; want 85, 3, true", tc.phase, got.Total, got.Level, got.Reduced)
		}
		pages, _ := s.Visible(a)
		for _, l := range got.Lines {
			if l.Type == surveyjs.MitigationScore && !pages[l.Page] {
				t.Errorf("phase %s: %s is on page %s, which the phase hides", tc.phase, l.Name, l.Page)
			}
		}
	}

	// Answers on the copy the phase hides still count, as in the tool, and
	// are marked hidden; OnlyVisible drops them.
	a := surveyjs.Answers{"projectDetailsPhase": "item2"}
	fill(t, s, a, surveyjs.RawScore, anyPage, 100)
	fill(t, s, a, surveyjs.MitigationScore, designPage, 62)
	got := s.ScoreAIA(a)
	if got.Mitigation != 62 || !got.Reduced || got.Total != 85 {
		t.Errorf("hidden design answers: got mitigation %d, total %d; want 62 and 85", got.Mitigation, got.Total)
	}
	hidden := 0
	for _, l := range got.Lines {
		if l.Type == surveyjs.MitigationScore && l.Hidden {
			hidden++
		}
	}
	if hidden == 0 {
		t.Error("answers on the hidden design pages should be marked hidden")
	}
	only := s.ScoreAIAWith(a, surveyjs.ScoreOptions{OnlyVisible: true})
	if only.Mitigation != 0 || only.Reduced || only.Total != 100 || only.Level != 3 {
		t.Errorf("OnlyVisible: got mitigation %d, total %d, level %d; want 0, 100, 3", only.Mitigation, only.Total, only.Level)
	}

	// Both copies answered add up, as the tool adds every scored question.
	fill(t, s, a, surveyjs.MitigationScore, implementationPage, 10)
	if got := s.ScoreAIA(a); got.Mitigation != 72 {
		t.Errorf("both copies answered: mitigation %d, want 72", got.Mitigation)
	}
}

func TestAIAAnswerShapes(t *testing.T) {
	s := loadAIA(t)
	for _, tc := range []struct {
		name       string
		answers    surveyjs.Answers
		raw        int
		lines      []string
		ignored    []string
		unknown    []string
		hiddenLine string
	}{
		{name: "checkbox adds the ticked weights",
			answers: surveyjs.Answers{"decisionSector1": []any{"item1-1", "item2-1", "item3-1", "item4-1", "item5-1", "item7-1", "item8-1", "item6-1"}},
			raw:     8, lines: []string{"decisionSector1"}},
		{name: "checkbox with mixed weights",
			answers: surveyjs.Answers{"aboutDataSource1": "item1-2", "aboutDataSource14": []any{"item1-0", "item4-3", "item5-3"}},
			raw:     8, lines: []string{"aboutDataSource1", "aboutDataSource14"}},
		{name: "checkbox given one string",
			answers: surveyjs.Answers{"decisionSector1": "item2-1"}, raw: 1, lines: []string{"decisionSector1"}},
		{name: "checkbox item ticked twice counts once",
			answers: surveyjs.Answers{"decisionSector1": []any{"item2-1", "item2-1"}}, raw: 1,
			lines: []string{"decisionSector1"}, ignored: []string{"decisionSector1"}},
		{name: "dropdown counts the chosen weight",
			answers: surveyjs.Answers{"impact6": "item3-3", "aboutSystem11": "item4-4"}, raw: 7, lines: []string{"aboutSystem11", "impact6"}},
		{name: "radiogroup",
			answers: surveyjs.Answers{"riskProfile1": "item1-3", "riskProfile2": "item2-0"}, raw: 3, lines: []string{"riskProfile1", "riskProfile2"}},
		{name: "unknown choice value gives nothing",
			answers: surveyjs.Answers{"impact6": "item9-9", "riskProfile1": "item1-3"}, raw: 3,
			lines: []string{"riskProfile1"}, ignored: []string{"impact6"}},
		{name: "list for a radiogroup gives nothing",
			answers: surveyjs.Answers{"riskProfile1": []any{"item1-3"}}, raw: 0, ignored: []string{"riskProfile1"}},
		{name: "unknown questions are ignored",
			answers: surveyjs.Answers{"noSuchQuestion-RS": "item1-4", "impact99": []any{"item1-4"}, "riskProfile1": "item1-3"},
			raw:     3, lines: []string{"riskProfile1"}, unknown: []string{"impact99", "noSuchQuestion-RS"}},
		{name: "not-scored and free-text answers give nothing",
			answers: surveyjs.Answers{"projectDetailsDepartment-NS": "item061", "businessDrivers1": []any{"item1", "item2"}, "impact31": "text-4"}, raw: 0,
			lines: []string{"businessDrivers1"}},
		{name: "empty answers give nothing",
			answers: surveyjs.Answers{"riskProfile1": "", "decisionSector1": []any{}}, raw: 0},
		{name: "hidden answers count and are marked",
			answers: surveyjs.Answers{"aboutDataSource14": []any{"item4-3"}}, raw: 3,
			lines: []string{"aboutDataSource14"}, hiddenLine: "aboutDataSource14"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := s.ScoreAIA(tc.answers)
			if got.Raw != tc.raw || got.Total != tc.raw {
				t.Errorf("raw %d, total %d; want %d", got.Raw, got.Total, tc.raw)
			}
			var lines, ignored []string
			for _, l := range got.Lines {
				lines = append(lines, l.Name)
				if l.Hidden != (l.Name == tc.hiddenLine) {
					t.Errorf("line %s hidden = %v", l.Name, l.Hidden)
				}
				if l.Points > l.Max {
					t.Errorf("line %s gives %d of at most %d", l.Name, l.Points, l.Max)
				}
			}
			for _, i := range got.Ignored {
				ignored = append(ignored, i.Name)
			}
			slices.Sort(lines)
			if !slices.Equal(lines, tc.lines) || !slices.Equal(ignored, tc.ignored) || !slices.Equal(got.UnknownQuestions, tc.unknown) {
				t.Errorf("lines %v, ignored %v, unknown %v; want %v, %v, %v", lines, ignored, got.UnknownQuestions, tc.lines, tc.ignored, tc.unknown)
			}
		})
	}
}

func BenchmarkLoadAIA(b *testing.B) {
	data := readAIA(b, "survey-enfr.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := surveyjs.Load(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreAIA(b *testing.B) {
	s := loadAIA(b)
	a := surveyjs.Answers{"projectDetailsPhase": "item1"}
	fill(b, s, a, surveyjs.RawScore, anyPage, 120)
	fill(b, s, a, surveyjs.MitigationScore, designPage, 70)
	for b.Loop() {
		if r := s.ScoreAIA(a); r.Total != 102 {
			b.Fatalf("total %d", r.Total)
		}
	}
}

func BenchmarkVisibleAIA(b *testing.B) {
	s := loadAIA(b)
	a := surveyjs.Answers{"projectDetailsPhase": "item2", "aboutSystem1": []any{"item6"}, "aboutDataSource1": "item1-2"}
	for b.Loop() {
		s.Visible(a)
	}
}
