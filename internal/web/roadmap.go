package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// The roadmap page: the accepted use cases by quarter as a timeline, what
// they ask of each quarter against the capacity there is, broken
// dependencies and unscheduled use cases, and the capacity form.

// stageClasses give each stage a colour of the stylesheet's palette; the
// stage is always written beside it too.
var stageClasses = map[string]string{
	portfolio.StageIdea:       "c-unclassified",
	portfolio.StageAssessment: "s-not_applicable",
	portfolio.StageApproved:   "c-not_high_risk",
	portfolio.StagePoC:        "s-not_started",
	portfolio.StagePilot:      "s-in_progress",
	portfolio.StageProduction: "s-implemented",
	portfolio.StageOnHold:     "c-out_of_scope",
}

// emptyCapacityRows is how many empty rows the capacity form offers.
const (
	emptyCapacityRows = 4
	maxCapacityRows   = 100
)

// quarterView is one quarter of the capacity table.
type quarterView struct {
	Quarter                        string
	People, PeopleCap              float64
	Budget, BudgetCap              float64
	HasCapacity                    bool
	OverPeople, OverBudget         bool
	UseCases                       []objectiveRef
	PeopleText, BudgetText, Status string
	PeopleShort, BudgetShort       string
}

// conflictView is a broken dependency with links to both ends.
type conflictView struct {
	Message         string
	Item, DependsOn objectiveRef
	// Known is false when the awaited use case is not on the roadmap.
	Known bool
}

// capacityRow is one row of the capacity form, by field name.
type capacityRow struct {
	Index                   int
	Quarter, People, Budget string
	Placeholder             string
}

func (w *Web) roadmapShow(rw http.ResponseWriter, r *http.Request) {
	w.renderRoadmap(rw, r, http.StatusOK, nil, 0)
}

// renderRoadmap shows the roadmap; f, when not nil, is a failed capacity
// form with rows rows.
func (w *Web) renderRoadmap(rw http.ResponseWriter, r *http.Request, status int, f *form, rows int) {
	rm, err := w.app.FindRoadmap(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	settings, err := w.app.FindPortfolioSettings(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: capacityValues(rm.Capacity)}
		rows = len(rm.Capacity) + emptyCapacityRows
	}
	titles := map[string]string{}
	for _, it := range rm.Items {
		titles[it.ID] = it.Title
	}

	quarters := make([]string, len(rm.Plan.Quarters))
	column := map[string]int{}
	for i, q := range rm.Plan.Quarters {
		quarters[i] = q.Quarter
		column[q.Quarter] = i
	}
	conflictsOf := map[string][]string{}
	var conflicts []conflictView
	for _, c := range rm.Plan.Conflicts {
		conflictsOf[c.ItemID] = append(conflictsOf[c.ItemID], c.Message)
		t, known := titles[c.DependsOnID]
		conflicts = append(conflicts, conflictView{Message: c.Message, Item: objectiveRef{c.ItemID, titles[c.ItemID]},
			DependsOn: objectiveRef{c.DependsOnID, t}, Known: known})
	}
	var gantt []ganttRow
	var unscheduled []ganttRow
	for _, it := range rm.Items {
		stage := rm.Stages[it.ID]
		g := ganttRow{ID: it.ID, Title: it.Title, Href: "/usecases/" + it.ID, Stage: stage, StageLabel: portfolio.StageLabel(stage),
			Class: stageClasses[stage], Start: quarterName(it.Start), End: quarterName(it.End), People: it.People, Budget: it.Budget,
			DependsOn: it.DependsOn, Conflicts: conflictsOf[it.ID]}
		for _, d := range it.DependsOn {
			g.Waits = append(g.Waits, objectiveRef{ID: d, Title: cmp.Or(titles[d], d)})
		}
		first, ok1 := column[g.Start]
		last, ok2 := column[g.End]
		if !ok1 || !ok2 {
			unscheduled = append(unscheduled, g)
			continue
		}
		g.First, g.Last = first, last
		gantt = append(gantt, g)
	}

	loads := quarterLoads(rm, titles, settings.Currency)
	var people, budget []loadRow
	over := 0
	for _, q := range loads {
		people = append(people, loadRow{Quarter: q.Quarter, Demand: q.People, Capacity: q.PeopleCap, HasCapacity: q.HasCapacity, Over: q.OverPeople, Text: q.PeopleText, Short: q.PeopleShort})
		budget = append(budget, loadRow{Quarter: q.Quarter, Demand: q.Budget, Capacity: q.BudgetCap, HasCapacity: q.HasCapacity, Over: q.OverBudget, Text: q.BudgetText, Short: q.BudgetShort})
		if q.OverPeople || q.OverBudget {
			over++
		}
	}

	data := map[string]any{
		"Rows": gantt, "Unscheduled": unscheduled, "Conflicts": conflicts, "Quarters": loads, "Over": over,
		"Currency": settings.Currency, "CapRows": capacityRows(f, rows, nextQuarter(rm)),
		"Problems": capacityProblems(f, rows), "StageKeys": stageLegend(gantt),
	}
	if len(gantt) > 0 {
		data["Gantt"] = roadmapGantt("chart-roadmap", "Roadmap by quarter", quarters, gantt)
	}
	if len(loads) > 0 {
		data["PeopleChart"] = capacityChart("chart-people", "People per quarter, demand against capacity (full-time equivalents)", people)
		data["BudgetChart"] = capacityChart("chart-budget", "Budget per quarter, demand against capacity ("+settings.Currency+")", budget)
	}
	w.render(rw, r, status, "roadmap", &page{Title: "Roadmap", Nav: "strategy", Form: f, Data: data})
}

