package server_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestSecureHeaders checks the headers that every response carries: pages,
// API calls, errors and assets alike.
func TestSecureHeaders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		b := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		responses := map[string]*servertest.Response{
			"sign-in page":  s.Do(t, "GET", "/login", "", nil),
			"home page":     b.Get(t, "/"),
			"error page":    b.Get(t, "/objectives/obj_missing"),
			"API call":      s.Do(t, "GET", "/api/v1/me", org.Token(caio.RoleViewer), nil),
			"API 401":       s.Do(t, "GET", "/api/v1/me", "", nil),
			"OpenAPI":       s.Do(t, "GET", "/api/v1/openapi.json", "", nil),
			"unknown path":  s.Do(t, "GET", "/no/such/page", "", nil),
			"refused write": b.PostForm(t, "/objectives", url.Values{"title": {"x"}}),
		}
		for name, res := range responses {
			t.Run(name, func(t *testing.T) {
				if res.StatusCode >= 500 {
					t.Fatalf("server error: %s", res)
				}
				h := res.Header
				csp := h.Get("Content-Security-Policy")
				directives := map[string]string{}
				for _, d := range strings.Split(csp, ";") {
					k, v, _ := strings.Cut(strings.TrimSpace(d), " ")
					directives[k] = v
				}
				script, ok := directives["script-src"]
				if !ok {
					script = directives["default-src"]
				}
				if script == "" || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*") {
					t.Errorf("script-src %q: want only our own scripts (CSP %q)", script, csp)
				}
				if directives["frame-ancestors"] != "'none'" {
					t.Errorf("frame-ancestors %q, want 'none' (CSP %q)", directives["frame-ancestors"], csp)
				}
				if directives["object-src"] != "'none'" {
					t.Errorf("object-src %q, want 'none'", directives["object-src"])
				}
				want := map[string]string{
					"X-Content-Type-Options": "nosniff",
					"X-Frame-Options":        "DENY",
					"Referrer-Policy":        "same-origin",
				}
				for k, v := range want {
					if got := h.Get(k); got != v {
						t.Errorf("%s: %q, want %q", k, got, v)
					}
				}
				if h.Get("Strict-Transport-Security") != "" {
					t.Error("HSTS sent over plain HTTP")
				}
				if h.Get("X-Request-Id") == "" {
					t.Error("no X-Request-Id")
				}
			})
		}

		// Behind TLS, HSTS is sent too.
		tls := servertest.NewWith(t, db, servertest.Options{Config: server.Config{SecureCookies: true}})
		if hsts := tls.Do(t, "GET", "/login", "", nil).Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Errorf("Strict-Transport-Security %q with SecureCookies", hsts)
		}
	})
}

// TestCrossOriginForm checks that a form posted from another site, carrying
// the victim's session cookie, is refused and writes nothing, while the same
// form from caio's own pages goes through.
func TestCrossOriginForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		tests := []struct {
			name    string
			path    string
			form    url.Values
			headers map[string]string
			want    int
		}{
			{"cross-site create", "/objectives", url.Values{"title": {"Planted"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"cross-site delete", "/objectives/" + obj.ID + "/delete", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"same-site sibling", "/objectives", url.Values{"title": {"Planted"}}, map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
			{"foreign Origin, old browser", "/objectives", url.Values{"title": {"Planted"}}, map[string]string{"Origin": "https://evil.example"}, 403},
			{"cross-site member added", "/members", url.Values{"email": {"mallory@evil.example"}, "role": {"owner"}, "password": {servertest.Password}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"cross-site sign-out", "/logout", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"same origin", "/objectives", url.Values{"title": {"Mine"}}, map[string]string{"Sec-Fetch-Site": "same-origin"}, 303},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.Count(t, org)
				req := s.NewRequest(t, "POST", tc.path, "", tc.form)
				for k, v := range tc.headers {
					req.Header.Set(k, v)
				}
				res := b.Do(t, req).Want(t, tc.want)
				after := s.Count(t, org)
				if tc.want == http.StatusForbidden && after != before {
					t.Errorf("refused, yet counts changed from %+v to %+v", before, after)
				}
				if tc.want == http.StatusSeeOther && after.Objectives != before.Objectives+1 {
					t.Errorf("same-origin form did not create: %+v to %+v (%s)", before, after, res)
				}
			})
		}
		// The session survived the cross-site sign-out attempt.
		b.Get(t, "/").Want(t, http.StatusOK)
	})
}

