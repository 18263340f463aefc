package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/caio-office/caio/internal/sso/ssotest"
)

// ssoMapping is the group mapping the tests configure.
var ssoMapping = []caio.GroupRole{{Group: "caio-editors", Role: caio.RoleEditor}, {Group: "caio-admins", Role: caio.RoleAdmin}, {Group: "caio-viewers", Role: caio.RoleViewer}}

// ssoProvider starts a test provider and points org's single sign-on at it.
func ssoProvider(t *testing.T, s *servertest.Server, org *servertest.Org) *ssotest.Provider {
	t.Helper()
	p := ssotest.New(t, "caio-"+org.Slug, "secret-of-"+org.Slug)
	secret := p.ClientSecret
	if _, err := s.App.SetSSOSettings(org.Sys, app.SSOInput{Enabled: true, Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: &secret,
		Scopes: []string{"email profile groups"}, GroupRoles: ssoMapping, JIT: true, LocalLogin: true}); err != nil {
		t.Fatal(err)
	}
	yes := true
	p.Set(func(p *ssotest.Provider) {
		p.User = ssotest.User{Subject: "sub-ada", Email: "ada@" + org.Slug + ".example", EmailVerified: &yes, Name: "Ada Lovelace", Groups: []string{"caio-editors", "staff"}}
	})
	return p
}

// ssoBrowser is a browser that follows redirects, through the provider and back.
func ssoBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// ssoSignIn signs in from the sign-in page's single sign-on form.
func ssoSignIn(t *testing.T, s *servertest.Server, c *http.Client, org string) *servertest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/sso?org="+url.QueryEscape(org)+"&next=%2Fmembers", nil)
	return servertest.Request(t, c, req)
}

func wantBody(t *testing.T, res *servertest.Response, status int, want ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, res)
	}
	for _, w := range want {
		if !strings.Contains(string(res.Body), w) {
			t.Errorf("response lacks %q: %s", w, res)
		}
	}
}

func memberRole(t *testing.T, s *servertest.Server, org *servertest.Org, email string) caio.Role {
	t.Helper()
	ms, _, err := s.App.FindMembers(org.Sys, caio.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Email == email {
			return m.Role
		}
	}
	return ""
}