// quarterName writes a stored quarter the way the plan does (2027Q1), or
// returns it as it is when it does not read as one.
func quarterName(s string) string {
	if q, err := portfolio.ParseQuarter(s); err == nil {
		return q.String()
	}
	return s
}

// quarterLoads joins the plan's quarters with the capacity rows outside
// them, in order, each with its figures written out.
func quarterLoads(rm *app.Roadmap, titles map[string]string, currency string) []quarterView {
	byQuarter := map[string]*quarterView{}
	var out []*quarterView
	for _, q := range rm.Plan.Quarters {
		v := &quarterView{Quarter: q.Quarter, People: q.People, PeopleCap: q.PeopleCapacity, Budget: q.Budget, BudgetCap: q.BudgetCapacity,
			HasCapacity: q.HasCapacity, OverPeople: q.OverPeople, OverBudget: q.OverBudget}
		for _, id := range q.Items {
			v.UseCases = append(v.UseCases, objectiveRef{id, titles[id]})
		}
		byQuarter[q.Quarter] = v
		out = append(out, v)
	}
	for _, c := range rm.Capacity {
		name := quarterName(c.Quarter)
		if _, ok := byQuarter[name]; ok {
			continue
		}
		v := &quarterView{Quarter: name, PeopleCap: c.People, BudgetCap: c.Budget, HasCapacity: true}
		byQuarter[name] = v
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Quarter < out[j].Quarter })
	views := make([]quarterView, len(out))
	for i, v := range out {
		v.PeopleText = loadText(v.People, v.PeopleCap, v.HasCapacity, v.OverPeople, func(x float64) string { return fteText(x) + " FTE" })
		v.BudgetText = loadText(v.Budget, v.BudgetCap, v.HasCapacity, v.OverBudget, func(x float64) string { return rollupMoney(x, currency) })
		v.PeopleShort = shortLoad(v.People, v.PeopleCap, v.HasCapacity, fteText, "FTE")
		v.BudgetShort = shortLoad(v.Budget, v.BudgetCap, v.HasCapacity, compactMoney, currency)
		switch {
		case v.OverPeople && v.OverBudget:
			v.Status = "Over capacity: people and budget"
		case v.OverPeople:
			v.Status = "Over capacity: people"
		case v.OverBudget:
			v.Status = "Over capacity: budget"
		case !v.HasCapacity:
			v.Status = "No capacity planned"
		default:
			v.Status = "Within capacity"
		}
		views[i] = *v
	}
	return views
}

// loadText sums up demand against capacity, such as "3.5 of 3 FTE, over by 0.5 FTE".
func loadText(demand, capacity float64, has, over bool, unit func(float64) string) string {
	if !has {
		return unit(demand) + " needed, no capacity planned"
	}
	s := unit(demand) + " of " + unit(capacity)
	if over {
		s += ", over by " + unit(demand-capacity)
	}
	return s
}

// shortLoad says demand against capacity in a few characters, such as
// "5 of 4 FTE" or "1.2M of 1M EUR".
func shortLoad(demand, capacity float64, has bool, num func(float64) string, unit string) string {
	if !has {
		return num(demand) + " " + unit + ", no capacity"
	}
	return num(demand) + " of " + num(capacity) + " " + unit
}

