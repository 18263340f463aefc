package surveyjs

import (
	"sort"
)

// Visible reports which pages and questions the answers show. A question is
// visible when its own visibleIf holds and so do those of every panel
// around it and of its page; an element without a condition is visible.
// When two elements share a name, the name is visible if either is.
func (s *Survey) Visible(a Answers) (pages map[string]bool, questions map[string]bool) {
	pages = make(map[string]bool, len(s.Pages))
	for _, p := range s.Pages {
		pages[p.Name] = pages[p.Name] || p.visible == nil || truthy(p.visible.eval(a))
	}
	questions = make(map[string]bool, len(s.Questions))
	for _, q := range s.Questions {
		questions[q.Name] = questions[q.Name] || s.shown(q, a)
	}
	return pages, questions
}

// shown reports whether one question is visible, containers included.
func (s *Survey) shown(q *Question, a Answers) bool {
	if q.page.visible != nil && !truthy(q.page.visible.eval(a)) {
		return false
	}
	for p := q.panel; p != nil; p = p.parent {
		if p.visible != nil && !truthy(p.visible.eval(a)) {
			return false
		}
	}
	return q.visible == nil || truthy(q.visible.eval(a))
}

// ScoreLine is one answered scored question and what it gave.
type ScoreLine struct {
	Name string    `json:"name"`
	Type ScoreType `json:"type"`
	Page string    `json:"page"`
	// Values are the chosen values the score counted.
	Values []string `json:"values"`
	Points int      `json:"points"`
	Max    int      `json:"max"`
	// Hidden is true when the answers hide the question (it still counts:
	// see ScoreAIA).
	Hidden bool `json:"hidden,omitempty"`
}

// Ignored is an answer to a scored question that gave no points because
// the question does not offer it, or because it has the wrong shape.
type Ignored struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// AIAScore is the result of scoring answers under the AIA rule.
type AIAScore struct {
	// Raw is the raw impact score: the points of every answered -RS question.
	Raw int `json:"raw"`
	// MaxRaw is the sum of the maxima of all -RS questions, visible or not.
	MaxRaw int `json:"max_raw"`
	// Mitigation is the points of every answered -MS question.
	Mitigation int `json:"mitigation"`
	// MaxMitigation is the sum of the maxima of all -MS questions in the
	// file, both phase copies included (the rule halves it).
	MaxMitigation int `json:"max_mitigation"`
	// Reduced is true when Mitigation reached 80 % of MaxMitigation/2, which
	// takes 15 % off the raw score.
	Reduced bool `json:"reduced"`
	// Total is Raw, or Raw × 0.85 rounded half up when Reduced.
	Total int `json:"total"`
	// Level is the impact level from 1 (little) to 4 (very high).
	Level int `json:"level"`
	// Lines lists the answered scored questions in questionnaire order.
	Lines []ScoreLine `json:"lines"`
	// Ignored lists answers to scored questions that gave no points.
	Ignored []Ignored `json:"ignored,omitempty"`
	// UnknownQuestions lists answer keys that name no question of the
	// questionnaire (sorted); many of them suggest the answers were made
	// with another version.
	UnknownQuestions []string `json:"unknown_questions,omitempty"`
}

// ScoreOptions changes how ScoreAIAWith counts.
type ScoreOptions struct {
	// OnlyVisible drops answers to questions the answers hide, which the
	// original tool does not do (see ScoreAIA).
	OnlyVisible bool
}

// ScoreAIA scores answers under the AIA rule (practice.md §5.3):
//
//	raw   = points of the answered -RS questions; max_raw their maxima
//	mit   = points of the answered -MS questions; max_mit their maxima (both phases)
//	total = round(0.85 × raw) if mit ≥ 0.80 × max_mit / 2, else raw (halves round up)
//	level = 1 if total ≤ 25 % of max_raw, 2 if ≤ 50 %, 3 if ≤ 75 %, else 4
//
// The comparisons are done in whole numbers (5·mit ≥ 2·max_mit, 4·total ≤
// max_raw, …), which gives the same answers as the tool's floating point
// for every score up to 1,000 and cannot drift at a boundary.
//
// Answers to questions hidden by visibleIf count, as in the original tool:
// its calculateFinalScore (src/store.ts) adds survey.data[name] for every
// scored question of getAllQuestions() without looking at visibility, and
// a loaded file's data is set on the model without completing the survey,
// the only moment SurveyJS clears hidden values by default (the AIA file
// does not set clearInvisibleValues). Such lines are marked Hidden; use
// ScoreAIAWith to drop them.
//
// Where the tool would add any number found after a "-", caio counts only
// values the question offers: an unknown value, a list given to a
// radiogroup or dropdown, or a repeated checkbox item gives no points and
// is listed in Ignored, so the score can never exceed its maximum.
func (s *Survey) ScoreAIA(a Answers) AIAScore { return s.ScoreAIAWith(a, ScoreOptions{}) }

