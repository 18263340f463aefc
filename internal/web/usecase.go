package web

import (
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// The use-case pages: the prioritised list with its value × feasibility
// matrix, intake on a canvas, the triage queue, editing and deleting. The
// use case's own page is in usecase_show.go, its ratings in
// usecase_score.go and its business case in usecase_bizcase.go.

func init() {
	funcs["ucStage"] = portfolio.StageLabel
	funcs["ucQuadrant"] = portfolio.QuadrantLabel
	funcs["ucMethod"] = portfolio.MethodLabel
	funcs["ucLabel"] = ucLabel
	funcs["ucMoney"] = ucMoney
	funcs["ucPct"] = ucPct
	funcs["ucNum"] = ucNum
	funcs["ucPayback"] = ucPayback
	funcs["ucKey"] = ucKey
	funcs["ucProblems"] = ucProblems
	funcs["ucMetric"] = ucMetric
	funcs["ucMetricName"] = ucMetricName
	funcs["thousandsOf"] = func(n int) string { return ucThousands(float64(n)) }
}

// ucLabels name the keys of the use-case pages for people.
var ucLabels = map[string]string{
	// approaches and sourcing
	"predictive": "Predictive: classify, forecast or score", "generative": "Generative: write, summarise or create",
	"agentic": "Agentic: plan and act across tools", "optimisation": "Optimisation: plan or allocate", "other": "Other",
	"build": "Build in-house", "buy": "Buy a product", "partner": "Partner",
	// intake states
	caio.IntakeSubmitted: "Waiting in the triage queue", caio.IntakeAccepted: "Accepted",
	caio.IntakeMerged: "Merged into another use case", caio.IntakeRejected: "Rejected at triage",
	// standing of a realised benefit against the simulated band
	"below_p10": "Below P10", "p10_p50": "Between P10 and P50", "p50_p90": "Between P50 and P90", "above_p90": "Above P90",
	// KPI directions
	"increase": "Higher is better", "decrease": "Lower is better",
	// sorts
	"priority": "Priority, by the organisation's method", "-created": "Newest first", "created": "Oldest first",
	"title": "Title, A to Z", "-title": "Title, Z to A", "stage": "Stage", "-updated": "Recently updated first",
	"updated": "Least recently updated first",
	// distributions
	"triangular": "Triangular", "pert": "PERT (weighted to the likely value)",
}

// ucLabel names a key of the use-case pages; an unknown key is shown as it is.
func ucLabel(key string) string {
	if l, ok := ucLabels[key]; ok {
		return l
	}
	return key
}

// ucOptions lists keys with their labels, marking the selected one.
func ucOptions(keys []string, selected string) []option {
	out := make([]option, len(keys))
	for i, k := range keys {
		out[i] = option{Value: k, Label: ucLabel(k), Selected: k == selected}
	}
	return out
}

// ucStageOptions lists the lifecycle stages, marking the selected one.
func ucStageOptions(selected string) []option {
	var out []option
	for _, s := range portfolio.Stages() {
		out = append(out, option{Value: s.Key, Label: s.Label, Selected: s.Key == selected})
	}
	return out
}

// ucThousands writes a whole number with commas between groups of three.
func ucThousands(n float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(n)), 'f', 0, 64)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ucMoney writes an amount in whole units with its currency, such as
// "EUR 1,250,000" or "EUR −40,000".
func ucMoney(currency string, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	sign := ""
	if math.Round(x) < 0 {
		sign = "−"
	}
	return strings.TrimSpace(currency + " " + sign + ucThousands(x))
}

// ucShort writes an amount briefly for a chart's axis, such as "EUR 1.2M".
func ucShort(currency string, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	a, sign := math.Abs(x), ""
	if x < 0 {
		sign = "−"
	}
	var s string
	switch {
	case a >= 1e9:
		s = strconv.FormatFloat(a/1e9, 'f', 1, 64) + "bn"
	case a >= 1e6:
		s = strconv.FormatFloat(a/1e6, 'f', 1, 64) + "M"
	case a >= 1e3:
		s = strconv.FormatFloat(a/1e3, 'f', 0, 64) + "k"
	default:
		s = strconv.FormatFloat(a, 'f', 0, 64)
	}
	return strings.TrimSpace(currency + " " + sign + s)
}

