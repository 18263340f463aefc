// Package sso is caio's OpenID Connect client: discovery of a provider,
// the authorization request with PKCE (S256) and a nonce, the code
// exchange, and the verification of the ID token (signature, issuer,
// audience, expiry, nonce). It knows nothing of organisations, roles or the
// database: internal/app decides what a verified identity may do.
package sso

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Timeout bounds every request to a provider, so an unreachable issuer
// gives a clear page instead of a hung sign-in.
const Timeout = 10 * time.Second

// HTTPClient returns the client used to reach providers: a time limit, and
// at most three redirects.
func HTTPClient() *http.Client {
	return &http.Client{
		Timeout: Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}

// Provider is a discovered OpenID Connect provider with the client
// settings of one organisation.
type Provider struct {
	p     *oidc.Provider
	oauth oauth2.Config
	hc    *http.Client
}

// Discover reads the provider's discovery document at
// issuer/.well-known/openid-configuration. The issuer it names must be the
// issuer asked for. Errors are EUNAVAILABLE with a message for people:
// discovery failing is the most common misconfiguration.
func Discover(ctx context.Context, hc *http.Client, cfg *caio.SSOConfig, redirectURI string) (*Provider, error) {
	if hc == nil {
		hc = HTTPClient()
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, hc), Timeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		var mismatch *oidc.IssuerMismatchError
		if errors.As(err, &mismatch) {
			return nil, caio.Errorf(caio.EUNAVAILABLE, "The provider's discovery document names the issuer %q, not %q: set the issuer URL exactly as the provider names it.", mismatch.Discovered, mismatch.Provided)
		}
		return nil, caio.Errorf(caio.EUNAVAILABLE, "The identity provider could not be reached or did not answer with an OpenID Connect discovery document at %s/.well-known/openid-configuration (%s).", cfg.Issuer, short(err))
	}
	scopes := append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	if len(cfg.Scopes) == 0 {
		scopes = append(scopes, caio.DefaultSSOScopes...)
	}
	return &Provider{p: p, hc: hc, oauth: oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: redirectURI, Scopes: scopes,
	}}, nil
}

// short says what failed (a refused connection, a time-out, a status)
// in a length that fits on a page, never with the response body: the
// issuer URL is typed by an admin and could point anywhere.
func short(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "no answer within " + Timeout.String()
		}
		return "connection failed: " + cut(ue.Err.Error(), 120)
	}
	s := err.Error()
	if len(s) >= 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' {
		status, _, _ := strings.Cut(s, ":")
		return "HTTP " + status
	}
	return cut(s, 120)
}

// AuthCodeURL is where the browser goes to sign in: the code flow with the
// state, the nonce and the S256 challenge of the verifier.
func (p *Provider) AuthCodeURL(state, nonce, verifier string) string {
	return p.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// Identity is what a verified ID token says about the person.
type Identity struct {
	Subject string
	Email   string
	// EmailVerified is nil when the token has no email_verified claim.
	EmailVerified *bool
	Name          string
	Groups        []string
}

// Exchange redeems the code with the verifier and the client secret, and
// verifies the ID token: signature against the provider's keys, issuer,
// audience (the client ID), expiry, and the nonce of this sign-in.
// groupsClaim names the claim that lists groups. Errors are EUNAUTHORIZED
// (the provider refused, or the token is not good) or EUNAVAILABLE (the
// provider could not be reached), with a message for people.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce, groupsClaim string, now func() time.Time) (*Identity, error) {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, p.hc), Timeout)
	defer cancel()
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			msg := re.ErrorCode
			if msg == "" {
				msg = fmt.Sprintf("status %d", re.Response.StatusCode)
			}
			if re.ErrorDescription != "" {
				msg += ": " + re.ErrorDescription
			}
			return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider refused to complete the sign-in (%s). Check the client ID and secret, and try again.", cut(msg, 200))
		}
		return nil, caio.Errorf(caio.EUNAVAILABLE, "The identity provider could not be reached to complete the sign-in (%s).", short(err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider sent no ID token: check that the client is an OpenID Connect client and the openid scope is allowed.")
	}
	v := p.p.VerifierContext(ctx, &oidc.Config{ClientID: p.oauth.ClientID, Now: now})
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider's ID token had expired: check the clocks of this server and the provider, and sign in again.")
		}
		if strings.Contains(err.Error(), "fetching keys") {
			// go-oidc puts the key endpoint's answer in this error, and
			// jwks_uri is whatever the discovery document names: say what
			// failed, never what came back.
			return nil, caio.Errorf(caio.EUNAVAILABLE, "The identity provider's signing keys (the jwks_uri of its discovery document) could not be fetched or read, so its ID token could not be verified.")
		}
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider's ID token could not be verified (%s).", short(err))
	}
	if idt.Nonce == "" || idt.Nonce != nonce {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The ID token does not belong to this sign-in (its nonce differs). Sign in again.")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The ID token's claims could not be read.")
	}
	id := &Identity{Subject: idt.Subject}
	id.Email, _ = claims["email"].(string)
	id.Email = strings.ToLower(strings.TrimSpace(id.Email))
	id.Name, _ = claims["name"].(string)
	switch ev := claims["email_verified"].(type) {
	case bool:
		id.EmailVerified = &ev
	case string: // some providers send "true"
		b := strings.EqualFold(ev, "true")
		id.EmailVerified = &b
	}
	id.Groups = Groups(claims, groupsClaim)
	return id, nil
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Groups reads the groups from the claims: the claim named exactly, else a
// dotted path into nested objects (realm_access.roles). A list of strings
// and a single string both count; anything else is no groups.
func Groups(claims map[string]any, name string) []string {
	v, ok := claims[name]
	if !ok && strings.Contains(name, ".") {
		var cur any = claims
		for _, part := range strings.Split(name, ".") {
			m, isMap := cur.(map[string]any)
			if !isMap {
				cur = nil
				break
			}
			cur = m[part]
		}
		v = cur
	}
	out := []string{}
	switch x := v.(type) {
	case string:
		if x != "" {
			out = append(out, x)
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