// ScoreAIAWith scores like ScoreAIA with options.
func (s *Survey) ScoreAIAWith(a Answers, opt ScoreOptions) AIAScore {
	var r AIAScore
	r.Lines = []ScoreLine{}
	for _, q := range s.Questions {
		if q.Score == NotScored {
			continue
		}
		max := q.Max()
		if q.Score == RawScore {
			r.MaxRaw += max
		} else {
			r.MaxMitigation += max
		}
		v, ok := a[q.Name]
		if !ok || isEmpty(v) {
			continue
		}
		hidden := !s.shown(q, a)
		if hidden && opt.OnlyVisible {
			continue
		}
		line := ScoreLine{Name: q.Name, Type: q.Score, Page: q.Page, Max: max, Hidden: hidden, Values: []string{}}
		var values []any
		if list, isList := v.([]any); isList {
			if q.Type != "checkbox" {
				r.Ignored = append(r.Ignored, Ignored{q.Name, toString(list), "a " + q.Type + " question takes one value, not a list"})
				continue
			}
			values = list
		} else {
			values = []any{v}
		}
		seen := map[string]bool{}
		for _, x := range values {
			val, scalarOK := x.(string)
			if f, isNum := x.(float64); isNum {
				val, scalarOK = toString(f), true
			}
			if !scalarOK {
				r.Ignored = append(r.Ignored, Ignored{q.Name, toString(x), "the value is not text or a number"})
				continue
			}
			c, known := q.Choice(val)
			switch {
			case !known:
				r.Ignored = append(r.Ignored, Ignored{q.Name, val, "the question offers no such choice"})
			case seen[val]:
				r.Ignored = append(r.Ignored, Ignored{q.Name, val, "the choice is ticked twice"})
			default:
				seen[val] = true
				line.Values = append(line.Values, val)
				line.Points += c.Weight
			}
		}
		if len(line.Values) == 0 {
			continue
		}
		if q.Score == RawScore {
			r.Raw += line.Points
		} else {
			r.Mitigation += line.Points
		}
		r.Lines = append(r.Lines, line)
	}
	for k := range a {
		if len(s.byName[k]) == 0 {
			r.UnknownQuestions = append(r.UnknownQuestions, k)
		}
	}
	sort.Strings(r.UnknownQuestions)
	r.Reduced, r.Total, r.Level = AIARule(r.Raw, r.MaxRaw, r.Mitigation, r.MaxMitigation)
	return r
}

// AIARule applies the AIA rule to the four sums: whether mitigation reduces
// the score, the total and the level (1 to 4). It is exported so a caller
// holding only the sums, such as a published AIA, can check its level.
func AIARule(raw, maxRaw, mit, maxMit int) (reduced bool, total, level int) {
	// mit ≥ 0.80 × maxMit/2  ⇔  10·mit ≥ 4·maxMit  ⇔  5·mit ≥ 2·maxMit.
	reduced = 5*mit >= 2*maxMit
	total = raw
	if reduced {
		// round(0.85 × raw) half up = ⌊(17·raw + 10) / 20⌋ for raw ≥ 0.
		total = floorDiv(17*raw+10, 20)
	}
	switch {
	case 4*total <= maxRaw:
		level = 1
	case 2*total <= maxRaw:
		level = 2
	case 4*total <= 3*maxRaw:
		level = 3
	default:
		level = 4
	}
	return reduced, total, level
}

// floorDiv divides rounding towards minus infinity, so negative weights
// (which no AIA has, but a file could) round half up like Math.round.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// LevelName writes an impact level as the AIA does: I, II, III or IV.
func LevelName(level int) string {
	switch level {
	case 1:
		return "I"
	case 2:
		return "II"
	case 3:
		return "III"
	case 4:
		return "IV"
	}
	return "?"
}