// ucPct writes a share as a percentage with at most one decimal: 0.254 is "25.4%".
func ucPct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return ucTrimZeros(strconv.FormatFloat(x*100, 'f', 1, 64)) + "%"
}

// ucNum writes a number with at most two decimals, without trailing zeros.
func ucNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return ucTrimZeros(strconv.FormatFloat(x, 'f', 2, 64))
}

// ucTrimZeros drops the zeros after a decimal point that add nothing.
func ucTrimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// ucPayback writes a payback time in years, or says that it falls beyond
// the horizon.
func ucPayback(p *float64) string {
	if p == nil {
		return "Not within the horizon"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + " years"
}

// ucMetric writes the figure that ranks a use case under method.
func ucMetric(s portfolio.Score, method string) string {
	if s.Blocked {
		return "Blocked"
	}
	switch method {
	case portfolio.MethodRICE:
		if s.RICE == nil {
			return "—"
		}
		return ucNum(*s.RICE)
	case portfolio.MethodWSJF:
		if s.WSJF == nil {
			return "—"
		}
		return ucNum(*s.WSJF)
	}
	if !s.Rated {
		return "—"
	}
	return ucNum(s.Priority)
}

// ucMetricName names the figure that ranks under method.
func ucMetricName(method string) string {
	switch method {
	case portfolio.MethodRICE:
		return "RICE"
	case portfolio.MethodWSJF:
		return "WSJF"
	}
	return "Priority"
}

// ucKey turns a field name such as benefits[1].low into the part of an
// element id that follows "f-" or "e-", with the form's prefix, so several
// forms on one page keep their ids apart.
// The prefix is any value so that a template may leave it out of its dict
// (a missing key is nil there).
func ucKey(prefix any, name string) string {
	p, _ := prefix.(string)
	return p + strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(name)
}

// ucProblems lists a form's problems for its summary, as problemsOf does,
// with ids that carry the form's prefix: first the fields named in pairs
// (name, label, ...), then the others with a label made from their names,
// each linking to its field. A gate criterion (criteria.<id>) links to its
// line in the gate's list, whose id is crit-<prefix><id>.
func ucProblems(f *form, prefix string, pairs ...string) []formProblem {
	if f == nil || len(f.Errors) == 0 {
		return nil
	}
	var out []formProblem
	listed := map[string]bool{}
	for i := 0; i+1 < len(pairs); i += 2 {
		name, label := pairs[i], pairs[i+1]
		listed[name] = true
		if msg, ok := f.Errors[name]; ok {
			out = append(out, formProblem{ID: "f-" + ucKey(prefix, name), Label: label, Message: msg})
		}
	}
	var rest []string
	for name := range f.Errors {
		if !listed[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		if c, ok := strings.CutPrefix(name, "criteria."); ok {
			out = append(out, formProblem{ID: "crit-" + prefix + c, Message: f.Errors[name]})
			continue
		}
		out = append(out, formProblem{ID: "f-" + ucKey(prefix, name), Label: ucFieldLabel(name), Message: f.Errors[name]})
	}
	return out
}

// ucFieldLabel names a field that the form did not name, such as
// benefits[1].low ("Benefit 2, low").
func ucFieldLabel(name string) string {
	for _, l := range bcLists {
		if rest, ok := strings.CutPrefix(name, l.Key+"["); ok {
			i, after, ok := strings.Cut(rest, "]")
			n, err := strconv.Atoi(i)
			if ok && err == nil {
				return l.One + " " + strconv.Itoa(n+1) + ", " + strings.TrimPrefix(after, ".")
			}
		}
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ucFail records a service error on f like form.fail, but joins two
// problems with the same field instead of keeping only the last.
func ucFail(f *form, err error) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	seen := map[string]bool{}
	for _, p := range caio.ErrorFields(err) {
		if old, ok := f.Errors[p.Field]; ok && seen[p.Field] && old != p.Message {
			f.Errors[p.Field] = old + "; " + p.Message
		} else {
			f.Errors[p.Field] = p.Message
		}
		seen[p.Field] = true
	}
	f.Message = caio.ErrorMessage(err)
}

// --- The prioritised list ---

// useCaseFilterNames are the query parameters that filter the list.
var useCaseFilterNames = []string{"q", "stage", "approach", "owner", "objective", "system"}

// useCaseFilter reads the list's filter from a query. The list and the
// matrix show accepted use cases only: ideas waiting in triage have a
// queue of their own, and merged or rejected ones are closed.
func useCaseFilter(q url.Values) caio.UseCaseFilter {
	accepted := caio.IntakeAccepted
	f := caio.UseCaseFilter{Sort: q.Get("sort"), Page: pageFrom(q), Intake: &accepted,
		Query: listParam(q, "q"), Stage: listParam(q, "stage"), Approach: listParam(q, "approach"), Owner: listParam(q, "owner"),
		ObjectiveID: listParam(q, "objective"), SystemID: listParam(q, "system")}
	if f.Sort == "" {
		f.Sort = "priority"
	}
	return f
}

// ucAll asks for everything a choice on a form may offer.
var ucAll = caio.Page{Limit: caio.MaxPageLimit}

// matrixMax is how many use cases the value × feasibility matrix draws at
// most, the best ranked first: beyond a few hundred bubbles the chart says
// nothing more and the page grows by a kilobyte a bubble.
const matrixMax = 300

func (w *Web) useCaseList(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := useCaseFilter(q)
	settings, err := w.app.FindPortfolioSettings(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The ranked list and the matrix come from one ranking; another order
	// reads its page by index and ranks for the matrix.
	var items []app.ScoredUseCase
	var total int
	var ranked []app.RankedUseCase
	if filter.Sort == "" || filter.Sort == "priority" {
		items, total, ranked, err = w.app.FindRankedUseCases(ctx, filter)
	} else if items, total, err = w.app.FindUseCases(ctx, filter); err == nil {
		ranked, err = w.app.RankUseCases(ctx, filter)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	triage, err := w.triageCount(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	objectives, _, err := w.app.FindObjectives(ctx, caio.ObjectiveFilter{Sort: "title", Page: ucAll})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, _, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: ucAll})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	objOpts := make([]option, len(objectives))
	for i, o := range objectives {
		objOpts[i] = option{Value: o.ID, Label: o.Title, Selected: q.Get("objective") == o.ID}
	}
	sysOpts := make([]option, len(systems))
	for i, s := range systems {
		sysOpts[i] = option{Value: s.ID, Label: s.Name, Selected: q.Get("system") == s.ID}
	}
	// The business case's median NPV, from the ranking, which reads it
	// with the scores.
	npv := map[string]*float64{}
	var points []matrixPoint
	rated := 0
	unrated := 0
	for _, u := range ranked {
		npv[u.ID] = u.NPVP50
		if !u.Score.Rated {
			unrated++
			continue
		}
		rated++
		if len(points) == matrixMax {
			continue // the matrix draws the best ranked; the list pages through all
		}
		points = append(points, matrixPoint{Rank: u.Rank, Title: u.Title, Href: "/usecases/" + u.ID, Value: u.Score.Value,
			Feasibility: u.Score.Feasibility, Risk: u.Score.Risk, Quadrant: u.Score.Quadrant, Cost: u.Cost,
			Currency: settings.Currency, Blocked: u.Score.Blocked})
	}
	filtered := false
	values := map[string]string{}
	for _, n := range useCaseFilterNames {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	w.render(rw, r, http.StatusOK, "usecases", &page{Title: "Use cases", Nav: "portfolio", Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "F": values, "Filtered": filtered,
		"Sort": filter.Sort, "Sorts": ucOptions(caio.UseCaseSorts, filter.Sort), "Stages": ucStageOptions(q.Get("stage")),
		"Approaches": ucOptions(caio.UseCaseApproaches, q.Get("approach")), "Objectives": objOpts, "Systems": sysOpts,
		"Method": settings.Weights.Method, "Currency": settings.Currency, "NPV": npv, "Triage": triage,
		"Matrix": matrixChart("chart-matrix", points), "Points": points, "Unrated": unrated, "Ranked": len(ranked),
		"Rated":      rated,
		"RiskLevels": matrixRiskLevels,
	}})
}

// triageCount is the number of ideas waiting in the triage queue.
func (w *Web) triageCount(r *http.Request) (int, error) {
	submitted := caio.IntakeSubmitted
	_, n, err := w.app.FindUseCases(r.Context(), caio.UseCaseFilter{Intake: &submitted, Sort: "created", Page: caio.Page{Limit: 1}})
	return n, err
}

// --- Intake and editing: the canvas ---

// useCaseInput reads the canvas form; the ticked objectives and systems are
// kept on f so the form can tick them again.
func useCaseInput(f *form, r *http.Request) caio.UseCaseInput {
	objectives := multiValue(f, r, "objective_ids")
	systems := multiValue(f, r, "system_ids")
	return caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{
		Title: f.Get("title"), Problem: f.Get("problem"), Process: f.Get("process"), Users: f.Get("users"),
		Volume: f.Get("volume"), DataNeeded: f.Get("data_needed"), DataAvailable: f.Get("data_available"),
		Approach: f.Get("approach"), Sourcing: f.Get("sourcing"), Benefits: f.Get("benefits"), Costs: f.Get("costs"),
		Risks: f.Get("risks"), Dependencies: f.Get("dependencies"), Owner: f.Get("owner"), Sponsor: f.Get("sponsor"),
	}, ObjectiveIDs: objectives, SystemIDs: systems}
}

// useCaseValues fills the canvas form from a use case.
func useCaseValues(u *caio.UseCase) map[string]string {
	c := u.UseCaseCanvas
	return map[string]string{
		"title": c.Title, "problem": c.Problem, "process": c.Process, "users": c.Users, "volume": c.Volume,
		"data_needed": c.DataNeeded, "data_available": c.DataAvailable, "approach": c.Approach, "sourcing": c.Sourcing,
		"benefits": c.Benefits, "costs": c.Costs, "risks": c.Risks, "dependencies": c.Dependencies,
		"owner": c.Owner, "sponsor": c.Sponsor, "objective_ids": strings.Join(u.ObjectiveIDs, ","),
		"system_ids": strings.Join(u.SystemIDs, ","), "version": strconv.Itoa(u.Version),
	}
}

// renderUseCaseForm shows the canvas to propose (u nil) or edit a use case.
func (w *Web) renderUseCaseForm(rw http.ResponseWriter, r *http.Request, status int, u *caio.UseCase, f *form) {
	ctx := r.Context()
	objectives, _, err := w.app.FindObjectives(ctx, caio.ObjectiveFilter{Sort: "title", Page: ucAll})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, _, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: ucAll})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ticked := func(name string) map[string]bool {
		m := map[string]bool{}
		for _, id := range splitValues(f.Get(name)) {
			m[id] = true
		}
		return m
	}
	objTicked, sysTicked := ticked("objective_ids"), ticked("system_ids")
	objOpts := make([]option, len(objectives))
	for i, o := range objectives {
		objOpts[i] = option{Value: o.ID, Label: o.Title, Selected: objTicked[o.ID]}
	}
	sysOpts := make([]option, len(systems))
	for i, s := range systems {
		sysOpts[i] = option{Value: s.ID, Label: s.Name + " (" + caio.ClassLabel(s.Class) + ")", Selected: sysTicked[s.ID]}
	}
	title := "Propose a use case"
	if u != nil {
		title = "Edit " + u.Title
	}
	w.render(rw, r, status, "usecase_form", &page{Title: title, Nav: "portfolio", Form: f, Data: map[string]any{
		"UseCase": u, "Objectives": objOpts, "Systems": sysOpts,
		"Approaches": ucOptions(caio.UseCaseApproaches, f.Get("approach")), "Sourcing": ucOptions(caio.UseCaseSourcing, f.Get("sourcing")),
		// Editors' use cases join the portfolio at once; a contributor's idea
		// waits in the triage queue, and the form says so.
		"Triaged": !caio.Can(actorRole(r), caio.PermEdit),
	}})
}

func (w *Web) useCaseNew(rw http.ResponseWriter, r *http.Request) {
	w.renderUseCaseForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) useCaseCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	in := useCaseInput(f, r)
	if err == nil {
		var u *caio.UseCase
		if u, err = w.app.CreateUseCase(r.Context(), in); err == nil {
			if u.Intake == caio.IntakeSubmitted {
				w.flash(rw, "Thank you: your idea “"+u.Title+"” is in the triage queue. An editor will accept it into the portfolio, merge it with a use case it duplicates, or say why not.")
			} else {
				w.flash(rw, "Use case added to the portfolio at the Idea stage.")
			}
			redirect(rw, r, "/usecases/"+u.ID)
			return
		}
	}
	ucFail(f, err)
	w.renderUseCaseForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) useCaseEdit(rw http.ResponseWriter, r *http.Request) {
	u, err := w.app.FindUseCase(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderUseCaseForm(rw, r, http.StatusOK, u.UseCase, &form{Values: useCaseValues(u.UseCase)})
}

func (w *Web) useCaseUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	u, err := w.app.FindUseCase(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	in := useCaseInput(f, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateUseCase(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Use case saved.")
			redirect(rw, r, "/usecases/"+id)
			return
		}
	}
	ucFail(f, err)
	w.renderUseCaseForm(rw, r, statusOf[caio.ErrorCode(err)], u.UseCase, f)
}

func (w *Web) useCaseDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteUseCase(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Use case deleted, with its business case, KPIs and history.")
	redirect(rw, r, "/usecases")
}

// --- Triage ---

// triageItem is one idea in the triage queue with its decision form.
type triageItem struct {
	*caio.UseCase
	Form   *form
	Prefix string
	// Decision is the radio group of the form, keeping the choice made.
	Decisions []option
	Targets   []option
}

func (w *Web) useCaseTriage(rw http.ResponseWriter, r *http.Request) {
	w.renderTriage(rw, r, http.StatusOK, "", nil)
}

// renderTriage shows the queue, with f the failed decision on the idea failedID.
func (w *Web) renderTriage(rw http.ResponseWriter, r *http.Request, status int, failedID string, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	submitted := caio.IntakeSubmitted
	pg := pageFrom(q)
	ideas, total, err := w.app.FindUseCases(ctx, caio.UseCaseFilter{Intake: &submitted, Sort: "created", Page: pg})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	targets, err := w.app.UseCaseNames(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	items := make([]triageItem, len(ideas))
	matched := false
	for i, u := range ideas {
		it := triageItem{UseCase: u.UseCase, Form: &form{Values: map[string]string{}}, Prefix: "t-" + u.ID + "-"}
		if u.ID == failedID && f != nil {
			it.Form, matched = f, true
		}
		it.Decisions = []option{
			{Value: "accept", Label: "Accept into the portfolio at the Idea stage"},
			{Value: "merge", Label: "Merge into the use case it duplicates"},
			{Value: "reject", Label: "Reject, with a reason"},
		}
		for j := range it.Decisions {
			it.Decisions[j].Selected = it.Form.Get("decision") == it.Decisions[j].Value
		}
		for _, t := range targets {
			it.Targets = append(it.Targets, option{Value: t.ID, Label: t.Name, Selected: it.Form.Get("merge_into") == t.ID})
		}
		items[i] = it
	}
	// A decision on an idea that is no longer in the queue (or not on this
	// page of it) has no form to return to: its message goes on top.
	message := ""
	if f != nil && !matched {
		message = f.Message
	}
	w.render(rw, r, status, "usecase_triage", &page{Title: "Triage queue", Nav: "portfolio", Form: f, Data: map[string]any{
		"Items": items, "List": newListPage(pg, total, q), "Total": total, "Message": message,
	}})
}

func (w *Web) useCaseTriageDecide(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		in := app.TriageInput{Decision: f.Get("decision"), Reason: f.Get("reason"), MergeInto: f.Get("merge_into")}
		var u *caio.UseCase
		if u, err = w.app.TriageUseCase(r.Context(), id, in); err == nil {
			switch u.Intake {
			case caio.IntakeAccepted:
				w.flash(rw, "Accepted: “"+u.Title+"” is in the portfolio at the Idea stage.")
			case caio.IntakeMerged:
				w.flash(rw, "Merged: “"+u.Title+"” is closed and its links were added to the use case it duplicates.")
			default:
				w.flash(rw, "Rejected: “"+u.Title+"” is closed with your reason.")
			}
			redirect(rw, r, "/usecases/triage")
			return
		}
	}
	if code := caio.ErrorCode(err); code == caio.ENOTFOUND || code == caio.EFORBIDDEN {
		w.fail(rw, r, err)
		return
	}
	ucFail(f, err)
	w.renderTriage(rw, r, statusOf[caio.ErrorCode(err)], id, f)
}
