package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caio-office/caio"
)

// TestWebhookCommands creates a webhook, makes a change, sends the
// delivery with caio webhook deliver and reads the log, as a script would.
func TestWebhookCommands(t *testing.T) {
	var got atomic.Int32
	var secret atomic.Value
	secret.Store("")
	rc := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !caio.VerifyWebhookSignature(secret.Load().(string), r.Header.Get("X-Caio-Signature"), r.Header.Get("X-Caio-Timestamp"), body, time.Now(), 5*time.Minute) {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		got.Add(1)
		rw.WriteHeader(http.StatusOK)
	}))
	defer rc.Close()

	e := newEnv(t)
	setupOrg(e)
	var created struct {
		Webhook caio.Webhook `json:"webhook"`
		Secret  string       `json:"secret"`
	}
	invJSON(e, &created, "webhook", "create", "--org", "acme-bank", "--url", rc.URL+"/hook", "--events", "objective.*", "--description", "Board")
	if created.Webhook.ID == "" || !strings.HasPrefix(created.Secret, "whsec_") || !created.Webhook.Active {
		t.Fatalf("created %+v", created)
	}
	secret.Store(created.Secret)
	out := e.must("webhook", "list", "--org", "acme-bank")
	for _, want := range []string{created.Webhook.ID, rc.URL + "/hook", "objective.*", "1 of 1 webhooks"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q: %s", want, out)
		}
	}
	_, _, err := e.run("webhook", "create", "--org", "acme-bank", "--url", "ftp://x", "--events", "incident")
	wantCode(t, err, caio.EINVALID)

	e.must("objective", "create", "--org", "acme-bank", "--title", "Cut claim costs")
	// Loopback is refused unless allowed: the delivery waits for a retry.
	out = e.must("webhook", "deliver", "--org", "acme-bank")
	if !strings.Contains(out, "Sent 1: 0 delivered, 1 to retry later") || got.Load() != 0 {
		t.Errorf("deliver without --allow-private: %s (received %d)", out, got.Load())
	}
	out = e.must("webhook", "deliveries", "--org", "acme-bank", created.Webhook.ID)
	if !strings.Contains(out, "objective.create") || !strings.Contains(out, "pending") || !strings.Contains(out, "Refused to connect") {
		t.Errorf("deliveries: %s", out)
	}
	// A redelivery is due at once; with private addresses allowed it goes.
	var log struct {
		Deliveries []caio.WebhookDelivery `json:"deliveries"`
	}
	invJSON(e, &log, "webhook", "deliveries", "--org", "acme-bank", created.Webhook.ID)
	a := e.openApp()
	ctx, err := orgCtx(t.Context(), a, "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Redeliver(ctx, created.Webhook.ID, log.Deliveries[0].ID); err != nil {
		t.Fatal(err)
	}
	out = e.must("webhook", "deliver", "--org", "acme-bank", "--allow-private")
	if !strings.Contains(out, "1 delivered") || got.Load() != 1 {
		t.Errorf("deliver --allow-private: %s (received %d)", out, got.Load())
	}
	out = e.must("webhook", "ping", "--org", "acme-bank", created.Webhook.ID)
	if !strings.Contains(out, "Ping queued as delivery whd_") {
		t.Errorf("ping: %s", out)
	}
	out = e.must("webhook", "deliveries", "--org", "acme-bank", created.Webhook.ID, "--status", "delivered")
	if !strings.Contains(out, "delivered") || !strings.Contains(out, "1 of 1 deliveries") {
		t.Errorf("delivered deliveries: %s", out)
	}
	e.must("webhook", "delete", "--org", "acme-bank", created.Webhook.ID)
	_, _, err = e.run("webhook", "deliveries", "--org", "acme-bank", created.Webhook.ID)
	wantCode(t, err, caio.ENOTFOUND)
}
