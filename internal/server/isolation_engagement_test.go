package server_test

import (
	"context"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/server/servertest"
)

// The interim engagement's routes in TestTenantIsolation: the engagement,
// its plan items, deliverables and notes belong to alpha; the template
// belongs to alpha's owner, so bravo's owner (another user) must not see
// or use it either.

// engagementWeek numbers the weeks of the notes the fixtures write, one
// week each from 2032, after the weeks the bodies and forms name, since an
// engagement has one note per week.
var engagementWeek atomic.Int64

func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			e, err := s.App.ActiveEngagement(org.Sys)
			if caio.ErrorCode(err) == caio.ENOTFOUND {
				e, err = s.App.StartEngagement(org.Sys, caio.EngagementInput{Title: "Alpha engagement " + tag, Sponsor: "Alpha COO", Start: "2026-10-13"})
			}
			if err != nil {
				t.Fatal(err)
			}
			it, err := s.App.AddPlanItem(org.Sys, e.ID, caio.PlanItemInput{Title: "Alpha item " + tag})
			if err != nil {
				t.Fatal(err)
			}
			week := engagement.AddDays("2032-01-05", 7*int(engagementWeek.Add(1)))
			n, err := s.App.AddStatusNote(org.Sys, e.ID, caio.StatusNoteInput{Week: week, RAG: "green", Summary: "Alpha note " + tag})
			if err != nil {
				t.Fatal(err)
			}
			owner := caio.WithActor(context.Background(), org.Members[caio.RoleOwner].Actor(org))
			tpl, err := s.App.SaveEngagementTemplate(owner, e.ID, caio.TemplateInput{Name: "Alpha template " + tag})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{
				"/engagements/{id}":                    e.ID,
				"/engagements/{id}/deliverables/{key}": "governance_board",
				"/plan-items/{id}":                     it.ID,
				"/status-notes/{id}":                   n.ID,
				"/engagement-templates/{id}":           tpl.ID,
			}
		},
		routeObjects: map[string]func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string){
			// Starting from a template needs no active engagement.
			"POST /api/v1/engagement-templates/{id}/start": closeEngagement,
			"POST /engagement-templates/{id}/start":        closeEngagement,
		},
		bodies: map[string]any{
			"PUT /api/v1/engagements/{id}":                    map[string]any{"sponsor": "Hijacked", "start": "2026-01-05"},
			"POST /api/v1/engagements/{id}/plan":              map[string]any{"title": "Hijacked"},
			"PUT /api/v1/plan-items/{id}":                     map[string]any{"title": "Hijacked"},
			"POST /api/v1/plan-items/{id}/move":               map[string]any{"direction": "up"},
			"PUT /api/v1/engagements/{id}/deliverables/{key}": map[string]any{"done": true, "note": "Hijacked"},
			"POST /api/v1/engagements/{id}/notes":             map[string]any{"week": "2030-01-07", "rag": "red", "summary": "Hijacked"},
			"PUT /api/v1/status-notes/{id}":                   map[string]any{"week": "2031-03-03", "rag": "red", "summary": "Hijacked"},
			"POST /api/v1/engagement-templates/{id}/start":    map[string]any{"sponsor": "Hijacked", "start": "2026-01-05"},
		},
		forms: map[string]url.Values{
			"POST /engagements/{id}":                    {"sponsor": {"Hijacked"}, "start": {"2026-01-05"}},
			"POST /engagements/{id}/close":              {},
			"POST /engagements/{id}/plan":               {"title": {"Hijacked"}},
			"POST /plan-items/{id}":                     {"title": {"Hijacked"}},
			"POST /plan-items/{id}/status":              {"status": {"done"}},
			"POST /plan-items/{id}/move":                {"direction": {"up"}},
			"POST /plan-items/{id}/delete":              {},
			"POST /engagements/{id}/deliverables/{key}": {"done": {"1"}, "note": {"Hijacked"}},
			"POST /engagements/{id}/notes":              {"week": {"2030-02-04"}, "rag": {"red"}, "summary": {"Hijacked"}},
			"POST /status-notes/{id}":                   {"week": {"2031-04-07"}, "rag": {"red"}, "summary": {"Hijacked"}},
			"POST /status-notes/{id}/delete":            {},
			"POST /engagements/{id}/save-template":      {"name": {"Hijacked"}},
			"POST /engagement-templates/{id}/start":     {"sponsor": {"Hijacked"}, "start": {"2026-01-05"}},
			"POST /engagement-templates/{id}/delete":    {},
		},
		apiLists: []string{"/api/v1/engagements?limit=500", "/api/v1/engagement-templates?limit=500"},
		pages:    []string{"/engagement", "/engagement-templates"},
	})
}

// closeEngagement closes the engagement the fixtures name, so a start may follow.
func closeEngagement(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string) {
	if _, err := s.App.CloseEngagement(org.Sys, m["/engagements/{id}"]); err != nil {
		t.Fatal(err)
	}
}
