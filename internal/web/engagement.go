package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/engagement"
)

// The interim engagement pages: the overview (phases, progress, the
// 30/60/90-day plan, the deliverables checklist and the weekly notes), the
// start and edit forms, and the plan item and note forms.

func init() {
	funcs["phaseLabel"] = func(k string) string {
		if l, ok := engagement.PhaseLabels[k]; ok {
			return l
		}
		return k
	}
	funcs["windowLabel"] = func(k string) string {
		if l, ok := engagement.WindowLabels[k]; ok {
			return l
		}
		return k
	}
	funcs["planStatusLabel"] = planStatusLabel
	funcs["ragLabel"] = ragLabel
	funcs["templatePartLabel"] = app.TemplatePartLabel
}

func planStatusLabel(s string) string {
	return map[string]string{"todo": "To do", "doing": "Doing", "done": "Done"}[s]
}

func ragLabel(s string) string {
	return map[string]string{"green": "Green: on track", "amber": "Amber: at risk", "red": "Red: off track"}[s]
}

// planWindow is one window of the plan with its items in order.
type planWindow struct {
	Key, Label string
	Items      []*caio.PlanItem
	Done       int
}

func planWindows(items []*caio.PlanItem) []planWindow {
	out := make([]planWindow, len(engagement.Windows))
	for i, k := range engagement.Windows {
		out[i] = planWindow{Key: k, Label: engagement.WindowLabels[k]}
		for _, it := range items {
			if it.Window == k {
				out[i].Items = append(out[i].Items, it)
				if it.Status == "done" {
					out[i].Done++
				}
			}
		}
	}
	return out
}

// phaseRow is a phase as the timeline's table shows it.
type phaseRow struct {
	caio.EngagementPhase
	Label string
	State string // "done", "current" or "upcoming"
	Days  int
}

func phaseRows(v *app.EngagementView) []phaseRow {
	out := make([]phaseRow, len(v.Phases))
	seen := false
	for i, p := range v.Phases {
		r := phaseRow{EngagementPhase: p, Label: engagement.PhaseLabels[p.Key], Days: engagement.DaysBetween(p.Start, p.End) + 1}
		switch {
		case p.Key == v.CurrentPhase:
			r.State, seen = "current", true
		case !seen && v.CurrentPhase != "":
			r.State = "done"
		default:
			r.State = "upcoming"
		}
		out[i] = r
	}
	return out
}

// engagementHome shows the active engagement, or the form to start one.
func (w *Web) engagementHome(rw http.ResponseWriter, r *http.Request) {
	v, err := w.app.FindEngagementView(r.Context(), "")
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		w.renderStart(rw, r, http.StatusOK, nil)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderEngagement(rw, r, http.StatusOK, v, nil)
}

// renderStart shows the start form with the past engagements and the
// actor's templates.
func (w *Web) renderStart(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	past, total, err := w.app.FindEngagements(ctx, pageFrom(r.URL.Query()))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var tpls []*caio.EngagementTemplate
	if caio.Can(actorRole(r), caio.PermEdit) {
		tpls, _, _ = w.app.FindEngagementTemplates(ctx, caio.Page{Limit: caio.MaxPageLimit})
	}
	if f == nil {
		f = &form{Values: map[string]string{"start": todayUTC(), "template": "builtin"}}
	}
	opts := []option{{Value: "builtin", Label: "Built-in plan: " + engagement.Builtin().Name, Selected: f.Get("template") == "builtin" || f.Get("template") == ""}}
	for _, t := range tpls {
		opts = append(opts, option{Value: t.ID, Label: "My template: " + t.Name, Selected: f.Get("template") == t.ID})
	}
	w.render(rw, r, status, "engagement_start", &page{Title: "Interim engagement", Nav: "engagement", Form: f, Data: map[string]any{
		"Past": past, "List": newListPage(pageFrom(r.URL.Query()), total, r.URL.Query()), "Templates": opts, "Builtin": engagement.Builtin(),
	}})
}

