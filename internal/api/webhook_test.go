package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newWebhook makes a webhook of the organisation through the services.
func newWebhook(t *testing.T, s *servertest.Server, org *servertest.Org, n int) *caio.Webhook {
	t.Helper()
	w, _, err := s.App.CreateWebhook(org.Sys, caio.WebhookInput{URL: fmt.Sprintf("https://hooks.example.com/%d", n), Events: []string{"*"}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// newPing queues a ping to a webhook and returns it.
func newPing(t *testing.T, s *servertest.Server, org *servertest.Org, w *caio.Webhook) *caio.WebhookDelivery {
	t.Helper()
	d, err := s.App.PingWebhook(org.Sys, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The webhooks' operations join the role matrix of roles_test.go: every
// one needs PermManageOrg (App.FindWebhooks, FindWebhook, CreateWebhook,
// UpdateWebhook, DeleteWebhook, RotateWebhookSecret, PingWebhook,
// FindDeliveries, FindDelivery, Redeliver).
func init() {
	hookPath := func(t *testing.T, e *roleEnv) string {
		return "/api/v1/webhooks/" + newWebhook(t, e.s, e.org, e.seq()).ID
	}
	roleCases = append(roleCases,
		roleCase{name: "list webhooks", op: "GET /webhooks", perm: caio.PermManageOrg, req: fixed("/api/v1/webhooks", nil), ok: 200},
		roleCase{name: "create webhook", op: "POST /webhooks", perm: caio.PermManageOrg, ok: 201,
			req: fixed("/api/v1/webhooks", map[string]any{"url": "https://hooks.example.com/new", "events": []string{"incident.*"}})},
		roleCase{name: "get webhook", op: "GET /webhooks/{id}", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e), nil
		}},
		roleCase{name: "update webhook", op: "PUT /webhooks/{id}", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e), map[string]any{"url": "https://hooks.example.com/moved", "events": []string{"policy.*"}}
		}},
		roleCase{name: "delete webhook", op: "DELETE /webhooks/{id}", perm: caio.PermManageOrg, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e), nil
		}},
		roleCase{name: "rotate webhook secret", op: "POST /webhooks/{id}/rotate-secret", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e) + "/rotate-secret", nil
		}},
		roleCase{name: "ping webhook", op: "POST /webhooks/{id}/ping", perm: caio.PermManageOrg, ok: 202, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e) + "/ping", nil
		}},
		roleCase{name: "list webhook deliveries", op: "GET /webhooks/{id}/deliveries", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return hookPath(t, e) + "/deliveries?status=pending", nil
		}},
		roleCase{name: "get webhook delivery", op: "GET /webhooks/{id}/deliveries/{delivery_id}", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			w := newWebhook(t, e.s, e.org, e.seq())
			return "/api/v1/webhooks/" + w.ID + "/deliveries/" + newPing(t, e.s, e.org, w).ID, nil
		}},
		roleCase{name: "redeliver webhook delivery", op: "POST /webhooks/{id}/deliveries/{delivery_id}/redeliver", perm: caio.PermManageOrg, ok: 202, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			w := newWebhook(t, e.s, e.org, e.seq())
			return "/api/v1/webhooks/" + w.ID + "/deliveries/" + newPing(t, e.s, e.org, w).ID + "/redeliver", nil
		}},
	)
}

// TestWebhookAPI checks what a client sees: field errors by name, the
// secret once and never again, the delivery log and its payloads.
func TestWebhookAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		tok := org.Token(caio.RoleAdmin)

		p := s.Do(t, http.MethodPost, "/api/v1/webhooks", tok, map[string]any{"url": "gopher://x", "events": []string{"Not An Event"}}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.url", "body.events"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}

		var created struct {
			caio.Webhook
			Secret string `json:"secret"`
		}
		s.Do(t, http.MethodPost, "/api/v1/webhooks", tok, map[string]any{"url": "https://hooks.example.com/caio", "events": []string{"objective.*"},
			"description": "Planning board"}).Want(t, 201).JSON(t, &created)
		if !strings.HasPrefix(created.Secret, "whsec_") || !created.Active || created.ID == "" || created.Version != 1 {
			t.Errorf("created = %+v", created)
		}
		res := s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID, tok, nil).Want(t, 200)
		if strings.Contains(string(res.Body), created.Secret) || strings.Contains(string(res.Body), `"secret"`) {
			t.Errorf("a read shows the secret: %s", res.Body)
		}

		s.NewObjective(t, org, "Settle claims faster")
		var page struct {
			Total int                    `json:"total"`
			Items []caio.WebhookDelivery `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID+"/deliveries", tok, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].Action != "objective.create" || page.Items[0].Payload != nil {
			t.Fatalf("deliveries = %+v", page)
		}
		var d caio.WebhookDelivery
		s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID+"/deliveries/"+page.Items[0].ID, tok, nil).Want(t, 200).JSON(t, &d)
		if !strings.Contains(string(d.Payload), "Settle claims faster") || !strings.Contains(string(d.Payload), `"organization":"acme"`) {
			t.Errorf("payload = %s", d.Payload)
		}
		s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID+"/deliveries?status=lost", tok, nil).Want(t, 422)

		var rotated struct {
			Secret string `json:"secret"`
		}
		s.Do(t, http.MethodPost, "/api/v1/webhooks/"+created.ID+"/rotate-secret", tok, nil).Want(t, 200).JSON(t, &rotated)
		if rotated.Secret == "" || rotated.Secret == created.Secret {
			t.Errorf("rotated secret %q", rotated.Secret)
		}

		off := false
		s.Do(t, http.MethodPut, "/api/v1/webhooks/"+created.ID, tok, map[string]any{"url": "https://hooks.example.com/caio", "events": []string{"*"}, "active": off, "version": 9}).Want(t, 409)
		var w caio.Webhook
		s.Do(t, http.MethodPut, "/api/v1/webhooks/"+created.ID, tok, map[string]any{"url": "https://hooks.example.com/caio", "events": []string{"*"}, "active": off}).Want(t, 200).JSON(t, &w)
		if w.Active || strings.Join(w.Events, " ") != "*" {
			t.Errorf("updated = %+v", w)
		}
		s.Do(t, http.MethodPost, "/api/v1/webhooks/"+created.ID+"/ping", tok, nil).Want(t, 409).Problem(t)

		// A viewer is refused; another organisation sees nothing.
		s.Do(t, http.MethodGet, "/api/v1/webhooks", org.Token(caio.RoleEditor), nil).Want(t, 403).Problem(t)
		other := s.NewOrg(t, "globex")
		s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		s.Do(t, http.MethodGet, "/api/v1/webhooks/not-an-id/deliveries", tok, nil).Want(t, 404)

		s.Do(t, http.MethodDelete, "/api/v1/webhooks/"+created.ID, tok, nil).Want(t, 204)
		s.Do(t, http.MethodGet, "/api/v1/webhooks/"+created.ID, tok, nil).Want(t, 404)
	})
}
