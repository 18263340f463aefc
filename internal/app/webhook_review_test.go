package app_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestWebhookReviewLeaseNotOutrun: a pass must not start an attempt that
// could outlast its lease. Otherwise, with slow receivers, a delivery
// claimed early in a big batch is sent after its lease ran out, while
// another replica has claimed and sent it too: the same delivery twice at
// once, which the lease exists to prevent. (With the defaults, 50 claimed,
// 4 at a time, 10 s each, the last wave starts at the lease's very end.)
func TestWebhookReviewLeaseNotOutrun(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var mu sync.Mutex
		seen := map[string]int{}
		rc := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[r.Header.Get("X-Caio-Delivery")]++
			mu.Unlock()
			time.Sleep(400 * time.Millisecond)
			rw.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(rc.Close)
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: rc.URL, Events: []string{"objective.create"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		const n = 4
		for i := range n {
			f.objective(t, "goal "+strconv.Itoa(i))
		}
		sender := func() *app.WebhookSender {
			c := app.NewWebhookClient(true)
			c.Timeout = 500 * time.Millisecond
			return &app.WebhookSender{Client: c, Batch: n, Parallel: 1, Lease: time.Second, Backoff: exact}
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := f.app.DeliverWebhooks(worker(t), sender()); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { // a second replica, once the first one's lease has run out
			time.Sleep(1100 * time.Millisecond)
			if _, err := f.app.DeliverWebhooks(worker(t), sender()); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		// Whatever is left is sent by a later pass.
		time.Sleep(time.Second)
		if _, err := f.app.DeliverWebhooks(worker(t), sender()); err != nil {
			t.Fatal(err)
		}
		for id, k := range seen {
			if k > 1 {
				t.Errorf("delivery %s was sent %d times", id, k)
			}
		}
		for _, d := range deliveries(t, f, w.ID) {
			if d.Status != caio.DeliveryDelivered {
				t.Errorf("delivery %s: %s, %d attempts", d.ID, d.Status, d.Attempts)
			}
		}
	})
}

// TestWebhookReviewAuditHidesURLSecret: many receivers (chat incoming
// webhooks, say) take their credential in the URL's path or query. Reading
// webhooks needs org.manage, so the audit trail, which approvers read too,
// must not hand the URL's secret part to them.
func TestWebhookReviewAuditHidesURLSecret(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		const secret = "T000XYZ/B000ABC/s3cr3tP4thT0k3n"
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: "https://chat.example.com/services/" + secret + "?token=qs3cr3t", Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.UpdateWebhook(f.sys, w.ID, w.Version, caio.WebhookInput{URL: "https://chat.example.com/services/other" + secret, Events: []string{"*"}, Active: true}); err != nil {
			t.Fatal(err)
		}
		evs, _, err := f.app.FindAuditEvents(f.as(caio.RoleApprover), caio.AuditFilter{Page: caio.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range evs {
			if e.ObjectType != "webhook" {
				continue
			}
			found = true
			if d := string(e.Diff); strings.Contains(d, "s3cr3t") || !strings.Contains(d, "chat.example.com") {
				t.Errorf("%s recorded %s", e.Action, d)
			}
		}
		if !found {
			t.Fatal("no webhook events in the audit trail")
		}
	})
}
