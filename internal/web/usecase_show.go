package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// The use case's page: its canvas and links, its score, the stage panel
// with the gates it may pass next, the business case, the value realised,
// and its place on the roadmap. Each form of the page posts to its own
// address and, when it fails, the page comes back with that form's
// problems beside its fields and everything typed still there.

// useCaseForms are the forms of the use case's page; a nil form is shown
// empty or filled from the use case.
type useCaseForms struct {
	Stage, KPI, Actual, Benefit, Plan, KPIEdit *form
	// ActualKPI and EditKPI are the KPIs whose actual or change form failed.
	ActualKPI, EditKPI string
	// Status is the HTTP status of the page.
	Status int
}

// failed returns the form that failed, for the page's title.
func (fs useCaseForms) failed() *form {
	for _, f := range []*form{fs.Stage, fs.KPI, fs.Actual, fs.Benefit, fs.Plan, fs.KPIEdit} {
		if f != nil && f.Message != "" {
			return f
		}
	}
	return nil
}

// gateView is one move the use case may be asked to make, with the gate's
// criteria checked now and the form that asks for it.
type gateView struct {
	portfolio.Check
	// Forward is a move along the path (or a resumption); the others go
	// back, stop or pause, and wait behind a disclosure.
	Forward bool
	Form    *form
	Prefix  string
	Failed  bool
	// Heading names the move and Button the action that asks for it.
	Heading, Button string
}

// gateWords names a move for its heading and its button.
func gateWords(c portfolio.Check, forward bool, from string) (heading, button string) {
	switch {
	case c.To == portfolio.StageRejected:
		return "Reject", "Reject the use case"
	case c.To == portfolio.StageOnHold:
		return "Put on hold", "Put on hold"
	case c.NeedsApproval && c.To == portfolio.StageRetired:
		return "Request approval to retire", "Request approval"
	case c.NeedsApproval:
		return "Request approval to move to " + c.ToLabel, "Request approval"
	case from == portfolio.StageOnHold:
		return "Resume at " + c.ToLabel, "Resume at " + c.ToLabel
	case !forward:
		return "Move back to " + c.ToLabel, "Move back to " + c.ToLabel
	}
	return "Move to " + c.ToLabel, "Move to " + c.ToLabel
}

// kpiView is a KPI with its chart and the form that records an actual.
type kpiView struct {
	*caio.KPI
	Chart  template.HTML
	Form   *form
	Prefix string
	// Edit is the form that changes the KPI's definition; EditOpen keeps
	// it open when it failed.
	Edit       *form
	EditOpen   bool
	Directions []option
}

func (w *Web) useCaseShow(rw http.ResponseWriter, r *http.Request) {
	w.renderUseCase(rw, r, r.PathValue("id"), useCaseForms{Status: http.StatusOK})
}

