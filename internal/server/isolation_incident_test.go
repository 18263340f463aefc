package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// The incident register proves its routes in TestTenantIsolation: every
// route with an incident or corrective action in its path answers 404 to
// another organisation's owner, and succeeds for the organisation's own.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			sys := s.NewSystem(t, org, "Incident system "+tag)
			i, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Incident " + tag, AwareAt: "2026-01-05T10:00", Severity: "high",
				Harms: []string{"fundamental_rights"}, Systems: []string{sys.ID}})
			if err != nil {
				t.Fatal(err)
			}
			x, err := s.App.AddCorrectiveAction(org.Sys, i.ID, caio.CorrectiveInput{Description: "Corrective action " + tag})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/incidents/{id}": i.ID, "/incidents/{id}/actions/{action_id}": x.ID}
		},
		bodies: map[string]any{
			"PUT /api/v1/incidents/{id}":                     map[string]any{"title": "Hijacked", "aware_at": "2026-01-05", "severity": "low"},
			"POST /api/v1/incidents/{id}/actions":            map[string]any{"description": "Hijacked"},
			"PUT /api/v1/incidents/{id}/actions/{action_id}": map[string]any{"description": "Hijacked", "status": "cancelled"},
		},
		forms: map[string]url.Values{
			"POST /incidents/{id}":                            {"title": {"Hijacked"}, "aware_at": {"2026-01-05T10:00"}, "severity": {"low"}},
			"POST /incidents/{id}/delete":                     {},
			"POST /incidents/{id}/actions":                    {"description": {"Hijacked"}},
			"POST /incidents/{id}/actions/{action_id}":        {"description": {"Hijacked"}, "status": {"cancelled"}},
			"POST /incidents/{id}/actions/{action_id}/delete": {},
		},
		apiLists: []string{"/api/v1/incidents?limit=500", "/api/v1/incidents?serious=1&limit=500"},
		pages:    []string{"/incidents", "/incidents?serious=1"},
	})
}
