package questionnaire

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// Answers holds the answers to a questionnaire by question id: one value for
// single, scale, number, text and date questions, several for multiple ones.
type Answers map[string][]string

// Result is what a set of answers amounts to: progress, and for scored
// questionnaires the score of each dimension, the overall score and level,
// and the advice that follows.
type Result struct {
	Answered        int              `json:"answered"` // visible questions with an answer
	Required        int              `json:"required"` // visible required questions
	Visible         int              `json:"visible"`
	Progress        float64          `json:"progress"` // 0..1 over visible required questions
	Complete        bool             `json:"complete"` // every visible required question is answered
	Missing         []string         `json:"missing"`  // visible required questions without an answer
	Hidden          []string         `json:"hidden"`   // questions whose condition is false; their answers are ignored
	Dimensions      []DimensionScore `json:"dimensions"`
	Score           float64          `json:"score"` // 0..100, weighted over scored dimensions; 0 when none is scored
	Level           int              `json:"level"` // 0 when nothing is scored
	LevelLabel      string           `json:"level_label"`
	Recommendations []Recommendation `json:"recommendations"`
	Outputs         []OutputValue    `json:"outputs,omitempty"` // the definition's formulas, computed
}

// DimensionScore is the score of one dimension and how it came about.
type DimensionScore struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Score      float64  `json:"score"` // 0..100, one decimal
	Level      int      `json:"level"` // 0 while no question of the dimension is answered
	LevelLabel string   `json:"level_label"`
	Answered   int      `json:"answered"`  // visible scored questions with a usable answer
	Questions  int      `json:"questions"` // visible scored questions
	Reasons    []string `json:"reasons"`   // one line per answer that counted
}

// Recommendation is one piece of advice and why it is given.
type Recommendation struct {
	Dimension string `json:"dimension"`
	Text      string `json:"text"`
	Because   string `json:"because"` // the answer or the level that triggered it
}

// Check validates answers against the definition. The error is a caio
// EINVALID error whose fields are question ids: unknown questions, values
// that are not options, numbers out of bounds, dates not written YYYY-MM-DD,
// texts longer than MaxTextLen characters, several values where one is
// expected. Missing answers are not an error: Evaluate reports them.
func (d *Definition) Check(a Answers) error {
	ix := d.index()
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var v caio.Validation
	for _, id := range ids {
		i, ok := ix.pos[id]
		if !ok {
			v.Add(id, "is not a question of this questionnaire")
			continue
		}
		q := ix.qs[i]
		vals := nonBlank(a[id])
		if len(vals) == 0 {
			continue
		}
		if q.Type != TypeMultiple && len(vals) > 1 {
			v.Add(id, fmt.Sprintf("takes one answer, not %d", len(vals)))
			continue
		}
		switch q.Type {
		case TypeSingle, TypeMultiple:
			seen := map[string]bool{}
			for _, val := range vals {
				if _, ok := ix.opts[i][val]; !ok {
					v.Add(id, fmt.Sprintf("%s is not one of the options (%s)", quote(val), optionList(q)))
				} else if seen[val] {
					v.Add(id, fmt.Sprintf("lists %q twice", val))
				}
				seen[val] = true
			}
		case TypeScale, TypeNumber:
			f, err := parseNumber(vals[0])
			switch {
			case err != nil:
				v.Add(id, fmt.Sprintf("must be a number, not %s", quote(vals[0])))
			case q.Min != nil && f < *q.Min || q.Max != nil && f > *q.Max:
				v.Add(id, "must be "+bounds(q))
			case q.Type == TypeScale && len(q.Options) > 0 && scaleOption(q, f) < 0:
				v.Add(id, fmt.Sprintf("must be one of the options (%s)", optionList(q)))
			}
		case TypeText:
			if !utf8.ValidString(vals[0]) {
				v.Add(id, "must be valid UTF-8 text")
			} else if n := utf8.RuneCountInString(vals[0]); n > MaxTextLen {
				v.Add(id, fmt.Sprintf("is %d characters long; at most %d are allowed", n, MaxTextLen))
			}
		case TypeDate:
			if _, err := time.Parse(time.DateOnly, vals[0]); err != nil || len(vals[0]) != 10 {
				v.Add(id, fmt.Sprintf("must be a date written YYYY-MM-DD, not %s", quote(vals[0])))
			}
		}
	}
	return v.Err()
}

