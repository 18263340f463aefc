package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// Outgoing webhooks (migration 0019): webhooks and the outbox of their
// deliveries. Deliveries are written in the transaction of the change they
// report; a worker claims due ones with a lease, posts them outside any
// transaction and records the result only while its claim still holds.

func init() {
	counted["webhook"] = "webhooks"
	backupTables = append(backupTables,
		struct{ name, order string }{"webhooks", "id"},
		struct{ name, order string }{"webhook_deliveries", "id"})
	// Secrets are credentials and deliveries name this instance's
	// receivers: an organisation moved to another instance sets its
	// webhooks up again there, as it does its API tokens.
	orgExportLeftOut = append(orgExportLeftOut, "webhooks", "webhook_deliveries")
}

const webhookColumns = `id, org_id, url, description, events, active, consecutive_failures, version, created_by, created_at, updated_at`

func scanWebhook(row interface{ Scan(...any) error }, extra ...any) (*caio.Webhook, error) {
	var w caio.Webhook
	var events string
	var active int
	dest := append([]any{&w.ID, &w.OrgID, &w.URL, &w.Description, &events, &active, &w.Failures, &w.Version, &w.CreatedBy,
		timeCol{&w.CreatedAt}, timeCol{&w.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	w.Events, w.Active = strings.Fields(events), active == 1
	if w.Events == nil {
		w.Events = []string{}
	}
	return &w, nil
}

func webhookNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Webhook not found.") }

// Webhook returns a webhook of the organisation, or ENOTFOUND. Inside a
// write transaction on PostgreSQL it locks the row until commit.
func (c *Conn) Webhook(ctx context.Context, orgID, id string) (*caio.Webhook, error) {
	w, err := scanWebhook(c.q.QueryRowContext(ctx, `/* Conn.Webhook */ SELECT `+webhookColumns+` FROM webhooks WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, webhookNotFound()
	}
	return w, err
}

// Webhooks returns a page of the organisation's webhooks, oldest first, and their total.
func (c *Conn) Webhooks(ctx context.Context, orgID string, p caio.Page) ([]*caio.Webhook, int, error) {
	q := &listQuery{name: "Webhooks", table: "webhooks", columns: webhookColumns, kind: "webhook",
		where: []string{"org_id = $1"}, args: []any{orgID}, order: "created_at, id", page: p}
	out := make([]*caio.Webhook, 0, p.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		w, err := scanWebhook(row, total)
		if err == nil {
			out = append(out, w)
		}
		return err
	})
	return out, total, err
}

// CreateWebhook inserts a webhook at version 1 with its secret.
func (c *Conn) CreateWebhook(ctx context.Context, w *caio.Webhook, secret string) error {
	w.Version, w.CreatedAt, w.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateWebhook */ INSERT INTO webhooks (id, org_id, url, description, events, secret, active, consecutive_failures, version, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		w.ID, w.OrgID, w.URL, w.Description, strings.Join(w.Events, " "), secret, boolInt(w.Active), w.Failures, w.Version, w.CreatedBy, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, w.OrgID, "webhook", 1)
}

// UpdateWebhook writes a webhook's fields and moves it to the next
// version. A webhook switched off fails its pending deliveries, so the
// worker does not find them due again and again.
func (c *Conn) UpdateWebhook(ctx context.Context, w *caio.Webhook) error {
	w.UpdatedAt = c.now
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateWebhook */ UPDATE webhooks SET url = $1, description = $2, events = $3, active = $4,
		consecutive_failures = $5, version = version + 1, updated_at = $6 WHERE org_id = $7 AND id = $8 AND version = $9`,
		w.URL, w.Description, strings.Join(w.Events, " "), boolInt(w.Active), w.Failures, ts(c.now), w.OrgID, w.ID, w.Version)); err != nil {
		return err
	}
	w.Version++
	if !w.Active {
		return c.failPending(ctx, w.OrgID, w.ID, "The webhook was switched off.")
	}
	return nil
}

// SetWebhookSecret replaces a webhook's secret.
func (c *Conn) SetWebhookSecret(ctx context.Context, orgID, id, secret string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.SetWebhookSecret */ UPDATE webhooks SET secret = $1, version = version + 1, updated_at = $2 WHERE org_id = $3 AND id = $4`,
		secret, ts(c.now), orgID, id))
}

// DeleteWebhook deletes a webhook with its deliveries.
func (c *Conn) DeleteWebhook(ctx context.Context, orgID, id string) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteWebhook */ DELETE FROM webhooks WHERE org_id = $1 AND id = $2`, orgID, id)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, orgID, "webhook", -1)
}

// failPending ends a webhook's pending deliveries as failed.
func (c *Conn) failPending(ctx context.Context, orgID, webhookID, reason string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.failPending */ UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = '', claim = '', last_error = $1, updated_at = $2
		WHERE org_id = $3 AND webhook_id = $4 AND status = 'pending'`, reason, ts(c.now), orgID, webhookID)
	return translate(err)
}

// WebhookTarget is an active webhook as the audit hook needs it.
type WebhookTarget struct {
	ID     string
	Events []string
}

// WebhookTargets returns the organisation's active webhooks and its slug,
// in one query: the audit hook runs it for every audited change.
func (c *Conn) WebhookTargets(ctx context.Context, orgID string) (targets []WebhookTarget, slug string, err error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.WebhookTargets */ SELECT w.id, w.events, o.slug FROM webhooks w JOIN organizations o ON o.id = w.org_id
		WHERE w.org_id = $1 AND w.active = 1 ORDER BY w.id`, orgID)
	if err != nil {
		return nil, "", translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t WebhookTarget
		var events string
		if err := rows.Scan(&t.ID, &events, &slug); err != nil {
			return nil, "", translate(err)
		}
		t.Events = strings.Fields(events)
		targets = append(targets, t)
	}
	return targets, slug, translate(rows.Err())
}

