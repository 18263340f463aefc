package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

// The AI inventory pages: systems (with their links and a bulk edit),
// models, datasets and vendors, each with a list, a page, and forms.

func init() {
	funcs["invLabel"] = invLabel
}

// invLabels names the inventory's keys for people.
var invLabels = map[string]string{
	// stages
	"planned": "Planned", "development": "In development", "testing": "Testing", "production": "In production", "retired": "Retired",
	// autonomy
	"assistive": "Assistive: a person decides", "human_in_the_loop": "Human in the loop: a person approves each output",
	"human_on_the_loop": "Human on the loop: a person monitors and can intervene", "autonomous": "Autonomous: acts without a person",
	// OMB M-25-21 high-impact determinations
	caio.OMBHighImpact: "High-impact", caio.OMBPresumedNotHighImpact: "Presumed high-impact, but determined not high-impact",
	caio.OMBNotHighImpact: "Not high-impact",
	// roles under the EU AI Act
	"provider": "Provider", "deployer": "Deployer", "importer": "Importer", "distributor": "Distributor",
	"authorised_representative": "Authorised representative", "product_manufacturer": "Product manufacturer",
	// model kinds
	"classical_ml": "Classical machine learning", "deep_learning": "Deep learning", "llm": "Large language model", "general_purpose": "General-purpose AI model",
	// special categories of personal data (GDPR Art 9(1))
	"racial_or_ethnic_origin": "Racial or ethnic origin", "political_opinions": "Political opinions",
	"religious_or_philosophical_beliefs": "Religious or philosophical beliefs", "trade_union_membership": "Trade union membership",
	"genetic": "Genetic data", "biometric": "Biometric data (to identify a person)", "health": "Health data", "sex_life_or_orientation": "Sex life or sexual orientation",
	// link kinds
	"model": "Model", "dataset": "Dataset", "vendor": "Vendor", "objective": "Objective",
	// sorts
	"-created": "Newest first", "created": "Oldest first", "name": "Name, A to Z", "-name": "Name, Z to A",
	"-updated": "Recently updated first", "updated": "Least recently updated first",
	"next_deadline": "Next deadline, soonest first", "-next_deadline": "Next deadline, latest first",
}

// invLabel names a key of the inventory for people; an unknown key is shown as it is.
func invLabel(key string) string {
	if l, ok := invLabels[key]; ok {
		return l
	}
	return key
}

// option is one choice of a select or a group of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
}

// options lists values with their labels, marking those in selected.
func options(values []string, selected ...string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: v, Label: invLabel(v), Selected: slices.Contains(selected, v)}
	}
	return out
}

// splitValues reads the comma-separated keys a form keeps for checkboxes.
func splitValues(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// listQuery returns the trimmed query parameter, or nil when it is empty.
func listParam(q url.Values, name string) *string {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil
	}
	return &s
}

// pageFrom reads offset and limit from a query, as pageQuery does.
func pageFrom(q url.Values) caio.Page {
	off, _ := strconv.Atoi(q.Get("offset"))
	lim, _ := strconv.Atoi(q.Get("limit"))
	if lim <= 0 {
		lim = caio.DefaultPageLimit
	}
	return caio.Page{Offset: max(off, 0), Limit: min(lim, caio.MaxPageLimit)}
}

// renameFields reports a service's field problems under the form's names.
func renameFields(err error, names map[string]string) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, f := range fs {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		e.Fields = append(e.Fields, f)
	}
	return e
}

// --- AI systems ---

func (w *Web) systemList(rw http.ResponseWriter, r *http.Request) {
	w.renderSystemList(rw, r, r.URL.Query(), http.StatusOK, nil)
}

// systemFilterNames are the query parameters of the systems list that filter it.
var systemFilterNames = []string{"q", "class", "stage", "owner", "vendor", "model", "dataset", "objective", "deadline_before"}

