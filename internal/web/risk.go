package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/risklib"
)

// The risk register pages: the list with its heat maps and the appetite,
// a risk's page with its treatments, and the risk form.

func init() {
	funcs["riskLabel"] = riskLabel
	funcs["riskCategory"] = func(c string) string { return risklib.Default().Label(c) }
	funcs["riskLibraries"] = func() []*risklib.Library { return risklib.Default().Libraries() }
}

// riskLabels names the register's keys for people.
var riskLabels = map[string]string{
	"open": "Open", "treating": "Being treated", "accepted": "Accepted", "closed": "Closed",
	"planned": "Planned", "in_progress": "In progress", "done": "Done", "cancelled": "Cancelled",
	"system": "AI system", "use_case": "Use case", "vendor": "Vendor",
	"-score": "Highest score first", "score": "Lowest score first", "-created": "Newest first", "created": "Oldest first",
	"title": "Title, A to Z", "-title": "Title, Z to A", "-updated": "Recently updated first", "updated": "Least recently updated first",
	"review": "Next review, soonest first", "-review": "Next review, latest first",
	"inherent": "Inherent", "residual": "Residual",
}

// riskLabel names a key of the register; an unknown key is shown as it is.
func riskLabel(key string) string {
	if l, ok := riskLabels[key]; ok {
		return l
	}
	return key
}

// riskOptions lists values with the register's labels, marking those in selected.
func riskOptions(values []string, selected ...string) []option {
	out := options(values, selected...)
	for i := range out {
		out[i].Label = riskLabel(out[i].Value)
	}
	return out
}

// riskFilterNames are the query parameters of the list that filter it.
var riskFilterNames = []string{"q", "status", "library", "category", "owner", "system", "use_case", "vendor", "breach", "overdue", "likelihood", "impact", "basis"}

// riskFilterFrom reads the list's filter from a query.
func riskFilterFrom(q url.Values) caio.RiskFilter {
	f := caio.RiskFilter{Sort: q.Get("sort"), Page: pageFrom(q), Query: listParam(q, "q"), Status: listParam(q, "status"),
		Library: listParam(q, "library"), Category: listParam(q, "category"), Owner: listParam(q, "owner"),
		System: listParam(q, "system"), UseCase: listParam(q, "use_case"), Vendor: listParam(q, "vendor"),
		Breach: flagParam(q.Get("breach")), Overdue: flagParam(q.Get("overdue")), Residual: q.Get("basis") == "residual"}
	for name, dst := range map[string]**int{"likelihood": &f.Likelihood, "impact": &f.Impact} {
		if s := strings.TrimSpace(q.Get(name)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				n = -1 // refused by the filter's Normalize, naming the field
			}
			*dst = &n
		}
	}
	if f.Sort == "" {
		f.Sort = "-score"
	}
	return f
}

// flagParam reads a 1 or 0 filter; anything else does not filter.
func flagParam(s string) *bool {
	switch strings.TrimSpace(s) {
	case "1", "yes", "true":
		t := true
		return &t
	case "0", "no", "false":
		f := false
		return &f
	}
	return nil
}

func (w *Web) riskList(rw http.ResponseWriter, r *http.Request) {
	w.renderRiskList(rw, r, http.StatusOK, nil)
}