func auditActions(t *testing.T, s *servertest.Server, org *servertest.Org) string {
	t.Helper()
	evs, _, err := s.App.FindAuditEvents(org.Sys, caio.AuditFilter{Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(e.Action + " " + e.Actor + " " + string(e.Diff) + "\n")
	}
	return b.String()
}

// TestSSOLoginFlow signs in through a real OpenID Connect provider: the
// member is created just in time with the role of their group, a change of
// group changes the role at the next sign-in, the session is bound to the
// organisation, and someone in no mapped group is refused.
func TestSSOLoginFlow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		acme := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		p := ssoProvider(t, s, acme)
		email := "ada@acme.example"

		c := ssoBrowser(t)
		res := ssoSignIn(t, s, c, "acme")
		wantBody(t, res, http.StatusOK, "Members", email)
		if res.Request.URL.Path != "/members" {
			t.Errorf("landed on %s, want the next page /members", res.Request.URL)
		}
		if got := memberRole(t, s, acme, email); got != caio.RoleEditor {
			t.Fatalf("JIT member's role %q, want editor", got)
		}
		if st := p.Counts(); st.PKCEVerified != 1 || st.Tokens != 1 {
			t.Errorf("provider stats %+v: the client did not send a matching PKCE verifier", st)
		}
		log := auditActions(t, s, acme)
		for _, want := range []string{"sso.login " + email, `member.add ` + email, `"sso_jit"`, "sso.update system"} {
			if !strings.Contains(log, want) {
				t.Errorf("audit lacks %q:\n%s", want, log)
			}
		}
		// The JIT user has no password.
		if _, err := s.App.Login(context.Background(), email, "", "127.0.0.1"); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
			t.Errorf("password login of a JIT user: %v", err)
		}

		// A new group makes them admin at the next sign-in.
		p.Set(func(p *ssotest.Provider) { p.User.Groups = []string{"caio-admins", "caio-editors"} })
		c2 := ssoBrowser(t)
		wantBody(t, ssoSignIn(t, s, c2, "acme"), http.StatusOK, "Members")
		if got := memberRole(t, s, acme, email); got != caio.RoleAdmin {
			t.Fatalf("role after the group change %q, want admin", got)
		}
		if log := auditActions(t, s, acme); !strings.Contains(log, `member.role `+email) || !strings.Contains(log, `"sso_groups"`) {
			t.Errorf("audit lacks the role change:\n%s", log)
		}

		// The session of single sign-on is bound to acme: ada, also a
		// member of globex, cannot switch there, nor see it.
		if _, err := s.App.AddMember(other.Sys, app.MemberInput{Email: email, Role: caio.RoleViewer}); err != nil {
			t.Fatal(err)
		}
		home := servertest.Request(t, c2, mustReq(t, http.MethodGet, s.URL+"/", nil))
		if strings.Contains(string(home.Body), "Org globex") {
			t.Error("an SSO session of acme shows globex in the switcher")
		}
		sw := servertest.Request(t, c2, mustReq(t, http.MethodPost, s.URL+"/orgs/switch", url.Values{"org": {"globex"}}))
		wantBody(t, sw, http.StatusForbidden, "another organisation")

		// Switching single sign-on off ends its sessions.
		cfg0, _ := s.App.SSOSettings(acme.Sys)
		if _, err := s.App.SetSSOSettings(acme.Sys, inputOf(cfg0, func(in *app.SSOInput) { in.Enabled = false })); err != nil {
			t.Fatal(err)
		}
		if res := servertest.Request(t, c2, mustReq(t, http.MethodGet, s.URL+"/members", nil)); res.Request.URL.Path != "/orgs/new" {
			t.Errorf("an SSO session after single sign-on was switched off reached %s", res.Request.URL)
		}
		if _, err := s.App.SetSSOSettings(acme.Sys, inputOf(cfg0, func(in *app.SSOInput) {})); err != nil {
			t.Fatal(err)
		}

		// Out of every mapped group, with no default role: refused.
		p.Set(func(p *ssotest.Provider) { p.User.Groups = []string{"staff"} })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "none of the groups")
		// Someone new in no mapped group is refused too, and not created.
		p.Set(func(p *ssotest.Provider) { p.User.Email = "eve@acme.example"; p.User.Groups = nil })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "none of the groups")
		if memberRole(t, s, acme, "eve@acme.example") != "" {
			t.Error("a refused person became a member")
		}
		// A default role lets them in as that role.
		cfg, _ := s.App.SSOSettings(acme.Sys)
		if _, err := s.App.SetSSOSettings(acme.Sys, inputOf(cfg, func(in *app.SSOInput) { in.DefaultRole = caio.RoleViewer })); err != nil {
			t.Fatal(err)
		}
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusOK, "Members")
		if got := memberRole(t, s, acme, "eve@acme.example"); got != caio.RoleViewer {
			t.Errorf("default role %q, want viewer", got)
		}
		// JIT off: a new person is refused.
		if _, err := s.App.SetSSOSettings(acme.Sys, inputOf(cfg, func(in *app.SSOInput) { in.JIT = false; in.DefaultRole = caio.RoleViewer })); err != nil {
			t.Fatal(err)
		}
		p.Set(func(p *ssotest.Provider) { p.User.Email = "mallory@acme.example" })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "not a member of")
	})
}

func inputOf(c *caio.SSOConfig, change func(in *app.SSOInput)) app.SSOInput {
	in := app.SSOInput{Enabled: c.Enabled, Issuer: c.Issuer, ClientID: c.ClientID, Scopes: c.Scopes, GroupsClaim: c.GroupsClaim,
		GroupRoles: c.GroupRoles, DefaultRole: c.DefaultRole, JIT: c.JIT, Domains: c.Domains, LocalLogin: c.LocalLogin}
	change(&in)
	return in
}