// compactMoney writes an amount in thousands or millions, such as 350k or
// 1.2M, for the margins of charts; tables carry the exact figures.
func compactMoney(x float64) string {
	a := math.Abs(x)
	switch {
	case a >= 1e6:
		return strconv.FormatFloat(math.Round(x/1e5)/10, 'f', -1, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(math.Round(x/1e2)/10, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(math.Round(x), 'f', -1, 64)
}

// stageLegend lists the stages on the timeline in lifecycle order, for its legend.
func stageLegend(rows []ganttRow) []ganttRow {
	seen := map[string]bool{}
	var keys []string
	for _, r := range rows {
		if !seen[r.Stage] {
			seen[r.Stage] = true
			keys = append(keys, r.Stage)
		}
	}
	var out []ganttRow
	for _, k := range sortedStages(keys) {
		out = append(out, ganttRow{Stage: k, StageLabel: portfolio.StageLabel(k), Class: stageClasses[k]})
	}
	return out
}

// nextQuarter is the first quarter after the roadmap and its capacity, to
// suggest in the empty rows of the capacity form.
func nextQuarter(rm *app.Roadmap) portfolio.Quarter {
	var last *portfolio.Quarter
	consider := func(s string) {
		if q, err := portfolio.ParseQuarter(s); err == nil && (last == nil || last.Less(q)) {
			last = &q
		}
	}
	for _, q := range rm.Plan.Quarters {
		consider(q.Quarter)
	}
	for _, c := range rm.Capacity {
		consider(c.Quarter)
	}
	if last == nil {
		n := now().UTC()
		return portfolio.Quarter{Year: n.Year(), Q: (int(n.Month())-1)/3 + 1}
	}
	return last.Next()
}

func capacityField(i int) string { return "capacity[" + strconv.Itoa(i) + "]" }

// capacityValues fills the capacity form from the stored rows.
func capacityValues(cs []caio.Capacity) map[string]string {
	v := map[string]string{}
	for i, c := range cs {
		name := capacityField(i)
		v[name+".quarter"] = quarterName(c.Quarter)
		v[name+".people"] = strconv.FormatFloat(c.People, 'f', -1, 64)
		v[name+".budget"] = strconv.FormatFloat(c.Budget, 'f', -1, 64)
	}
	return v
}

// capacityRows lists the rows of the capacity form; empty rows suggest the
// quarters that follow next.
func capacityRows(f *form, n int, next portfolio.Quarter) []capacityRow {
	out := make([]capacityRow, n)
	for i := range n {
		name := capacityField(i)
		out[i] = capacityRow{Index: i, Quarter: name + ".quarter", People: name + ".people", Budget: name + ".budget"}
		if strings.TrimSpace(f.Get(name+".quarter")) == "" {
			out[i].Placeholder = next.String()
			next = next.Next()
		}
	}
	return out
}

// capacityProblems lists the capacity form's problems for its summary.
func capacityProblems(f *form, n int) []formProblem {
	pairs := []string{"capacity", "Capacity"}
	for i := range n {
		name, row := capacityField(i), "Row "+strconv.Itoa(i+1)+": "
		pairs = append(pairs, name+".quarter", row+"quarter", name+".people", row+"people", name+".budget", row+"budget")
	}
	return problemsOf(f, pairs...)
}

// capacityInput reads the capacity form: the rows that are not empty, and
// for each the form row it came from. Unreadable numbers are recorded on f.
func capacityInput(f *form, r *http.Request) ([]caio.Capacity, []int) {
	out := []caio.Capacity{}
	var rowOf []int
	for i := range postedRows(r, "capacity", maxCapacityRows) {
		name := capacityField(i)
		q, p, b := strings.TrimSpace(f.Get(name+".quarter")), strings.TrimSpace(f.Get(name+".people")), strings.TrimSpace(f.Get(name+".budget"))
		if q == "" && p == "" && b == "" {
			continue
		}
		c := caio.Capacity{Quarter: q}
		if x := f.float(name + ".people"); x != nil {
			c.People = *x
		}
		if x := f.float(name + ".budget"); x != nil {
			c.Budget = *x
		}
		out = append(out, c)
		rowOf = append(rowOf, i)
	}
	return out, rowOf
}

func (w *Web) capacitySave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	rows := 0
	if err == nil {
		qs, rowOf := capacityInput(f, r)
		rows = postedRows(r, "capacity", maxCapacityRows)
		if len(f.Errors) > 0 {
			err = formProblems(f, nil)
		} else if _, err = w.app.SetCapacity(r.Context(), qs); err == nil {
			w.flash(rw, fmt.Sprintf("Capacity saved for %d %s.", len(qs), plural(len(qs), "quarter", "quarters")))
			redirect(rw, r, "/roadmap#capacity")
			return
		} else {
			err = remapRowFields(err, "capacity", rowOf)
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderRoadmap(rw, r, failStatus(err), f, max(rows, emptyCapacityRows))
}
