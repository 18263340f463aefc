package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// Outgoing webhooks. An audit hook queues one delivery per matching active
// webhook inside the transaction of every audited change (an outbox), so a
// change that rolls back sends nothing and a committed change is never
// lost. The worker (webhook_worker.go) sends them.
//
// Every service here needs PermManageOrg, reading included: the delivery
// log shows payloads, which carry the audit diffs of every area, and a
// webhook's address may itself be sensitive.
//
// Webhook changes are audited like any other change and so reach webhooks
// whose filters match them; deliveries, pings and redeliveries are not
// audit events, so nothing a webhook does can queue more deliveries by
// itself.

var _ caio.WebhookService = (*App)(nil)

func init() { auditHooks = append(auditHooks, queueWebhookDeliveries) }

// queueWebhookDeliveries is the audit hook: one query for the
// organisation's active webhooks, then one insert per webhook whose
// filters match the event.
func queueWebhookDeliveries(ctx context.Context, c *sqldb.Conn, e *caio.AuditEvent) error {
	targets, slug, err := c.WebhookTargets(ctx, e.OrgID)
	if err != nil || len(targets) == 0 {
		return err
	}
	for _, t := range targets {
		if !caio.EventMatches(t.Events, e.Action) {
			continue
		}
		d := &caio.WebhookDelivery{ID: caio.NewID("whd"), OrgID: e.OrgID, WebhookID: t.ID, EventSeq: e.Seq, Action: e.Action}
		if d.Payload, err = webhookPayload(d.ID, slug, e); err != nil {
			return err
		}
		if err := c.InsertDelivery(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// webhookPayload is the body of a delivery of the event.
func webhookPayload(deliveryID, slug string, e *caio.AuditEvent) (json.RawMessage, error) {
	diff := e.Diff
	if len(diff) == 0 {
		diff = json.RawMessage("{}")
	}
	return json.Marshal(caio.WebhookPayload{Delivery: deliveryID, Event: e.Action, Seq: e.Seq, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
		Organization: slug, Actor: e.Actor, At: e.At.UTC().Format(time.RFC3339Nano), Diff: diff})
}

// newWebhookSecret returns a new signing secret: 32 random bytes, in hex,
// after a prefix that makes it recognisable in a secrets scanner.
func newWebhookSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + hex.EncodeToString(b[:])
}

// FindWebhooks implements caio.WebhookService.
func (app *App) FindWebhooks(ctx context.Context, p caio.Page) ([]*caio.Webhook, int, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Webhook
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Webhooks(ctx, a.OrgID, p)
		return err
	})
	return out, total, err
}

// FindWebhook implements caio.WebhookService.
func (app *App) FindWebhook(ctx context.Context, id string) (*caio.Webhook, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("wh", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	var w *caio.Webhook
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		w, err = c.Webhook(ctx, a.OrgID, id)
		return err
	})
	return w, err
}

// CreateWebhook implements caio.WebhookService.
func (app *App) CreateWebhook(ctx context.Context, in caio.WebhookInput) (*caio.Webhook, string, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, "", err
	}
	if err := in.Normalize(); err != nil {
		return nil, "", err
	}
	secret := newWebhookSecret()
	var w *caio.Webhook
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		w = &caio.Webhook{ID: caio.NewID("wh"), OrgID: a.OrgID, URL: in.URL, Description: in.Description, Events: in.Events,
			Active: in.Active, CreatedBy: a.Label()}
		if err := c.CreateWebhook(ctx, w, secret); err != nil {
			return err
		}
		return record(ctx, c, a, "webhook.create", "webhook", w.ID, caio.Diff(nil, w.Fields()))
	})
	if err != nil {
		return nil, "", err
	}
	return w, secret, nil
}