func mustReq(t *testing.T, method, u string, form url.Values) *http.Request {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// stopAt returns a browser that stops before following a redirect to a
// path, so a test can hold or change a sign-in half-way.
func stopAt(t *testing.T, path string) *http.Client {
	c := ssoBrowser(t)
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == path {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return c
}

// TestSSORefusals proves each check of the sign-in: the provider refuses a
// verifier that does not match the challenge (so caio sends the real one),
// a state is good once and in one browser, the ID token's nonce, audience
// and expiry are checked, errors from the provider and an unreachable
// issuer give a clear page, and the email must be verified and allowed.
func TestSSORefusals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		acme := s.NewOrg(t, "acme")
		p := ssoProvider(t, s, acme)
		ctx := context.Background()

		// A wrong PKCE verifier: the provider refuses the code.
		c := stopAt(t, "/authorize")
		res := ssoSignIn(t, s, c, "acme")
		if res.StatusCode != http.StatusFound {
			t.Fatalf("start: %s", res)
		}
		if err := db.ExecRaw(ctx, `UPDATE sso_attempts SET verifier = $1`, strings.Repeat("x", 43)); err != nil {
			t.Fatal(err)
		}
		c.CheckRedirect = nil
		res = servertest.Request(t, c, mustReq(t, http.MethodGet, res.Header.Get("Location"), nil))
		wantBody(t, res, http.StatusUnauthorized, "refused to complete the sign-in", "PKCE verification failed")
		if st := p.Counts(); st.PKCEFailed == 0 || st.PKCEVerified != 0 || st.Tokens != 0 {
			t.Errorf("provider stats after a wrong verifier: %+v", st)
		}

		// A replayed state: the callback works once.
		c = stopAt(t, "/sso/callback")
		res = ssoSignIn(t, s, c, "acme")
		callback := res.Header.Get("Location")
		if res.StatusCode != http.StatusFound || !strings.Contains(callback, "/sso/callback?") {
			t.Fatalf("provider's answer: %s", res)
		}
		// In another browser, the callback is refused (and the state spent).
		wantBody(t, servertest.Request(t, ssoBrowser(t), mustReq(t, http.MethodGet, callback, nil)), http.StatusUnauthorized, "another browser")
		c = stopAt(t, "/sso/callback")
		res = ssoSignIn(t, s, c, "acme")
		callback = res.Header.Get("Location")
		c.CheckRedirect = nil
		wantBody(t, servertest.Request(t, c, mustReq(t, http.MethodGet, callback, nil)), http.StatusOK, "Members")
		wantBody(t, servertest.Request(t, c, mustReq(t, http.MethodGet, callback, nil)), http.StatusUnauthorized, "expired or was already used")
		wantBody(t, servertest.Request(t, ssoBrowser(t), mustReq(t, http.MethodGet, s.URL+"/sso/callback?code=x", nil)), http.StatusUnauthorized, "without the sign-in")

		// The ID token's checks.
		for _, k := range []struct {
			name string
			set  func(p *ssotest.Provider)
			want string
		}{
			{"wrong nonce", func(p *ssotest.Provider) { p.Nonce = "not-this-sign-in" }, "nonce"},
			{"wrong audience", func(p *ssotest.Provider) { p.Audience = "another-client" }, "could not be verified"},
			{"expired", func(p *ssotest.Provider) { p.Lifetime = -time.Minute }, "expired"},
			{"error from the provider", func(p *ssotest.Provider) { p.AuthError = "access_denied" }, "did not sign you in (access_denied"},
		} {
			p.Set(k.set)
			res := ssoSignIn(t, s, ssoBrowser(t), "acme")
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(res.Body), k.want) {
				t.Errorf("%s: %s", k.name, res)
			}
			p.Set(func(p *ssotest.Provider) { p.Nonce, p.Audience, p.Lifetime, p.AuthError = "", "", 5*time.Minute, "" })
		}

		// The email: required, verified when the provider says, in an allowed domain.
		no := false
		p.Set(func(p *ssotest.Provider) { p.User.EmailVerified = &no })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "not verified")
		p.Set(func(p *ssotest.Provider) { p.User.EmailVerified = nil; p.User.Email = "" })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "did not send your email")
		p.Set(func(p *ssotest.Provider) { p.User.Email = "ada@acme.example" })
		cfg, _ := s.App.SSOSettings(acme.Sys)
		if _, err := s.App.SetSSOSettings(acme.Sys, inputOf(cfg, func(in *app.SSOInput) { in.Domains = []string{"acme.test"} })); err != nil {
			t.Fatal(err)
		}
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusForbidden, "only for email addresses at acme.test")
		// The sign-in page finds the organisation from a work email in its domain.
		res = servertest.Request(t, stopAt(t, "/authorize"), mustReq(t, http.MethodGet, s.URL+"/sso?org=someone%40acme.test", nil))
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), p.URL+"/authorize?") {
			t.Errorf("sign-in by work email: %s", res)
		}
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "someone@nowhere.test"), http.StatusUnprocessableEntity, "domain no organisation")
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "initech"), http.StatusUnprocessableEntity, "no organisation with single sign-on")

		// An unreachable issuer gives a clear page.
		p.Close()
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusServiceUnavailable, "could not be reached")
	})
}