const deliveryColumns = `id, org_id, webhook_id, event_seq, action, payload, status, attempts, next_attempt_at, last_status, last_error, response_ms, delivered_at, created_at, updated_at`

func scanDelivery(row interface{ Scan(...any) error }, extra ...any) (*caio.WebhookDelivery, error) {
	var d caio.WebhookDelivery
	var payload string
	dest := append([]any{&d.ID, &d.OrgID, &d.WebhookID, &d.EventSeq, &d.Action, &payload, &d.Status, &d.Attempts, optTimeCol{&d.NextAttemptAt},
		&d.LastStatus, &d.LastError, &d.ResponseMillis, optTimeCol{&d.DeliveredAt}, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	d.Payload = []byte(payload)
	return &d, nil
}

// InsertDelivery queues a delivery, due at once. The row is written only
// while its webhook still exists: on PostgreSQL the webhook row is locked
// against deletion (FOR KEY SHARE), and a webhook deleted by a transaction
// that committed since the audit hook read it is skipped, instead of
// failing the change it reports on the foreign key.
func (c *Conn) InsertDelivery(ctx context.Context, d *caio.WebhookDelivery) error {
	d.Status, d.CreatedAt, d.UpdatedAt = caio.DeliveryPending, c.now, c.now
	next := c.now
	d.NextAttemptAt = &next
	lock := ""
	if c.d == Postgres {
		lock = " FOR KEY SHARE"
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.InsertDelivery */ INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_seq, action, payload, status, attempts,
		next_attempt_at, claim, last_status, last_error, response_ms, delivered_at, created_at, updated_at)
		SELECT $1, w.org_id, w.id, $4, $5, $6, 'pending', 0, $7, '', 0, '', 0, '', $7, $7 FROM webhooks w WHERE w.org_id = $2 AND w.id = $3`+lock,
		d.ID, d.OrgID, d.WebhookID, d.EventSeq, d.Action, string(d.Payload), ts(c.now))
	return translate(err)
}

func deliveryNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Delivery not found.") }

// Delivery returns a delivery of the organisation's webhook, or ENOTFOUND.
func (c *Conn) Delivery(ctx context.Context, orgID, webhookID, id string) (*caio.WebhookDelivery, error) {
	d, err := scanDelivery(c.q.QueryRowContext(ctx, `/* Conn.Delivery */ SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE org_id = $1 AND webhook_id = $2 AND id = $3`+c.forUpdate(),
		orgID, webhookID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, deliveryNotFound()
	}
	return d, err
}

// Deliveries returns a page of a webhook's deliveries, newest first, and
// the total that match. Payloads are left out: the log shows them on demand.
func (c *Conn) Deliveries(ctx context.Context, orgID, webhookID string, f caio.DeliveryFilter) ([]*caio.WebhookDelivery, int, error) {
	cols := strings.Replace(deliveryColumns, "payload", "'' AS payload", 1)
	q := &listQuery{name: "Deliveries", table: "webhook_deliveries", columns: cols,
		where: []string{"org_id = $1"}, args: []any{orgID}, order: "created_at DESC, id DESC", page: f.Page}
	q.filter("webhook_id = ?", webhookID)
	if f.Status != nil {
		q.filter("status = ?", *f.Status)
	}
	out := make([]*caio.WebhookDelivery, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		d, err := scanDelivery(row, total)
		if err == nil {
			d.Payload = nil
			out = append(out, d)
		}
		return err
	})
	return out, total, err
}

// RedeliverDelivery queues a delivery again, due at once with its attempts
// counted afresh. Its ID and payload stay, so a receiver that already has
// it can tell.
func (c *Conn) RedeliverDelivery(ctx context.Context, d *caio.WebhookDelivery) error {
	d.Status, d.Attempts, d.UpdatedAt = caio.DeliveryPending, 0, c.now
	next := c.now
	d.NextAttemptAt = &next
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.RedeliverDelivery */ UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1,
		claim = '', updated_at = $1 WHERE org_id = $2 AND id = $3`, ts(c.now), d.OrgID, d.ID))
}

