package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// The incident register's pages: the list with its filters, an incident's
// page with its Art 73 reporting clock and corrective actions, and the
// incident form.

func init() {
	funcs["incidentLabel"] = incidentLabel
	funcs["harmType"] = func(key string) caio.HarmType {
		h, ok := caio.Harm(key)
		if !ok {
			return caio.HarmType{Key: key, Label: key}
		}
		return h
	}
}

// incidentLabels names the register's keys for people.
var incidentLabels = map[string]string{
	"open": "Open", "investigating": "Investigating", "reported": "Reported", "resolved": "Resolved", "closed": "Closed",
	"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical",
	"planned": "Planned", "in_progress": "In progress", "done": "Done", "cancelled": "Cancelled",
	"-aware": "Newest awareness first", "aware": "Oldest awareness first", "due": "Reporting deadline, soonest first",
	"-severity": "Most severe first", "-created": "Newest first", "created": "Oldest first", "title": "Title, A to Z",
	"-title": "Title, Z to A", "-updated": "Recently updated first", "updated": "Least recently updated first",
	"not_required": "No report required", "running": "Clock running", "overdue": "Report overdue",
	"reported_late": "Reported late",
}

// incidentLabel names a key of the register; an unknown key is shown as it is.
func incidentLabel(key string) string {
	if l, ok := incidentLabels[key]; ok {
		return l
	}
	return key
}

func incidentOptions(values []string, selected ...string) []option {
	out := options(values, selected...)
	for i := range out {
		out[i].Label = incidentLabel(out[i].Value)
	}
	return out
}

// incidentFilterNames are the query parameters of the list that filter it.
var incidentFilterNames = []string{"q", "status", "severity", "system", "serious", "overdue"}

// incidentFilterFrom reads the list's filter from a query.
func incidentFilterFrom(q url.Values) caio.IncidentFilter {
	f := caio.IncidentFilter{Sort: q.Get("sort"), Page: pageFrom(q), Query: listParam(q, "q"), Status: listParam(q, "status"),
		Severity: listParam(q, "severity"), System: listParam(q, "system"),
		Serious: flagParam(q.Get("serious")), Overdue: flagParam(q.Get("overdue"))}
	if f.Sort == "" {
		f.Sort = "-aware"
	}
	return f
}

func (w *Web) incidentList(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := incidentFilterFrom(q)
	items, total, err := w.app.FindIncidents(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The counts above the list, each a link to its filter.
	yes := true
	one := caio.Page{Limit: 1}
	_, overdue, err := w.app.FindIncidents(ctx, caio.IncidentFilter{Overdue: &yes, Page: one})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	_, serious, err := w.app.FindIncidents(ctx, caio.IncidentFilter{Serious: &yes, Page: one})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, _, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systemOpts := make([]option, len(systems))
	for i, s := range systems {
		systemOpts[i] = option{Value: s.ID, Label: s.Name, Selected: q.Get("system") == s.ID}
	}
	filtered := false
	values := map[string]string{}
	for _, n := range incidentFilterNames {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	w.render(rw, r, http.StatusOK, "incidents", &page{Title: "Incidents", Nav: "incidents", Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "F": values, "Filtered": filtered,
		"Sort": filter.Sort, "Sorts": incidentOptions(caio.IncidentSorts, filter.Sort),
		"Statuses": incidentOptions(caio.IncidentStatuses, q.Get("status")), "Severities": incidentOptions(caio.IncidentSeverities, q.Get("severity")),
		"Systems": systemOpts, "Overdue": overdue, "Serious": serious,
	}})
}

// incidentFormTime writes a time for a datetime-local field, in UTC.
func incidentFormTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04")
}

// incidentInputFrom reads the incident form; the ticked harms and systems
// are kept on f.
func incidentInputFrom(f *form, r *http.Request) caio.IncidentInput {
	return caio.IncidentInput{Title: f.Get("title"), Description: f.Get("description"), OccurredAt: f.Get("occurred_at"),
		AwareAt: f.Get("aware_at"), Harms: multiValue(f, r, "harms"), Severity: f.Get("severity"),
		Widespread: incidentChecked(f.Get("widespread")), Death: incidentChecked(f.Get("death")), Status: f.Get("status"),
		ReportedAt: f.Get("reported_at"), ReportedTo: f.Get("reported_to"), Owner: f.Get("owner"),
		LessonsLearnt: f.Get("lessons_learnt"), Systems: multiValue(f, r, "systems")}
}

// incidentChecked reads a checkbox.
func incidentChecked(s string) bool {
	switch strings.TrimSpace(s) {
	case "1", "on", "yes", "true":
		return true
	}
	return false
}

func incidentValues(i *caio.Incident) map[string]string {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	return map[string]string{"title": i.Title, "description": i.Description, "occurred_at": incidentFormTime(i.OccurredAt),
		"aware_at": incidentFormTime(&i.AwareAt), "harms": strings.Join(i.Harms, ","), "severity": i.Severity,
		"widespread": flag(i.Widespread), "death": flag(i.Death), "status": i.Status, "reported_at": incidentFormTime(i.ReportedAt),
		"reported_to": i.ReportedTo, "owner": i.Owner, "lessons_learnt": i.LessonsLearnt,
		"systems": strings.Join(i.SystemIDs(), ","), "version": strconv.Itoa(i.Version)}
}