// engagementInputFrom reads the start or edit form. Goals are one per line.
func engagementInputFrom(f *form) caio.EngagementInput {
	in := caio.EngagementInput{Title: f.Get("title"), Sponsor: f.Get("sponsor"), Start: f.Get("start"), End: f.Get("end")}
	for g := range strings.SplitSeq(f.Get("goals"), "\n") {
		if g = strings.TrimSpace(g); g != "" {
			in.Goals = append(in.Goals, g)
		}
	}
	if f.Get("phases.discover.start") != "" {
		for _, k := range caio.EngagementPhaseKeys {
			in.Phases = append(in.Phases, caio.EngagementPhase{Key: k, Start: f.Get("phases." + k + ".start"), End: f.Get("phases." + k + ".end")})
		}
	}
	return in
}

// engagementStart starts the engagement with the built-in plan or one of
// the actor's templates.
func (w *Web) engagementStart(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		in := engagementInputFrom(f)
		var e *caio.Engagement
		if t := f.Get("template"); t != "" && t != "builtin" {
			e, err = w.app.StartFromTemplate(r.Context(), t, in)
		} else {
			e, err = w.app.StartEngagement(r.Context(), in)
		}
		if err == nil {
			w.flash(rw, "Engagement started with its 30/60/90-day plan.")
			redirect(rw, r, "/engagements/"+e.ID)
			return
		}
	}
	if caio.ErrorCode(err) == caio.EFORBIDDEN || caio.ErrorCode(err) == caio.EUNAUTHORIZED {
		w.fail(rw, r, err)
		return
	}
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		err = caio.FieldError("template", "is not one of your templates")
	}
	f.fail(err)
	w.renderStart(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) engagementShow(rw http.ResponseWriter, r *http.Request) {
	v, err := w.app.FindEngagementView(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderEngagement(rw, r, http.StatusOK, v, nil)
}

// failedForm is the form of the overview that failed, by its name: "item",
// "note" or "deliverable".
type failedForm struct {
	Name string
	Key  string // the deliverable's key
	Form *form
}

// renderEngagement shows the overview, with ff the form that failed.
func (w *Web) renderEngagement(rw http.ResponseWriter, r *http.Request, status int, v *app.EngagementView, ff *failedForm) {
	ctx := r.Context()
	q := r.URL.Query()
	p := pageFrom(q)
	p.Limit = min(p.Limit, 10)
	if q.Get("limit") == "" {
		p.Limit = 10
	}
	notes, total, err := w.app.FindStatusNotes(ctx, v.ID, p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	forms := map[string]*form{
		"item": {Values: map[string]string{"phase": v.CurrentPhase}},
		"note": {Values: map[string]string{"week": v.Today, "rag": "green"}},
	}
	delivForm, delivKey := &form{}, ""
	if ff != nil {
		if ff.Name == "deliverable" {
			delivForm, delivKey = ff.Form, ff.Key
		} else {
			forms[ff.Name] = ff.Form
		}
	}
	if forms["item"].Values["phase"] == "" {
		forms["item"].Values["phase"] = "discover"
	}
	prog := v.Progress
	bars := []BarRow{
		{Label: "Deliverables", Segments: []Segment{{Label: "Done", Value: prog.DeliverablesDone, Class: "s-implemented"},
			{Label: "Not yet", Value: prog.DeliverablesTotal - prog.DeliverablesDone, Class: "s-not_started"}}},
		{Label: "Plan items", Segments: []Segment{{Label: "Done", Value: prog.ItemsDone, Class: "s-implemented"},
			{Label: "Not done", Value: prog.ItemsTotal - prog.ItemsDone, Class: "s-not_started"}}},
		{Label: "Days", Segments: []Segment{{Label: "Elapsed", Value: prog.DaysElapsed, Class: "s-in_progress"},
			{Label: "Remaining", Value: prog.DaysTotal - prog.DaysElapsed, Class: "s-not_started"}}},
	}
	phaseOpts := make([]option, len(caio.EngagementPhaseKeys))
	for i, k := range caio.EngagementPhaseKeys {
		phaseOpts[i] = option{Value: k, Label: engagement.PhaseLabels[k], Selected: forms["item"].Get("phase") == k}
	}
	windowOpts := []option{}
	for _, k := range engagement.Windows {
		windowOpts = append(windowOpts, option{Value: k, Label: engagement.WindowLabels[k], Selected: forms["item"].Get("window") == k})
	}
	ragOpts := []option{}
	for _, k := range caio.RAGStatuses {
		ragOpts = append(ragOpts, option{Value: k, Label: ragLabel(k), Selected: forms["note"].Get("rag") == k})
	}
	var pf *form
	if ff != nil {
		pf = ff.Form
	}
	w.render(rw, r, status, "engagement", &page{Title: v.Title, Nav: "engagement", Form: pf, Data: map[string]any{
		"V": v, "Active": v.Status == caio.EngagementActive, "Windows": planWindows(v.Plan), "Phases": phaseRows(v),
		"Progress": stackedBars("eng-progress", "Progress of the engagement", bars),
		"Timeline": engagementTimeline("eng-timeline", v), "Notes": notes,
		"NoteList": newListPage(p, total, q), "ItemForm": forms["item"], "NoteForm": forms["note"],
		"DelivForm": delivForm, "DelivKey": delivKey, "PhaseOpts": phaseOpts, "WindowOpts": windowOpts, "RAGOpts": ragOpts,
		"PlanStatuses": caio.PlanStatuses, "Events": w.history(r, "engagement", v.ID),
		"PctDeliverables": engagement.Percent(prog.DeliverablesDone, prog.DeliverablesTotal),
		"PctItems":        engagement.Percent(prog.ItemsDone, prog.ItemsTotal), "PctDays": engagement.Percent(prog.DaysElapsed, prog.DaysTotal),
	}})
}

// reshow renders the overview of engagement id again after a failed form.
func (w *Web) reshow(rw http.ResponseWriter, r *http.Request, id string, err error, ff *failedForm) {
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	ff.Form.fail(err)
	v, verr := w.app.FindEngagementView(r.Context(), id)
	if verr != nil {
		w.fail(rw, r, verr)
		return
	}
	r.URL.RawQuery = ""
	w.renderEngagement(rw, r, statusOf[caio.ErrorCode(err)], v, ff)
}

func engagementValues(e *caio.Engagement) map[string]string {
	m := map[string]string{"title": e.Title, "sponsor": e.Sponsor, "start": e.Start, "end": e.End,
		"goals": strings.Join(e.Goals, "\n"), "version": strconv.Itoa(e.Version)}
	for _, p := range e.Phases {
		m["phases."+p.Key+".start"], m["phases."+p.Key+".end"] = p.Start, p.End
	}
	return m
}

func (w *Web) renderEngagementForm(rw http.ResponseWriter, r *http.Request, status int, e *caio.Engagement, f *form) {
	phases := make([]option, len(caio.EngagementPhaseKeys))
	for i, k := range caio.EngagementPhaseKeys {
		phases[i] = option{Value: k, Label: engagement.PhaseLabels[k]}
	}
	w.render(rw, r, status, "engagement_form", &page{Title: "Edit " + e.Title, Nav: "engagement", Form: f, Data: map[string]any{
		"E": e, "Phases": phases}})
}

func (w *Web) engagementEdit(rw http.ResponseWriter, r *http.Request) {
	e, err := w.app.FindEngagement(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderEngagementForm(rw, r, http.StatusOK, e, &form{Values: engagementValues(e)})
}

func (w *Web) engagementUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	e, err := w.app.FindEngagement(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		in := engagementInputFrom(f)
		if f.Get("replan") == "1" {
			in.Phases = nil // plan the phases again from the dates
		}
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateEngagement(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Engagement saved.")
			redirect(rw, r, "/engagements/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderEngagementForm(rw, r, statusOf[caio.ErrorCode(err)], e, f)
}

func (w *Web) engagementClose(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := w.app.CloseEngagement(r.Context(), id); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Engagement closed. Its plan, checklist and notes are kept.")
	redirect(rw, r, "/engagements/"+id)
}

// --- Plan items ---

func planItemInputFrom(f *form) caio.PlanItemInput {
	return caio.PlanItemInput{Title: f.Get("title"), Description: f.Get("description"), Phase: f.Get("phase"), Window: f.Get("window"),
		Due: f.Get("due"), Owner: f.Get("owner"), Status: f.Get("status"), Link: f.Get("link")}
}

func (w *Web) planItemAdd(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.AddPlanItem(r.Context(), id, planItemInputFrom(f)); err == nil {
			w.flash(rw, "Plan item added.")
			redirect(rw, r, "/engagements/"+id+"#plan")
			return
		}
	}
	w.reshow(rw, r, id, err, &failedForm{Name: "item", Form: f})
}

func (w *Web) renderPlanItemForm(rw http.ResponseWriter, r *http.Request, status int, it *caio.PlanItem, f *form) {
	phases := make([]option, len(caio.EngagementPhaseKeys))
	for i, k := range caio.EngagementPhaseKeys {
		phases[i] = option{Value: k, Label: engagement.PhaseLabels[k], Selected: f.Get("phase") == k}
	}
	windows := []option{}
	for _, k := range engagement.Windows {
		windows = append(windows, option{Value: k, Label: engagement.WindowLabels[k], Selected: f.Get("window") == k})
	}
	statuses := []option{}
	for _, k := range caio.PlanStatuses {
		statuses = append(statuses, option{Value: k, Label: planStatusLabel(k), Selected: f.Get("status") == k})
	}
	w.render(rw, r, status, "engagement_item", &page{Title: "Edit plan item", Nav: "engagement", Form: f, Data: map[string]any{
		"Item": it, "PhaseOpts": phases, "WindowOpts": windows, "StatusOpts": statuses}})
}

func (w *Web) planItemEdit(rw http.ResponseWriter, r *http.Request) {
	it, err := w.app.FindPlanItem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	v := map[string]string{"title": it.Title, "description": it.Description, "phase": it.Phase, "due": it.Due,
		"owner": it.Owner, "status": it.Status, "link": it.Link}
	w.renderPlanItemForm(rw, r, http.StatusOK, it, &form{Values: v})
}

func (w *Web) planItemUpdate(rw http.ResponseWriter, r *http.Request) {
	it, err := w.app.FindPlanItem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.UpdatePlanItem(r.Context(), it.ID, planItemInputFrom(f)); err == nil {
			w.flash(rw, "Plan item saved.")
			redirect(rw, r, "/engagements/"+it.EngagementID+"#plan")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPlanItemForm(rw, r, statusOf[caio.ErrorCode(err)], it, f)
}

// planItemAction runs a one-button change of a plan item and goes back to the plan.
func (w *Web) planItemAction(rw http.ResponseWriter, r *http.Request, do func(f *form) (*caio.PlanItem, error), msg string) {
	f, err := readForm(rw, r)
	var it *caio.PlanItem
	if err == nil {
		it, err = do(f)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, msg)
	redirect(rw, r, "/engagements/"+it.EngagementID+"#item-"+it.ID)
}

func (w *Web) planItemStatus(rw http.ResponseWriter, r *http.Request) {
	w.planItemAction(rw, r, func(f *form) (*caio.PlanItem, error) {
		return w.app.SetPlanItemStatus(r.Context(), r.PathValue("id"), f.Get("status"))
	}, "Plan item updated.")
}

func (w *Web) planItemMove(rw http.ResponseWriter, r *http.Request) {
	w.planItemAction(rw, r, func(f *form) (*caio.PlanItem, error) {
		return w.app.MovePlanItem(r.Context(), r.PathValue("id"), f.Get("direction"))
	}, "Plan item moved.")
}

func (w *Web) planItemDelete(rw http.ResponseWriter, r *http.Request) {
	it, err := w.app.FindPlanItem(r.Context(), r.PathValue("id"))
	if err == nil {
		err = w.app.DeletePlanItem(r.Context(), it.ID)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Plan item deleted.")
	redirect(rw, r, "/engagements/"+it.EngagementID+"#plan")
}

// --- Deliverables ---

func (w *Web) deliverableConfirm(rw http.ResponseWriter, r *http.Request) {
	id, key := r.PathValue("id"), r.PathValue("key")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.ConfirmDeliverable(r.Context(), id, key, caio.DeliverableInput{Done: f.Get("done") == "1", Note: f.Get("note")}); err == nil {
			w.flash(rw, "Deliverable saved.")
			redirect(rw, r, "/engagements/"+id+"#d-"+key)
			return
		}
	}
	w.reshow(rw, r, id, err, &failedForm{Name: "deliverable", Key: key, Form: f})
}

// --- Weekly notes ---

func noteInputFrom(f *form) caio.StatusNoteInput {
	return caio.StatusNoteInput{Week: f.Get("week"), RAG: f.Get("rag"), Summary: f.Get("summary"), Achievements: f.Get("achievements"),
		NextSteps: f.Get("next_steps"), Risks: f.Get("risks"), Author: f.Get("author")}
}

func (w *Web) noteAdd(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.AddStatusNote(r.Context(), id, noteInputFrom(f)); err == nil {
			w.flash(rw, "Status note added.")
			redirect(rw, r, "/engagements/"+id+"#notes")
			return
		}
	}
	w.reshow(rw, r, id, err, &failedForm{Name: "note", Form: f})
}

func (w *Web) renderNoteForm(rw http.ResponseWriter, r *http.Request, status int, n *caio.StatusNote, f *form) {
	rag := []option{}
	for _, k := range caio.RAGStatuses {
		rag = append(rag, option{Value: k, Label: ragLabel(k), Selected: f.Get("rag") == k})
	}
	w.render(rw, r, status, "engagement_note", &page{Title: "Edit status note, week " + n.WeekLabel, Nav: "engagement", Form: f,
		Data: map[string]any{"Note": n, "RAGOpts": rag}})
}

func (w *Web) noteEdit(rw http.ResponseWriter, r *http.Request) {
	n, err := w.app.FindStatusNote(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderNoteForm(rw, r, http.StatusOK, n, &form{Values: map[string]string{"week": n.Week, "rag": n.RAG, "summary": n.Summary,
		"achievements": n.Achievements, "next_steps": n.NextSteps, "risks": n.Risks, "author": n.Author, "version": strconv.Itoa(n.Version)}})
}

func (w *Web) noteUpdate(rw http.ResponseWriter, r *http.Request) {
	n, err := w.app.FindStatusNote(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateStatusNote(r.Context(), n.ID, version, noteInputFrom(f)); err == nil {
			w.flash(rw, "Status note saved.")
			redirect(rw, r, "/engagements/"+n.EngagementID+"#notes")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderNoteForm(rw, r, statusOf[caio.ErrorCode(err)], n, f)
}

func (w *Web) noteDelete(rw http.ResponseWriter, r *http.Request) {
	n, err := w.app.FindStatusNote(r.Context(), r.PathValue("id"))
	if err == nil {
		err = w.app.DeleteStatusNote(r.Context(), n.ID)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Status note deleted.")
	redirect(rw, r, "/engagements/"+n.EngagementID+"#notes")
}