// UpdateWebhook implements caio.WebhookService.
func (app *App) UpdateWebhook(ctx context.Context, id string, version int, in caio.WebhookInput) (*caio.Webhook, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("wh", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var w *caio.Webhook
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if w, err = c.Webhook(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != w.Version {
			return staleEdit("webhook", w.Version, version)
		}
		before, beforeURL := w.Fields(), w.URL
		if in.Active && !w.Active {
			w.Failures = 0 // switched on again: count afresh
		}
		w.URL, w.Description, w.Events, w.Active = in.URL, in.Description, in.Events, in.Active
		if err := c.UpdateWebhook(ctx, w); err != nil {
			return err
		}
		after := w.Fields()
		if w.URL != beforeURL && after["url"] == before["url"] {
			after["url"] = after["url"].(string) + " (changed)" // the part the trail leaves out changed
		}
		return record(ctx, c, a, "webhook.update", "webhook", w.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// RotateWebhookSecret implements caio.WebhookService.
func (app *App) RotateWebhookSecret(ctx context.Context, id string) (string, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return "", err
	}
	if !caio.ValidID("wh", id) {
		return "", caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	secret := newWebhookSecret()
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if _, err := c.Webhook(ctx, a.OrgID, id); err != nil {
			return err
		}
		if err := c.SetWebhookSecret(ctx, a.OrgID, id, secret); err != nil {
			return err
		}
		// The trail says that the secret changed, never what it is.
		return record(ctx, c, a, "webhook.rotate", "webhook", id, caio.Diff(nil, map[string]any{"secret": "rotated"}))
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// DeleteWebhook implements caio.WebhookService.
func (app *App) DeleteWebhook(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return err
	}
	if !caio.ValidID("wh", id) {
		return caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		w, err := c.Webhook(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteWebhook(ctx, a.OrgID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "webhook.delete", "webhook", id, caio.Diff(w.Fields(), nil))
	})
}

// FindDeliveries implements caio.WebhookService.
func (app *App) FindDeliveries(ctx context.Context, webhookID string, f caio.DeliveryFilter) ([]*caio.WebhookDelivery, int, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	if !caio.ValidID("wh", webhookID) {
		return nil, 0, caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	var out []*caio.WebhookDelivery
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if _, err = c.Webhook(ctx, a.OrgID, webhookID); err != nil {
			return err
		}
		out, total, err = c.Deliveries(ctx, a.OrgID, webhookID, f)
		return err
	})
	return out, total, err
}

// FindDelivery implements caio.WebhookService.
func (app *App) FindDelivery(ctx context.Context, webhookID, id string) (*caio.WebhookDelivery, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("wh", webhookID) || !caio.ValidID("whd", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Delivery not found.")
	}
	var d *caio.WebhookDelivery
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		d, err = c.Delivery(ctx, a.OrgID, webhookID, id)
		return err
	})
	return d, err
}

// Redeliver implements caio.WebhookService.
func (app *App) Redeliver(ctx context.Context, webhookID, id string) (*caio.WebhookDelivery, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("wh", webhookID) || !caio.ValidID("whd", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Delivery not found.")
	}
	var d *caio.WebhookDelivery
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		w, err := c.Webhook(ctx, a.OrgID, webhookID)
		if err != nil {
			return err
		}
		if !w.Active {
			return caio.Errorf(caio.ECONFLICT, "The webhook is switched off: switch it on before sending again.")
		}
		if d, err = c.Delivery(ctx, a.OrgID, webhookID, id); err != nil {
			return err
		}
		return c.RedeliverDelivery(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	wakeWebhooks()
	return d, nil
}

// PingWebhook implements caio.WebhookService.
func (app *App) PingWebhook(ctx context.Context, id string) (*caio.WebhookDelivery, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("wh", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Webhook not found.")
	}
	var d *caio.WebhookDelivery
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		w, err := c.Webhook(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if !w.Active {
			return caio.Errorf(caio.ECONFLICT, "The webhook is switched off: switch it on before sending a ping.")
		}
		org, err := c.OrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		d = &caio.WebhookDelivery{ID: caio.NewID("whd"), OrgID: a.OrgID, WebhookID: id, Action: "ping"}
		// A ping is shaped like an event, about the webhook itself, so a
		// receiver's code path is exercised end to end.
		if d.Payload, err = webhookPayload(d.ID, org.Slug, &caio.AuditEvent{Action: "ping", ObjectType: "webhook", ObjectID: id,
			Actor: a.Label(), At: c.Now(), Diff: json.RawMessage(`{}`)}); err != nil {
			return err
		}
		return c.InsertDelivery(ctx, d)
	})
	if err != nil {
		return nil, err
	}
	wakeWebhooks()
	return d, nil
}
