package app_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
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

// The webhook services join the role matrix of app_test.go: every one of
// them needs org.manage, reading included.
func init() {
	hook := func(t *testing.T, f *fixture) *caio.Webhook {
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: "https://hooks.example.com/" + randomHex(), Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	delivery := func(t *testing.T, f *fixture, w *caio.Webhook) *caio.WebhookDelivery {
		d, err := f.app.PingWebhook(f.sys, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	actions = append(actions,
		action{"FindWebhooks", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.FindWebhooks(ctx, caio.Page{}); return err }
		}},
		action{"FindWebhook", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error { _, err := f.app.FindWebhook(ctx, w.ID); return err }
		}},
		action{"CreateWebhook", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.CreateWebhook(ctx, caio.WebhookInput{URL: "https://hooks.example.com/x", Events: []string{"incident.*"}})
				return err
			}
		}},
		action{"UpdateWebhook", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.UpdateWebhook(ctx, w.ID, 0, caio.WebhookInput{URL: w.URL, Events: []string{"policy.*"}, Active: true})
				return err
			}
		}},
		action{"RotateWebhookSecret", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error { _, err := f.app.RotateWebhookSecret(ctx, w.ID); return err }
		}},
		action{"DeleteWebhook", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error { return f.app.DeleteWebhook(ctx, w.ID) }
		}},
		action{"FindDeliveries", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error {
				_, _, err := f.app.FindDeliveries(ctx, w.ID, caio.DeliveryFilter{})
				return err
			}
		}},
		action{"FindDelivery", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			d := delivery(t, f, w)
			return func(ctx context.Context) error { _, err := f.app.FindDelivery(ctx, w.ID, d.ID); return err }
		}},
		// A ping and a redelivery are deliveries, not changes: no audit event.
		action{"PingWebhook", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			return func(ctx context.Context) error { _, err := f.app.PingWebhook(ctx, w.ID); return err }
		}},
		action{"Redeliver", caio.PermManageOrg, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			w := hook(t, f)
			d := delivery(t, f, w)
			return func(ctx context.Context) error { _, err := f.app.Redeliver(ctx, w.ID, d.ID); return err }
		}},
	)
}

// deliveries returns every delivery of a webhook, newest first.
func deliveries(t *testing.T, f *fixture, id string) []*caio.WebhookDelivery {
	t.Helper()
	ds, total, err := f.app.FindDeliveries(f.sys, id, caio.DeliveryFilter{Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(ds) {
		t.Fatalf("FindDeliveries total %d, page %d", total, len(ds))
	}
	return ds
}

// worker returns the system context of caio serve's worker.
func worker(t *testing.T) context.Context {
	return caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
}

// exact is a backoff without jitter, so tests can name the due times.
func exact(n int) time.Duration { return caio.WebhookBackoff(n) }

// TestWebhookOutbox checks that an audited change queues one delivery per
// active webhook whose filters match, with the documented payload, and
// nothing for the others.
func TestWebhookOutbox(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		objs, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: "https://a.example.com/hook", Events: []string{"objective.*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		incidents, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: "https://b.example.com/hook", Events: []string{"incident.create, incident.update"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		off, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: "https://c.example.com/hook", Events: []string{"*"}, Active: false})
		if err != nil {
			t.Fatal(err)
		}
		o, err := f.app.CreateObjective(f.as(caio.RoleEditor), caio.ObjectiveInput{Title: "Cut claim costs"})
		if err != nil {
			t.Fatal(err)
		}
		got := deliveries(t, f, objs.ID)
		if len(got) != 1 {
			t.Fatalf("objective webhook has %d deliveries, want 1", len(got))
		}
		if n := len(deliveries(t, f, incidents.ID)); n != 0 {
			t.Errorf("incident webhook has %d deliveries, want 0", n)
		}
		if n := len(deliveries(t, f, off.ID)); n != 0 {
			t.Errorf("switched-off webhook has %d deliveries, want 0", n)
		}
		d, err := f.app.FindDelivery(f.sys, objs.ID, got[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != caio.DeliveryPending || d.Attempts != 0 || d.Action != "objective.create" || d.NextAttemptAt == nil {
			t.Errorf("delivery = %+v", d)
		}
		var p caio.WebhookPayload
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			t.Fatal(err)
		}
		ev := lastEvent(t, f.app, f.sys)
		if p.Delivery != d.ID || p.Event != "objective.create" || p.ObjectType != "objective" || p.ObjectID != o.ID ||
			p.Organization != "acme" || p.Actor != f.members[caio.RoleEditor].Email || p.Seq != ev.Seq || d.EventSeq != ev.Seq {
			t.Errorf("payload = %+v (event %d)", p, ev.Seq)
		}
		if !strings.Contains(string(p.Diff), "Cut claim costs") {
			t.Errorf("payload diff = %s", p.Diff)
		}
		if _, err := time.Parse(time.RFC3339Nano, p.At); err != nil {
			t.Errorf("payload time %q: %v", p.At, err)
		}

		// A change that fails writes no event, so queues nothing.
		if _, err := f.app.UpdateObjective(f.sys, o.ID, o.Version+7, caio.ObjectiveInput{Title: "stale"}); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Fatalf("stale update = %v", err)
		}
		if n := len(deliveries(t, f, objs.ID)); n != 1 {
			t.Errorf("after a failed change the webhook has %d deliveries, want 1", n)
		}

		// Another organisation's changes reach only its own webhooks.
		_, other := newOrg(t, f.app, "globex", "owner@globex.test")
		if _, err := f.app.CreateObjective(other, caio.ObjectiveInput{Title: "Globex goal"}); err != nil {
			t.Fatal(err)
		}
		if n := len(deliveries(t, f, objs.ID)); n != 1 {
			t.Errorf("another organisation's change queued to acme's webhook: %d deliveries", n)
		}
		if _, err := f.app.FindWebhook(other, objs.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another organisation sees the webhook: %v", err)
		}
		if _, _, err := f.app.FindDeliveries(other, objs.ID, caio.DeliveryFilter{}); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another organisation sees the deliveries: %v", err)
		}
		if _, err := f.app.FindDelivery(other, objs.ID, d.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another organisation sees a delivery: %v", err)
		}
		if _, err := f.app.Redeliver(other, objs.ID, d.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another organisation redelivers: %v", err)
		}
		if err := f.app.DeleteWebhook(other, objs.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another organisation deletes the webhook: %v", err)
		}
	})
}

