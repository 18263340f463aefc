package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/caio-office/caio/internal/sso/ssotest"
)

// Single sign-on settings have no id in their routes: each caller reads and
// changes their own organisation's. Alpha's settings, saved but switched
// off, carry a client ID that bravo's lists and pages must never show.
//
// GET /sso/{org}/start names an organisation by its slug and is public by
// design (the way in from the sign-in page): it answers 404 for an
// organisation without single sign-on, whoever asks, which alpha is while
// bravo tries; for the control request alpha gets a provider and the start
// sends the browser there.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			if tag != "fixture" {
				return map[string]string{"/sso/{org}": org.Slug}
			}
			secret := "alpha-sso-secret-fixture"
			if _, err := s.App.SetSSOSettings(org.Sys, app.SSOInput{Issuer: "https://idp.example/realms/alpha", ClientID: "alpha-sso-client-fixture",
				ClientSecret: &secret, GroupRoles: []caio.GroupRole{{Group: "alpha-sso-group-fixture", Role: caio.RoleEditor}}, LocalLogin: true}); err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/sso/{org}": org.Slug, "sso client id": "alpha-sso-client-fixture", "sso group": "alpha-sso-group-fixture", "sso secret": secret}
		},
		routeObjects: map[string]func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string){
			"GET /sso/{org}/start": func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string) {
				p := ssotest.New(t, "alpha-control", "alpha-control-secret")
				secret := p.ClientSecret
				if _, err := s.App.SetSSOSettings(org.Sys, app.SSOInput{Enabled: true, Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: &secret,
					DefaultRole: caio.RoleViewer, LocalLogin: true}); err != nil {
					t.Fatal(err)
				}
				m["/sso/{org}"] = org.Slug
			},
		},
		apiLists: []string{"/api/v1/sso"},
		pages:    []string{"/settings/sso"},
	})
}

// TestSSOSettingsIsolation: an admin of one organisation reads and
// changes only their own single sign-on, through the API and the page.
func TestSSOSettingsIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha, bravo := s.NewOrg(t, "alpha"), s.NewOrg(t, "bravo")
		secret := "alpha-secret"
		if _, err := s.App.SetSSOSettings(alpha.Sys, app.SSOInput{Enabled: true, Issuer: "https://idp.example/realms/alpha", ClientID: "alpha-client",
			ClientSecret: &secret, DefaultRole: caio.RoleViewer, LocalLogin: true}); err != nil {
			t.Fatal(err)
		}
		tok := bravo.Token(caio.RoleOwner) // only an owner may change the provider
		res := s.Do(t, http.MethodGet, "/api/v1/sso", tok, nil).Want(t, http.StatusOK)
		if strings.Contains(string(res.Body), "alpha") {
			t.Errorf("bravo reads alpha's settings: %s", res)
		}
		s.Do(t, http.MethodPut, "/api/v1/sso", tok, map[string]any{"enabled": false, "issuer": "https://evil.example", "client_id": "evil", "jit": true, "local_login": true}).Want(t, http.StatusOK)
		b := s.Login(t, bravo.Members[caio.RoleAdmin].Email, servertest.Password)
		page := b.Get(t, "/settings/sso").Want(t, http.StatusOK)
		if strings.Contains(string(page.Body), "alpha") {
			t.Error("bravo's page shows alpha's settings")
		}
		got, err := s.App.SSOSettings(alpha.Sys)
		if err != nil || got.ClientID != "alpha-client" || got.Issuer != "https://idp.example/realms/alpha" || !got.Enabled {
			t.Errorf("alpha's settings after bravo's change: %+v %v", got, err)
		}
	})
}
