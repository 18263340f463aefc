package web_test

import (
	"net/http"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/caio-office/caio/internal/sso/ssotest"
)

// TestSSOReviewAdminCannotBecomeOwner: an admin (org.manage, not
// owners.manage) must not be able to point single sign-on at a provider they
// control and come back as an owner, either through a mapping line that gives
// owner or by having their provider assert an existing owner's email.
func TestSSOReviewAdminCannotBecomeOwner(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		acme := s.NewOrg(t, "acme")
		admin, owner := acme.Members[caio.RoleAdmin], acme.Members[caio.RoleOwner]
		evil := ssotest.New(t, "evil-client", "evil-secret")
		yes := true
		tok := acme.Token(caio.RoleAdmin)
		body := func(groups []map[string]string) map[string]any {
			return map[string]any{"enabled": true, "issuer": evil.Issuer(), "client_id": evil.ClientID, "client_secret": evil.ClientSecret,
				"scopes": []string{"email", "profile", "groups"}, "group_roles": groups, "jit": true, "local_login": true}
		}

		// 1. A mapping line that gives owner.
		res := s.Do(t, http.MethodPut, "/api/v1/sso", tok, body([]map[string]string{{"group": "pwn", "role": "owner"}}))
		if res.StatusCode == http.StatusOK {
			evil.Set(func(p *ssotest.Provider) {
				p.User = ssotest.User{Subject: "sub-admin", Email: admin.Email, EmailVerified: &yes, Groups: []string{"pwn"}}
			})
			ssoSignIn(t, s, ssoBrowser(t), "acme")
		}
		if got := memberRole(t, s, acme, admin.Email); got == caio.RoleOwner {
			t.Errorf("an admin made themselves owner through an owner mapping of their own provider (PUT: %d)", res.StatusCode)
		}

		// 2. Their own provider asserting the owner's email.
		res = s.Do(t, http.MethodPut, "/api/v1/sso", tok, body([]map[string]string{{"group": "x", "role": "viewer"}}))
		if res.StatusCode == http.StatusOK {
			evil.Set(func(p *ssotest.Provider) {
				p.User = ssotest.User{Subject: "sub-owner", Email: owner.Email, EmailVerified: &yes, Groups: []string{}}
			})
			c := ssoBrowser(t)
			ssoSignIn(t, s, c, "acme")
			page := servertest.Request(t, c, s.NewRequest(t, http.MethodGet, "/settings/sso", "", nil))
			if page.StatusCode == http.StatusOK {
				t.Errorf("an admin's provider signed in as the owner %s", owner.Email)
			}
		} else if res.StatusCode != http.StatusForbidden {
			t.Errorf("PUT by an admin changing the provider: %s", res)
		}

		// Owners may still set the provider up, with owner lines.
		s.Do(t, http.MethodPut, "/api/v1/sso", acme.Token(caio.RoleOwner), body([]map[string]string{{"group": "boss", "role": "owner"}})).Want(t, http.StatusOK)
		// And admins may still change what does not decide who is vouched
		// for: a non-owner line, the default role, JIT, domains, local login.
		b := body([]map[string]string{{"group": "boss", "role": "owner"}, {"group": "staff", "role": "editor"}})
		delete(b, "client_secret")
		b["default_role"] = "viewer"
		s.Do(t, http.MethodPut, "/api/v1/sso", tok, b).Want(t, http.StatusOK)
	})
}

// TestSSOReviewAdminLineCannotDemoteOwner: removing the owner role needs
// owners.manage. An admin may edit the lines that give roles below owner,
// but such a line must not take an owner's role away at their next
// sign-in: without an owner line (which only owners set) the provider's
// groups leave owners as they are.
func TestSSOReviewAdminLineCannotDemoteOwner(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		acme := s.NewOrg(t, "acme")
		p := ssoProvider(t, s, acme) // set by the system: editors, admins, viewers; no owner line
		second := s.AddMember(t, acme, "second-owner@acme.example", caio.RoleOwner)
		lines := []map[string]string{{"group": "staff", "role": "viewer"}}
		for _, g := range ssoMapping {
			lines = append(lines, map[string]string{"group": g.Group, "role": string(g.Role)})
		}
		cfg, err := s.App.SSOSettings(acme.Sys)
		if err != nil {
			t.Fatal(err)
		}
		s.Do(t, http.MethodPut, "/api/v1/sso", acme.Token(caio.RoleAdmin), map[string]any{"enabled": true, "issuer": cfg.Issuer, "client_id": cfg.ClientID,
			"scopes": cfg.Scopes, "group_roles": lines, "jit": true, "local_login": true}).Want(t, http.StatusOK)
		yes := true
		p.Set(func(p *ssotest.Provider) {
			p.User = ssotest.User{Subject: "sub-2", Email: second.Email, EmailVerified: &yes, Groups: []string{"staff"}}
		})
		ssoSignIn(t, s, ssoBrowser(t), "acme")
		if got := memberRole(t, s, acme, second.Email); got != caio.RoleOwner {
			t.Errorf("an owner's role after signing in with a group an admin mapped: %q, want owner", got)
		}
	})
}