// TestWebhookServices covers the webhook's life: validation naming the
// field, the secret kept out of reads and the audit trail, rotation,
// switching off, pings, redelivery and deletion.
func TestWebhookServices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.as(caio.RoleAdmin)
		_, _, err := f.app.CreateWebhook(admin, caio.WebhookInput{URL: "ftp://example.com", Events: []string{"incident.* Bad!"}})
		fields := map[string]bool{}
		for _, p := range caio.ErrorFields(err) {
			fields[p.Field] = true
		}
		if !fields["url"] || !fields["events"] {
			t.Errorf("bad input = %v, want url and events named", err)
		}
		for _, u := range []string{"", "https://", "https://user:pw@example.com/", "//example.com", "javascript:alert(1)"} {
			if _, _, err := f.app.CreateWebhook(admin, caio.WebhookInput{URL: u, Events: []string{"*"}}); len(caio.ErrorFields(err)) == 0 || caio.ErrorFields(err)[0].Field != "url" {
				t.Errorf("URL %q = %v, want a url field error", u, err)
			}
		}
		if _, _, err := f.app.CreateWebhook(admin, caio.WebhookInput{URL: "https://x.example.com", Events: []string{" , "}}); len(caio.ErrorFields(err)) == 0 {
			t.Errorf("no events = %v, want an events field error", err)
		}

		w, secret, err := f.app.CreateWebhook(admin, caio.WebhookInput{URL: " https://hooks.example.com/caio ", Description: "Chat", Events: []string{"policy.*,incident.*  policy.*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "whsec_") || len(secret) != 6+64 {
			t.Errorf("secret %q", secret)
		}
		if w.URL != "https://hooks.example.com/caio" || strings.Join(w.Events, " ") != "policy.* incident.*" || w.CreatedBy != f.members[caio.RoleAdmin].Email {
			t.Errorf("webhook = %+v", w)
		}
		got, err := f.app.FindWebhook(admin, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		if strings.Contains(string(b), secret) {
			t.Errorf("a read shows the secret: %s", b)
		}
		ev := lastEvent(t, f.app, f.sys)
		if ev.Action != "webhook.create" || strings.Contains(string(ev.Diff), secret) {
			t.Errorf("audit event %s %s", ev.Action, ev.Diff)
		}
		s2, err := f.app.RotateWebhookSecret(admin, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s2 == secret {
			t.Error("rotation kept the secret")
		}
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "webhook.rotate" || strings.Contains(string(ev.Diff), s2) || strings.Contains(string(ev.Diff), secret) {
			t.Errorf("rotate audit event %s %s", ev.Action, ev.Diff)
		}

		// A ping is a delivery, not an audit event.
		before := auditTotal(t, f.app, f.sys)
		ping, err := f.app.PingWebhook(admin, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after := auditTotal(t, f.app, f.sys); after != before {
			t.Errorf("a ping wrote %d audit events", after-before)
		}
		if ping.Action != "ping" || ping.Status != caio.DeliveryPending {
			t.Errorf("ping = %+v", ping)
		}

		// A stale edit is refused; switching off fails what is pending.
		if _, err := f.app.UpdateWebhook(admin, w.ID, w.Version+3, caio.WebhookInput{URL: w.URL, Events: w.Events}); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("stale edit = %v", err)
		}
		w2, err := f.app.UpdateWebhook(admin, w.ID, 0, caio.WebhookInput{URL: w.URL, Events: w.Events, Active: false})
		if err != nil {
			t.Fatal(err)
		}
		if w2.Active {
			t.Error("still active")
		}
		d, err := f.app.FindDelivery(admin, w.ID, ping.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != caio.DeliveryFailed || !strings.Contains(d.LastError, "switched off") {
			t.Errorf("pending delivery of a switched-off webhook = %+v", d)
		}
		if _, err := f.app.PingWebhook(admin, w.ID); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("ping of a switched-off webhook = %v", err)
		}
		if _, err := f.app.Redeliver(admin, w.ID, d.ID); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("redelivery to a switched-off webhook = %v", err)
		}
		if _, err := f.app.UpdateWebhook(admin, w.ID, 0, caio.WebhookInput{URL: w.URL, Events: w.Events, Active: true}); err != nil {
			t.Fatal(err)
		}
		r, err := f.app.Redeliver(admin, w.ID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.ID != d.ID || r.Status != caio.DeliveryPending || r.Attempts != 0 {
			t.Errorf("redelivery = %+v", r)
		}
		if _, _, err := f.app.FindDeliveries(admin, w.ID, caio.DeliveryFilter{Status: new("sent")}); err == nil {
			t.Error("an unknown state filter was accepted")
		}

		if err := f.app.DeleteWebhook(admin, w.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.FindWebhook(admin, w.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("deleted webhook = %v", err)
		}
		if _, total, err := f.app.FindWebhooks(admin, caio.Page{}); err != nil || total != 0 {
			t.Errorf("webhooks after delete: %d, %v", total, err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

// verifyLikeTheDocs checks a delivery as docs/webhooks.md tells a receiver
// to, written apart from caio's own code so the documented method is what
// is tested.
func verifyLikeTheDocs(secret string, r *http.Request, body []byte) bool {
	ts := r.Header.Get("X-Caio-Timestamp")
	sent, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sent, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(r.Header.Get("X-Caio-Signature")))
}

// receiver is an httptest server that records what it gets and answers
// with the statuses given, in turn (the last one repeats).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	secret   string
	statuses []int
	got      []http.Header
	bodies   [][]byte
	verified []bool
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.got)
		rc.got = append(rc.got, r.Header.Clone())
		rc.bodies = append(rc.bodies, body)
		rc.verified = append(rc.verified, r.Method == http.MethodPost && verifyLikeTheDocs(rc.secret, r, body))
		status := rc.statuses[min(n, len(rc.statuses)-1)]
		rc.mu.Unlock()
		rw.WriteHeader(status)
		io.WriteString(rw, "answer "+strconv.Itoa(n+1))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) count() int { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.got) }

// TestWebhookDelivery sends a delivery to a receiver that checks the
// signature the documented way, then a rotated secret's.
func TestWebhookDelivery(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		rc := newReceiver(t, http.StatusNoContent)
		w, secret, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: rc.URL + "/hook", Events: []string{"incident.*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		rc.secret = secret
		if _, err := f.app.CreateIncident(f.sys, caio.IncidentInput{Title: "Chatbot leaked data", AwareAt: "2026-11-01T10:00", Severity: "high"}); err != nil {
			t.Fatal(err)
		}
		s := &app.WebhookSender{AllowPrivate: true}
		run, err := f.app.DeliverWebhooks(worker(t), s)
		if err != nil {
			t.Fatal(err)
		}
		if run.Claimed != 1 || run.Delivered != 1 || rc.count() != 1 {
			t.Fatalf("run = %+v, received %d", run, rc.count())
		}
		if !rc.verified[0] {
			t.Errorf("the receiver could not verify the signature: %v", rc.got[0])
		}
		h := rc.got[0]
		ds := deliveries(t, f, w.ID)
		if h.Get("Content-Type") != "application/json" || h.Get("User-Agent") != "caio/"+caio.Version ||
			h.Get("X-Caio-Event") != "incident.create" || h.Get("X-Caio-Delivery") != ds[0].ID {
			t.Errorf("headers = %v", h)
		}
		if !caio.VerifyWebhookSignature(secret, h.Get("X-Caio-Signature"), h.Get("X-Caio-Timestamp"), rc.bodies[0], time.Now(), 5*time.Minute) {
			t.Error("VerifyWebhookSignature refuses a good delivery")
		}
		if caio.VerifyWebhookSignature(secret, h.Get("X-Caio-Signature"), h.Get("X-Caio-Timestamp"), rc.bodies[0], time.Now().Add(time.Hour), 5*time.Minute) {
			t.Error("VerifyWebhookSignature accepts an old delivery")
		}
		if caio.VerifyWebhookSignature(secret, h.Get("X-Caio-Signature"), h.Get("X-Caio-Timestamp"), append(rc.bodies[0], ' '), time.Now(), 5*time.Minute) {
			t.Error("VerifyWebhookSignature accepts a changed body")
		}
		d := ds[0]
		if d.Status != caio.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != http.StatusNoContent || d.DeliveredAt == nil || d.LastError != "" {
			t.Errorf("delivered = %+v", d)
		}
		// Nothing is due any more.
		if run, err := f.app.DeliverWebhooks(worker(t), s); err != nil || run.Claimed != 0 {
			t.Errorf("second pass = %+v, %v", run, err)
		}

		// After rotation deliveries are signed with the new secret.
		s2, err := f.app.RotateWebhookSecret(f.sys, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		rc.secret = s2
		rc.mu.Unlock()
		if _, err := f.app.Redeliver(f.sys, w.ID, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.DeliverWebhooks(worker(t), s); err != nil {
			t.Fatal(err)
		}
		if rc.count() != 2 || !rc.verified[1] || rc.got[1].Get("X-Caio-Delivery") != d.ID {
			t.Errorf("redelivery after rotation: %d received, verified %v", rc.count(), rc.verified)
		}
		if string(rc.bodies[0]) != string(rc.bodies[1]) {
			t.Error("a redelivery changed the payload")
		}

		// Only the system runs the worker.
		if _, err := f.app.DeliverWebhooks(f.as(caio.RoleOwner), s); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("an owner ran the worker: %v", err)
		}
	})
}

// TestWebhookRetries: a receiver that answers 500 twice and then 200 gets
// three attempts, the second after 30 s and the third 2 min after that;
// one that always fails is tried MaxWebhookAttempts times, then the
// delivery fails.
func TestWebhookRetries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := newFixture(t, db)
		rc := newReceiver(t, 500, 500, 200)
		w, secret, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: rc.URL, Events: []string{"objective.create"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		rc.secret = secret
		f.objective(t, "Retry me")
		s := &app.WebhookSender{AllowPrivate: true, Backoff: exact}
		start := now
		var waits []time.Duration
		for pass := 1; pass <= 3; pass++ {
			run, err := f.app.DeliverWebhooks(worker(t), s)
			if err != nil {
				t.Fatal(err)
			}
			if run.Claimed != 1 {
				t.Fatalf("pass %d claimed %d", pass, run.Claimed)
			}
			d := deliveries(t, f, w.ID)[0]
			if d.Attempts != pass {
				t.Fatalf("pass %d: %d attempts", pass, d.Attempts)
			}
			if pass < 3 {
				if d.Status != caio.DeliveryPending || d.LastStatus != 500 || !strings.Contains(d.LastError, "answer") {
					t.Fatalf("pass %d: %+v", pass, d)
				}
				waits = append(waits, d.NextAttemptAt.Sub(now))
				// Not due yet: a pass a second early sends nothing.
				now = d.NextAttemptAt.Add(-time.Second)
				if run, _ := f.app.DeliverWebhooks(worker(t), s); run.Claimed != 0 {
					t.Fatalf("pass %d: sent before its time", pass)
				}
				now = *d.NextAttemptAt
			} else if d.Status != caio.DeliveryDelivered || d.LastStatus != 200 {
				t.Fatalf("pass 3: %+v", d)
			}
		}
		if len(waits) != 2 || waits[0] != 30*time.Second || waits[1] != 2*time.Minute || rc.count() != 3 {
			t.Errorf("waits %v, %d attempts received (started %v)", waits, rc.count(), start)
		}

		// Always failing: eight attempts, then failed, and one failed
		// delivery counted against the webhook.
		bad := newReceiver(t, http.StatusBadGateway)
		w2, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: bad.URL, Events: []string{"objective.create"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		f.objective(t, "Never delivered")
		for i := 1; i <= caio.MaxWebhookAttempts; i++ {
			if _, err := f.app.DeliverWebhooks(worker(t), s); err != nil {
				t.Fatal(err)
			}
			now = now.Add(13 * time.Hour)
		}
		if _, err := f.app.DeliverWebhooks(worker(t), s); err != nil {
			t.Fatal(err)
		}
		d := deliveries(t, f, w2.ID)[0]
		if d.Status != caio.DeliveryFailed || d.Attempts != caio.MaxWebhookAttempts || bad.count() != caio.MaxWebhookAttempts || d.NextAttemptAt != nil {
			t.Errorf("always failing: %+v, %d received", d, bad.count())
		}
		if got, _ := f.app.FindWebhook(f.sys, w2.ID); got.Failures != 1 || !got.Active {
			t.Errorf("webhook after one failed delivery: %+v", got)
		}
	})
}

// TestWebhookAutoDisable: after WebhookDisableAfter failed deliveries in a
// row the webhook is switched off by the system, audited.
func TestWebhookAutoDisable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		bad := newReceiver(t, http.StatusInternalServerError)
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: bad.URL, Events: []string{"objective.*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			f.objective(t, "goal "+strconv.Itoa(i))
		}
		s := &app.WebhookSender{AllowPrivate: true, MaxAttempts: 1, DisableAfter: 2, Parallel: 1}
		run, err := f.app.DeliverWebhooks(worker(t), s)
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Disabled) != 1 || run.Disabled[0] != w.ID {
			t.Fatalf("run = %+v", run)
		}
		got, _ := f.app.FindWebhook(f.sys, w.ID)
		if got.Active || got.Failures < 2 {
			t.Errorf("webhook = %+v", got)
		}
		ev, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{Action: new("webhook.disable"), Page: caio.Page{Limit: 5}})
		if err != nil || len(ev) != 1 || ev[0].Actor != "system" || ev[0].ObjectID != w.ID {
			t.Errorf("disable events = %+v, %v", ev, err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

// TestWebhookPrivateRefused: by default a delivery to loopback is refused
// at dial time, with a reason that names the flag, and never arrives.
func TestWebhookPrivateRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		rc := newReceiver(t, 200)
		// A name that resolves to loopback is refused as well as the address.
		u := strings.Replace(rc.URL, "127.0.0.1", "localhost", 1)
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: u, Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		run, err := f.app.DeliverWebhooks(worker(t), &app.WebhookSender{})
		if err != nil {
			t.Fatal(err)
		}
		if run.Claimed != 1 || run.Retrying != 1 || rc.count() != 0 {
			t.Fatalf("run = %+v, received %d", run, rc.count())
		}
		d := deliveries(t, f, w.ID)[0]
		if !strings.Contains(d.LastError, "Refused to connect") || !strings.Contains(d.LastError, "--webhooks-allow-private") {
			t.Errorf("last error = %q", d.LastError)
		}
	})
}