// TestSSOLocalLoginOff switches password sign-in off for an organisation:
// it needs a tested discovery first; then password sessions cannot enter
// the organisation while API tokens keep working; the break-glass switches
// it back on.
func TestSSOLocalLoginOff(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		acme := s.NewOrg(t, "acme")
		globex := s.NewOrg(t, "globex")
		p := ssoProvider(t, s, acme)
		owner := acme.Members[caio.RoleOwner]
		editor := acme.Members[caio.RoleEditor]
		// The editor of acme is also a viewer of globex.
		if _, err := s.App.AddMember(globex.Sys, app.MemberInput{Email: editor.Email, Role: caio.RoleViewer}); err != nil {
			t.Fatal(err)
		}
		before := s.Login(t, owner.Email, servertest.Password) // a password session in acme

		b := s.Login(t, owner.Email, servertest.Password)
		page := b.Get(t, "/settings/sso")
		wantBody(t, page, http.StatusOK, "Single sign-on", s.URL+"/sso/callback", "Not tested")
		form := url.Values{"enabled": {"on"}, "issuer": {p.Issuer()}, "client_id": {p.ClientID}, "group_roles": {"caio-editors = editor"}, "jit": {"on"}}
		// Off before discovery was tested: refused, naming the field.
		wantBody(t, b.PostForm(t, "/settings/sso", form), http.StatusUnprocessableEntity, "Local login can be switched off only after", `value="`+p.ClientID+`"`)
		res := b.PostForm(t, "/settings/sso/test", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("test discovery: %s", res)
		}
		wantBody(t, b.Get(t, "/settings/sso"), http.StatusOK, "Discovery worked", "Worked on")
		if res := b.PostForm(t, "/settings/sso", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("switching local login off: %s", res)
		}
		if log := auditActions(t, s, acme); !strings.Contains(log, "sso.test") || !strings.Contains(log, `"local_login":[true,false]`) {
			t.Errorf("audit of the switch:\n%s", log)
		}

		// The password session that was in acme has lost it.
		if res := before.Get(t, "/objectives"); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/orgs/new") {
			t.Errorf("an old password session in acme: %s", res)
		}
		// A password sign-in of someone only in acme is refused, pointing to single sign-on.
		anon := s.NewBrowser(t)
		wantBody(t, anon.PostForm(t, "/login", url.Values{"email": {owner.Email}, "password": {servertest.Password}}), http.StatusForbidden, "single sign-on only")
		// Someone also in globex lands in globex, and cannot switch to acme.
		eb := s.Login(t, editor.Email, servertest.Password)
		wantBody(t, eb.Get(t, "/"), http.StatusOK, "Org globex")
		wantBody(t, eb.PostForm(t, "/orgs/switch", url.Values{"org": {"acme"}}), http.StatusForbidden, "accepts only its single sign-on")
		// API tokens keep working.
		s.Do(t, http.MethodGet, "/api/v1/objectives", acme.Token(caio.RoleEditor), nil).Want(t, http.StatusOK)
		// Single sign-on still enters acme.
		p.Set(func(p *ssotest.Provider) { p.User.Email = editor.Email; p.User.Groups = []string{"caio-editors"} })
		wantBody(t, ssoSignIn(t, s, ssoBrowser(t), "acme"), http.StatusOK, "Members")

		// Break-glass: local login on again, from the command line's system actor.
		if _, err := s.App.SetLocalLogin(acme.Sys, true); err != nil {
			t.Fatal(err)
		}
		s.Login(t, owner.Email, servertest.Password)
		if _, err := s.App.SetLocalLogin(caio.WithActor(context.Background(), owner.Actor(acme)), true); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("break-glass by a member, not the system: %v", err)
		}
	})
}