// renderRiskList shows the register with f the appetite form when it failed.
func (w *Web) renderRiskList(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := riskFilterFrom(q)
	items, total, err := w.app.FindRisks(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	heat, err := w.app.RiskHeatMap(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	appetite, err := w.app.RiskAppetite(ctx)
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
	libs := []option{}
	for _, l := range risklib.Default().Libraries() {
		libs = append(libs, option{Value: l.ID, Label: l.Name, Selected: q.Get("library") == l.ID})
	}
	filtered := false
	values := map[string]string{}
	for _, n := range riskFilterNames {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	// The filters without a field of their own are kept when the form is applied.
	var hidden []option
	for _, n := range []string{"category", "use_case", "vendor", "overdue", "likelihood", "impact", "basis"} {
		if v := q.Get(n); v != "" {
			hidden = append(hidden, option{Value: n, Label: v})
		}
	}
	if f == nil {
		f = &form{Values: map[string]string{"scale": strconv.Itoa(appetite.Scale), "appetite": strconv.Itoa(appetite.Appetite),
			"version": strconv.Itoa(appetite.Version)}}
	}
	w.render(rw, r, status, "risks", &page{Title: "Risk register", Nav: "risks", Form: f, Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "F": values, "Filtered": filtered,
		"Sort": filter.Sort, "Sorts": riskOptions(caio.RiskSorts, filter.Sort), "Statuses": riskOptions(caio.RiskStatuses, q.Get("status")),
		"Libraries": libs, "Systems": systemOpts, "Heat": heat, "Grids": riskHeatGrids(heat), "Appetite": appetite,
		"Cell": filter.Likelihood != nil || filter.Impact != nil, "Hidden": hidden,
	}})
}

// riskAppetiteSave changes the organisation's scale and appetite.
func (w *Web) riskAppetiteSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var s caio.RiskAppetite
		var v caio.Validation
		for name, dst := range map[string]*int{"scale": &s.Scale, "appetite": &s.Appetite, "version": &s.Version} {
			n, perr := strconv.Atoi(strings.TrimSpace(f.Get(name)))
			if perr != nil && name != "version" {
				v.Add(name, "must be a whole number")
			}
			*dst = n
		}
		if err = v.Err(); err == nil {
			if _, err = w.app.SetRiskAppetite(r.Context(), s); err == nil {
				w.flash(rw, "Risk appetite saved.")
				redirect(rw, r, "/risks")
				return
			}
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	r.URL.RawQuery = ""
	w.renderRiskList(rw, r, statusOf[caio.ErrorCode(err)], f)
}

// riskInputFrom reads the risk form; the chosen links are kept on f.
func riskInputFrom(f *form, r *http.Request) caio.RiskInput {
	in := caio.RiskInput{Title: f.Get("title"), Description: f.Get("description"), Category: f.Get("category"),
		Owner: f.Get("owner"), Status: f.Get("status"), ReviewDate: f.Get("review_date"),
		Systems: multiValue(f, r, "systems"), UseCases: multiValue(f, r, "use_cases"), Vendors: multiValue(f, r, "vendors")}
	for name, dst := range map[string]*int{"likelihood": &in.Likelihood, "impact": &in.Impact,
		"residual_likelihood": &in.ResidualLikelihood, "residual_impact": &in.ResidualImpact} {
		*dst, _ = strconv.Atoi(strings.TrimSpace(f.Get(name))) // 0 is refused or means "not assessed"
	}
	return in
}

func riskValues(k *caio.Risk) map[string]string {
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return map[string]string{"title": k.Title, "description": k.Description, "category": k.Category,
		"likelihood": num(k.Likelihood), "impact": num(k.Impact), "residual_likelihood": num(k.ResidualLikelihood),
		"residual_impact": num(k.ResidualImpact), "owner": k.Owner, "status": k.Status, "review_date": k.ReviewDate,
		"systems": strings.Join(k.LinkIDs("system"), ","), "use_cases": strings.Join(k.LinkIDs("use_case"), ","),
		"vendors": strings.Join(k.LinkIDs("vendor"), ","), "version": strconv.Itoa(k.Version)}
}

// categoryGroup is one library of the category select.
type categoryGroup struct {
	Label   string
	Options []option
}

// renderRiskForm shows the new (k nil) or edit form of a risk.
func (w *Web) renderRiskForm(rw http.ResponseWriter, r *http.Request, status int, k *caio.Risk, f *form) {
	ctx := r.Context()
	appetite, err := w.app.RiskAppetite(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	all := caio.Page{Limit: caio.MaxPageLimit}
	systems, _, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: all})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	useCases, _, err := w.app.FindUseCases(ctx, caio.UseCaseFilter{Sort: "title", Page: all})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	vendors, _, err := w.app.FindVendors(ctx, caio.InventoryFilter{Sort: "name", Page: all})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	pick := func(name string, ids, labels []string) []option {
		chosen := splitValues(f.Get(name))
		out := make([]option, len(ids))
		for i, id := range ids {
			out[i] = option{Value: id, Label: labels[i]}
			for _, c := range chosen {
				out[i].Selected = out[i].Selected || c == id
			}
		}
		return out
	}
	var ids, labels []string
	for _, s := range systems {
		ids, labels = append(ids, s.ID), append(labels, s.Name)
	}
	sysOpts := pick("systems", ids, labels)
	ids, labels = nil, nil
	for _, u := range useCases {
		ids, labels = append(ids, u.ID), append(labels, u.Title)
	}
	ucOpts := pick("use_cases", ids, labels)
	ids, labels = nil, nil
	for _, v := range vendors {
		ids, labels = append(ids, v.ID), append(labels, v.Name)
	}
	vndOpts := pick("vendors", ids, labels)
	var groups []categoryGroup
	for _, l := range risklib.Default().Libraries() {
		g := categoryGroup{Label: l.Name}
		for _, it := range l.Items {
			c := risklib.Category(l.ID, it.ID)
			g.Options = append(g.Options, option{Value: c, Label: it.ID + " " + it.Name, Selected: f.Get("category") == c})
		}
		groups = append(groups, g)
	}
	levels := make([]string, appetite.Scale)
	for i := range levels {
		levels[i] = strconv.Itoa(i + 1)
	}
	title := "New risk"
	data := map[string]any{"Risk": k, "Categories": groups, "Systems": sysOpts, "UseCases": ucOpts, "Vendors": vndOpts,
		"Appetite": appetite}
	if k != nil {
		title = "Edit " + k.Title
	}
	for _, n := range []string{"likelihood", "impact", "residual_likelihood", "residual_impact"} {
		opts := options(levels, f.Get(n))
		data[n] = opts
	}
	st := f.Get("status")
	if st == "" {
		st = "open"
	}
	data["Statuses"] = riskOptions(caio.RiskStatuses, st)
	w.render(rw, r, status, "risk_form", &page{Title: title, Nav: "risks", Data: data, Form: f})
}

func (w *Web) riskNew(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{}}
	// Arriving from an AI system, a use case or a vendor links the new risk to it.
	for _, n := range []string{"systems", "use_cases", "vendors"} {
		if v := r.URL.Query().Get(n); v != "" {
			f.Values[n] = v
		}
	}
	w.renderRiskForm(rw, r, http.StatusOK, nil, f)
}

