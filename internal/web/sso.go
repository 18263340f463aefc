package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

// Single sign-on pages: the way in from the sign-in page to an
// organisation's provider and back, and the settings page where admins set
// the provider up (docs/sso.md).

func init() { areaRoutes = append(areaRoutes, (*Web).ssoRoutes) }

func (w *Web) ssoRoutes() []Route {
	return []Route{
		{"GET /sso", Public, w.ssoFind},
		{"GET /sso/{org}/start", Public, w.ssoStart},
		{"GET /sso/callback", Public, w.ssoCallback},
		{"GET /settings/sso", Member, w.ssoSettings},
		{"POST /settings/sso", Member, w.ssoSettingsSave},
		{"POST /settings/sso/test", Member, w.ssoTest},
	}
}

// ssoCookie ties a sign-in under way to the browser that started it, so a
// link with someone else's code and state cannot sign this browser in.
const ssoCookie = "caio_sso"

// callbackURL is caio's redirect URI as this request reaches it: https
// when the connection is TLS or cookies are marked Secure (caio is behind
// TLS, directly or through a proxy), and the Host the browser used.
func (w *Web) callbackURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || w.opts.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/sso/callback"
}

// ssoFind reads the sign-in page's single sign-on form (an organisation's
// short name or a work email) and goes to that organisation's start.
func (w *Web) ssoFind(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	slug, err := w.app.SSOOrgFor(r.Context(), q.Get("org"))
	if err != nil {
		f := &form{Values: map[string]string{"org": q.Get("org"), "next": q.Get("next")}, Errors: map[string]string{}}
		f.fail(err)
		f.Message = ""
		w.render(rw, r, statusOf[caio.ErrorCode(err)], "login", &page{Title: "Sign in", Form: f})
		return
	}
	to := "/sso/" + slug + "/start"
	if next := q.Get("next"); next != "" {
		to += "?next=" + url.QueryEscape(safeNext(next))
	}
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// ssoStart sends the browser to the organisation's provider.
func (w *Web) ssoStart(rw http.ResponseWriter, r *http.Request) {
	st, err := w.app.StartSSO(r.Context(), r.PathValue("org"), w.callbackURL(r), safeNext(r.URL.Query().Get("next")))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: ssoCookie, Value: st.Browser, Path: "/sso/", HttpOnly: true, Secure: w.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(app.SSOAttemptTTL.Seconds())})
	http.Redirect(rw, r, st.AuthURL, http.StatusFound)
}

// ssoCallback is where the provider sends the browser back.
func (w *Web) ssoCallback(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := app.SSOCallback{State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error"), ErrorDescription: q.Get("error_description")}
	if c, err := r.Cookie(ssoCookie); err == nil {
		in.Browser = c.Value
	}
	http.SetCookie(rw, &http.Cookie{Name: ssoCookie, Value: "", Path: "/sso/", MaxAge: -1, HttpOnly: true, Secure: w.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	res, err := w.app.FinishSSO(r.Context(), in)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.setSession(rw, res.Session)
	redirect(rw, r, safeNext(res.Next))
}

// ssoForm fills the settings form from a configuration.
func ssoForm(c *caio.SSOConfig) *form {
	on := func(b bool) string {
		if b {
			return "on"
		}
		return ""
	}
	return &form{Values: map[string]string{
		"enabled": on(c.Enabled), "issuer": c.Issuer, "client_id": c.ClientID, "scopes": strings.Join(c.Scopes, " "),
		"groups_claim": c.GroupsClaim, "group_roles": caio.FormatGroupRoles(c.GroupRoles), "default_role": string(c.DefaultRole),
		"jit": on(c.JIT), "allowed_domains": strings.Join(c.Domains, ", "), "local_login": on(c.LocalLogin),
	}, Errors: map[string]string{}}
}

func (w *Web) renderSSOSettings(rw http.ResponseWriter, r *http.Request, status int, cfg *caio.SSOConfig, f *form, tested string) {
	roles := []option{{Value: "", Label: "None (refuse)", Selected: f.Get("default_role") == ""}}
	for _, role := range caio.Roles {
		if role != caio.RoleOwner {
			roles = append(roles, option{Value: string(role), Label: string(role), Selected: f.Get("default_role") == string(role)})
		}
	}
	w.render(rw, r, status, "settings_sso", &page{Title: "Single sign-on", Nav: "settings", Form: f, Data: map[string]any{
		"Config": cfg, "RedirectURI": w.callbackURL(r), "StartURL": strings.TrimSuffix(w.callbackURL(r), "/callback") + "/" + actorSlug(r) + "/start", "HTTPS": strings.HasPrefix(w.callbackURL(r), "https:"), "Roles": roles, "Tested": tested,
	}})
}

func (w *Web) ssoSettings(rw http.ResponseWriter, r *http.Request) {
	cfg, err := w.app.SSOSettings(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderSSOSettings(rw, r, http.StatusOK, cfg, ssoForm(cfg), "")
}

func (w *Web) ssoSettingsSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		in := app.SSOInput{
			Enabled: f.Get("enabled") != "", Issuer: f.Get("issuer"), ClientID: f.Get("client_id"), Scopes: []string{f.Get("scopes")},
			GroupsClaim: f.Get("groups_claim"), DefaultRole: caio.Role(f.Get("default_role")), JIT: f.Get("jit") != "",
			Domains: []string{f.Get("allowed_domains")}, LocalLogin: f.Get("local_login") != "",
		}
		// An empty secret field keeps the stored secret, which is never shown.
		if s := f.Get("client_secret"); s != "" {
			in.ClientSecret = &s
		}
		in.GroupRoles, err = caio.ParseGroupRoles(f.Get("group_roles"))
		if err == nil {
			if _, err = w.app.SetSSOSettings(r.Context(), in); err == nil {
				w.flash(rw, "Single sign-on settings saved.")
				redirect(rw, r, "/settings/sso")
				return
			}
		}
	}
	delete(f.Values, "client_secret")
	f.fail(err)
	cfg, cerr := w.app.SSOSettings(r.Context())
	if cerr != nil {
		w.fail(rw, r, cerr)
		return
	}
	w.renderSSOSettings(rw, r, statusOf[caio.ErrorCode(err)], cfg, f, "")
}

func (w *Web) ssoTest(rw http.ResponseWriter, r *http.Request) {
	if _, err := readForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	cfg, err := w.app.TestSSO(r.Context())
	if err == nil {
		w.flash(rw, "Discovery worked: caio reached "+cfg.Issuer+" and read its OpenID Connect configuration.")
		redirect(rw, r, "/settings/sso")
		return
	}
	cur, cerr := w.app.SSOSettings(r.Context())
	if cerr != nil {
		w.fail(rw, r, cerr)
		return
	}
	w.renderSSOSettings(rw, r, statusOf[caio.ErrorCode(err)], cur, ssoForm(cur), caio.ErrorMessage(err))
}

func actorSlug(r *http.Request) string {
	a, _ := caio.ActorFrom(r.Context())
	return a.OrgSlug
}
