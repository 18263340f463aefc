package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/policydoc"
)

// The policy library pages: the list, a policy with its text in force,
// its versions and who has acknowledged it, the policy form, one version,
// the comparison of two versions, the starter policies and the viewer's
// own acknowledgements.

func init() {
	funcs["polLabel"] = policyLabel
	funcs["polRender"] = renderPolicy
}

// policyLabels names the library's keys for people.
var policyLabels = map[string]string{
	"draft": "Draft", "in_review": "In review", "approved": "Approved", "retired": "Retired", "superseded": "Superseded",
	"acceptable_use": "Acceptable use", "risk_management": "Risk management", "generative_ai": "Generative AI use",
	"procurement": "Procurement", "incident_response": "Incident response", "literacy": "AI literacy (Art 4)", "other": "Other",
	"overdue": "Review overdue", "soon": "Review due within 30 days",
	"title": "Title, A to Z", "-title": "Title, Z to A", "-updated": "Recently updated first", "updated": "Least recently updated first",
	"review": "Next review, soonest first", "-created": "Newest first", "created": "Oldest first",
}

// policyLabel names a key of the library; an unknown key is shown as it is.
func policyLabel(key string) string {
	if l, ok := policyLabels[key]; ok {
		return l
	}
	return key
}

// renderPolicy renders a policy's Markdown. policydoc.Render drops raw
// HTML and unsafe links, so its output is trusted as HTML.
func renderPolicy(md string) template.HTML {
	return template.HTML(policydoc.Render(md)) // #nosec G203 -- sanitised by policydoc.Render
}

// policyOptions lists values with the library's labels, marking those selected.
func policyOptions(values []string, selected ...string) []option {
	out := options(values, selected...)
	for i := range out {
		out[i].Label = policyLabel(out[i].Value)
	}
	return out
}

// policyFilterNames are the query parameters of the list that filter it.
var policyFilterNames = []string{"q", "status", "kind", "review"}

