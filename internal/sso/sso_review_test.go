package sso_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sso"
	jose "github.com/go-jose/go-jose/v4"
)

// TestReviewKeyFetchErrorHidesBody: a discovery document can point jwks_uri
// anywhere (an internal address, say); when fetching the keys fails, the
// error shown on the sign-in page must say so without the answer's body.
func TestReviewKeyFetchErrorHidesBody(t *testing.T) {
	const secret = "TOP-SECRET-INTERNAL-BODY"
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	for _, status := range []int{http.StatusNotFound, http.StatusOK} {
		mux := http.NewServeMux()
		mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/auth",
				"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/internal", "id_token_signing_alg_values_supported": []string{"RS256"}})
		})
		mux.HandleFunc("/internal", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(secret + " not a key set"))
		})
		mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
			sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
			claims, _ := json.Marshal(map[string]any{"iss": srv.URL, "aud": "c", "sub": "s", "nonce": "n",
				"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()})
			jws, _ := sig.Sign(claims)
			raw, _ := jws.CompactSerialize()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "token_type": "Bearer", "id_token": raw})
		})
		srv = httptest.NewServer(mux)
		p, err := sso.Discover(context.Background(), nil, &caio.SSOConfig{Issuer: srv.URL, ClientID: "c", ClientSecret: "x"}, srv.URL+"/cb")
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Exchange(context.Background(), "code", "verifier", "n", "groups", nil)
		if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("status %d: the error shows the key endpoint's body: %v", status, err)
		}
		srv.Close()
	}
}