// incidentHarmOption is one harm type of the form, ticked or not.
type incidentHarmOption struct {
	caio.HarmType
	Checked bool
}

// renderIncidentForm shows the new (i nil) or edit form of an incident.
func (w *Web) renderIncidentForm(rw http.ResponseWriter, r *http.Request, status int, i *caio.Incident, f *form) {
	systems, _, err := w.app.FindSystems(r.Context(), caio.AISystemFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	chosen := splitValues(f.Get("systems"))
	sysOpts := make([]option, len(systems))
	for k, s := range systems {
		label := s.Name
		if s.Class == "high_risk" {
			label += " (high-risk)"
		}
		sysOpts[k] = option{Value: s.ID, Label: label}
		for _, c := range chosen {
			sysOpts[k].Selected = sysOpts[k].Selected || c == s.ID
		}
	}
	ticked := splitValues(f.Get("harms"))
	var serious, other []incidentHarmOption
	for _, h := range caio.HarmTypes {
		o := incidentHarmOption{HarmType: h}
		for _, t := range ticked {
			o.Checked = o.Checked || t == h.Key
		}
		if h.Serious() {
			serious = append(serious, o)
		} else {
			other = append(other, o)
		}
	}
	st := f.Get("status")
	if st == "" {
		st = "open"
	}
	title := "Record an incident"
	if i != nil {
		title = "Edit " + i.Title
	}
	w.render(rw, r, status, "incident_form", &page{Title: title, Nav: "incidents", Form: f, Data: map[string]any{
		"Incident": i, "Systems": sysOpts, "SeriousHarms": serious, "OtherHarms": other,
		"Severities": incidentOptions(caio.IncidentSeverities, f.Get("severity")), "Statuses": incidentOptions(caio.IncidentStatuses, st),
	}})
}

func (w *Web) incidentNew(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{}}
	// Arriving from an AI system links the new incident to it.
	if v := r.URL.Query().Get("systems"); v != "" {
		f.Values["systems"] = v
	}
	w.renderIncidentForm(rw, r, http.StatusOK, nil, f)
}

func (w *Web) incidentCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	in := incidentInputFrom(f, r)
	if err == nil {
		var i *caio.Incident
		if i, err = w.app.CreateIncident(r.Context(), in); err == nil {
			w.flash(rw, "Incident recorded.")
			redirect(rw, r, "/incidents/"+i.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderIncidentForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) incidentShow(rw http.ResponseWriter, r *http.Request) {
	w.renderIncident(rw, r, http.StatusOK, nil)
}

// renderIncident shows an incident's page, with f the corrective action
// form when it failed.
func (w *Web) renderIncident(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	i, err := w.app.FindIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{}}
	}
	w.render(rw, r, status, "incident", &page{Title: i.Title, Nav: "incidents", Form: f, Data: map[string]any{
		"Incident": i, "Events": w.history(r, "incident", i.ID),
		"ActionStatuses": incidentOptions(caio.CorrectiveStatuses, f.Get("status")), "AllActionStatuses": caio.CorrectiveStatuses,
	}})
}

func (w *Web) incidentEdit(rw http.ResponseWriter, r *http.Request) {
	i, err := w.app.FindIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderIncidentForm(rw, r, http.StatusOK, i, &form{Values: incidentValues(i)})
}

func (w *Web) incidentUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	i, err := w.app.FindIncident(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	in := incidentInputFrom(f, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateIncident(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Incident saved.")
			redirect(rw, r, "/incidents/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderIncidentForm(rw, r, statusOf[caio.ErrorCode(err)], i, f)
}

func (w *Web) incidentDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteIncident(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Incident deleted.")
	redirect(rw, r, "/incidents")
}

func correctiveInputFrom(f *form) caio.CorrectiveInput {
	return caio.CorrectiveInput{Description: f.Get("description"), Owner: f.Get("owner"), Due: f.Get("due"), Status: f.Get("status")}
}

func (w *Web) incidentActionAdd(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.AddCorrectiveAction(r.Context(), id, correctiveInputFrom(f)); err == nil {
			w.flash(rw, "Corrective action added.")
			redirect(rw, r, "/incidents/"+id+"#actions")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderIncident(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) incidentActionUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.UpdateCorrectiveAction(r.Context(), id, r.PathValue("action_id"), correctiveInputFrom(f)); err == nil {
			w.flash(rw, "Corrective action saved.")
			redirect(rw, r, "/incidents/"+id+"#actions")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderIncident(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) incidentActionDelete(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := w.app.DeleteCorrectiveAction(r.Context(), id, r.PathValue("action_id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Corrective action deleted.")
	redirect(rw, r, "/incidents/"+id+"#actions")
}
