// Package ssotest is a small but real OpenID Connect provider for tests:
// discovery, a JSON Web Key Set, an authorization endpoint that signs in a
// configured person without asking, and a token endpoint that checks the
// client secret, the redirect URI and the PKCE code verifier against the
// S256 challenge before it issues an RS256 ID token with the person's
// email, name, groups and the nonce of the sign-in. It runs on
// httptest, and knobs let a test make it misbehave (another audience, a
// wrong nonce, an expired token, an error at authorization).
package ssotest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// User is the person the provider signs in.
type User struct {
	Subject string
	Email   string
	// EmailVerified is sent as the email_verified claim unless nil.
	EmailVerified *bool
	Name          string
	Groups        []string
}

// Provider is a running test provider. Change its fields under Lock.
type Provider struct {
	*httptest.Server
	ClientID     string
	ClientSecret string

	mu sync.Mutex
	// User signs in at the next authorization.
	User User
	// GroupsClaim names the claim that carries the groups ("groups").
	GroupsClaim string
	// Audience, when set, replaces the client ID in the aud claim.
	Audience string
	// Nonce, when set, replaces the nonce of the sign-in.
	Nonce string
	// Lifetime of ID tokens; negative issues tokens that already expired.
	Lifetime time.Duration
	// AuthError, when set, is sent back as error= instead of a code.
	AuthError string
	// Stats counts what happened, for tests to assert.
	Stats Stats

	key   *rsa.PrivateKey
	kid   string
	codes map[string]*grant
}

// Stats counts the provider's work.
type Stats struct {
	Authorizations int
	// PKCEVerified counts token requests whose verifier matched the challenge.
	PKCEVerified int
	// PKCEFailed counts token requests refused for their verifier.
	PKCEFailed int
	Tokens     int
}

type grant struct {
	challenge   string
	redirectURI string
	nonce       string
	user        User
	expires     time.Time
}

// New starts a provider for the client ID and secret; it stops when tb ends.
func New(tb testing.TB, clientID, clientSecret string) *Provider {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, GroupsClaim: "groups", Lifetime: 5 * time.Minute,
		key: key, kid: "test-key-1", codes: map[string]*grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.keys)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.Server = httptest.NewServer(mux)
	tb.Cleanup(p.Server.Close)
	return p
}

// Issuer is the provider's issuer URL.
func (p *Provider) Issuer() string { return p.URL }

// Set changes the provider's settings under its lock.
func (p *Provider) Set(fn func(p *Provider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

// Counts returns a copy of the stats.
func (p *Provider) Counts() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.Stats
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.URL,
		"authorization_endpoint":                p.URL + "/authorize",
		"token_endpoint":                        p.URL + "/token",
		"jwks_uri":                              p.URL + "/keys",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"scopes_supported":                      []string{"openid", "email", "profile", "groups"},
	})
}

func (p *Provider) keys(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: p.kid, Algorithm: "RS256", Use: "sig"}}})
}

func randomString() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// authorize signs the configured user in at once and sends the browser
// back with a code, as a provider does once the person has consented.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Host == "" {
		http.Error(w, "redirect_uri is missing or not absolute", http.StatusBadRequest)
		return
	}
	if q.Get("client_id") != p.ClientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Stats.Authorizations++
	switch {
	case p.AuthError != "":
		back.Set("error", p.AuthError)
		back.Set("error_description", "The person did not consent.")
	case q.Get("response_type") != "code":
		back.Set("error", "unsupported_response_type")
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		back.Set("error", "invalid_request")
		back.Set("error_description", "PKCE with S256 is required")
	default:
		code := randomString()
		p.codes[code] = &grant{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri"), nonce: q.Get("nonce"), user: p.User, expires: time.Now().Add(time.Minute)}
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// token redeems a code: client authentication (basic or in the form), the
// same redirect URI, and the PKCE verifier whose S256 hash must be the
// challenge sent at authorization. A code is good once.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "unreadable form")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	g := p.codes[r.PostForm.Get("code")]
	if g == nil || time.Now().After(g.expires) {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown, used or expired code")
		return
	}
	if r.PostForm.Get("redirect_uri") != g.redirectURI {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
		return
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if r.PostForm.Get("code_verifier") == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		p.Stats.PKCEFailed++
		tokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		return
	}
	p.Stats.PKCEVerified++
	delete(p.codes, r.PostForm.Get("code"))
	raw, err := p.idToken(g)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	p.Stats.Tokens++
	writeJSON(w, http.StatusOK, map[string]any{"access_token": randomString(), "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}

// idToken signs the ID token of a grant, with the knobs applied.
func (p *Provider) idToken(g *grant) (string, error) {
	now := time.Now()
	claims := map[string]any{
		"iss": p.URL, "sub": g.user.Subject, "aud": p.ClientID, "iat": now.Unix(), "exp": now.Add(p.Lifetime).Unix(),
		"nonce": g.nonce, "email": g.user.Email, "name": g.user.Name,
	}
	if g.user.EmailVerified != nil {
		claims["email_verified"] = *g.user.EmailVerified
	}
	if g.user.Groups != nil {
		claims[p.GroupsClaim] = g.user.Groups
	}
	if p.Audience != "" {
		claims["aud"] = p.Audience
	}
	if p.Nonce != "" {
		claims["nonce"] = p.Nonce
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", p.kid))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
