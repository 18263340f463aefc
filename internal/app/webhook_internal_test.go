package app

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestWebhookOutboxRollsBack: the hook queues its delivery inside the
// change's transaction, so a change that fails after its audit event was
// written (and the hook ran) leaves no delivery, and one that commits
// leaves exactly one.
func TestWebhookOutboxRollsBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := New(db, nil)
		ctx := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		if _, err := a.CreateOrg(ctx, SignupInput{OrgName: "Acme Ltd", OrgSlug: "acme", Email: "o@acme.test", Name: "O", Password: "correct horse battery staple"}); err != nil {
			t.Fatal(err)
		}
		sys, err := a.SystemActor(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		octx := caio.WithActor(t.Context(), sys)
		w, _, err := a.CreateWebhook(octx, caio.WebhookInput{URL: "https://hooks.example.com/", Events: []string{"objective.*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		count := func() int {
			_, n, err := a.FindDeliveries(octx, w.ID, caio.DeliveryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		boom := errors.New("the change failed after its audit event")
		queued := 0
		err = db.Write(t.Context(), func(c *sqldb.Conn) error {
			if err := record(t.Context(), c, sys, "objective.update", "objective", "obj_x", nil); err != nil {
				return err
			}
			// The hook did queue it, inside this transaction...
			_, n, err := c.Deliveries(t.Context(), sys.OrgID, w.ID, caio.DeliveryFilter{Page: caio.Page{Limit: 10}})
			queued = n
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) && caio.ErrorCode(err) != caio.EINTERNAL {
			t.Fatalf("write = %v", err)
		}
		if queued != 1 {
			t.Errorf("inside the transaction %d deliveries were queued, want 1", queued)
		}
		// ...and the rollback took it away with the event.
		if n := count(); n != 0 {
			t.Errorf("after the rollback %d deliveries remain, want 0", n)
		}
		if err := db.Write(t.Context(), func(c *sqldb.Conn) error {
			return record(t.Context(), c, sys, "objective.update", "objective", "obj_x", nil)
		}); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Errorf("after a commit %d deliveries, want 1", n)
		}
	})
}

// BenchmarkAuditHookCost measures what the webhook audit hook adds to a
// write. "write/…" creates an objective (the objective, a counter and an
// audit event, committed) with the hook removed, with the hook and no
// webhook, and with three webhooks of which two match; "hook/…" runs the
// hook alone, many times inside one transaction, so commit time and the
// machine's noise do not hide it.
func BenchmarkAuditHookCost(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		for _, tc := range []struct {
			name  string
			hooks int
			off   bool
		}{{"write/hook=off", 0, true}, {"write/webhooks=0", 0, false}, {"write/webhooks=3", 3, false}, {"hook/webhooks=0", 0, false}, {"hook/webhooks=3", 3, false}} {
			b.Run(string(d)+"/"+tc.name, func(b *testing.B) {
				db := sqldbtest.Open(b, d, sqldbtest.Options{})
				a := New(db, nil)
				ctx := caio.WithActor(b.Context(), caio.Actor{System: true, Via: "bench"})
				if _, err := a.CreateOrg(ctx, SignupInput{OrgName: "Bench Ltd", OrgSlug: "bench", Email: "b@bench.test", Name: "B", Password: "correct horse battery staple"}); err != nil {
					b.Fatal(err)
				}
				sys, err := a.SystemActor(ctx, "bench")
				if err != nil {
					b.Fatal(err)
				}
				octx := caio.WithActor(b.Context(), sys)
				for i := range tc.hooks {
					events := []string{"objective.*", "*", "incident.*"}[i%3]
					if _, _, err := a.CreateWebhook(octx, caio.WebhookInput{URL: "https://hooks.example.com/" + strconv.Itoa(i), Events: []string{events}, Active: true}); err != nil {
						b.Fatal(err)
					}
				}
				if tc.off {
					saved := auditHooks
					auditHooks = nil
					b.Cleanup(func() { auditHooks = saved })
				}
				if strings.HasPrefix(tc.name, "hook/") {
					e := &caio.AuditEvent{OrgID: sys.OrgID, Seq: 1, Actor: "system", Action: "objective.create", ObjectType: "objective", ObjectID: "obj_x",
						Diff: []byte(`{"title":[null,"A goal"]}`)}
					b.ResetTimer()
					if err := db.Write(b.Context(), func(c *sqldb.Conn) error {
						for b.Loop() {
							if err := queueWebhookDeliveries(b.Context(), c, e); err != nil {
								return err
							}
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
					return
				}
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if _, err := a.CreateObjective(octx, caio.ObjectiveInput{Title: "goal " + strconv.Itoa(i)}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestWebhookDeletedMeanwhile: a webhook deleted by another transaction
// after the audit hook read it does not fail the change being audited; its
// delivery is simply not written. Only PostgreSQL has concurrent writers.
func TestWebhookDeletedMeanwhile(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.Postgres {
			t.Skip("SQLite has one writer: no other transaction can delete in between")
		}
		a := New(db, nil)
		ctx := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		if _, err := a.CreateOrg(ctx, SignupInput{OrgName: "Acme Ltd", OrgSlug: "acme", Email: "o@acme.test", Name: "O", Password: "correct horse battery staple"}); err != nil {
			t.Fatal(err)
		}
		sys, err := a.SystemActor(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		octx := caio.WithActor(t.Context(), sys)
		w, _, err := a.CreateWebhook(octx, caio.WebhookInput{URL: "https://hooks.example.com/", Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(t.Context(), func(c *sqldb.Conn) error {
			targets, _, err := c.WebhookTargets(t.Context(), sys.OrgID)
			if err != nil || len(targets) != 1 {
				t.Fatalf("targets %v, %v", targets, err)
			}
			// Another transaction deletes the webhook and commits now.
			if err := a.DeleteWebhook(octx, w.ID); err != nil {
				return err
			}
			return c.InsertDelivery(t.Context(), &caio.WebhookDelivery{ID: caio.NewID("whd"), OrgID: sys.OrgID, WebhookID: w.ID, Action: "objective.create", Payload: []byte(`{}`)})
		})
		if err != nil {
			t.Errorf("the change failed because a webhook was deleted meanwhile: %v", err)
		}
	})
}
