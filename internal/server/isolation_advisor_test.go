package server_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// The advisor's routes in TestTenantIsolation. An action is named by its
// rule and its object: the fixtures are a rule of the organisation's own
// (whose ID no other organisation has) and an AI system it fires on, so
// another organisation can neither act on the action nor see the rule.

func init() {
	snoozeUntil := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
	rule := map[string]any{"kind": "system", "title": "Hijacked {name}", "statement": "Hijacked.", "when": `system.owner == "nobody"`,
		"reason": "Hijacked.", "owner_role": "editor", "link": "/systems/{id}"}
	ruleForm := url.Values{"action": {"save"}, "kind": {"system"}, "title": {"Hijacked {name}"}, "statement": {"Hijacked."},
		"when": {`system.owner == "nobody"`}, "reason": {"Hijacked."}, "owner_role": {"editor"}, "link": {"/systems/{id}"}, "impact": {"3"}}
	// dismissed dismisses the action the fixtures name, for the routes that reopen it.
	dismissed := func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string) {
		if _, err := s.App.DismissAction(org.Sys, m["/advice/{rule}"]+"/"+m["/advice/{rule}/{object}"], "For the control request"); err != nil {
			t.Fatal(err)
		}
	}
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			sys := s.NewSystem(t, org, "Advised system "+tag)
			rl, err := s.App.CreateAdvisorRule(org.Sys, caio.AdvisorRuleInput{Kind: "system", Title: "Look at {name}",
				Statement: "The fixture's system is looked at.", When: `system.id == "` + sys.ID + `"`, Reason: "{name} is the fixture.",
				OwnerRole: "editor", Link: "/systems/{id}"})
			if err != nil {
				t.Fatal(err)
			}
			tk, err := s.App.CreateTask(org.Sys, caio.TaskInput{Title: "Advisor task " + tag, OwnerID: org.Members[caio.RoleOwner].UserID})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{
				"/advice/{rule}":          rl.ID,
				"/advice/{rule}/{object}": sys.ID,
				"/advice/rules/{id}":      rl.ID,
				"/advisor/rules/{id}":     rl.ID,
				"/tasks/{id}":             tk.ID,
			}
		},
		routeObjects: map[string]func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string){
			"POST /api/v1/advice/{rule}/{object}/reopen": dismissed,
			"POST /advice/{rule}/{object}/reopen":        dismissed,
		},
		bodies: map[string]any{
			"POST /api/v1/advice/{rule}/{object}/accept":  map[string]any{},
			"POST /api/v1/advice/{rule}/{object}/snooze":  map[string]any{"until": snoozeUntil, "reason": "Hijacked"},
			"POST /api/v1/advice/{rule}/{object}/dismiss": map[string]any{"reason": "Hijacked"},
			"PUT /api/v1/tasks/{id}":                      map[string]any{"title": "Hijacked", "status": "cancelled"},
			"PUT /api/v1/advisor/rules/{id}":              rule,
		},
		forms: map[string]url.Values{
			"POST /advice/{rule}/{object}/accept":  {},
			"POST /advice/{rule}/{object}/snooze":  {"until": {snoozeUntil}, "reason": {"Hijacked"}},
			"POST /advice/{rule}/{object}/dismiss": {"reason": {"Hijacked"}},
			"POST /advice/{rule}/{object}/reopen":  {},
			"POST /tasks/{id}":                     {"title": {"Hijacked"}, "status": {"cancelled"}},
			"POST /tasks/{id}/complete":            {},
			"POST /tasks/{id}/delete":              {},
			"POST /advice/rules/{id}":              ruleForm,
			"POST /advice/rules/{id}/enable":       {},
			"POST /advice/rules/{id}/disable":      {},
			"POST /advice/rules/{id}/delete":       {},
		},
		apiLists: []string{"/api/v1/advice?include=snoozed,dismissed&limit=500", "/api/v1/tasks?limit=500", "/api/v1/advisor/rules"},
		pages:    []string{"/advice?show=all", "/tasks?status=all", "/advice/rules"},
	})
}