func (w *Web) riskCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	in := riskInputFrom(f, r)
	if err == nil {
		var k *caio.Risk
		if k, err = w.app.CreateRisk(r.Context(), in); err == nil {
			w.flash(rw, "Risk added to the register.")
			redirect(rw, r, "/risks/"+k.ID)
			return
		}
	}
	f.fail(err)
	w.renderRiskForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) riskShow(rw http.ResponseWriter, r *http.Request) {
	w.renderRisk(rw, r, http.StatusOK, nil)
}

// renderRisk shows a risk's page, with f the treatment form when it failed.
func (w *Web) renderRisk(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	k, err := w.app.FindRisk(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	appetite, err := w.app.RiskAppetite(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var controls []option
	if caio.Can(actorRole(r), caio.PermEdit) {
		ks, _, err := w.app.FindControls(ctx, caio.ControlFilter{Sort: "system", Page: caio.Page{Limit: caio.MaxPageLimit}})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		for _, c := range ks {
			controls = append(controls, option{Value: c.ID, Label: c.SystemName + ": " + fwShort(c.Framework) + " " + c.ItemLabel})
		}
	}
	if f == nil {
		f = &form{Values: map[string]string{}}
	}
	w.render(rw, r, status, "risk", &page{Title: k.Title, Nav: "risks", Form: f, Data: map[string]any{
		"Risk": k, "Appetite": appetite, "Events": w.history(r, "risk", k.ID), "Controls": controls,
		"TreatmentStatuses": riskOptions(caio.TreatmentStatuses, f.Get("status")), "AllTreatmentStatuses": caio.TreatmentStatuses,
	}})
}

func (w *Web) riskEdit(rw http.ResponseWriter, r *http.Request) {
	k, err := w.app.FindRisk(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderRiskForm(rw, r, http.StatusOK, k, &form{Values: riskValues(k)})
}

func (w *Web) riskUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	k, err := w.app.FindRisk(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	in := riskInputFrom(f, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateRisk(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Risk saved.")
			redirect(rw, r, "/risks/"+id)
			return
		}
	}
	f.fail(err)
	w.renderRiskForm(rw, r, statusOf[caio.ErrorCode(err)], k, f)
}

func (w *Web) riskDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteRisk(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Risk deleted.")
	redirect(rw, r, "/risks")
}

// refused reports an error that no form can fix: the role may not act, or
// the object is not there. Such errors get the error page, which says why,
// since the form that failed may not be shown to the role at all.
func refused(err error) bool {
	switch caio.ErrorCode(err) {
	case caio.EFORBIDDEN, caio.ENOTFOUND, caio.EUNAUTHORIZED:
		return true
	}
	return false
}

func treatmentInputFrom(f *form) caio.TreatmentInput {
	return caio.TreatmentInput{ControlID: f.Get("control_id"), Description: f.Get("description"), Status: f.Get("status"),
		Owner: f.Get("owner"), Due: f.Get("due")}
}

func (w *Web) riskTreatmentAdd(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.AddTreatment(r.Context(), id, treatmentInputFrom(f)); err == nil {
			w.flash(rw, "Treatment added.")
			redirect(rw, r, "/risks/"+id+"#treatments")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderRisk(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) riskTreatmentUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.UpdateTreatment(r.Context(), id, r.PathValue("treatment_id"), treatmentInputFrom(f)); err == nil {
			w.flash(rw, "Treatment saved.")
			redirect(rw, r, "/risks/"+id+"#treatments")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderRisk(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) riskTreatmentDelete(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := w.app.DeleteTreatment(r.Context(), id, r.PathValue("treatment_id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Treatment deleted.")
	redirect(rw, r, "/risks/"+id+"#treatments")
}
