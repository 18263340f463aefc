package caio

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Outgoing webhooks: an organisation's receivers of its audit events. Every
// audited change that matches a webhook's event filters queues one delivery
// in the change's own transaction; a worker posts it, signed with the
// webhook's secret, and retries with backoff until the receiver answers 2xx
// or the attempts run out.

// Webhook is one receiver of an organisation's events. Its secret is never
// part of it: it is shown once, when made or rotated.
type Webhook struct {
	ID          string   `json:"id"`
	OrgID       string   `json:"org_id"`
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
	Active      bool     `json:"active"`
	// Failures counts the deliveries in a row that ended failed; at
	// WebhookDisableAfter the webhook is switched off.
	Failures  int       `json:"consecutive_failures"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// Fields returns what the audit trail records of a webhook: never its
// secret, and of its URL only the scheme and host (AuditURL).
func (w *Webhook) Fields() map[string]any {
	return map[string]any{"url": AuditURL(w.URL), "description": w.Description, "events": strings.Join(w.Events, " "), "active": w.Active}
}

// AuditURL is a webhook URL as the audit trail keeps it: scheme and host,
// with "/…" for a path or query it leaves out. Chat services and others
// take their credential in the path or query, and the audit trail is read
// by approvers, who may not see webhooks.
func AuditURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "…"
	}
	out := p.Scheme + "://" + p.Host
	if (p.Path != "" && p.Path != "/") || p.RawQuery != "" {
		out += "/…"
	}
	return out
}

// Bounds of a webhook.
const (
	MaxWebhookURL         = 2000
	MaxWebhookEvents      = 50
	MaxWebhookDescription = 500
	// MaxWebhookAttempts is how often a delivery is tried before it fails.
	MaxWebhookAttempts = 8
	// WebhookDisableAfter is how many deliveries in a row may end failed
	// before the webhook is switched off.
	WebhookDisableAfter = 5
)

// WebhookInput is what a person sets on a webhook.
type WebhookInput struct {
	URL         string
	Description string
	// Events are filters, one per item or several separated by spaces or
	// commas: "*" for every event, "incident.*" for every action that
	// starts with "incident.", or an action such as "incident.create".
	Events []string
	Active bool
}

// eventFilterPattern is "*", a prefix ending in ".*" or an action: audit
// actions always have a dot (incident.create), so a bare word such as
// "incident" is refused rather than silently matching nothing.
var eventFilterPattern = regexp.MustCompile(`^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$`)

// SplitEventFilters splits text of filters separated by spaces, commas or
// new lines.
func SplitEventFilters(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == ';' })
}

// Normalize trims the input, splits and de-duplicates the filters, and
// returns an error naming every field to fix.
func (in *WebhookInput) Normalize() error {
	var v Validation
	in.URL = strings.TrimSpace(in.URL)
	in.Description = strings.TrimSpace(in.Description)
	if err := CheckWebhookURL(in.URL); err != nil {
		v.Add("url", err.Error())
	}
	if utf8.RuneCountInString(in.Description) > MaxWebhookDescription {
		v.Add("description", "must be at most "+strconv.Itoa(MaxWebhookDescription)+" characters")
	}
	var events []string
	seen := map[string]bool{}
	for _, raw := range in.Events {
		for _, e := range SplitEventFilters(raw) {
			e = strings.ToLower(e)
			if !eventFilterPattern.MatchString(e) {
				v.Add("events", "has "+strconv.Quote(e)+", which is not an event filter: write * for every event, a prefix such as incident.* or an audit action such as incident.create")
				continue
			}
			if !seen[e] {
				seen[e] = true
				events = append(events, e)
			}
		}
	}
	switch {
	case len(events) == 0 && len(v.fields) == 0:
		v.Add("events", "must name at least one event, or * for every event")
	case len(events) > MaxWebhookEvents:
		v.Add("events", "may hold at most "+strconv.Itoa(MaxWebhookEvents)+" filters")
	}
	in.Events = events
	return v.Err()
}

// webhookURLError is the reason a URL is refused, said as the end of "URL ...".
type webhookURLError string

func (e webhookURLError) Error() string { return string(e) }

// CheckWebhookURL returns why u cannot be a webhook's address, or nil.
// Where it points is checked when it is dialled, not here: a name can
// resolve to another address tomorrow.
func CheckWebhookURL(u string) error {
	if u == "" {
		return webhookURLError("is required")
	}
	if len(u) > MaxWebhookURL {
		return webhookURLError("must be at most " + strconv.Itoa(MaxWebhookURL) + " characters")
	}
	p, err := url.Parse(u)
	if err != nil || p.Opaque != "" {
		return webhookURLError("must be an address such as https://hooks.example.com/caio")
	}
	if p.Scheme != "https" && p.Scheme != "http" {
		return webhookURLError("must start with https:// (or http://)")
	}
	if p.Hostname() == "" {
		return webhookURLError("must name a host, such as https://hooks.example.com/caio")
	}
	if p.User != nil {
		return webhookURLError("must not carry a user name or password; the signature authenticates caio")
	}
	if p.Fragment != "" {
		return webhookURLError("must not have a #fragment")
	}
	return nil
}

// EventMatches reports whether an audit action matches any of the filters.
func EventMatches(filters []string, action string) bool {
	for _, f := range filters {
		if f == "*" || f == action {
			return true
		}
		if prefix, ok := strings.CutSuffix(f, "*"); ok && strings.HasPrefix(action, prefix) {
			return true
		}
	}
	return false
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// DeliveryStatuses are the states of a delivery.
var DeliveryStatuses = []string{DeliveryPending, DeliveryDelivered, DeliveryFailed}

// WebhookDelivery is one event sent, or to be sent, to one webhook.
type WebhookDelivery struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	WebhookID string `json:"webhook_id"`
	// EventSeq is the audit event's sequence number in the organisation's
	// trail; 0 for a ping.
	EventSeq int64           `json:"event_seq"`
	Action   string          `json:"event"`
	Payload  json.RawMessage `json:"payload,omitempty"`
	Status   string          `json:"status"`
	Attempts int             `json:"attempts"`
	// NextAttemptAt is when a pending delivery is tried next.
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	// LastStatus is the HTTP status of the last attempt, 0 when none
	// answered; LastError says what went wrong.
	LastStatus     int        `json:"last_status,omitempty"`
	LastError      string     `json:"last_error,omitempty"`
	ResponseMillis int        `json:"response_ms,omitempty"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// WebhookPayload is the JSON body of a delivery.
type WebhookPayload struct {
	// Delivery is the delivery's ID: the same on every attempt and
	// redelivery, so a receiver can drop what it already has.
	Delivery     string          `json:"delivery"`
	Event        string          `json:"event"`
	Seq          int64           `json:"seq,omitempty"`
	ObjectType   string          `json:"object_type"`
	ObjectID     string          `json:"object_id"`
	Organization string          `json:"organization"`
	Actor        string          `json:"actor"`
	At           string          `json:"at"`
	Diff         json.RawMessage `json:"diff"`
}

// WebhookSignature returns the value of the X-Caio-Signature header of a
// body sent at the unix time ts: "sha256=" and the hex HMAC-SHA256, keyed
// with the secret, of the time, a dot and the body.
func WebhookSignature(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifyWebhookSignature checks a delivery's signature header and time the
// way a receiver should: the signature must match and the time must be
// within tolerance of now. It is what the documentation describes.
func VerifyWebhookSignature(secret, header, timestamp string, body []byte, now time.Time, tolerance time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(header), []byte(WebhookSignature(secret, ts, body)))
}

// WebhookBackoff returns how long to wait after the nth failed attempt
// (1-based) before the next: 30 s, 2 min, 10 min, 1 h, 6 h, then 12 h.
// The worker adds jitter.
func WebhookBackoff(attempt int) time.Duration {
	steps := []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour}
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= len(steps) {
		return steps[attempt-1]
	}
	return 12 * time.Hour
}