// TestSSOSettingsRoles checks who may see and change the settings, that the
// secret never comes back, and that a bad form keeps what was typed.
func TestSSOSettingsRoles(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		t.Cleanup(func() { recordViews(s) })
		acme := s.NewOrg(t, "acme")
		for _, r := range caio.Roles {
			b := s.Login(t, acme.Members[r].Email, servertest.Password)
			res := b.Get(t, "/settings/sso")
			want := http.StatusForbidden
			if caio.Can(r, caio.PermManageOrg) {
				want = http.StatusOK
			}
			if res.StatusCode != want {
				t.Errorf("%s: GET /settings/sso %d, want %d", r, res.StatusCode, want)
			}
			res = b.PostForm(t, "/settings/sso", url.Values{"issuer": {"https://idp.example"}, "local_login": {"on"}})
			if want == http.StatusOK {
				want = http.StatusSeeOther
			}
			if res.StatusCode != want {
				t.Errorf("%s: POST /settings/sso %d, want %d", r, res.StatusCode, want)
			}
			api := s.Do(t, http.MethodGet, "/api/v1/sso", acme.Token(r), nil)
			if caio.Can(r, caio.PermManageOrg) != (api.StatusCode == http.StatusOK) {
				t.Errorf("%s: GET /api/v1/sso: %s", r, api)
			}
		}
		// The owner: only owners may choose the provider and owner lines.
		b := s.Login(t, acme.Members[caio.RoleOwner].Email, servertest.Password)
		secret := "do-not-show-this-secret"
		bad := url.Values{"enabled": {"on"}, "issuer": {"ftp://idp.example"}, "client_id": {"caio-web"}, "client_secret": {secret},
			"group_roles": {"caio-admins = admin\nno role here\nboss = owner"}, "default_role": {"owner"}, "allowed_domains": {"acme.test, not a domain"}}
		res := b.PostForm(t, "/settings/sso", bad)
		wantBody(t, res, http.StatusUnprocessableEntity, "line 2 must read: group = role", `value="caio-web"`, "no role here")
		if strings.Contains(string(res.Body), secret) {
			t.Error("the form showed the secret back")
		}
		bad["group_roles"] = []string{"caio-admins = admin"}
		res = b.PostForm(t, "/settings/sso", bad)
		wantBody(t, res, http.StatusUnprocessableEntity, "Issuer URL must be an https URL", "Default role may not be owner", "not a domain", `value="caio-web"`)
		good := url.Values{"enabled": {"on"}, "issuer": {"https://idp.example/realms/acme"}, "client_id": {"caio-web"}, "client_secret": {secret},
			"group_roles": {"caio-admins = admin\nboss = owner"}, "local_login": {"on"}, "jit": {"on"}, "allowed_domains": {"@ACME.test"}}
		if res := b.PostForm(t, "/settings/sso", good); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %s", res)
		}
		page := b.Get(t, "/settings/sso")
		wantBody(t, page, http.StatusOK, "Set (never shown)", "boss = owner", "acme.test", "Single sign-on settings saved")
		if strings.Contains(string(page.Body), secret) {
			t.Error("the settings page shows the secret")
		}
		// Saving without a secret keeps it.
		delete(good, "client_secret")
		if res := b.PostForm(t, "/settings/sso", good); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save without the secret: %s", res)
		}
		// The API: write-only secret, named fields.
		tok := acme.Token(caio.RoleOwner)
		got := s.Do(t, http.MethodGet, "/api/v1/sso", tok, nil).Want(t, http.StatusOK)
		if strings.Contains(string(got.Body), secret) || !strings.Contains(string(got.Body), `"client_secret_set":true`) || !strings.Contains(string(got.Body), `"redirect_path":"/sso/callback"`) {
			t.Errorf("GET /api/v1/sso: %s", got)
		}
		put := s.Do(t, http.MethodPut, "/api/v1/sso", tok, map[string]any{"enabled": true, "issuer": "https://idp.example/realms/acme", "client_id": "caio-api",
			"group_roles": []map[string]string{{"group": "g", "role": "editor"}}, "jit": true, "local_login": false})
		if put.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(put.Problem(t).Locations(), " "), "body.local_login") {
			t.Errorf("PUT switching local login off untested: %s", put)
		}
		put = s.Do(t, http.MethodPut, "/api/v1/sso", tok, map[string]any{"enabled": true, "issuer": "https://idp.example/realms/acme", "client_id": "caio-api",
			"group_roles": []map[string]string{{"group": "g", "role": "editor"}}, "jit": true, "local_login": true, "client_secret": "another-secret"})
		if put.StatusCode != http.StatusOK || strings.Contains(string(put.Body), "another-secret") || !strings.Contains(string(put.Body), `"client_id":"caio-api"`) {
			t.Errorf("PUT /api/v1/sso: %s", put)
		}
		s.Do(t, http.MethodPost, "/api/v1/sso/test", acme.Token(caio.RoleViewer), nil).Want(t, http.StatusForbidden)
		if log := auditActions(t, s, acme); strings.Contains(log, secret) || strings.Contains(log, "another-secret") || !strings.Contains(log, `"replaced"`) {
			t.Errorf("the audit trail holds a secret, or not its replacement:\n%s", log)
		}
	})
}
