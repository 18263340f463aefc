package sso_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sso"
	"github.com/caio-office/caio/internal/sso/ssotest"
	"golang.org/x/oauth2"
)

func TestGroups(t *testing.T) {
	claims := map[string]any{
		"groups":                       []any{"a", 7, "", "b"},
		"role":                         "solo",
		"realm_access":                 map[string]any{"roles": []any{"r1", "r2"}},
		"https://example.com/groups":   []any{"namespaced"},
		"realm_access.roles.not.there": nil,
	}
	for name, want := range map[string]string{
		"groups": "a b", "role": "solo", "realm_access.roles": "r1 r2", "https://example.com/groups": "namespaced",
		"missing": "", "realm_access.nope.deeper": "", "realm_access": "",
	} {
		if got := strings.Join(sso.Groups(claims, name), " "); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// signIn runs the authorization request against the provider without a
// browser and returns the code it sends back.
func signIn(t *testing.T, p *ssotest.Provider, authURL string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("no code from the provider: %s %v", res.Header.Get("Location"), err)
	}
	return u.Query().Get("code")
}

func TestExchange(t *testing.T) {
	ctx := context.Background()
	p := ssotest.New(t, "client", "secret")
	yes := true
	p.Set(func(p *ssotest.Provider) {
		p.User = ssotest.User{Subject: "s1", Email: "Ada@Example.com", EmailVerified: &yes, Name: "Ada", Groups: []string{"g1", "g2"}}
	})
	cfg := &caio.SSOConfig{Issuer: p.Issuer(), ClientID: "client", ClientSecret: "secret"}
	prov, err := sso.Discover(ctx, nil, cfg, "http://caio.test/sso/callback")
	if err != nil {
		t.Fatal(err)
	}
	verifier := oauth2.GenerateVerifier()
	code := signIn(t, p, prov.AuthCodeURL("state-1", "nonce-1", verifier))
	id, err := prov.Exchange(ctx, code, verifier, "nonce-1", "groups", nil)
	if err != nil {
		t.Fatal(err)
	}
	if id.Email != "ada@example.com" || id.Subject != "s1" || id.Name != "Ada" || strings.Join(id.Groups, ",") != "g1,g2" || id.EmailVerified == nil || !*id.EmailVerified {
		t.Errorf("identity %+v", id)
	}
	// The code works once.
	if _, err := prov.Exchange(ctx, code, verifier, "nonce-1", "groups", nil); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
		t.Errorf("a used code: %v", err)
	}
	// A verifier that does not match the challenge is refused by the provider.
	code = signIn(t, p, prov.AuthCodeURL("state-2", "nonce-2", verifier))
	if _, err := prov.Exchange(ctx, code, oauth2.GenerateVerifier(), "nonce-2", "groups", nil); !strings.Contains(caio.ErrorMessage(err), "PKCE verification failed") {
		t.Errorf("a wrong verifier: %v", err)
	}
	// A nonce of another sign-in is refused by caio.
	code = signIn(t, p, prov.AuthCodeURL("state-3", "nonce-3", verifier))
	if _, err := prov.Exchange(ctx, code, verifier, "nonce-other", "groups", nil); !strings.Contains(caio.ErrorMessage(err), "nonce") {
		t.Errorf("another nonce: %v", err)
	}
	// A wrong client secret is refused by the provider.
	bad, err := sso.Discover(ctx, nil, &caio.SSOConfig{Issuer: p.Issuer(), ClientID: "client", ClientSecret: "wrong"}, "http://caio.test/sso/callback")
	if err != nil {
		t.Fatal(err)
	}
	code = signIn(t, p, bad.AuthCodeURL("state-4", "nonce-4", verifier))
	if _, err := bad.Exchange(ctx, code, verifier, "nonce-4", "groups", nil); !strings.Contains(caio.ErrorMessage(err), "invalid_client") {
		t.Errorf("a wrong secret: %v", err)
	}
}

func TestDiscoverErrors(t *testing.T) {
	ctx := context.Background()
	p := ssotest.New(t, "client", "secret")
	_, err := sso.Discover(ctx, nil, &caio.SSOConfig{Issuer: "http://localhost:" + p.URL[strings.LastIndex(p.URL, ":")+1:]}, "")
	if caio.ErrorCode(err) != caio.EUNAVAILABLE || !strings.Contains(caio.ErrorMessage(err), "names the issuer") {
		t.Errorf("an issuer that differs from the document's: %v", err)
	}
	// A server that is no provider: the message names the status, never the body.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "internal secret page")
	}))
	defer other.Close()
	_, err = sso.Discover(ctx, nil, &caio.SSOConfig{Issuer: other.URL}, "")
	if msg := caio.ErrorMessage(err); caio.ErrorCode(err) != caio.EUNAVAILABLE || strings.Contains(msg, "internal secret") || !strings.Contains(msg, "404") {
		t.Errorf("no provider: %v", err)
	}
	other.Close()
	_, err = sso.Discover(ctx, nil, &caio.SSOConfig{Issuer: other.URL}, "")
	if caio.ErrorCode(err) != caio.EUNAVAILABLE || !strings.Contains(caio.ErrorMessage(err), "connection failed") {
		t.Errorf("unreachable: %v", err)
	}
}