// renderSystemList shows the systems list for the query q, with f the bulk
// edit form when it failed.
func (w *Web) renderSystemList(rw http.ResponseWriter, r *http.Request, q url.Values, status int, f *form) {
	ctx := r.Context()
	filter := caio.AISystemFilter{Sort: q.Get("sort"), Page: pageFrom(q),
		Query: listParam(q, "q"), Class: listParam(q, "class"), Stage: listParam(q, "stage"), Owner: listParam(q, "owner"),
		Vendor: listParam(q, "vendor"), Model: listParam(q, "model"), Dataset: listParam(q, "dataset"), Objective: listParam(q, "objective"),
		DeadlineBefore: listParam(q, "deadline_before")}
	if filter.Sort == "" {
		filter.Sort = "-created"
	}
	items, total, err := w.app.FindSystems(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	vendors, _, err := w.app.FindVendors(ctx, caio.InventoryFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	vendorOpts := make([]option, len(vendors))
	for i, v := range vendors {
		vendorOpts[i] = option{Value: v.ID, Label: v.Name, Selected: q.Get("vendor") == v.ID}
	}
	filtered := false
	values := map[string]string{}
	for _, n := range systemFilterNames {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	classes := []option{{Value: caio.Unclassified, Label: "Not classified", Selected: q.Get("class") == caio.Unclassified}}
	for _, c := range caio.SystemClasses {
		classes = append(classes, option{Value: c, Label: caio.ClassLabel(c), Selected: q.Get("class") == c})
	}
	checked := map[string]bool{}
	if f != nil {
		for _, id := range r.PostForm["ids"] {
			checked[id] = true
		}
	}
	back := url.Values{}
	for k, v := range q {
		back[k] = v
	}
	w.render(rw, r, status, "systems", &page{Title: "AI systems", Nav: "inventory", Form: f, Data: map[string]any{
		"Tab": "systems", "Items": items, "List": newListPage(filter.Page, total, q), "F": values, "Filtered": filtered,
		"Sort": filter.Sort, "Sorts": options(caio.SystemSorts, filter.Sort), "Classes": classes,
		"Stages": options(caio.SystemStages, q.Get("stage")), "Vendors": vendorOpts,
		"BulkStages": options(caio.SystemStages, formValue(f, "bulk_stage")), "Checked": checked, "Return": back.Encode(),
	}})
}

// formValue is f.Get for a form that may be nil.
func formValue(f *form, name string) string {
	if f == nil {
		return ""
	}
	return f.Get(name)
}

// systemBulk applies the bulk edit form to the systems ticked in the list.
func (w *Web) systemBulk(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	back, _ := url.ParseQuery(f.Get("return"))
	if back == nil {
		back = url.Values{}
	}
	if err == nil {
		var set caio.SystemBulkSet
		for name, dst := range map[string]**string{"bulk_stage": &set.Stage, "bulk_owner": &set.Owner, "bulk_business_unit": &set.BusinessUnit} {
			if v := strings.TrimSpace(f.Get(name)); v != "" {
				*dst = &v
			}
		}
		var n int
		if n, err = w.app.BulkUpdateSystems(r.Context(), r.PostForm["ids"], set); err == nil {
			w.flash(rw, "Updated "+strconv.Itoa(n)+" AI "+plural(n, "system", "systems")+".")
			redirect(rw, r, "/systems?"+back.Encode())
			return
		}
	}
	f.fail(renameFields(err, map[string]string{"stage": "bulk_stage", "owner": "bulk_owner", "business_unit": "bulk_business_unit"}))
	w.renderSystemList(rw, r, back, statusOf[caio.ErrorCode(err)], f)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// multiValue returns the values of a group of checkboxes, and keeps them on
// f, comma-separated, so the form can tick them again.
func multiValue(f *form, r *http.Request, name string) []string {
	var vs []string
	for _, v := range r.PostForm[name] {
		vs = append(vs, strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", ""), "\uFFFD"))
	}
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	f.Values[name] = strings.Join(vs, ",")
	return vs
}

// systemInput reads the system form; the ticked roles are kept on f so the
// form can show them again.
func systemInput(f *form, r *http.Request) caio.AISystemInput {
	roles := multiValue(f, r, "roles")
	return caio.AISystemInput{
		Name: f.Get("name"), Purpose: f.Get("purpose"), Description: f.Get("description"), Owner: f.Get("owner"),
		BusinessUnit: f.Get("business_unit"), Stage: f.Get("stage"), Countries: caio.SplitList(f.Get("countries")),
		Users: f.Get("users"), Affected: f.Get("affected"), Autonomy: f.Get("autonomy"), Oversight: f.Get("oversight"), Roles: roles,
		OMBImpact: f.Get("omb_impact"),
	}
}

func systemValues(s *caio.AISystem) map[string]string {
	return map[string]string{
		"name": s.Name, "purpose": s.Purpose, "description": s.Description, "owner": s.Owner, "business_unit": s.BusinessUnit,
		"stage": s.Stage, "countries": strings.Join(s.Countries, ", "), "users": s.Users, "affected": s.Affected,
		"autonomy": s.Autonomy, "oversight": s.Oversight, "roles": strings.Join(s.Roles, ","), "version": strconv.Itoa(s.Version),
		"omb_impact": s.OMBImpact,
	}
}

// renderSystemForm shows the new (s nil) or edit form of a system.
func (w *Web) renderSystemForm(rw http.ResponseWriter, r *http.Request, status int, s *caio.AISystem, f *form) {
	title := "New AI system"
	data := map[string]any{"Tab": "systems"}
	if s != nil {
		title = "Edit " + s.Name
		data["System"] = s
	}
	stage := f.Get("stage")
	if stage == "" {
		stage = "planned"
	}
	data["Stages"] = options(caio.SystemStages, stage)
	data["Autonomy"] = options(caio.SystemAutonomyLevels, f.Get("autonomy"))
	data["OMBImpact"] = options(caio.OMBImpactLevels, f.Get("omb_impact"))
	data["Roles"] = options(caio.SystemRoles, splitValues(f.Get("roles"))...)
	w.render(rw, r, status, "system_form", &page{Title: title, Nav: "inventory", Data: data, Form: f})
}

func (w *Web) systemNew(rw http.ResponseWriter, r *http.Request) {
	w.renderSystemForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) systemCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	in := systemInput(f, r)
	if err == nil {
		var s *caio.AISystem
		if s, err = w.app.CreateSystem(r.Context(), in); err == nil {
			w.flash(rw, "AI system added to the inventory.")
			redirect(rw, r, "/systems/"+s.ID)
			return
		}
	}
	f.fail(err)
	w.renderSystemForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) systemShow(rw http.ResponseWriter, r *http.Request) {
	w.renderSystem(rw, r, http.StatusOK, nil)
}

// linkChoice is the form that links a system to one kind of object.
type linkChoice struct {
	Kind    string
	Label   string
	Options []option
	// New is where to make one when there is nothing to choose.
	New string
}

// renderSystem shows the system card, with f the link form when it failed.
func (w *Web) renderSystem(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	s, err := w.app.FindSystem(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	links, err := w.app.FindSystemLinks(ctx, s.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var events []caio.AuditEvent
	if caio.Can(actorRole(r), caio.PermReadAudit) {
		typ := "system"
		events, _, _ = w.app.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &typ, ObjectID: &s.ID, Page: caio.Page{Limit: 20}})
	}
	var choices []linkChoice
	if caio.Can(actorRole(r), caio.PermEdit) {
		if choices, err = w.linkChoices(r, links); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	class, err := w.app.FindClassification(ctx, s.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	controls, err := w.app.FindSystemControls(ctx, s.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// Each EU AI Act obligation shows the status of its control.
	obligationControls := map[string]*caio.Control{}
	for _, g := range controls.Groups {
		if g.Framework == "eu-ai-act" {
			for _, k := range g.Controls {
				obligationControls[k.ItemID] = k
			}
		}
	}
	// Its assessments (the impact assessment the classification proposes).
	assessments, _, err := w.app.FindAssessments(ctx, caio.AssessmentFilter{SubjectID: &s.ID, Page: caio.Page{Limit: 20}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The risks of the register linked to the system, riskiest first.
	risks, riskTotal, err := w.app.FindRisks(ctx, caio.RiskFilter{System: &s.ID, Page: caio.Page{Limit: 10}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "system", &page{Title: s.Name, Nav: "inventory", Form: f, Data: map[string]any{
		"Tab": "systems", "System": s, "Links": links, "Events": events, "Choices": choices,
		"Classification": class, "Controls": controls, "ObligationControls": obligationControls,
		"Risks": risks, "RiskTotal": riskTotal, "Assessments": assessments, "OMBReason": app.OMBHighImpactReason,
	}})
}

// linkChoices lists, for each kind, the objects a system may still be
// linked to, by name (at most MaxPageLimit of each).
func (w *Web) linkChoices(r *http.Request, links []*caio.SystemLink) ([]linkChoice, error) {
	ctx := r.Context()
	linked := map[string]bool{}
	for _, l := range links {
		linked[l.Kind+":"+l.TargetID] = true
	}
	all := caio.InventoryFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}}
	choice := func(kind, label, newPath string, ids, names []string) linkChoice {
		c := linkChoice{Kind: kind, Label: label, New: newPath}
		for i, id := range ids {
			if !linked[kind+":"+id] {
				c.Options = append(c.Options, option{Value: id, Label: names[i]})
			}
		}
		return c
	}
	var out []linkChoice
	ms, _, err := w.app.FindModels(ctx, all)
	if err != nil {
		return nil, err
	}
	var ids, names []string
	for _, m := range ms {
		ids, names = append(ids, m.ID), append(names, m.Name)
	}
	out = append(out, choice("model", "model", "/models/new", ids, names))
	ds, _, err := w.app.FindDatasets(ctx, all)
	if err != nil {
		return nil, err
	}
	ids, names = nil, nil
	for _, d := range ds {
		ids, names = append(ids, d.ID), append(names, d.Name)
	}
	out = append(out, choice("dataset", "dataset", "/datasets/new", ids, names))
	vs, _, err := w.app.FindVendors(ctx, all)
	if err != nil {
		return nil, err
	}
	ids, names = nil, nil
	for _, v := range vs {
		ids, names = append(ids, v.ID), append(names, v.Name)
	}
	out = append(out, choice("vendor", "vendor", "/vendors/new", ids, names))
	os, _, err := w.app.FindObjectives(ctx, caio.ObjectiveFilter{Sort: "title", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	ids, names = nil, nil
	for _, o := range os {
		ids, names = append(ids, o.ID), append(names, o.Title)
	}
	out = append(out, choice("objective", "business objective", "/objectives/new", ids, names))
	return out, nil
}

func (w *Web) systemEdit(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindSystem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderSystemForm(rw, r, http.StatusOK, s, &form{Values: systemValues(s)})
}

func (w *Web) systemUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s, err := w.app.FindSystem(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	in := systemInput(f, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateSystem(r.Context(), id, version, in); err == nil {
			w.flash(rw, "AI system saved.")
			redirect(rw, r, "/systems/"+id)
			return
		}
	}
	f.fail(err)
	w.renderSystemForm(rw, r, statusOf[caio.ErrorCode(err)], s, f)
}

func (w *Web) systemDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteSystem(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "AI system deleted.")
	redirect(rw, r, "/systems")
}

func (w *Web) systemLink(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		kind := f.Get("kind")
		if _, err = w.app.LinkSystem(r.Context(), id, kind, f.Get("target_id")); err == nil {
			w.flash(rw, invLabel(kind)+" linked.")
			redirect(rw, r, "/systems/"+id+"#links")
			return
		}
		if f.Get("target_id") == "" && caio.ErrorCode(err) == caio.ENOTFOUND {
			// Nothing was chosen in the list (the system itself is checked below).
			err = caio.FieldError("target_id", "is required: choose the "+strings.ToLower(invLabel(kind))+" to link")
		}
	}
	f.fail(err)
	w.renderSystem(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) systemUnlink(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := w.app.UnlinkSystem(r.Context(), id, r.PathValue("kind"), r.PathValue("target_id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Link removed.")
	redirect(rw, r, "/systems/"+id+"#links")
}

// systemsUsing lists the first systems linked to an object, for its page.
func (w *Web) systemsUsing(r *http.Request, f caio.AISystemFilter) ([]*caio.AISystem, int, error) {
	f.Sort, f.Page = "name", caio.Page{Limit: 50}
	return w.app.FindSystems(r.Context(), f)
}

// history returns the newest audit events of an object, for readers of the audit trail.
func (w *Web) history(r *http.Request, typ, id string) []caio.AuditEvent {
	if !caio.Can(actorRole(r), caio.PermReadAudit) {
		return nil
	}
	events, _, _ := w.app.FindAuditEvents(r.Context(), caio.AuditFilter{ObjectType: &typ, ObjectID: &id, Page: caio.Page{Limit: 20}})
	return events
}

// inventoryFilter reads the query of a model, dataset or vendor list.
func inventoryFilter(r *http.Request) caio.InventoryFilter {
	q := r.URL.Query()
	f := caio.InventoryFilter{Query: listParam(q, "q"), Sort: q.Get("sort"), Page: pageQuery(r)}
	if f.Sort == "" {
		f.Sort = "name"
	}
	return f
}

// --- Models ---

func (w *Web) modelList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := inventoryFilter(r)
	f.Kind = listParam(q, "kind")
	items, total, err := w.app.FindModels(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "models", &page{Title: "AI models", Nav: "inventory", Data: map[string]any{
		"Tab": "models", "Items": items, "List": newListPage(f.Page, total, q), "Q": q.Get("q"), "Kind": q.Get("kind"),
		"Kinds": options(caio.ModelKinds, q.Get("kind")), "Sorts": options(caio.InventorySorts, f.Sort), "Filtered": q.Get("q") != "" || q.Get("kind") != "",
	}})
}

func modelInput(f *form) caio.AIModelInput {
	return caio.AIModelInput{Name: f.Get("name"), Provider: f.Get("provider"), ModelVersion: f.Get("model_version"),
		Kind: f.Get("kind"), Licence: f.Get("licence"), Description: f.Get("description")}
}

func (w *Web) renderModelForm(rw http.ResponseWriter, r *http.Request, status int, m *caio.AIModel, f *form) {
	title := "New AI model"
	data := map[string]any{"Tab": "models", "Kinds": options(caio.ModelKinds, f.Get("kind"))}
	if m != nil {
		title = "Edit " + m.Name
		data["Model"] = m
	}
	w.render(rw, r, status, "model_form", &page{Title: title, Nav: "inventory", Data: data, Form: f})
}

func (w *Web) modelNew(rw http.ResponseWriter, r *http.Request) {
	w.renderModelForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) modelCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var m *caio.AIModel
		if m, err = w.app.CreateModel(r.Context(), modelInput(f)); err == nil {
			w.flash(rw, "Model added.")
			redirect(rw, r, "/models/"+m.ID)
			return
		}
	}
	f.fail(err)
	w.renderModelForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) modelShow(rw http.ResponseWriter, r *http.Request) {
	m, err := w.app.FindModel(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, total, err := w.systemsUsing(r, caio.AISystemFilter{Model: &m.ID})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "model", &page{Title: m.Name, Nav: "inventory", Data: map[string]any{
		"Tab": "models", "Model": m, "Systems": systems, "SystemsTotal": total, "AllSystems": "/systems?model=" + m.ID,
		"Events": w.history(r, "model", m.ID),
	}})
}

func (w *Web) modelEdit(rw http.ResponseWriter, r *http.Request) {
	m, err := w.app.FindModel(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderModelForm(rw, r, http.StatusOK, m, &form{Values: map[string]string{
		"name": m.Name, "provider": m.Provider, "model_version": m.ModelVersion, "kind": m.Kind, "licence": m.Licence,
		"description": m.Description, "version": strconv.Itoa(m.Version),
	}})
}

func (w *Web) modelUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	m, err := w.app.FindModel(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateModel(r.Context(), id, version, modelInput(f)); err == nil {
			w.flash(rw, "Model saved.")
			redirect(rw, r, "/models/"+id)
			return
		}
	}
	f.fail(err)
	w.renderModelForm(rw, r, statusOf[caio.ErrorCode(err)], m, f)
}

func (w *Web) modelDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteModel(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Model deleted.")
	redirect(rw, r, "/models")
}

// --- Datasets ---

func (w *Web) datasetList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := inventoryFilter(r)
	switch q.Get("personal_data") {
	case "yes":
		f.PersonalData = new(bool)
		*f.PersonalData = true
	case "no":
		f.PersonalData = new(bool)
	}
	items, total, err := w.app.FindDatasets(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "datasets", &page{Title: "Datasets", Nav: "inventory", Data: map[string]any{
		"Tab": "datasets", "Items": items, "List": newListPage(f.Page, total, q), "Q": q.Get("q"), "Personal": q.Get("personal_data"),
		"Sorts": options(caio.InventorySorts, f.Sort), "Filtered": q.Get("q") != "" || q.Get("personal_data") != "",
	}})
}

// datasetInput reads the dataset form; the ticked categories are kept on f.
func datasetInput(f *form, r *http.Request) caio.DatasetInput {
	cats := multiValue(f, r, "special_categories")
	return caio.DatasetInput{Name: f.Get("name"), Source: f.Get("source"), Description: f.Get("description"),
		PersonalData: f.Get("personal_data") != "", SpecialCategories: cats}
}

func (w *Web) renderDatasetForm(rw http.ResponseWriter, r *http.Request, status int, d *caio.Dataset, f *form) {
	title := "New dataset"
	data := map[string]any{"Tab": "datasets", "Categories": options(caio.SpecialCategories, splitValues(f.Get("special_categories"))...)}
	if d != nil {
		title = "Edit " + d.Name
		data["Dataset"] = d
	}
	w.render(rw, r, status, "dataset_form", &page{Title: title, Nav: "inventory", Data: data, Form: f})
}

func (w *Web) datasetNew(rw http.ResponseWriter, r *http.Request) {
	w.renderDatasetForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) datasetCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	in := datasetInput(f, r)
	if err == nil {
		var d *caio.Dataset
		if d, err = w.app.CreateDataset(r.Context(), in); err == nil {
			w.flash(rw, "Dataset added.")
			redirect(rw, r, "/datasets/"+d.ID)
			return
		}
	}
	f.fail(err)
	w.renderDatasetForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) datasetShow(rw http.ResponseWriter, r *http.Request) {
	d, err := w.app.FindDataset(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, total, err := w.systemsUsing(r, caio.AISystemFilter{Dataset: &d.ID})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "dataset", &page{Title: d.Name, Nav: "inventory", Data: map[string]any{
		"Tab": "datasets", "Dataset": d, "Systems": systems, "SystemsTotal": total, "AllSystems": "/systems?dataset=" + d.ID,
		"Events": w.history(r, "dataset", d.ID),
	}})
}

func (w *Web) datasetEdit(rw http.ResponseWriter, r *http.Request) {
	d, err := w.app.FindDataset(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	personal := ""
	if d.PersonalData {
		personal = "yes"
	}
	w.renderDatasetForm(rw, r, http.StatusOK, d, &form{Values: map[string]string{
		"name": d.Name, "source": d.Source, "description": d.Description, "personal_data": personal,
		"special_categories": strings.Join(d.SpecialCategories, ","), "version": strconv.Itoa(d.Version),
	}})
}

func (w *Web) datasetUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := w.app.FindDataset(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	in := datasetInput(f, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateDataset(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Dataset saved.")
			redirect(rw, r, "/datasets/"+id)
			return
		}
	}
	f.fail(err)
	w.renderDatasetForm(rw, r, statusOf[caio.ErrorCode(err)], d, f)
}

func (w *Web) datasetDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteDataset(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Dataset deleted.")
	redirect(rw, r, "/datasets")
}

// --- Vendors ---

func (w *Web) vendorList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := inventoryFilter(r)
	items, total, err := w.app.FindVendors(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "vendors", &page{Title: "Vendors", Nav: "inventory", Data: map[string]any{
		"Tab": "vendors", "Items": items, "List": newListPage(f.Page, total, q), "Q": q.Get("q"),
		"Sorts": options(caio.InventorySorts, f.Sort), "Filtered": q.Get("q") != "",
	}})
}

func vendorInput(f *form) caio.VendorInput {
	return caio.VendorInput{Name: f.Get("name"), Website: f.Get("website"), Contact: f.Get("contact"), Country: f.Get("country"), Description: f.Get("description")}
}

func (w *Web) renderVendorForm(rw http.ResponseWriter, r *http.Request, status int, v *caio.Vendor, f *form) {
	title := "New vendor"
	data := map[string]any{"Tab": "vendors"}
	if v != nil {
		title = "Edit " + v.Name
		data["Vendor"] = v
	}
	w.render(rw, r, status, "vendor_form", &page{Title: title, Nav: "inventory", Data: data, Form: f})
}

func (w *Web) vendorNew(rw http.ResponseWriter, r *http.Request) {
	w.renderVendorForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) vendorCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var v *caio.Vendor
		if v, err = w.app.CreateVendor(r.Context(), vendorInput(f)); err == nil {
			w.flash(rw, "Vendor added.")
			redirect(rw, r, "/vendors/"+v.ID)
			return
		}
	}
	f.fail(err)
	w.renderVendorForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) vendorShow(rw http.ResponseWriter, r *http.Request) {
	v, err := w.app.FindVendor(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, total, err := w.systemsUsing(r, caio.AISystemFilter{Vendor: &v.ID})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	assessments, _, err := w.app.FindAssessments(r.Context(), caio.AssessmentFilter{SubjectID: &v.ID, Page: caio.Page{Limit: 20}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	risks, riskTotal, err := w.app.FindRisks(r.Context(), caio.RiskFilter{Vendor: &v.ID, Page: caio.Page{Limit: 10}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "vendor", &page{Title: v.Name, Nav: "inventory", Data: map[string]any{
		"Tab": "vendors", "Vendor": v, "Systems": systems, "SystemsTotal": total, "AllSystems": "/systems?vendor=" + v.ID,
		"Events": w.history(r, "vendor", v.ID), "Assessments": assessments, "Risks": risks, "RiskTotal": riskTotal,
	}})
}

func (w *Web) vendorEdit(rw http.ResponseWriter, r *http.Request) {
	v, err := w.app.FindVendor(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderVendorForm(rw, r, http.StatusOK, v, &form{Values: map[string]string{
		"name": v.Name, "website": v.Website, "contact": v.Contact, "country": v.Country, "description": v.Description,
		"version": strconv.Itoa(v.Version),
	}})
}

func (w *Web) vendorUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, err := w.app.FindVendor(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateVendor(r.Context(), id, version, vendorInput(f)); err == nil {
			w.flash(rw, "Vendor saved.")
			redirect(rw, r, "/vendors/"+id)
			return
		}
	}
	f.fail(err)
	w.renderVendorForm(rw, r, statusOf[caio.ErrorCode(err)], v, f)
}

func (w *Web) vendorDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteVendor(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Vendor deleted.")
	redirect(rw, r, "/vendors")
}