// ClaimedDelivery is a delivery a worker holds, with what it needs to send it.
type ClaimedDelivery struct {
	caio.WebhookDelivery
	URL    string
	Secret string
	Claim  string
}

// ClaimDeliveries takes up to limit pending deliveries due at the
// transaction's time, soonest first, for the worker named by claim: each is
// moved out of reach until leaseUntil, so another worker (or this one, if
// it stops half-way) takes it again only after the lease. On PostgreSQL
// rows another replica is claiming are skipped, not waited for. This is
// the one query that reads every organisation; only the worker runs it.
func (c *Conn) ClaimDeliveries(ctx context.Context, claim, orgID string, leaseUntil time.Time, limit int) ([]*ClaimedDelivery, error) {
	lock := ""
	if c.d == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	due, args0 := "", []any{ts(c.now), limit}
	if orgID != "" {
		due, args0 = " AND org_id = $3", append(args0, orgID)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.ClaimDeliveries */ SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1`+due+`
		ORDER BY next_attempt_at LIMIT $2`+lock, args0...)
	if err != nil {
		return nil, translate(err)
	}
	var args []any
	var marks []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		args = append(args, id)
		marks = append(marks, "$"+itoa(len(args)+3))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	if len(args) == 0 {
		return nil, nil
	}
	if _, err := c.q.ExecContext(ctx, `/* Conn.ClaimDeliveries */ UPDATE webhook_deliveries SET claim = $1, next_attempt_at = $2, updated_at = $3
		WHERE id IN (`+strings.Join(marks, ", ")+`)`, append([]any{claim, ts(leaseUntil), ts(c.now)}, args...)...); err != nil {
		return nil, translate(err)
	}
	cols := "d." + strings.ReplaceAll(deliveryColumns, ", ", ", d.")
	rows, err = c.q.QueryContext(ctx, `/* Conn.ClaimDeliveries */ SELECT `+cols+`, w.url, w.secret FROM webhook_deliveries d
		JOIN webhooks w ON w.id = d.webhook_id AND w.org_id = d.org_id WHERE d.claim = $1 AND d.status = 'pending' ORDER BY d.next_attempt_at, d.id`, claim)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*ClaimedDelivery
	for rows.Next() {
		cd := &ClaimedDelivery{Claim: claim}
		d, err := scanDelivery(rows, &cd.URL, &cd.Secret)
		if err != nil {
			return nil, err
		}
		cd.WebhookDelivery = *d
		out = append(out, cd)
	}
	return out, translate(rows.Err())
}

// DeliveryResult is what one attempt gave.
type DeliveryResult struct {
	Status         string // pending (retry at Next), delivered or failed
	Next           time.Time
	HTTPStatus     int
	Error          string
	ResponseMillis int
}

// FinishAttempt records an attempt at a claimed delivery, if the claim is
// still the worker's (a lease that ran out may have passed it on), and
// keeps the webhook's count of failed deliveries in a row. It reports
// whether the claim held, and whether this result switched the webhook off.
func (c *Conn) FinishAttempt(ctx context.Context, d *ClaimedDelivery, r DeliveryResult, disableAfter int) (held, disabled bool, err error) {
	next, delivered := "", ""
	if r.Status == caio.DeliveryPending {
		next = ts(r.Next)
	}
	if r.Status == caio.DeliveryDelivered {
		delivered = ts(c.now)
	}
	res, err := c.q.ExecContext(ctx, `/* Conn.FinishAttempt */ UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at = $2, claim = '',
		last_status = $3, last_error = $4, response_ms = $5, delivered_at = $6, updated_at = $7
		WHERE org_id = $8 AND id = $9 AND claim = $10 AND status = 'pending'`,
		r.Status, next, r.HTTPStatus, r.Error, r.ResponseMillis, delivered, ts(c.now), d.OrgID, d.ID, d.Claim)
	if err != nil {
		return false, false, translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, false, nil
	}
	switch r.Status {
	case caio.DeliveryDelivered:
		_, err = c.q.ExecContext(ctx, `/* Conn.FinishAttempt */ UPDATE webhooks SET consecutive_failures = 0 WHERE org_id = $1 AND id = $2 AND consecutive_failures <> 0`, d.OrgID, d.WebhookID)
		return true, false, translate(err)
	case caio.DeliveryFailed:
		var n, active int
		if err := c.q.QueryRowContext(ctx, `/* Conn.FinishAttempt */ UPDATE webhooks SET consecutive_failures = consecutive_failures + 1
			WHERE org_id = $1 AND id = $2 RETURNING consecutive_failures, active`, d.OrgID, d.WebhookID).Scan(&n, &active); err != nil {
			if caio.ErrorCode(translate(err)) == caio.ENOTFOUND {
				return true, false, nil // deleted meanwhile
			}
			return true, false, translate(err)
		}
		if disableAfter > 0 && n >= disableAfter && active == 1 {
			if _, err := c.q.ExecContext(ctx, `/* Conn.FinishAttempt */ UPDATE webhooks SET active = 0, version = version + 1, updated_at = $1 WHERE org_id = $2 AND id = $3`,
				ts(c.now), d.OrgID, d.WebhookID); err != nil {
				return true, false, translate(err)
			}
			return true, true, c.failPending(ctx, d.OrgID, d.WebhookID, "The webhook was switched off after "+itoa(n)+" failed deliveries in a row.")
		}
	}
	return true, false, nil
}

// PruneDeliveries deletes finished deliveries made before the time, across
// organisations, and returns how many. Only the worker runs it.
func (c *Conn) PruneDeliveries(ctx context.Context, before time.Time) (int64, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.PruneDeliveries */ DELETE FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending'`, ts(before))
	if err != nil {
		return 0, translate(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
