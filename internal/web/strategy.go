package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// Strategy pages: the organisation's AI strategy as a readable document,
// and the form that writes it. The helpers at the top format money, chances
// and ages for every page of the strategy and the portfolio.

func init() {
	funcs["pfMoney"] = rollupMoney
	funcs["pfNum"] = fteText
	funcs["pfPct"] = chanceText
	funcs["pfAge"] = approvalAge
	funcs["pfMaturity"] = maturityScale
	funcs["pfSubject"] = approvalSubjectURL
}

// rollupMoney writes an amount in whole units of its currency with thousands
// separators, such as "EUR 1,250,000" or "EUR −40,000".
func rollupMoney(x float64, currency string) string {
	s := groupThousands(math.Round(x))
	if currency != "" {
		s = currency + " " + s
	}
	return s
}

// groupThousands writes a whole number with commas between thousands and a
// minus sign for losses.
func groupThousands(x float64) string {
	neg := x < 0
	digits := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg && digits != "0" {
		return "−" + b.String()
	}
	return b.String()
}

// fteText writes a quantity such as full-time equivalents with at most two
// decimals and no trailing zeros.
func fteText(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// chanceText writes a chance of 0–1 in percent, such as "40 %".
func chanceText(p float64) string {
	return percentValue(p) + " %"
}

// percentValue writes a chance of 0–1 as the number of percent a form
// shows, without the float noise of p*100.
func percentValue(p float64) string {
	return strconv.FormatFloat(math.Round(p*1e4)/1e2, 'f', -1, 64)
}

// approvalAge says how long ago t was, in whole days.
func approvalAge(t time.Time) string {
	days := int(now().Sub(t).Hours() / 24)
	switch {
	case days <= 0:
		return "today"
	case days == 1:
		return "1 day ago"
	case days < 60:
		return strconv.Itoa(days) + " days ago"
	}
	return "about " + strconv.Itoa(int(math.Round(float64(days)/30.44))) + " months ago"
}

// approvalSubjectURL is the page of an approval's subject, or "" for a kind
// without a page.
func approvalSubjectURL(kind, id string) string {
	if kind == "use_case" {
		return "/usecases/" + id
	}
	return ""
}

// maturityLevel describes one level of the maturity scale, in our words
// (the level names follow the common five-step vocabulary of maturity
// models, practice.md §1).
type maturityLevel struct {
	Level int
	Name  string
	Text  string
}

var maturityLevels = []maturityLevel{
	{1, "Exploring", "AI is talked about; a few people try tools on their own."},
	{2, "Experimenting", "First pilots in single teams, without shared ways of working."},
	{3, "Operational", "AI runs in at least one core process, with named owners and governance."},
	{4, "Scaled", "AI is used across the business on shared data, platforms and controls."},
	{5, "Transformative", "AI shapes the business model and how the organisation competes."},
}

// maturityName names a maturity level; 0 is not set.
func maturityName(level int) string {
	if level >= 1 && level <= len(maturityLevels) {
		return maturityLevels[level-1].Name
	}
	return "not set"
}

// objectiveTitles returns the titles of the organisation's objectives by
// ID, and the objectives in title order, for links and checkboxes.
func (w *Web) objectiveTitles(r *http.Request) (map[string]string, []*caio.Objective, error) {
	objs, _, err := w.app.FindObjectives(r.Context(), caio.ObjectiveFilter{Sort: "title", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		return nil, nil, err
	}
	titles := make(map[string]string, len(objs))
	for _, o := range objs {
		titles[o.ID] = o.Title
	}
	return titles, objs, nil
}

// objectiveRef is a linked objective as a page shows it.
type objectiveRef struct {
	ID, Title string
}

// priorityView is a strategic priority with the titles of its objectives.
type priorityView struct {
	caio.StrategyPriority
	Objectives []objectiveRef
}

func (w *Web) strategyShow(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindStrategy(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	titles, _, err := w.objectiveTitles(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var priorities []priorityView
	for _, p := range s.Priorities {
		v := priorityView{StrategyPriority: p}
		for _, id := range p.ObjectiveIDs {
			// An objective deleted since keeps its ID, so the link is not lost silently.
			t, ok := titles[id]
			if !ok {
				t = id + " (deleted)"
			}
			v.Objectives = append(v.Objectives, objectiveRef{ID: id, Title: t})
		}
		priorities = append(priorities, v)
	}
	var level *maturityLevel
	if s.TargetMaturity >= 1 && s.TargetMaturity <= 5 {
		level = &maturityLevels[s.TargetMaturity-1]
	}
	w.render(rw, r, http.StatusOK, "strategy", &page{Title: "AI strategy", Nav: "strategy", Data: map[string]any{
		"Strategy": s, "Priorities": priorities, "Level": level,
	}})
}

// Priority rows of the strategy form: the priorities there are and a few
// empty rows to add more. A row left empty is ignored.
const (
	emptyPriorityRows = 3
	maxPriorityRows   = 40
)

// strategyValues fills the form from a strategy.
func strategyValues(s *caio.Strategy) map[string]string {
	v := map[string]string{
		"vision": s.Vision, "principles": strings.Join(s.Principles, "\n"), "owners": strings.Join(s.Owners, "\n"),
		"currency": s.Currency, "budget_period": s.BudgetPeriod, "horizon": s.Horizon, "version": strconv.Itoa(s.Version),
	}
	if s.TargetMaturity > 0 {
		v["target_maturity"] = strconv.Itoa(s.TargetMaturity)
	}
	if s.Budget != 0 {
		v["budget"] = strconv.FormatFloat(s.Budget, 'f', -1, 64)
	}
	for i, p := range s.Priorities {
		name := priorityField(i)
		v[name+".title"] = p.Title
		v[name+".description"] = p.Description
		v[name+".objective_ids"] = strings.Join(p.ObjectiveIDs, ",")
	}
	return v
}

func priorityField(i int) string { return "priorities[" + strconv.Itoa(i) + "]" }

// postedRows is the number of rows of a repeated group the form posted: one
// more than the highest index named prefix[i].…, at most limit.
func postedRows(r *http.Request, prefix string, limit int) int {
	n := 0
	for k := range r.PostForm {
		i, ok := fieldRowIndex(k, prefix)
		if ok && i < limit {
			n = max(n, i+1)
		}
	}
	return n
}

// fieldRowIndex reads i from a field named prefix[i] or prefix[i].name.
func fieldRowIndex(field, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(field, prefix+"[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(num)
	return i, err == nil && i >= 0
}

// remapRowFields renames the service's field problems about rows of a repeated
// group (prefix[k]…, k counting only the rows sent) to the rows of the form
// they came from (prefix[rowOf[k]]…), so each problem shows beside the row
// the user typed it in.
func remapRowFields(err error, prefix string, rowOf []int) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, f := range fs {
		if k, ok := fieldRowIndex(f.Field, prefix); ok && k < len(rowOf) {
			rest := strings.TrimPrefix(f.Field, fmt.Sprintf("%s[%d]", prefix, k))
			f.Field = fmt.Sprintf("%s[%d]%s", prefix, rowOf[k], rest)
		}
		e.Fields = append(e.Fields, f)
	}
	return e
}

// foldLineFields reports problems with single lines of a one-per-line field
// (principles[2]) at the field itself, naming the entry.
func foldLineFields(err error, fields ...string) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, f := range fs {
		for _, name := range fields {
			if k, ok := fieldRowIndex(f.Field, name); ok {
				f = caio.FieldProblem{Field: name, Message: fmt.Sprintf("entry %d %s", k+1, f.Message)}
			}
		}
		e.Fields = append(e.Fields, f)
	}
	return e
}

// oneLineEach splits a one-per-line field.
func oneLineEach(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// strategyInput reads the strategy form. It returns, for each priority
// sent, the form row it came from; empty rows are left out. Unreadable
// numbers are recorded on f.
func strategyInput(f *form, r *http.Request) (caio.StrategyContent, []int) {
	in := caio.StrategyContent{
		Vision: f.Get("vision"), Principles: oneLineEach(f.Get("principles")), Owners: oneLineEach(f.Get("owners")),
		Currency: f.Get("currency"), BudgetPeriod: f.Get("budget_period"), Horizon: f.Get("horizon"),
		Priorities: []caio.StrategyPriority{},
	}
	if b := f.float("budget"); b != nil {
		in.Budget = *b
	}
	if s := strings.TrimSpace(f.Get("target_maturity")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Errors["target_maturity"] = "must be a level from 1 to 5"
		}
		in.TargetMaturity = n
	}
	var rowOf []int
	for i := range postedRows(r, "priorities", maxPriorityRows) {
		name := priorityField(i)
		ids := multiValue(f, r, name+".objective_ids")
		title, desc := f.Get(name+".title"), f.Get(name+".description")
		if strings.TrimSpace(title) == "" && strings.TrimSpace(desc) == "" && len(ids) == 0 {
			continue
		}
		rowOf = append(rowOf, i)
		in.Priorities = append(in.Priorities, caio.StrategyPriority{Title: title, Description: desc, ObjectiveIDs: ids})
	}
	return in, rowOf
}

// priorityRow is one row of priorities in the strategy form.
type priorityRow struct {
	Index                       int
	Title, Description, Objects string // the field names
	Objectives                  []option
}

// strategyForm is what the strategy form needs besides the form itself.
func strategyForm(f *form, rows int, objs []*caio.Objective) map[string]any {
	var out []priorityRow
	pairs := []string{"vision", "Vision", "principles", "Principles"}
	for i := range rows {
		name := priorityField(i)
		ticked := splitValues(f.Get(name + ".objective_ids"))
		var opts []option
		for _, o := range objs {
			opts = append(opts, option{Value: o.ID, Label: o.Title, Selected: slices.Contains(ticked, o.ID)})
		}
		out = append(out, priorityRow{Index: i, Title: name + ".title", Description: name + ".description", Objects: name + ".objective_ids", Objectives: opts})
		n := strconv.Itoa(i + 1)
		pairs = append(pairs, name+".title", "Priority "+n+": title", name+".description", "Priority "+n+": description",
			name+".objective_ids", "Priority "+n+": objectives")
	}
	pairs = append(pairs, "priorities", "Priorities", "target_maturity", "Target maturity", "budget", "Budget", "currency", "Currency",
		"budget_period", "Budget period", "owners", "Owners", "horizon", "Horizon")
	return map[string]any{"Rows": out, "Objectives": objs, "Levels": maturityLevels, "Problems": problemsOf(f, pairs...)}
}

func (w *Web) strategyEdit(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindStrategy(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	_, objs, err := w.objectiveTitles(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := &form{Values: strategyValues(s)}
	w.render(rw, r, http.StatusOK, "strategy_form", &page{Title: strategyFormTitle(s.Version), Nav: "strategy", Form: f,
		Data: strategyForm(f, len(s.Priorities)+emptyPriorityRows, objs)})
}

func strategyFormTitle(version int) string {
	if version == 0 {
		return "Write the AI strategy"
	}
	return "Edit the AI strategy"
}

func (w *Web) strategySave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	rows := 0
	if err == nil {
		in, rowOf := strategyInput(f, r)
		rows = postedRows(r, "priorities", maxPriorityRows)
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			err = formProblems(f, foldLineFields(remapRowFields(in.Normalize(), "priorities", rowOf), "principles", "owners"))
		} else if _, err = w.app.UpdateStrategy(r.Context(), version, in); err == nil {
			w.flash(rw, "Strategy saved.")
			redirect(rw, r, "/strategy")
			return
		} else {
			err = foldLineFields(remapRowFields(err, "priorities", rowOf), "principles", "owners")
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	_, objs, ferr := w.objectiveTitles(r)
	if ferr != nil {
		w.fail(rw, r, ferr)
		return
	}
	f.fail(err)
	// Keep the rows the user had, and always a spare one to add more.
	rows = max(rows, emptyPriorityRows)
	if f.Get(priorityField(rows-1)+".title") != "" && rows < maxPriorityRows {
		rows++
	}
	version, _ := strconv.Atoi(f.Get("version"))
	w.render(rw, r, failStatus(err), "strategy_form", &page{Title: strategyFormTitle(version), Nav: "strategy", Form: f,
		Data: strategyForm(f, rows, objs)})
}

// sortedStages lists stage keys in the lifecycle's display order.
func sortedStages(keys []string) []string {
	order := map[string]int{}
	for _, s := range portfolio.Stages() {
		order[s.Key] = s.Order
	}
	out := append([]string(nil), keys...)
	sort.SliceStable(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}
