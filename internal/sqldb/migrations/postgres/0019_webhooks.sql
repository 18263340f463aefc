-- Outgoing webhooks: an organisation's receivers of its audit events, and
-- the outbox of deliveries to them. Times are TEXT as in 0001 (fixed-width
-- UTC), '' when not set.
--
-- events holds the webhook's event filters separated by spaces ("*",
-- "incident.*", "policy.approve"). secret is the HMAC key that signs each
-- delivery; it must be kept as it is to sign, so it is stored, never shown
-- again after it is made and never written to the audit trail.
CREATE TABLE webhooks (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url                  TEXT NOT NULL,
    description          TEXT NOT NULL,
    events               TEXT NOT NULL,
    secret               TEXT NOT NULL,
    active               INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    version              INTEGER NOT NULL,
    created_by           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
-- The list, and the audit hook's one query per event: the active webhooks
-- of the event's organisation.
CREATE INDEX webhooks_org_created ON webhooks(org_id, created_at, id);
CREATE INDEX webhooks_org_active ON webhooks(org_id, active);

-- One event to one webhook. A row is written in the transaction of the
-- change it reports (an outbox), so a change that rolls back sends nothing
-- and a committed one is never lost. payload is the JSON body, made when
-- the row is written. A worker claims a due row by moving next_attempt_at
-- past its lease and setting claim; it records the result only while the
-- claim is still its own.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    webhook_id      TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_seq       INTEGER NOT NULL,
    action          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claim           TEXT NOT NULL,
    last_status     INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    response_ms     INTEGER NOT NULL,
    delivered_at    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- The worker's due query reads only pending rows, soonest first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
-- A webhook's delivery log, newest first, all or by status.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(org_id, webhook_id, created_at, id);
CREATE INDEX webhook_deliveries_log_status ON webhook_deliveries(org_id, webhook_id, status, created_at, id);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id);
-- Pruning old finished deliveries.
CREATE INDEX webhook_deliveries_created ON webhook_deliveries(created_at);
