package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// Outgoing webhooks prove their routes in TestTenantIsolation: every route
// with a webhook or delivery in its path answers 404 to another
// organisation's owner, and succeeds for the organisation's own.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			w, _, err := s.App.CreateWebhook(org.Sys, caio.WebhookInput{URL: "https://hooks.example.com/" + url.PathEscape(tag), Description: "Webhook " + tag,
				Events: []string{"*"}, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.App.PingWebhook(org.Sys, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/webhooks/{id}": w.ID, "/webhooks/{id}/deliveries/{delivery_id}": d.ID}
		},
		bodies: map[string]any{
			"PUT /api/v1/webhooks/{id}": map[string]any{"url": "https://evil.example/", "events": []string{"*"}},
		},
		forms: map[string]url.Values{
			"POST /webhooks/{id}":                                    {"url": {"https://evil.example/"}, "events": {"*"}, "active": {"1"}},
			"POST /webhooks/{id}/delete":                             {},
			"POST /webhooks/{id}/rotate":                             {},
			"POST /webhooks/{id}/ping":                               {},
			"POST /webhooks/{id}/deliveries/{delivery_id}/redeliver": {},
		},
		apiLists: []string{"/api/v1/webhooks?limit=500"},
		pages:    []string{"/webhooks"},
	})
}
