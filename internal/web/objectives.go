package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// listPage is what a paginated list view needs.
type listPage struct {
	Total      int
	Offset     int
	Limit      int
	PrevOffset int
	NextOffset int
	HasPrev    bool
	HasNext    bool
	// Query is the current filter as a query string, without offset. It is
	// a template.URL so the pager's links keep its & and = (a plain string
	// in a URL's query would be escaped as one value and the filter lost).
	Query template.URL
}

func newListPage(p caio.Page, total int, q url.Values) listPage {
	q.Del("offset")
	q.Del("verify") // paging the audit log need not verify the chain again
	return listPage{
		Total: total, Offset: p.Offset, Limit: p.Limit,
		PrevOffset: max(0, p.Offset-p.Limit), NextOffset: p.Offset + p.Limit,
		HasPrev: p.Offset > 0, HasNext: p.Offset+p.Limit < total, Query: template.URL(q.Encode()),
	}
}

func (w *Web) objectiveList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caio.ObjectiveFilter{Sort: q.Get("sort"), Page: pageQuery(r)}
	if s := strings.TrimSpace(q.Get("q")); s != "" {
		f.Query = &s
	}
	if s := strings.TrimSpace(q.Get("owner")); s != "" {
		f.Owner = &s
	}
	if f.Sort == "" {
		f.Sort = "-created"
	}
	objs, total, err := w.app.FindObjectives(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "objectives", &page{Title: "Objectives", Nav: "objectives", Data: map[string]any{
		"Items": objs, "List": newListPage(f.Page, total, q), "Q": q.Get("q"), "Owner": q.Get("owner"), "Sort": f.Sort, "Sorts": caio.ObjectiveSorts,
	}})
}

func (w *Web) objectiveNew(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, "objective_form", &page{Title: "New objective", Nav: "objectives"})
}

// objectiveInput reads the objective form; unreadable numbers are recorded on f.
func objectiveInput(f *form) caio.ObjectiveInput {
	return caio.ObjectiveInput{
		Title: f.Get("title"), Description: f.Get("description"), KPI: f.Get("kpi"),
		Baseline: f.float("baseline"), Target: f.float("target"), Unit: f.Get("unit"),
		Horizon: f.Get("horizon"), Owner: f.Get("owner"),
	}
}

// formProblems turns number-parsing problems found while reading a form into
// one error, so they are reported together with the service's checks.
func formProblems(f *form, err error) error {
	if len(f.Errors) == 0 {
		return err
	}
	var v caio.Validation
	for k, m := range f.Errors {
		v.Add(k, m)
	}
	for _, p := range caio.ErrorFields(err) {
		if _, dup := f.Errors[p.Field]; !dup {
			v.Add(p.Field, p.Message)
		}
	}
	return v.Err()
}

func (w *Web) objectiveCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		in := objectiveInput(f)
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else {
			var o *caio.Objective
			if o, err = w.app.CreateObjective(r.Context(), in); err == nil {
				w.flash(rw, "Objective created.")
				redirect(rw, r, "/objectives/"+o.ID)
				return
			}
		}
	}
	f.fail(err)
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "objective_form", &page{Title: "New objective", Nav: "objectives", Form: f})
}

func (w *Web) objectiveShow(rw http.ResponseWriter, r *http.Request) {
	o, err := w.app.FindObjective(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var events []caio.AuditEvent
	if caio.Can(actorRole(r), caio.PermReadAudit) {
		typ, id := "objective", o.ID
		events, _, _ = w.app.FindAuditEvents(r.Context(), caio.AuditFilter{ObjectType: &typ, ObjectID: &id, Page: caio.Page{Limit: 20}})
	}
	// The AI systems that serve the objective (linked on their cards).
	systems, total, err := w.systemsUsing(r, caio.AISystemFilter{Objective: &o.ID})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "objective", &page{Title: o.Title, Nav: "objectives", Data: map[string]any{"Objective": o, "Events": events,
		"Systems": systems, "SystemsTotal": total, "AllSystems": "/systems?objective=" + o.ID}})
}

func actorRole(r *http.Request) caio.Role {
	a, _ := caio.ActorFrom(r.Context())
	return a.Role
}

func objectiveValues(o *caio.Objective) map[string]string {
	num := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	return map[string]string{
		"title": o.Title, "description": o.Description, "kpi": o.KPI, "baseline": num(o.Baseline),
		"target": num(o.Target), "unit": o.Unit, "horizon": o.Horizon, "owner": o.Owner, "version": strconv.Itoa(o.Version),
	}
}

func (w *Web) objectiveEdit(rw http.ResponseWriter, r *http.Request) {
	o, err := w.app.FindObjective(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "objective_form", &page{Title: "Edit " + o.Title, Nav: "objectives", Data: o, Form: &form{Values: objectiveValues(o)}})
}

func (w *Web) objectiveUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o, err := w.app.FindObjective(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		in := objectiveInput(f)
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			err = formProblems(f, in.Normalize())
		} else if _, err = w.app.UpdateObjective(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Objective saved.")
			redirect(rw, r, "/objectives/"+id)
			return
		}
	}
	f.fail(err)
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "objective_form", &page{Title: "Edit " + o.Title, Nav: "objectives", Data: o, Form: f})
}

func (w *Web) objectiveDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteObjective(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Objective deleted.")
	redirect(rw, r, "/objectives")
}
