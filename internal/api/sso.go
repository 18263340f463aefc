package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
)

// Single sign-on settings of the organisation (docs/sso.md). The client
// secret can be written, never read back.

const ssoTag = "Single sign-on"

func init() { registrars = append(registrars, (*API).registerSSO) }

// SSOBody is what an admin sets. client_secret is write-only: left out,
// the stored secret is kept.
type SSOBody struct {
	Enabled        bool             `json:"enabled" doc:"Single sign-on is on."`
	Issuer         string           `json:"issuer" maxLength:"500" doc:"The provider's issuer URL, exactly as its discovery document names it; https (http only for localhost)."`
	ClientID       string           `json:"client_id" maxLength:"500"`
	ClientSecret   *string          `json:"client_secret,omitempty" maxLength:"2000" doc:"Write-only. Left out, the stored secret is kept."`
	Scopes         []string         `json:"scopes,omitempty" maxItems:"20" doc:"Scopes besides openid; default email and profile."`
	GroupsClaim    string           `json:"groups_claim,omitempty" maxLength:"100" doc:"The ID token claim with the groups (default groups); a dotted path reaches nested claims."`
	GroupRoles     []caio.GroupRole `json:"group_roles,omitempty" maxItems:"200" doc:"Groups and the role they give; the most powerful match wins."`
	DefaultRole    string           `json:"default_role,omitempty" doc:"Role of a new member in no mapped group; empty refuses them. Never owner."`
	JIT            bool             `json:"jit" doc:"Add people as members at their first sign-in."`
	AllowedDomains []string         `json:"allowed_domains,omitempty" maxItems:"50" doc:"Only these email domains may sign in this way; empty allows any."`
	LocalLogin     bool             `json:"local_login" doc:"Allow password sessions in this organisation. Off needs single sign-on on and a successful discovery test."`
}

type ssoOut struct {
	Body *SSOView
}

// SSOView is the configuration as it is shown, with the redirect URI to
// register at the provider.
type SSOView struct {
	caio.SSOConfig
	RedirectPath string `json:"redirect_path" doc:"caio's callback path: register the server's base URL followed by this path at the provider."`
}

func ssoView(c *caio.SSOConfig) *ssoOut {
	return &ssoOut{Body: &SSOView{SSOConfig: *c, RedirectPath: "/sso/callback"}}
}

func (api *API) registerSSO() {
	huma.Register(api, op(http.MethodGet, "/sso", "get-sso", "Get the organisation's single sign-on settings (the secret only as set or not)", ssoTag),
		func(ctx context.Context, in *struct{}) (*ssoOut, error) {
			c, err := api.app.SSOSettings(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return ssoView(c), nil
		})

	huma.Register(api, op(http.MethodPut, "/sso", "set-sso", "Replace the organisation's single sign-on settings", ssoTag),
		func(ctx context.Context, in *struct{ Body SSOBody }) (*ssoOut, error) {
			b := in.Body
			c, err := api.app.SetSSOSettings(ctx, app.SSOInput{
				Enabled: b.Enabled, Issuer: b.Issuer, ClientID: b.ClientID, ClientSecret: b.ClientSecret, Scopes: b.Scopes,
				GroupsClaim: b.GroupsClaim, GroupRoles: b.GroupRoles, DefaultRole: caio.Role(b.DefaultRole), JIT: b.JIT,
				Domains: b.AllowedDomains, LocalLogin: b.LocalLogin,
			})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return ssoView(c), nil
		})

	test := op(http.MethodPost, "/sso/test", "test-sso", "Test discovery of the saved issuer and record that it worked", ssoTag)
	test.Errors = append(test.Errors, http.StatusServiceUnavailable)
	huma.Register(api, test,
		func(ctx context.Context, in *struct{}) (*ssoOut, error) {
			c, err := api.app.TestSSO(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return ssoView(c), nil
		})
}
