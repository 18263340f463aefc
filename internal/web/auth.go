package web

import (
	"net/http"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

func (w *Web) setSession(rw http.ResponseWriter, secret string) {
	http.SetCookie(rw, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: w.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(app.SessionTTL.Seconds()),
	})
}

func (w *Web) loginForm(rw http.ResponseWriter, r *http.Request) {
	if _, ok := caio.ActorFrom(r.Context()); ok {
		redirect(rw, r, safeNext(r.URL.Query().Get("next")))
		return
	}
	f := &form{Values: map[string]string{"next": r.URL.Query().Get("next")}}
	w.render(rw, r, http.StatusOK, "login", &page{Title: "Sign in", Form: f})
}

func (w *Web) login(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var secret string
		secret, err = w.app.Login(r.Context(), f.Get("email"), f.Get("password"), r.Header.Get(ClientAddrHeader))
		if err == nil {
			w.setSession(rw, secret)
			redirect(rw, r, safeNext(f.Get("next")))
			return
		}
	}
	f.fail(err)
	delete(f.Values, "password")
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "login", &page{Title: "Sign in", Form: f})
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		_ = w.app.Logout(r.Context(), c.Value)
	}
	http.SetCookie(rw, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: w.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	redirect(rw, r, "/login")
}

func (w *Web) setupForm(rw http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if !w.app.ValidSetupToken(r.Context(), token) {
		w.fail(rw, r, caio.Errorf(caio.ENOTFOUND, "This setup link is not valid any more. Run `caio serve` on an empty database for a new one, or `caio user create`."))
		return
	}
	w.render(rw, r, http.StatusOK, "setup", &page{Title: "Set up caio", Form: &form{Values: map[string]string{"token": token}}})
}

func (w *Web) setup(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var secret string
		secret, err = w.app.CompleteSetup(r.Context(), f.Get("token"), app.SignupInput{
			OrgName: f.Get("org_name"), OrgSlug: f.Get("org_slug"), Email: f.Get("email"), Name: f.Get("name"), Password: f.Get("password"),
		})
		if err == nil {
			w.setSession(rw, secret)
			w.flash(rw, "Welcome to caio. Your organisation is ready.")
			redirect(rw, r, "/")
			return
		}
	}
	f.fail(err)
	delete(f.Values, "password")
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "setup", &page{Title: "Set up caio", Form: f})
}

func (w *Web) switchOrg(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	c, _ := r.Cookie(SessionCookie)
	if c == nil {
		w.fail(rw, r, caio.Errorf(caio.EUNAUTHORIZED, "Switching organisation needs a signed-in browser session."))
		return
	}
	if err := w.app.SwitchOrg(r.Context(), c.Value, f.Get("org")); err != nil {
		w.fail(rw, r, err)
		return
	}
	redirect(rw, r, "/")
}

func (w *Web) newOrgForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, "org_new", &page{Title: "New organisation"})
}

func (w *Web) createOrg(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var o *caio.Organization
		o, err = w.app.CreateOrg(r.Context(), app.SignupInput{OrgName: f.Get("org_name"), OrgSlug: strings.TrimSpace(f.Get("org_slug"))})
		if err == nil {
			if c, cerr := r.Cookie(SessionCookie); cerr == nil {
				_ = w.app.SwitchOrg(r.Context(), c.Value, o.Slug)
			}
			w.flash(rw, "Created "+o.Name+". You are its owner.")
			redirect(rw, r, "/")
			return
		}
	}
	f.fail(err)
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "org_new", &page{Title: "New organisation", Form: f})
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	// The nearest horizons among objectives that have one; the total counts them all.
	objs, _, err := w.app.FindObjectives(r.Context(), caio.ObjectiveFilter{Sort: "horizon", Dated: true, Page: caio.Page{Limit: 5}})
	var total int
	if err == nil {
		_, total, err = w.app.FindObjectives(r.Context(), caio.ObjectiveFilter{Page: caio.Page{Limit: 1}})
	}
	// What waits for a decision: approval requests, and ideas in triage.
	var pending, triage int
	if err == nil {
		status := "pending"
		_, pending, err = w.app.FindApprovals(r.Context(), caio.ApprovalFilter{Status: &status, Page: caio.Page{Limit: 1}})
	}
	if err == nil {
		submitted := caio.IntakeSubmitted
		_, triage, err = w.app.FindUseCases(r.Context(), caio.UseCaseFilter{Intake: &submitted, Sort: "created", Page: caio.Page{Limit: 1}})
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	data := map[string]any{"Objectives": objs, "ObjectiveTotal": total, "PendingApprovals": pending, "Triage": triage}
	// What needs the signed-in member now: their tasks and the advisor's
	// actions for them (advisor.go).
	for k, v := range w.homeAdvice(r) {
		data[k] = v
	}
	w.render(rw, r, http.StatusOK, "home", &page{Title: "Home", Nav: "home", Data: data})
}