// TestSessionCookie checks the attributes of the session cookie, and that
// signing out ends the session on the server, not just in the browser.
func TestSessionCookie(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, secure := range []bool{false, true} {
			s := servertest.NewWith(t, db, servertest.Options{Config: server.Config{SecureCookies: secure}})
			email := "owner@plain.test"
			slug := "plain"
			if secure {
				email, slug = "owner@tls.test", "tls"
			}
			s.NewOrg(t, slug)
			res := s.Do(t, "POST", "/login", "", url.Values{"email": {email}, "password": {servertest.Password}}).Want(t, http.StatusSeeOther)
			var c *http.Cookie
			for _, x := range res.Cookies() {
				if x.Name == servertest.SessionCookie {
					c = x
				}
			}
			if c == nil {
				t.Fatalf("no session cookie: %v", res.Header["Set-Cookie"])
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure || len(c.Value) < 32 {
				t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax, Path=/, Secure=%v and a long secret", c.String(), secure)
			}

			// Signing out revokes the session itself: the old cookie no longer works.
			b := s.NewBrowser(t)
			req := s.NewRequest(t, "GET", "/", "", nil)
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			b.Do(t, req).Want(t, http.StatusOK)
			req = s.NewRequest(t, "POST", "/logout", "", url.Values{})
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			b.Do(t, req).Want(t, http.StatusSeeOther)
			req = s.NewRequest(t, "GET", "/", "", nil)
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			if res := b.Do(t, req).Want(t, http.StatusSeeOther); !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("old session after sign-out goes to %q, want the sign-in page", res.Header.Get("Location"))
			}
		}
	})
}

// TestLoginRateLimit checks that ten failed sign-ins lock out further
// attempts, even with the right password.
func TestLoginRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		email := org.Members[caio.RoleOwner].Email
		for i := 1; i <= 10; i++ {
			s.Do(t, "POST", "/login", "", url.Values{"email": {email}, "password": {"guess number " + string(rune('0'+i%10))}}).Want(t, http.StatusUnauthorized)
		}
		res := s.Do(t, "POST", "/login", "", url.Values{"email": {email}, "password": {servertest.Password}}).Want(t, http.StatusTooManyRequests)
		if !strings.Contains(string(res.Body), "Too many") {
			t.Errorf("429 page does not say why: %s", res)
		}
		for _, c := range res.Cookies() {
			if c.Name == servertest.SessionCookie && c.Value != "" {
				t.Error("a session was started while rate limited")
			}
		}
		// Another person, from the same address, is limited too: the
		// address has used up its attempts.
		other := org.Members[caio.RoleViewer].Email
		s.Do(t, "POST", "/login", "", url.Values{"email": {other}, "password": {servertest.Password}}).Want(t, http.StatusTooManyRequests)
	})
}

// TestLoginRedirect checks that the page to return to after sign-in is
// always on caio itself.
func TestLoginRedirect(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		email := org.Members[caio.RoleViewer].Email
		hidden := regexp.MustCompile(`name="next" value="([^"]*)"`)
		tests := []struct{ next, want string }{
			{"//evil.example", "/"},
			{"https://evil.example/", "/"},
			{"/\\evil.example", "/"},
			{"javascript:alert(1)", "/"},
			{"evil.example", "/"},
			{"", "/"},
			{"/objectives?sort=title", "/objectives?sort=title"},
		}
		for _, tc := range tests {
			t.Run(tc.next, func(t *testing.T) {
				b := s.NewBrowser(t)
				page := b.Get(t, "/login?next="+url.QueryEscape(tc.next)).Want(t, http.StatusOK)
				m := hidden.FindSubmatch(page.Body)
				if m == nil {
					t.Fatalf("sign-in form has no next field: %s", page)
				}
				next := html.UnescapeString(string(m[1]))
				res := b.PostForm(t, "/login", url.Values{"email": {email}, "password": {servertest.Password}, "next": {next}}).Want(t, http.StatusSeeOther)
				if loc := res.Header.Get("Location"); loc != tc.want {
					t.Errorf("after sign-in with next=%q: Location %q, want %q", tc.next, loc, tc.want)
				}
			})
		}
	})
}