// TestInternalAddress lists what the dialer refuses by default.
func TestInternalAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true, "169.254.169.254": true,
		"fe80::1": true, "fc00::1": true, "0.0.0.0": true, "::": true, "100.64.0.1": true, "::ffff:127.0.0.1": true,
		"::ffff:10.0.0.1": true, "224.0.0.1": true, "64:ff9b::a00:1": true, "2002:a00:1::": true,
		"93.184.216.34": false, "2606:4700::1111": false, "8.8.8.8": false,
	} {
		if got := app.InternalAddress(netip.MustParseAddr(addr)); got != want {
			t.Errorf("InternalAddress(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestWebhookWorkersShare runs two passes at once, as two replicas would:
// every delivery arrives exactly once.
func TestWebhookWorkersShare(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		rc := newReceiver(t, 200)
		w, _, err := f.app.CreateWebhook(f.sys, caio.WebhookInput{URL: rc.URL, Events: []string{"objective.create"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		const n = 30
		for i := range n {
			f.objective(t, "goal "+strconv.Itoa(i))
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for {
					run, err := f.app.DeliverWebhooks(worker(t), &app.WebhookSender{AllowPrivate: true, Batch: 4})
					if err != nil {
						t.Error(err)
						return
					}
					if run.Claimed == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, h := range rc.got {
			seen[h.Get("X-Caio-Delivery")]++
		}
		if len(seen) != n || rc.count() != n {
			t.Errorf("%d deliveries received, %d distinct, want %d each", rc.count(), len(seen), n)
		}
		for _, d := range deliveries(t, f, w.ID) {
			if d.Status != caio.DeliveryDelivered || d.Attempts != 1 {
				t.Errorf("delivery %+v", d)
			}
		}
	})
}