// quote shows a user's value in a message, cut short when long.
func quote(s string) string {
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "") + "…"
	}
	return strconv.Quote(s)
}

func optionList(q *Question) string {
	vals := make([]string, 0, len(q.Options))
	for i, o := range q.Options {
		if i == 10 {
			vals = append(vals, "…")
			break
		}
		vals = append(vals, o.Value)
	}
	return strings.Join(vals, ", ")
}

func bounds(q *Question) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return fmt.Sprintf("from %g to %g", *q.Min, *q.Max)
	case q.Min != nil:
		return fmt.Sprintf("at least %g", *q.Min)
	default:
		return fmt.Sprintf("at most %g", *q.Max)
	}
}

// parseNumber reads a finite decimal number.
func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = fmt.Errorf("not finite")
	}
	return f, err
}

// scaleOption returns the position of the option labelling value f, or -1.
func scaleOption(q *Question, f float64) int {
	for i, o := range q.Options {
		if g, err := parseNumber(o.Value); err == nil && g == f {
			return i
		}
	}
	return -1
}

func nonBlank(vals []string) []string {
	out := vals[:0:0]
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// round1 rounds to one decimal, so the shown score and its level agree.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Evaluate scores answers. It does not validate them (Check does): values
// that are not options or numbers out of bounds simply do not count.
//
// A question is hidden when its condition is false; a condition reads only
// answers to visible questions, so hiding cascades. Answers to hidden
// questions are ignored and the hidden ids are listed.
//
// Scores: a single question scores its option's Score; a scale question maps
// Min..Max linearly onto 0..100; a multiple question sums the Scores of the
// chosen options, capped at 100, so options are points of a checklist. A
// dimension's score is the weighted mean of its answered scored questions;
// the overall score is the weighted mean of the dimensions that have one.
// Scores are rounded to one decimal and the level is the highest whose Min
// is at most the score. Recommendations list, weakest dimension first, the
// dimension's advice for its level and then the advice of chosen options.
func Evaluate(d *Definition, a Answers) Result {
	ix := d.index()
	n := len(ix.qs)
	visible := make([]bool, n)
	get := func(id string) []string {
		if i, ok := ix.pos[id]; ok && visible[i] {
			return a[id]
		}
		return nil
	}
	for _, i := range ix.topo {
		c := ix.conds[i]
		visible[i] = c == nil || c.eval(get)
	}

	var r Result
	type acc struct {
		sum, weight float64
		answered    int
		questions   int
		reasons     []string
		recs        []Recommendation
	}
	dims := make([]acc, len(d.Dimensions))
	qscores := map[string]float64{}
	for i, q := range ix.qs {
		if !visible[i] {
			r.Hidden = append(r.Hidden, q.ID)
			continue
		}
		r.Visible++
		vals := nonBlank(a[q.ID])
		if len(vals) > 0 {
			r.Answered++
		}
		if q.Required {
			r.Required++
			if len(vals) == 0 {
				r.Missing = append(r.Missing, q.ID)
			}
		}
		k, ok := ix.dims[q.Dimension]
		if !ok || !q.Scored() {
			continue
		}
		dm := &dims[k]
		dm.questions++
		score, chosen, ok := questionScore(q, ix.opts[i], vals)
		if !ok {
			continue
		}
		dm.answered++
		qscores[q.ID] = score
		dm.sum += score * q.Weight
		dm.weight += q.Weight
		labels := make([]string, len(chosen))
		for j, o := range chosen {
			labels[j] = o.Label
			if o.Recommendation != "" {
				dm.recs = append(dm.recs, Recommendation{Dimension: q.Dimension, Text: o.Recommendation,
					Because: fmt.Sprintf("answer %q to question %s", o.Label, q.ID)})
			}
		}
		shown := strings.Join(labels, "; ")
		if len(chosen) == 0 {
			shown = vals[0]
		}
		dm.reasons = append(dm.reasons, fmt.Sprintf("%s: %s scores %g", q.ID, shown, round1(score)))
	}
	if r.Required > 0 {
		r.Progress = float64(r.Required-len(r.Missing)) / float64(r.Required)
	} else {
		r.Progress = 1
	}
	r.Complete = len(r.Missing) == 0

	var total, weight float64
	order := make([]int, 0, len(d.Dimensions))
	for k, dim := range d.Dimensions {
		dm := &dims[k]
		ds := DimensionScore{ID: dim.ID, Title: dim.Title, Answered: dm.answered, Questions: dm.questions, Reasons: dm.reasons}
		if dm.weight > 0 {
			ds.Score = round1(dm.sum / dm.weight)
			ds.Level, ds.LevelLabel = levelOf(d.Levels, ds.Score)
			total += ds.Score * dim.Weight
			weight += dim.Weight
			order = append(order, k)
		}
		r.Dimensions = append(r.Dimensions, ds)
	}
	if weight > 0 {
		r.Score = round1(total / weight)
		r.Level, r.LevelLabel = levelOf(d.Levels, r.Score)
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmpFloat(r.Dimensions[x].Score, r.Dimensions[y].Score)
	})
	for _, k := range order {
		ds := r.Dimensions[k]
		if text, ok := ix.recs[k][ds.Level]; ok && ds.Level > 0 {
			r.Recommendations = append(r.Recommendations, Recommendation{Dimension: ds.ID, Text: text,
				Because: fmt.Sprintf("%s is at level %d (%s) with a score of %g", ds.Title, ds.Level, ds.LevelLabel, ds.Score)})
		}
		r.Recommendations = append(r.Recommendations, dims[k].recs...)
	}
	if len(d.Outputs) > 0 {
		r.Outputs = outputs(d, &r, a, qscores)
	}
	return r
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

// questionScore returns the 0..100 score of a scored question's answer and
// the options chosen, or false when the answer does not count.
func questionScore(q *Question, opts map[string]int, vals []string) (float64, []*Option, bool) {
	if len(vals) == 0 {
		return 0, nil, false
	}
	switch q.Type {
	case TypeSingle:
		k, ok := opts[vals[0]]
		if !ok {
			return 0, nil, false
		}
		return q.Options[k].Score, []*Option{&q.Options[k]}, true
	case TypeMultiple:
		var sum float64
		var chosen []*Option
		seen := map[int]bool{}
		for _, v := range vals {
			if k, ok := opts[v]; ok && !seen[k] {
				seen[k] = true
				sum += q.Options[k].Score
				chosen = append(chosen, &q.Options[k])
			}
		}
		if len(chosen) == 0 {
			return 0, nil, false
		}
		return min(sum, 100), chosen, true
	case TypeScale:
		if q.Min == nil || q.Max == nil || *q.Max <= *q.Min {
			return 0, nil, false
		}
		f, err := parseNumber(vals[0])
		if err != nil || f < *q.Min || f > *q.Max {
			return 0, nil, false
		}
		var chosen []*Option
		if k := scaleOption(q, f); k >= 0 {
			chosen = []*Option{&q.Options[k]}
		}
		return (f - *q.Min) / (*q.Max - *q.Min) * 100, chosen, true
	}
	return 0, nil, false
}

// levelOf returns the highest level whose Min is at most score.
func levelOf(levels []Level, score float64) (int, string) {
	lvl, label := 0, ""
	for _, l := range levels {
		if l.Min <= score {
			lvl, label = l.Level, l.Label
		}
	}
	return lvl, label
}