func (w *Web) policyList(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := caio.PolicyFilter{Query: listParam(q, "q"), Status: listParam(q, "status"), Kind: listParam(q, "kind"),
		Review: listParam(q, "review"), Sort: q.Get("sort"), Page: pageFrom(q)}
	if f.Sort == "" {
		f.Sort = "title"
	}
	items, total, err := w.app.FindPolicies(ctx, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	pending, err := w.app.PendingAcknowledgements(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	values := map[string]string{}
	filtered := false
	for _, n := range policyFilterNames {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	w.render(rw, r, http.StatusOK, "policies", &page{Title: "Policies", Nav: "policies", Data: map[string]any{
		"Items": items, "List": newListPage(f.Page, total, q), "F": values, "Filtered": filtered, "Sort": f.Sort,
		"Sorts": policyOptions(caio.PolicySorts, f.Sort), "Statuses": policyOptions(caio.PolicyStatuses, q.Get("status")),
		"Kinds": policyOptions(caio.PolicyKinds, q.Get("kind")), "Reviews": policyOptions(caio.PolicyReviews, q.Get("review")),
		"Pending": pending,
	}})
}

// policyShowData is what a policy's page shows.
type policyShowData struct {
	Policy *caio.Policy
	Acks   *caio.PolicyAcks
	// Mine is the viewer's acknowledgement of the version in force, if any.
	Mine     *caio.PolicyAck
	Versions []*caio.PolicyVersion
	Events   []caio.AuditEvent
}

func (w *Web) policyShow(rw http.ResponseWriter, r *http.Request) {
	w.renderPolicyPage(rw, r, http.StatusOK, nil)
}

// renderPolicyPage shows a policy, with f the failed action's form.
func (w *Web) renderPolicyPage(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, err := w.app.FindPolicy(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := policyShowData{Policy: p, Events: w.history(r, "policy", p.ID)}
	if d.Acks, err = w.app.PolicyAcknowledgements(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	if d.Versions, err = w.app.PolicyVersions(ctx, id); err != nil {
		w.fail(rw, r, err)
		return
	}
	a, _ := caio.ActorFrom(ctx)
	for i := range d.Acks.Acknowledged {
		if d.Acks.Acknowledged[i].UserID == a.UserID {
			d.Mine = &d.Acks.Acknowledged[i]
		}
	}
	if f == nil {
		f = &form{Values: map[string]string{}}
	}
	w.render(rw, r, status, "policy", &page{Title: p.Title, Nav: "policies", Form: f, Data: d})
}

// policyValues fills the form from a policy and its newest text.
func policyValues(p *caio.Policy) map[string]string {
	in := p.Input()
	return map[string]string{"title": in.Title, "kind": in.Kind, "owner": in.Owner, "review_months": strconv.Itoa(in.ReviewMonths),
		"ack_days": strconv.Itoa(in.AckDays), "body": in.Body, "note": "", "version": strconv.Itoa(p.Version)}
}

// policyInputFrom reads the policy form; a number that is not one is
// recorded on the form, beside its field.
func policyInputFrom(f *form) (caio.PolicyInput, error) {
	in := caio.PolicyInput{Title: f.Get("title"), Kind: f.Get("kind"), Owner: f.Get("owner"), Body: f.Get("body"), Note: f.Get("note")}
	var v caio.Validation
	for name, dst := range map[string]*int{"review_months": &in.ReviewMonths, "ack_days": &in.AckDays} {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			continue // the default
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add(name, "must be a whole number")
			n = -1
		}
		*dst = n
	}
	if err := v.Err(); err != nil {
		// Normalize names the other fields' problems too, so the form shows them all.
		probe := in
		if perr := probe.Normalize(); perr != nil {
			for _, p := range caio.ErrorFields(perr) {
				if name := p.Field; name != "review_months" && name != "ack_days" {
					v.Add(name, p.Message)
				}
			}
		}
		return in, v.Err()
	}
	return in, nil
}

// renderPolicyForm shows the new (p nil) or edit form of a policy.
func (w *Web) renderPolicyForm(rw http.ResponseWriter, r *http.Request, status int, p *caio.Policy, f *form) {
	title := "New policy"
	if p != nil {
		title = "Edit " + p.Title
	}
	kind := f.Get("kind")
	if kind == "" {
		kind = "acceptable_use"
	}
	w.render(rw, r, status, "policy_form", &page{Title: title, Nav: "policies", Form: f, Data: map[string]any{
		"Policy": p, "Kinds": policyOptions(caio.PolicyKinds, kind)}})
}

func (w *Web) policyNew(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{"review_months": strconv.Itoa(caio.DefaultReviewMonths), "ack_days": strconv.Itoa(caio.DefaultAckDays)}}
	w.renderPolicyForm(rw, r, http.StatusOK, nil, f)
}

func (w *Web) policyCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var in caio.PolicyInput
		if in, err = policyInputFrom(f); err == nil {
			var p *caio.Policy
			if p, err = w.app.CreatePolicy(r.Context(), in); err == nil {
				w.flash(rw, "Draft policy saved. Submit it for approval when it is ready.")
				redirect(rw, r, "/policies/"+p.ID)
				return
			}
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPolicyForm(rw, r, failStatus(err), nil, f)
}

func (w *Web) policyEdit(rw http.ResponseWriter, r *http.Request) {
	p, err := w.app.FindPolicy(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderPolicyForm(rw, r, http.StatusOK, p, &form{Values: policyValues(p)})
}

func (w *Web) policyUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := w.app.FindPolicy(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		var in caio.PolicyInput
		if in, err = policyInputFrom(f); err == nil {
			version, _ := strconv.Atoi(f.Get("version"))
			if _, err = w.app.UpdatePolicy(r.Context(), id, version, in); err == nil {
				w.flash(rw, "Policy saved.")
				redirect(rw, r, "/policies/"+id)
				return
			}
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPolicyForm(rw, r, failStatus(err), p, f)
}

// policyActionFailed shows a refused action on the policy's page, so the
// reason is read where the action was taken; a missing policy or a role
// that may not act gets the error page.
func (w *Web) policyActionFailed(rw http.ResponseWriter, r *http.Request, f *form, err error) {
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPolicyPage(rw, r, failStatus(err), f)
}

func (w *Web) policySubmit(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		var ap *caio.Approval
		if ap, err = w.app.SubmitPolicy(r.Context(), id, f.Get("reason")); err == nil {
			w.flash(rw, ap.Summary+" is waiting for approvers.")
			redirect(rw, r, "/policies/"+id)
			return
		}
	}
	w.policyActionFailed(rw, r, f, err)
}

func (w *Web) policyAcknowledge(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		version, perr := strconv.Atoi(strings.TrimSpace(f.Get("version")))
		if perr != nil {
			version = 0 // refused by the service, which names the version to acknowledge
		}
		if _, err = w.app.AcknowledgePolicy(r.Context(), id, version); err == nil {
			w.flash(rw, "Thank you: your acknowledgement of version "+strconv.Itoa(version)+" is recorded.")
			if f.Get("from") == "acknowledgements" {
				redirect(rw, r, "/policies/acknowledgements")
				return
			}
			redirect(rw, r, "/policies/"+id+"#acknowledgements")
			return
		}
	}
	if f.Get("from") == "acknowledgements" && !refused(err) {
		f.fail(err)
		w.renderMyAcks(rw, r, failStatus(err), f)
		return
	}
	w.policyActionFailed(rw, r, f, err)
}

func (w *Web) policyRetire(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.RetirePolicy(r.Context(), id, f.Get("reason")); err == nil {
			w.flash(rw, "Policy retired. It is no longer in force.")
			redirect(rw, r, "/policies/"+id)
			return
		}
	}
	w.policyActionFailed(rw, r, f, err)
}

func (w *Web) policyDelete(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		if err = w.app.DeletePolicy(r.Context(), r.PathValue("id")); err == nil {
			w.flash(rw, "Policy deleted.")
			redirect(rw, r, "/policies")
			return
		}
	}
	w.policyActionFailed(rw, r, f, err)
}
