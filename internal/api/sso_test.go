package api_test

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sso/ssotest"
)

func init() {
	roleCases = append(roleCases,
		// App.SSOSettings, TestSSO: PermManageOrg. SetSSOSettings: PermManageOrg,
		// and PermManageOwners to choose the provider (as here) or owner lines.
		roleCase{name: "get single sign-on", op: "GET /sso", perm: caio.PermManageOrg, req: fixed("/api/v1/sso", nil), ok: 200},
		roleCase{name: "set single sign-on", op: "PUT /sso", perm: caio.PermManageOwners, ok: 200, req: fixed("/api/v1/sso", map[string]any{
			"enabled": true, "issuer": "https://idp.example/realms/acme", "client_id": "caio", "client_secret": "s3cret",
			"group_roles": []map[string]string{{"group": "caio-admins", "role": "admin"}}, "jit": true, "local_login": true})},
		roleCase{name: "test single sign-on", op: "POST /sso/test", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			p := ssotest.New(t, "caio", "s3cret")
			secret := p.ClientSecret
			if _, err := e.s.App.SetSSOSettings(e.org.Sys, app.SSOInput{Enabled: true, Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: &secret,
				DefaultRole: caio.RoleViewer, LocalLogin: true}); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/sso/test", nil
		}},
	)
}