// DeliveryFilter selects a webhook's deliveries, newest first.
type DeliveryFilter struct {
	Status *string
	Page
}

// Normalize checks the filter.
func (f *DeliveryFilter) Normalize() error {
	p, err := f.Page.Normalize()
	if err != nil {
		return err
	}
	f.Page = p
	if f.Status != nil {
		ok := false
		for _, s := range DeliveryStatuses {
			ok = ok || s == *f.Status
		}
		if !ok {
			return FieldError("status", "must be one of "+strings.Join(DeliveryStatuses, ", "))
		}
	}
	return nil
}

// WebhookService manages an organisation's webhooks and shows their
// deliveries. Every method needs PermManageOrg in the actor's current
// organisation and returns ENOTFOUND for a webhook or delivery of another
// organisation.
type WebhookService interface {
	// FindWebhooks returns a page of the webhooks, oldest first, and their total.
	FindWebhooks(ctx context.Context, p Page) ([]*Webhook, int, error)
	// FindWebhook returns one webhook, without its secret.
	FindWebhook(ctx context.Context, id string) (*Webhook, error)
	// CreateWebhook makes a webhook and returns it with its new secret,
	// which is shown this once. Returns EINVALID naming each bad field.
	CreateWebhook(ctx context.Context, in WebhookInput) (*Webhook, string, error)
	// UpdateWebhook replaces a webhook's address, description, filters and
	// state; version, when not 0, must be the stored one (else ECONFLICT).
	// Switching a webhook off fails its pending deliveries.
	UpdateWebhook(ctx context.Context, id string, version int, in WebhookInput) (*Webhook, error)
	// RotateWebhookSecret gives the webhook a new secret and returns it,
	// shown this once; deliveries sent from now on are signed with it.
	RotateWebhookSecret(ctx context.Context, id string) (string, error)
	// DeleteWebhook deletes a webhook with its deliveries.
	DeleteWebhook(ctx context.Context, id string) error
	// FindDeliveries returns a page of a webhook's deliveries, newest
	// first, without their payloads, and the total that match.
	FindDeliveries(ctx context.Context, webhookID string, f DeliveryFilter) ([]*WebhookDelivery, int, error)
	// FindDelivery returns one delivery with its payload.
	FindDelivery(ctx context.Context, webhookID, id string) (*WebhookDelivery, error)
	// Redeliver queues a delivery again, with the same ID and payload.
	// Returns ECONFLICT when the webhook is switched off.
	Redeliver(ctx context.Context, webhookID, id string) (*WebhookDelivery, error)
	// PingWebhook queues a "ping" delivery to the webhook. Returns
	// ECONFLICT when the webhook is switched off.
	PingWebhook(ctx context.Context, id string) (*WebhookDelivery, error)
}
