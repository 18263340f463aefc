package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// The policy library in TestTenantIsolation: another organisation's owner
// can neither read, change, submit, retire, delete nor acknowledge a
// policy, nor see it in any list.
func init() {
	draft := func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) *caio.Policy {
		p, err := s.App.CreatePolicy(org.Sys, caio.PolicyInput{Title: "Alpha policy " + tag, Kind: "acceptable_use", Body: "# Alpha rules " + tag})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	approved := func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string) {
		p := draft(t, s, org, "approved "+m["/policies/{id}"])
		ap, err := s.App.SubmitPolicy(org.Sys, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.DecideApproval(org.Sys, ap.ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		m["/policies/{id}"] = p.ID
	}
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			return map[string]string{"/policies/{id}": draft(t, s, org, tag).ID, "/policies/{id}/versions/{number}": "1"}
		},
		routeObjects: map[string]func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string){
			"POST /api/v1/policies/{id}/acknowledge":     approved,
			"POST /policies/{id}/acknowledge":            approved,
			"GET /api/v1/policies/{id}/acknowledgements": approved,
		},
		bodies: map[string]any{
			"PUT /api/v1/policies/{id}":              map[string]any{"title": "Hijacked", "body": "# Hijacked"},
			"POST /api/v1/policies/{id}/submit":      map[string]any{"reason": "Hijacked"},
			"POST /api/v1/policies/{id}/retire":      map[string]any{"reason": "Hijacked"},
			"POST /api/v1/policies/{id}/acknowledge": map[string]any{"version": 1},
		},
		forms: map[string]url.Values{
			"POST /policies/{id}":             {"title": {"Hijacked"}, "kind": {"other"}, "body": {"# Hijacked"}},
			"POST /policies/{id}/submit":      {"reason": {"Hijacked"}},
			"POST /policies/{id}/acknowledge": {"version": {"1"}},
			"POST /policies/{id}/retire":      {"reason": {"Hijacked"}},
			"POST /policies/{id}/delete":      {},
		},
		apiLists: []string{"/api/v1/policies?limit=500", "/api/v1/policies?status=draft", "/api/v1/policy-acknowledgements"},
		pages:    []string{"/policies", "/policies/acknowledgements", "/policies/starters", "/approvals?status=all"},
	})
}
