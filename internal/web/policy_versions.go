package web

import (
	"net/http"
	"strconv"

	"github.com/caio-office/caio"
)

// Policy pages besides the policy itself: one version, the comparison of
// two, the starter gallery and the viewer's acknowledgements.

func (w *Web) policyVersion(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, err := w.app.FindPolicy(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		w.fail(rw, r, caio.Errorf(caio.ENOTFOUND, "This policy has no such version."))
		return
	}
	v, err := w.app.PolicyVersion(ctx, id, n)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "policy_version", &page{Title: p.Title + ", version " + strconv.Itoa(n), Nav: "policies",
		Data: map[string]any{"Policy": p, "Version": v}})
}

func (w *Web) policyDiff(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	p, err := w.app.FindPolicy(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	q := r.URL.Query()
	// By default: the approved version in force against the newest one, or
	// the newest against the one before.
	from, to := p.CurrentVersion, p.LatestVersion
	if from == 0 || from == to {
		from = max(1, to-1)
	}
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for name, dst := range map[string]*int{"from": &from, "to": &to} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				f.Errors[name] = "must be a version number"
				continue
			}
			*dst = n
		}
	}
	f.Values["from"], f.Values["to"] = strconv.Itoa(from), strconv.Itoa(to)
	var d *caio.PolicyDiff
	status := http.StatusOK
	if len(f.Errors) == 0 {
		d, err = w.app.DiffPolicy(ctx, id, from, to)
		if refused(err) {
			w.fail(rw, r, err)
			return
		}
		if err != nil {
			f.fail(err)
			status = failStatus(err)
		}
	} else {
		f.Message = "Choose two versions to compare."
		status = http.StatusUnprocessableEntity
	}
	nums := make([]string, p.LatestVersion)
	for i := range nums {
		nums[i] = strconv.Itoa(p.LatestVersion - i)
	}
	w.render(rw, r, status, "policy_diff", &page{Title: "Compare versions of " + p.Title, Nav: "policies", Form: f, Data: map[string]any{
		"Policy": p, "Diff": d, "From": options(nums, f.Values["from"]), "To": options(nums, f.Values["to"])}})
}

func (w *Web) policyStarters(rw http.ResponseWriter, r *http.Request) {
	w.renderStarters(rw, r, http.StatusOK, nil)
}

func (w *Web) renderStarters(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ss, err := w.app.PolicyStarters(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{}
	}
	w.render(rw, r, status, "policy_starters", &page{Title: "Starter policies", Nav: "policies", Form: f, Data: map[string]any{"Starters": ss}})
}

func (w *Web) policyAdopt(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var p *caio.Policy
		if p, err = w.app.AdoptStarter(r.Context(), f.Get("starter")); err == nil {
			w.flash(rw, "Adopted as a draft. Read it, make it yours, then submit it for approval.")
			redirect(rw, r, "/policies/"+p.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderStarters(rw, r, failStatus(err), f)
}

func (w *Web) policyMyAcks(rw http.ResponseWriter, r *http.Request) {
	w.renderMyAcks(rw, r, http.StatusOK, nil)
}

// renderMyAcks shows the policies the viewer has yet to acknowledge.
func (w *Web) renderMyAcks(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	pending, err := w.app.PendingAcknowledgements(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{}
	}
	w.render(rw, r, status, "policy_acks", &page{Title: "My policy acknowledgements", Nav: "policies", Form: f, Data: map[string]any{"Pending": pending}})
}
