package surveyjs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/surveyjs"
)

// small is a questionnaire of our own in the AIA's shape, with round maxima:
// 20 raw points (so 25 %, 50 % and 75 % are 5, 10 and 15) and 5 mitigation
// points per phase copy (so 80 % of max_mit/2 is exactly 4).
func small(t testing.TB) *surveyjs.Survey {
	t.Helper()
	ones := func(n int) string {
		var c []string
		for i := 1; i <= n; i++ {
			c = append(c, fmt.Sprintf(`"item%d-1"`, i))
		}
		return "[" + strings.Join(c, ",") + "]"
	}
	src := `{"title": {"default": "Small", "fr": "Petit"}, "pages": [
	 {"name": "start", "elements": [{"type": "radiogroup", "name": "phase", "isRequired": true,
	   "choices": [{"value": "item1", "text": {"default": "Design", "fr": "Conception"}}, "item2"]}]},
	 {"name": "risk", "elements": [{"type": "panel", "name": "riskPanel-RS", "elements": [
	   {"type": "checkbox", "name": "many", "choices": ` + ones(12) + `},
	   {"type": "dropdown", "name": "pick", "choices": ["item1-1", "item2-4", "item3-8"]},
	   {"type": "comment", "name": "why"}]}]},
	 {"name": "mitD", "visibleIf": "{phase} = 'item1'", "elements": [{"type": "panel", "name": "mitDPanel-MS", "elements": [
	   {"type": "checkbox", "name": "mitD1", "choices": ` + ones(5) + `}]}]},
	 {"name": "mitI", "visibleIf": "{phase} = 'item2'", "elements": [{"type": "panel", "name": "mitIPanel-MS", "elements": [
	   {"type": "checkbox", "name": "mitI1", "choices": ` + ones(5) + `}]}]}]}`
	s, err := surveyjs.Load([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ticks returns the first n values item1-1 … itemN-1 of a checkbox.
func ticks(n int) []any {
	out := []any{}
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("item%d-1", i))
	}
	return out
}

// rawAnswers returns answers to the small questionnaire worth raw points.
func rawAnswers(raw int) surveyjs.Answers {
	a := surveyjs.Answers{"phase": "item1"}
	if raw >= 8 {
		a["pick"] = "item3-8"
		raw -= 8
	}
	if raw > 0 {
		a["many"] = ticks(raw)
	}
	return a
}

// TestSurveyRuleBoundaries checks the rule at exact boundaries, which the
// AIA's own maxima (167, 154) never reach: the expected figures are the
// rule worked by hand.
func TestSurveyRuleBoundaries(t *testing.T) {
	s := small(t)
	for _, tc := range []struct {
		raw, mit     int
		total, level int
		reduced      bool
	}{
		{5, 0, 5, 1, false},   // exactly 25 %
		{6, 0, 6, 2, false},   // one above
		{10, 0, 10, 2, false}, // exactly 50 %
		{11, 0, 11, 3, false},
		{15, 0, 15, 3, false}, // exactly 75 %
		{16, 0, 16, 4, false},
		{20, 0, 20, 4, false},
		{10, 3, 10, 2, false}, // one below the mitigation threshold
		{10, 4, 9, 2, true},   // exactly 80 % of 5: 8.5 rounds half up to 9
		{6, 4, 5, 1, true},    // 5.1 → 5, back to level I
		{14, 4, 12, 3, true},  // 11.9 → 12
		{18, 4, 15, 3, true},  // 15.3 → 15
		{19, 4, 16, 4, true},  // 16.15 → 16
		{20, 5, 17, 4, true},
	} {
		a := rawAnswers(tc.raw)
		if tc.mit > 0 {
			a["mitD1"] = ticks(tc.mit)
		}
		got := s.ScoreAIA(a)
		if got.MaxRaw != 20 || got.MaxMitigation != 10 {
			t.Fatalf("maxima %d, %d; want 20, 10", got.MaxRaw, got.MaxMitigation)
		}
		if got.Raw != tc.raw || got.Mitigation != tc.mit || got.Total != tc.total || got.Level != tc.level || got.Reduced != tc.reduced {
			t.Errorf("raw %d, mitigation %d: got %d/%d total %d level %d reduced %v; want total %d level %d reduced %v",
				tc.raw, tc.mit, got.Raw, got.Mitigation, got.Total, got.Level, got.Reduced, tc.total, tc.level, tc.reduced)
		}
	}
}

func TestAIARule(t *testing.T) {
	for _, tc := range []struct {
		raw, maxRaw, mit, maxMit int
		reduced                  bool
		total, level             int
	}{
		{41, 167, 0, 154, false, 41, 1},
		{42, 167, 61, 154, false, 42, 2},
		{42, 167, 62, 154, true, 36, 1},
		{10, 100, 40, 100, true, 9, 1},   // 8.5 → 9, mitigation exactly 80 % of 50
		{10, 100, 39, 100, false, 10, 1}, // one below
		{30, 100, 40, 100, true, 26, 2},  // 25.5 → 26, past 25
		{25, 100, 0, 0, true, 21, 1},     // no mitigation questions: 0 ≥ 0 reduces, as in the tool
		{0, 0, 0, 0, true, 0, 1},
	} {
		reduced, total, level := surveyjs.AIARule(tc.raw, tc.maxRaw, tc.mit, tc.maxMit)
		if reduced != tc.reduced || total != tc.total || level != tc.level {
			t.Errorf("AIARule(%d, %d, %d, %d) = %v, %d, %d; want %v, %d, %d",
				tc.raw, tc.maxRaw, tc.mit, tc.maxMit, reduced, total, level, tc.reduced, tc.total, tc.level)
		}
	}
	if surveyjs.LevelName(3) != "III" || surveyjs.LevelName(0) != "?" {
		t.Error("LevelName")
	}
}

func TestSurveyLoad(t *testing.T) {
	s := small(t)
	if s.Title.In("fr") != "Petit" || s.Title.In("en") != "Small" || s.Title.In("de") != "Small" {
		t.Errorf("title = %+v", s.Title)
	}
	q := s.Question("phase")
	if !q.IsRequired || q.Choices[0].Text.In("fr") != "Conception" || q.Choices[1].Text.In("fr") != "item2" {
		t.Errorf("phase = %+v", q)
	}
	if q := s.Question("pick"); q.Score != surveyjs.RawScore || q.Max() != 8 || q.Panels[0] != "riskPanel-RS" || q.Page != "risk" {
		t.Errorf("pick = %+v", q)
	}
	if q := s.Question("many"); q.Max() != 12 {
		t.Errorf("a checkbox's maximum is the sum of its weights: %d", q.Max())
	}
	if q := s.Question("why"); q.Score != surveyjs.NotScored || q.Max() != 0 {
		t.Errorf("a comment does not score: %+v", q)
	}
	if s.Question("nothing") != nil {
		t.Error("an unknown name should give nil")
	}

	// Nested panels, plain strings, a page suffix and the nearest suffix winning.
	n, err := surveyjs.Load([]byte(`{"pages": [{"name": "p-MS", "title": "Plain", "elements": [
	  {"type": "panel", "name": "outer-RS", "visibleIf": "{gate} notempty", "elements": [
	    {"type": "panel", "name": "inner", "elements": [
	      {"type": "radiogroup", "name": "deep", "title": "Deep", "choices": [{"value": "a-2", "text": "A"}, 3]},
	      {"type": "radiogroup", "name": "own-NS", "choices": ["a-2"]}]}]},
	  {"type": "dropdown", "name": "onPage", "choices": ["x-1"]},
	  {"type": "text", "name": "gate"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	deep := n.Question("deep")
	if deep.Score != surveyjs.RawScore || strings.Join(deep.Panels, "/") != "outer-RS/inner" || deep.Max() != 3 || deep.Title.In("fr") != "Deep" {
		t.Errorf("deep = %+v", deep)
	}
	if n.Question("own-NS").Score != surveyjs.NotScored || n.Question("onPage").Score != surveyjs.MitigationScore {
		t.Error("the question's own suffix wins, and the page's applies last")
	}
	if _, v := n.Visible(surveyjs.Answers{}); v["deep"] || !v["onPage"] {
		t.Errorf("a hidden panel hides its questions: %v", v)
	}
	if _, v := n.Visible(surveyjs.Answers{"gate": "x"}); !v["deep"] {
		t.Errorf("the panel shows once gate has an answer: %v", v)
	}

	// A questionnaire without pages is one page.
	one, err := surveyjs.Load([]byte(`{"elements": [{"type": "text", "name": "a"}]}`))
	if err != nil || len(one.Pages) != 1 || one.Questions[0].Page != "page1" {
		t.Errorf("single page: %v %+v", err, one)
	}
}

func TestSurveyLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{`{"pages": [`, "line 1, column 12"},
		{"{\n  \"pages\": [\n    {,}\n  ]\n}", "line 3, column 6"},
		{`[]`, "must be a JSON object"},
		{`{} {}`, "more than one JSON value"},
		{`{"pages": {}}`, "pages must be a list"},
		{`{"pages": []}`, "hold no questions"},
		{`{"pages": [{"elements": [{"name": "a"}]}]}`, "pages[0].elements[0].type"},
		{`{"pages": [{"elements": [{"type": "text"}]}]}`, "pages[0].elements[0].name"},
		{`{"pages": [{}, {"elements": [{"type": "panel", "name": "p", "elements": [{"type": "text", "name": "a"}, {"type": "radiogroup", "name": "b", "choices": ["x", {"text": "no value"}]}]}]}]}`,
			"pages[1].elements[0].elements[1].choices[1].value"},
		{`{"pages": [{"elements": [{"type": "radiogroup", "name": "b", "choices": [["x"]]}]}]}`, "pages[0].elements[0].choices[0]"},
		{`{"pages": [{"elements": [{"type": "text", "name": "b", "title": 3}]}]}`, "pages[0].elements[0].title"},
		{`{"pages": [{"elements": [{"type": "text", "name": "b", "title": {"fr": 3}}]}]}`, "pages[0].elements[0].title.fr"},
		{`{"pages": [{"elements": [{"type": "text", "name": "b", "isRequired": "yes"}]}]}`, "isRequired must be true or false"},
		{`{"pages": [{"elements": [{"type": "text", "name": "q7", "visibleIf": "iif({a} = 1, true, false)"}]}]}`, `text "q7"`},
		{`{"pages": [{"elements": [{"type": "text", "name": "q7", "visibleIf": "iif({a} = 1, true, false)"}]}]}`, "function iif()"},
		{`{"pages": [{"elements": [{"type": "text", "name": "q8", "enableIf": "{a} + 1 > 2"}]}]}`, `unsupported operator "+"`},
		{`{"pages": [{"elements": [{"type": "text", "name": "q9", "visibleIf": "{a} between 1"}]}]}`, `unsupported operator "between"`},
		{`{"pages": [{"name": "p", "visibleIf": "({a} = 1", "elements": [{"type": "text", "name": "q"}]}]}`, `page "p"`},
		{`{"pages": [{"elements": [{"type": "text", "name": "q", "visibleIf": "{a = 1"}]}]}`, "no closing }"},
		{`{"pages": [{"elements": [{"type": "text", "name": "q", "visibleIf": "{a} = 'x"}]}]}`, "no closing quote"},
		{`{"pages": [{"elements": [{"type": "text", "name": "q", "visibleIf": "{a} anyof ['x' 'y']"}]}]}`, "expected , or ]"},
		{`{"pages": [{"elements": [{"type": "text", "name": "q", "visibleIf": "{a} anyof [['x']]"}]}]}`, "may hold only"},
	} {
		_, err := surveyjs.Load([]byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error, want one about %q", tc.src, tc.want)
			continue
		}
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.src, err, tc.want)
		}
	}
	deep := strings.Repeat(`{"type": "panel", "name": "p", "elements": [`, 70) + `{"type": "text", "name": "a"}` + strings.Repeat("]}", 70)
	if _, err := surveyjs.Load([]byte(`{"pages": [{"elements": [` + deep + `]}]}`)); err == nil || !strings.Contains(err.Error(), "deep") {
		t.Errorf("deep nesting: %v", err)
	}
}

func TestSurveyConditions(t *testing.T) {
	for _, tc := range []struct {
		cond    string
		answers surveyjs.Answers
		want    bool
	}{
		{"{a} = 'x'", surveyjs.Answers{"a": "x"}, true},
		{"{a} == \"X \"", surveyjs.Answers{"a": "x"}, true}, // case and spaces ignored
		{"{a} = 'x'", surveyjs.Answers{}, false},
		{"{a} <> 'x'", surveyjs.Answers{"a": "y"}, true},
		{"{a} != 'x'", surveyjs.Answers{}, true},
		{"{a} = 2", surveyjs.Answers{"a": "2"}, true},
		{"{a} = 2", surveyjs.Answers{"a": 2.0}, true},
		{"{a} > 2", surveyjs.Answers{"a": 3.0}, true},
		{"{a} >= 3", surveyjs.Answers{"a": 3.0}, true},
		{"{a} < 3", surveyjs.Answers{"a": 3.0}, false},
		{"{a} <= 3", surveyjs.Answers{}, false},
		{"{a} contains 'm1-3'", surveyjs.Answers{"a": "item1-3"}, true},
		{"{a} contains 'item1'", surveyjs.Answers{"a": []any{"item10", "item2"}}, false}, // list items match whole
		{"{a} contains ['item2']", surveyjs.Answers{"a": []any{"item1", "item2"}}, true},
		{"{a} contains ['item2', 'item3']", surveyjs.Answers{"a": []any{"item1", "item2"}}, false},
		{"{a} notcontains 'item2'", surveyjs.Answers{"a": []any{"item1"}}, true},
		{"{a} notcontains 'item2'", surveyjs.Answers{}, true},
		{"{a} anyof ['x', 'y']", surveyjs.Answers{"a": "y"}, true},
		{"{a} anyof ['x', 'y']", surveyjs.Answers{"a": []any{"z", "x"}}, true},
		{"{a} anyof ['x', 'y']", surveyjs.Answers{}, false},
		{"{a} allof ['x', 'y']", surveyjs.Answers{"a": []any{"y", "z", "x"}}, true},
		{"{a} allof ['x', 'y']", surveyjs.Answers{"a": []any{"x"}}, false},
		{"{a} = ['x', 'y']", surveyjs.Answers{"a": []any{"y", "x"}}, true},
		{"{a} empty", surveyjs.Answers{"a": []any{}}, true},
		{"{a} notempty", surveyjs.Answers{"a": ""}, false},
		{"{a} notempty", surveyjs.Answers{"a": "t"}, true},
		{"{a} = 'x' and {b} = 'y'", surveyjs.Answers{"a": "x"}, false},
		{"{a} = 'x' && {b} = 'y'", surveyjs.Answers{"a": "x", "b": "y"}, true},
		{"{a} = 'x' or {b} = 'y' and {c} = 'z'", surveyjs.Answers{"a": "x"}, true}, // and binds tighter
		{"({a} = 'x' or {b} = 'y') and {c} = 'z'", surveyjs.Answers{"a": "x"}, false},
		{"not {a} = 'x'", surveyjs.Answers{"a": "y"}, true},
		{"!({a} = 'x' || {a} = 'y')", surveyjs.Answers{"a": "y"}, false},
		{"{a}", surveyjs.Answers{"a": true}, true},
		{"{a} = true", surveyjs.Answers{"a": true}, true},
		{"{a b.c} = -1.5", surveyjs.Answers{"a b.c": -1.5}, true},
	} {
		src := fmt.Sprintf(`{"pages": [{"elements": [{"type": "text", "name": "q", "visibleIf": %q}]}]}`, tc.cond)
		s, err := surveyjs.Load([]byte(src))
		if err != nil {
			t.Errorf("%s: %v", tc.cond, err)
			continue
		}
		if _, v := s.Visible(tc.answers); v["q"] != tc.want {
			t.Errorf("%s with %v = %v, want %v", tc.cond, tc.answers, v["q"], tc.want)
		}
	}
}

func TestSurveyParseAnswers(t *testing.T) {
	saved, err := surveyjs.ParseSaved([]byte(`{"version": "v1.0.1", "currentPage": 4, "data": {"a": "item1-3", "b": ["x", "y"]}, "translationsOnResult": {}}`))
	if err != nil || saved.Version != "v1.0.1" || saved.Data["a"] != "item1-3" || len(saved.Data["b"].([]any)) != 2 || saved.Data["currentPage"] != nil {
		t.Errorf("saved file: %v %+v", err, saved)
	}
	bare, err := surveyjs.ParseAnswers([]byte(`{"a": "item1-3"}`))
	if err != nil || bare["a"] != "item1-3" {
		t.Errorf("bare answers: %v %v", err, bare)
	}
	for _, tc := range []struct{ src, want string }{
		{"{\n  \"data\": {\n    \"a\": \"x\",\n  }\n}", "line 4, column 3"},
		{"{\n \"a\": tru\n}", "line 2, column"},
		{`{"a": "x"`, "ends too early"},
		{``, "ends too early"},
		{`"text"`, "must be a JSON object"},
		{`{"data": []}`, "data must be an object"},
		{`{} []`, "more than one JSON value"},
	} {
		_, err := surveyjs.ParseAnswers([]byte(tc.src))
		if err == nil || caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func FuzzSurveyLoad(f *testing.F) {
	f.Add([]byte(`{"pages": [{"name": "p", "visibleIf": "{a} = 'x' or ({b} contains ['y'] and not {c} empty)", "elements": [
	  {"type": "panel", "name": "x-RS", "elements": [{"type": "checkbox", "name": "a", "choices": ["i1-1", {"value": 2, "text": {"default": "t", "fr": "f"}}]}]}]}]}`))
	f.Add([]byte(`{"elements": [{"type": "text", "name": "a", "enableIf": "{a} anyof [1, -2.5, 'z']"}]}`))
	f.Add([]byte(`{"pages": [{"elements": [{"type": "dropdown", "name": "d-MS", "choices": ["a-1", "b-x", "c"]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := surveyjs.Load(b)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("error code %s: %v", caio.ErrorCode(err), err)
			}
			return
		}
		a := surveyjs.Answers{}
		for i, q := range s.Questions {
			if len(q.Choices) > 0 {
				a[q.Name] = q.Choices[i%len(q.Choices)].Value
			}
		}
		s.Visible(a)
		r := s.ScoreAIA(a)
		if r.Raw > r.MaxRaw && r.MaxRaw >= 0 && r.Raw >= 0 {
			// Negative weights can make the sums odd; positive ones never exceed the maximum.
			neg := false
			for _, q := range s.Questions {
				for _, c := range q.Choices {
					neg = neg || c.Weight < 0
				}
			}
			if !neg {
				t.Fatalf("raw %d above its maximum %d", r.Raw, r.MaxRaw)
			}
		}
		if r.Level < 1 || r.Level > 4 {
			t.Fatalf("level %d", r.Level)
		}
	})
}

func FuzzSurveyParseAnswers(f *testing.F) {
	f.Add([]byte(`{"version": "v1.0.1", "currentPage": 3, "data": {"a": "item1-2", "b": ["x"]}}`))
	f.Add([]byte(`{"a": 1, "b": null, "c": {"d": true}}`))
	f.Add([]byte("{\n\"a\": ,}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := surveyjs.ParseAnswers(b)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("error code %s: %v", caio.ErrorCode(err), err)
			}
			return
		}
		if a == nil {
			t.Fatal("nil answers without an error")
		}
		s := smallForFuzz
		s.Visible(a)
		s.ScoreAIA(a)
	})
}

// smallForFuzz is a questionnaire whose conditions the fuzzed answers exercise.
var smallForFuzz = func() *surveyjs.Survey {
	s, err := surveyjs.Load([]byte(`{"pages": [{"name": "p", "visibleIf": "{a} anyof ['x', 1] or {b} contains 'y' or {c} > 2 or {d} allof [true] or {e} empty", "elements": [
	  {"type": "panel", "name": "x-RS", "elements": [{"type": "checkbox", "name": "a", "choices": ["item1-1", "x"]},
	  {"type": "radiogroup", "name": "b", "choices": ["y-3"]}]}]}]}`))
	if err != nil {
		panic(err)
	}
	return s
}()
