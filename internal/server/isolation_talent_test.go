package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// The talent area's routes in TestTenantIsolation: a person of the AI team
// (with a rating) and a CAIO candidate (with a panel rating) per
// organisation; the other organisation's owner can neither see, rate nor
// change them, and no list or page of theirs shows them.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			p, err := s.App.CreatePerson(org.Sys, caio.PersonInput{Name: "Team member " + tag, Role: "ml-engineer"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.RateSkills(org.Sys, p.ID, map[string]int{"machine-learning": 3}); err != nil {
				t.Fatal(err)
			}
			k, err := s.App.CreateCandidate(org.Sys, caio.CandidateInput{Name: "Candidate " + tag, Source: "Referral"})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/talent/people/{id}": p.ID, "/talent/candidates/{id}": k.ID}
		},
		bodies: map[string]any{
			"PUT /api/v1/talent/people/{id}":           map[string]any{"name": "Hijacked", "role": "caio"},
			"PUT /api/v1/talent/people/{id}/ratings":   map[string]any{"ratings": map[string]int{"machine-learning": 1}},
			"PUT /api/v1/talent/candidates/{id}":       map[string]any{"name": "Hijacked", "status": "declined"},
			"PUT /api/v1/talent/candidates/{id}/panel": map[string]any{"ratings": map[string]int{"ai-leadership": 1}},
		},
		forms: map[string]url.Values{
			"POST /talent/people/{id}":           {"name": {"Hijacked"}, "role": {"caio"}},
			"POST /talent/people/{id}/ratings":   {"ratings.machine-learning": {"1"}},
			"POST /talent/candidates/{id}":       {"name": {"Hijacked"}, "status": {"declined"}},
			"POST /talent/candidates/{id}/panel": {"ratings.ai-leadership": {"1"}},
		},
		apiLists: []string{"/api/v1/talent/people?limit=500", "/api/v1/talent/candidates?limit=500", "/api/v1/talent/heatmap",
			"/api/v1/talent/gaps", "/api/v1/talent/hiring"},
		pages: []string{"/talent", "/talent/hiring"},
	})
}