// renderUseCase shows a use case's page with its forms.
func (w *Web) renderUseCase(rw http.ResponseWriter, r *http.Request, id string, fs useCaseForms) {
	ctx := r.Context()
	u, err := w.app.FindUseCase(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	id = u.ID
	settings, err := w.app.FindPortfolioSettings(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	role := actorRole(r)
	// The risks of the register linked to the use case, riskiest first.
	risks, riskTotal, err := w.app.FindRisks(ctx, caio.RiskFilter{UseCase: &id, Page: caio.Page{Limit: 10}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// What it links to, named in one query per kind.
	objectives, systems, depends, err := w.app.UseCaseLinks(ctx, u.UseCase)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	history, err := w.app.StageHistory(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	pendingStatus := "pending"
	pending, _, err := w.app.FindApprovals(ctx, caio.ApprovalFilter{SubjectID: &id, Status: &pendingStatus, Page: caio.Page{Limit: 10}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	gates, stageMsg, err := w.gates(r, u.UseCase, fs.Stage)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	bc, err := w.app.FindBusinessCase(ctx, id)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		bc, err = nil, nil
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	value, err := w.app.FindValue(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var events []caio.AuditEvent
	if caio.Can(role, caio.PermReadAudit) {
		typ := "use_case"
		events, _, _ = w.app.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &typ, ObjectID: &id, Page: caio.Page{Limit: 20}})
	}

	// The KPIs, each with its chart and its form for an actual value.
	kpis := make([]kpiView, len(value.KPIs))
	for i, k := range value.KPIs {
		kv := kpiView{KPI: k, Chart: kpiChart("chart-kpi-"+k.ID, k), Prefix: "act-" + k.ID + "-",
			Form: &form{Values: map[string]string{"on": todayUTC()}}}
		if fs.ActualKPI == k.ID && fs.Actual != nil {
			kv.Form = fs.Actual
		}
		kv.Edit = &form{Values: map[string]string{"name": k.Name, "unit": k.Unit, "direction": k.Direction,
			"baseline": ucOptNum(k.Baseline), "target": ucOptNum(k.Target)}}
		if fs.EditKPI == k.ID && fs.KPIEdit != nil {
			kv.Edit, kv.EditOpen = fs.KPIEdit, true
		}
		kv.Directions = ucOptions([]string{"increase", "decrease"}, kv.Edit.Get("direction"))
		kpis[i] = kv
	}
	kpiForm := fs.KPI
	if kpiForm == nil {
		kpiForm = &form{Values: map[string]string{"direction": "increase"}}
	}
	benefitForm := fs.Benefit
	if benefitForm == nil {
		benefitForm = &form{Values: map[string]string{}}
	}
	var years []option
	for _, y := range value.Years {
		ys := strconv.Itoa(y.Year)
		years = append(years, option{Value: ys, Label: "Year " + ys, Selected: benefitForm.Get("year") == ys})
	}

	// The roadmap placement, and the use cases this one may depend on.
	planForm := fs.Plan
	if planForm == nil {
		planForm = &form{Values: planValues(u.UseCase)}
	}
	var dependOpts []option
	if caio.Can(role, caio.PermEdit) {
		others, err := w.app.UseCaseNames(ctx)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		chosen := splitValues(planForm.Get("depends_on"))
		for _, o := range others {
			if o.ID != id {
				dependOpts = append(dependOpts, option{Value: o.ID, Label: o.Name + " (" + portfolio.StageLabel(o.Detail) + ")", Selected: slices.Contains(chosen, o.ID)})
			}
		}
	}
	titles := map[string]string{}
	for _, d := range depends {
		if !d.Missing {
			titles[d.ID] = d.Name
		}
	}

	data := map[string]any{
		"UseCase": u.UseCase, "Score": u.Score, "Method": settings.Weights.Method, "Objectives": objectives, "Systems": systems,
		"History": history, "Now": now(), "Pending": pending, "Gates": gates, "StageMessage": stageMsg,
		"StagePath": stagePath("chart-stages", u.Stage, u.HeldFrom), "StageSince": u.StageSince, "StageDays": int(now().Sub(u.StageSince).Hours() / 24),
		"BusinessCase": bc, "Value": value, "KPIs": kpis, "KPIForm": kpiForm, "Directions": ucOptions([]string{"increase", "decrease"}, kpiForm.Get("direction")),
		"BenefitForm": benefitForm, "Years": years, "PlanForm": planForm, "DependOptions": dependOpts, "DependTitles": titles,
		"Events": events, "CanEditCanvas": canEditCanvas(r, u.UseCase), "Risks": risks, "RiskTotal": riskTotal,
	}
	if bc != nil {
		data["Histogram"] = histogramChart("chart-npv", bc.Input.Currency, bc.Result.Histogram, bc.Result.NPV, bc.Result.ProbLoss)
	}
	if len(value.Years) > 0 {
		data["BenefitChart"] = benefitChart("chart-benefits", value.Currency, value.Years)
	}
	status := fs.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.render(rw, r, status, "usecase", &page{Title: u.Title, Nav: "portfolio", Form: fs.failed(), Data: data})
}

// canEditCanvas tells whether the viewer may change the canvas: an editor,
// or the contributor who submitted an idea while it waits in triage.
func canEditCanvas(r *http.Request, u *caio.UseCase) bool {
	a, _ := caio.ActorFrom(r.Context())
	if caio.Can(a.Role, caio.PermEdit) {
		return true
	}
	return caio.Can(a.Role, caio.PermContribute) && u.Intake == caio.IntakeSubmitted && u.SubmittedBy == a.UserID
}

// gates checks every move the lifecycle allows from the use case's stage.
// f is the stage form that failed, if any; when it asked for a move that
// is not offered, its message comes back as the panel's message.
func (w *Web) gates(r *http.Request, u *caio.UseCase, f *form) ([]gateView, string, error) {
	var out []gateView
	order := map[string]int{}
	for _, s := range portfolio.Stages() {
		order[s.Key] = s.Order
	}
	matched := false
	// One gathering of the gate's facts for every move offered.
	checks, err := w.app.CheckStages(r.Context(), u.ID)
	if err != nil {
		return nil, "", err
	}
	for _, check := range checks {
		to := check.To
		if !check.Allowed {
			continue
		}
		g := gateView{Check: check, Prefix: "stage-" + to + "-", Form: &form{Values: map[string]string{}}}
		g.Forward = to != portfolio.StageRejected && to != portfolio.StageOnHold && to != portfolio.StageRetired &&
			(order[to] > order[u.Stage] || u.Stage == portfolio.StageOnHold)
		g.Heading, g.Button = gateWords(check, g.Forward, u.Stage)
		if f != nil && f.Get("to") == to {
			g.Form, g.Failed, matched = f, true, true
		}
		out = append(out, g)
	}
	msg := ""
	if f != nil && !matched {
		msg = f.Message
	}
	return out, msg, nil
}

// useCaseStage asks to move the use case: it moves, or an approval opens,
// or the page comes back with every unmet criterion and nothing changed.
func (w *Web) useCaseStage(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		var out *app.StageOutcome
		if out, err = w.app.RequestStage(r.Context(), id, f.Get("to"), f.Get("reason")); err == nil {
			if out.Moved {
				w.flash(rw, "Moved to "+portfolio.StageLabel(out.Check.To)+".")
			} else if ap := out.Approval; ap != nil {
				w.flash(rw, "Approval requested: "+ap.Summary+". It needs "+strconv.Itoa(ap.Quorum)+" "+plural(ap.Quorum, "approval", "approvals")+"; the use case moves when the last one is given.")
			}
			redirect(rw, r, "/usecases/"+id+"#stage")
			return
		}
	}
	w.failUseCaseForm(rw, r, id, err, func(fs *useCaseForms) { ucFail(f, err); fs.Stage = f })
}

// failUseCaseForm shows the use case's page again with one failed form, or
// an error page when the failure is not about the form (no such use case,
// not allowed).
func (w *Web) failUseCaseForm(rw http.ResponseWriter, r *http.Request, id string, err error, set func(*useCaseForms)) {
	switch caio.ErrorCode(err) {
	case caio.ENOTFOUND, caio.EFORBIDDEN, caio.EUNAUTHORIZED, caio.EINTERNAL:
		w.fail(rw, r, err)
		return
	}
	fs := useCaseForms{Status: statusOf[caio.ErrorCode(err)]}
	set(&fs)
	w.renderUseCase(rw, r, id, fs)
}

// planValues fills the roadmap form from a use case.
func planValues(u *caio.UseCase) map[string]string {
	num := func(x float64) string {
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return map[string]string{"start": u.Roadmap.Start, "end": u.Roadmap.End, "people": num(u.Roadmap.People),
		"budget": num(u.Roadmap.Budget), "depends_on": strings.Join(u.DependsOn, ","), "version": strconv.Itoa(u.Version)}
}

func (w *Web) useCasePlan(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	deps := multiValue(f, r, "depends_on")
	if err == nil {
		in := caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: f.Get("start"), End: f.Get("end")}, DependsOn: deps}
		if p := f.float("people"); p != nil {
			in.People = *p
		}
		if b := f.float("budget"); b != nil {
			in.Budget = *b
		}
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else if _, err = w.app.PlanUseCase(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Roadmap placement saved.")
			redirect(rw, r, "/usecases/"+id+"#roadmap")
			return
		}
	}
	w.failUseCaseForm(rw, r, id, err, func(fs *useCaseForms) { ucFail(f, err); fs.Plan = f })
}

// --- Value: KPIs and benefits ---

func (w *Web) kpiCreate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		in := caio.KPIInput{Name: f.Get("name"), Unit: f.Get("unit"), Direction: f.Get("direction"),
			Baseline: f.float("baseline"), Target: f.float("target")}
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else if _, err = w.app.CreateKPI(r.Context(), id, in); err == nil {
			w.flash(rw, "KPI added.")
			redirect(rw, r, "/usecases/"+id+"#value")
			return
		}
	}
	w.failUseCaseForm(rw, r, id, err, func(fs *useCaseForms) { ucFail(f, err); fs.KPI = f })
}

// kpiUseCase reads the use case a KPI form came from, which the form
// carries because a KPI's address does not name it. It only decides which
// page to show next; the services check the KPI itself.
func kpiUseCase(f *form) string {
	if id := f.Get("use_case"); caio.ValidID("uc", id) {
		return id
	}
	return ""
}

func (w *Web) kpiActual(rw http.ResponseWriter, r *http.Request) {
	kpiID := r.PathValue("id")
	f, err := readForm(rw, r)
	ucID := kpiUseCase(f)
	if err == nil {
		in := caio.KPIActualInput{On: f.Get("on"), Note: f.Get("note")}
		v := f.float("value")
		if v != nil {
			in.Value = *v
		} else if _, bad := f.Errors["value"]; !bad {
			f.Errors["value"] = "is required: the value measured"
		}
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else if _, err = w.app.RecordKPIActual(r.Context(), kpiID, in); err == nil {
			w.flash(rw, "Actual value recorded.")
			if ucID == "" {
				redirect(rw, r, "/usecases")
				return
			}
			redirect(rw, r, "/usecases/"+ucID+"#kpi-"+kpiID)
			return
		}
	}
	if ucID == "" {
		w.fail(rw, r, err)
		return
	}
	w.failUseCaseForm(rw, r, ucID, err, func(fs *useCaseForms) { ucFail(f, err); fs.Actual, fs.ActualKPI = f, kpiID })
}

func (w *Web) kpiDelete(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		err = w.app.DeleteKPI(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "KPI deleted, with its actual values.")
	if id := kpiUseCase(f); id != "" {
		redirect(rw, r, "/usecases/"+id+"#value")
		return
	}
	redirect(rw, r, "/usecases")
}

// ucOptNum writes an optional number for a form field.
func ucOptNum(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// kpiUpdate changes a KPI's definition.
func (w *Web) kpiUpdate(rw http.ResponseWriter, r *http.Request) {
	kpiID := r.PathValue("id")
	f, err := readForm(rw, r)
	ucID := kpiUseCase(f)
	if err == nil {
		in := caio.KPIInput{Name: f.Get("name"), Unit: f.Get("unit"), Direction: f.Get("direction"),
			Baseline: f.float("baseline"), Target: f.float("target")}
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else if _, err = w.app.UpdateKPI(r.Context(), kpiID, in); err == nil {
			w.flash(rw, "KPI changed.")
			if ucID == "" {
				redirect(rw, r, "/usecases")
				return
			}
			redirect(rw, r, "/usecases/"+ucID+"#kpi-"+kpiID)
			return
		}
	}
	if ucID == "" {
		w.fail(rw, r, err)
		return
	}
	w.failUseCaseForm(rw, r, ucID, err, func(fs *useCaseForms) { ucFail(f, err); fs.KPIEdit, fs.EditKPI = f, kpiID })
}

// kpiActualDelete removes one measured value of a KPI.
func (w *Web) kpiActualDelete(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		err = w.app.DeleteKPIActual(r.Context(), r.PathValue("id"), r.PathValue("actual_id"))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Value deleted.")
	if id := kpiUseCase(f); id != "" {
		redirect(rw, r, "/usecases/"+id+"#kpi-"+r.PathValue("id"))
		return
	}
	redirect(rw, r, "/usecases")
}

func (w *Web) benefitRecord(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		b := caio.BenefitActual{Note: f.Get("note")}
		year, yerr := strconv.Atoi(strings.TrimSpace(f.Get("year")))
		if yerr != nil {
			f.Errors["year"] = "must be a year of the business case"
		}
		b.Year = year
		if a := f.float("amount"); a != nil {
			b.Amount = *a
		} else if _, bad := f.Errors["amount"]; !bad {
			f.Errors["amount"] = "is required: the benefit realised in that year"
		}
		if len(f.Errors) > 0 {
			err = formProblems(f, nil)
		} else if err = w.app.RecordBenefit(r.Context(), id, b); err == nil {
			w.flash(rw, "Benefit for year "+strconv.Itoa(year)+" recorded.")
			redirect(rw, r, "/usecases/"+id+"#value")
			return
		}
	}
	w.failUseCaseForm(rw, r, id, err, func(fs *useCaseForms) { ucFail(f, err); fs.Benefit = f })
}
