package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The webhook worker: each pass claims the due deliveries (with a lease, so
// several replicas never send one twice at once and a stopped worker's
// claims come back), posts them with a signature, and records each result:
// delivered on 2xx, otherwise tried again after a growing delay until the
// attempts run out.

// WebhookSender says how deliveries are sent. The zero value is usable:
// DeliverWebhooks fills in the defaults.
type WebhookSender struct {
	// Client posts the deliveries; by default NewWebhookClient(AllowPrivate).
	Client *http.Client
	// AllowPrivate lets deliveries reach loopback, private and link-local
	// addresses, for receivers on the organisation's own network.
	AllowPrivate bool
	// Backoff returns the wait after the nth failed attempt; by default
	// caio.WebhookBackoff with ±10% jitter. Tests make it exact.
	Backoff func(attempt int) time.Duration
	// MaxAttempts is how often a delivery is tried (caio.MaxWebhookAttempts).
	MaxAttempts int
	// DisableAfter is how many failed deliveries in a row switch a
	// webhook off (caio.WebhookDisableAfter); negative never does.
	DisableAfter int
	// Batch is how many deliveries one pass claims (50); Parallel how many
	// it sends at once (4).
	Batch, Parallel int
	// Lease is how long a claim keeps a delivery from other workers (2 min).
	Lease time.Duration
}

// webhookTimeout bounds one attempt, connection to response body.
const webhookTimeout = 10 * time.Second

// maxResponseRead bounds what is read of a receiver's answer.
const maxResponseRead = 4 << 10

// maxLastError bounds the error kept with a delivery.
const maxLastError = 500

func (s *WebhookSender) defaults() {
	if s.Client == nil {
		s.Client = NewWebhookClient(s.AllowPrivate)
	}
	if s.Backoff == nil {
		s.Backoff = func(n int) time.Duration {
			d := caio.WebhookBackoff(n)
			return d - d/10 + time.Duration(rand.Int64N(int64(d/5)+1))
		}
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = caio.MaxWebhookAttempts
	}
	if s.DisableAfter == 0 {
		s.DisableAfter = caio.WebhookDisableAfter
	}
	if s.Batch <= 0 {
		s.Batch = 50
	}
	if s.Parallel <= 0 {
		s.Parallel = 4
	}
	if s.Lease <= 0 {
		s.Lease = 2 * time.Minute
	}
}

// NewWebhookClient returns the HTTP client of deliveries: a 10 s limit per
// attempt, no proxy from the environment (it would hide where a delivery
// goes), redirects not followed (a receiver that moved answers 3xx, which
// counts as a failure), and unless allowPrivate, a dialer that refuses
// loopback, private, link-local and other internal addresses. The address
// is checked once resolved, at dial time, so a name that resolves to an
// internal address is refused too.
func NewWebhookClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = refuseInternal
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: webhookTimeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       60 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: t, Timeout: webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// internalPrefixes are ranges a delivery may not reach by default, beyond
// what netip's predicates name: shared address space (carrier-grade NAT),
// IETF protocol assignments, benchmarking, NAT64 and 6to4, which can
// embed an internal IPv4 address.
var internalPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
}

// internalAddressError is a dial refused by refuseInternal.
type internalAddressError struct{ addr string }

func (e *internalAddressError) Error() string {
	return "refused to connect to the internal address " + e.addr
}

// InternalAddress reports whether a delivery may not reach addr unless
// private destinations are allowed.
func InternalAddress(addr netip.Addr) bool {
	addr = addr.Unmap()
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() {
		return true
	}
	for _, p := range internalPrefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// refuseInternal is the dialer's Control: it runs after name resolution,
// on the very address about to be connected to.
func refuseInternal(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &internalAddressError{address}
	}
	if InternalAddress(ap.Addr()) {
		return &internalAddressError{ap.Addr().Unmap().String()}
	}
	return nil
}

// WebhookRun says what one pass did.
type WebhookRun struct {
	Claimed   int `json:"claimed"`
	Delivered int `json:"delivered"`
	Retrying  int `json:"retrying"`
	Failed    int `json:"failed"`
	// Lost counts results not recorded because the claim had passed on
	// (the lease ran out, or someone redelivered meanwhile).
	Lost int `json:"lost"`
	// Disabled lists webhooks switched off by this pass.
	Disabled []string `json:"disabled,omitempty"`
}

// webhookWake nudges a running worker to look for due deliveries now,
// after a ping or a redelivery, instead of at its next tick.
var webhookWake = make(chan struct{}, 1)

func wakeWebhooks() {
	select {
	case webhookWake <- struct{}{}:
	default:
	}
}

// DeliverWebhooks runs one pass of the worker: in the actor's
// organisation when it has one (caio webhook deliver --org), else in all
// (caio serve's worker). Only the system may run it.
func (app *App) DeliverWebhooks(ctx context.Context, s *WebhookSender) (*WebhookRun, error) {
	a, ok := caio.ActorFrom(ctx)
	if !ok || !a.System {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Only the server or a local command sends webhooks.")
	}
	s.defaults()
	claim := caio.NewID("claim")
	// An attempt may start only while it can finish within the lease:
	// once the lease has run out, another worker may claim and send the
	// same delivery. The rest wait for a later pass (they are due again
	// when the lease ends).
	budget := webhookTimeout
	if s.Client.Timeout > 0 {
		budget = s.Client.Timeout
	}
	startBy := time.Now().Add(s.Lease - budget)
	if s.Lease <= budget { // a lease shorter than an attempt: send rather than never
		startBy = time.Now().Add(s.Lease)
	}
	var claimed []*sqldb.ClaimedDelivery
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		claimed, err = c.ClaimDeliveries(ctx, claim, a.OrgID, c.Now().Add(s.Lease), s.Batch)
		return err
	})
	if err != nil {
		return nil, err
	}
	run := &WebhookRun{Claimed: len(claimed)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.Parallel)
	var firstErr error
	for _, d := range claimed {
		wg.Add(1)
		sem <- struct{}{}
		if time.Now().After(startBy) {
			<-sem
			wg.Done()
			continue
		}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := s.attempt(ctx, d)
			err := app.finishAttempt(ctx, s, d, r, run, &mu)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return run, firstErr
}

// finishAttempt records one attempt's result, decides retry or failure,
// and audits a webhook the result switched off.
func (app *App) finishAttempt(ctx context.Context, s *WebhookSender, d *sqldb.ClaimedDelivery, r sqldb.DeliveryResult, run *WebhookRun, mu *sync.Mutex) error {
	attempt := d.Attempts + 1
	if r.Status != caio.DeliveryDelivered {
		if attempt >= s.MaxAttempts {
			r.Status = caio.DeliveryFailed
		} else {
			r.Status = caio.DeliveryPending
		}
	}
	var held, disabled bool
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if r.Status == caio.DeliveryPending {
			r.Next = c.Now().Add(s.Backoff(attempt))
		}
		held, disabled, err = c.FinishAttempt(ctx, d, r, s.DisableAfter)
		if err != nil || !disabled {
			return err
		}
		// Switching a webhook off is a change of the organisation's
		// settings, made by the system: it is audited, and so reaches the
		// organisation's other webhooks that listen for it.
		sys := caio.Actor{System: true, OrgID: d.OrgID, Via: "webhook-worker"}
		return record(ctx, c, sys, "webhook.disable", "webhook", d.WebhookID, caio.Diff(map[string]any{"active": true}, map[string]any{"active": false,
			"reason": strconv.Itoa(s.DisableAfter) + " deliveries in a row failed"}))
	})
	mu.Lock()
	defer mu.Unlock()
	switch {
	case err != nil:
	case !held:
		run.Lost++
	case r.Status == caio.DeliveryDelivered:
		run.Delivered++
	case r.Status == caio.DeliveryPending:
		run.Retrying++
	default:
		run.Failed++
	}
	if disabled {
		run.Disabled = append(run.Disabled, d.WebhookID)
		app.Log.Warn("webhook switched off after failed deliveries", "webhook", d.WebhookID, "org", d.OrgID)
	}
	return err
}

// attempt posts one delivery and says how it went; Status is delivered or
// left empty for the caller to decide between a retry and failure.
func (s *WebhookSender) attempt(ctx context.Context, d *sqldb.ClaimedDelivery) sqldb.DeliveryResult {
	start := time.Now()
	ts := start.Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return sqldb.DeliveryResult{Error: clipDeliveryError("The address cannot be used: " + err.Error())}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "caio/"+caio.Version)
	req.Header.Set("X-Caio-Event", d.Action)
	req.Header.Set("X-Caio-Delivery", d.ID)
	req.Header.Set("X-Caio-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Caio-Signature", caio.WebhookSignature(d.Secret, ts, d.Payload))
	res, err := s.Client.Do(req)
	elapsed := int(time.Since(start).Milliseconds())
	if err != nil {
		return sqldb.DeliveryResult{Error: clipDeliveryError(describeSendError(err)), ResponseMillis: elapsed}
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, maxResponseRead))
	// Read a little more, so the connection can be reused when the
	// receiver said little, but never wait for a large body.
	_, _ = io.CopyN(io.Discard, res.Body, maxResponseRead)
	res.Body.Close()
	elapsed = int(time.Since(start).Milliseconds())
	r := sqldb.DeliveryResult{HTTPStatus: res.StatusCode, ResponseMillis: elapsed}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		r.Status = caio.DeliveryDelivered
		return r
	}
	msg := "The receiver answered " + res.Status
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		msg += " (redirects are not followed: set the webhook's address to where it points)"
	}
	if text := strings.TrimSpace(strings.ToValidUTF8(string(body), "")); text != "" {
		msg += ": " + text
	}
	r.Error = clipDeliveryError(msg)
	return r
}

// describeSendError says why a delivery did not get an answer, in words
// an administrator can act on.
func describeSendError(err error) string {
	var ie *internalAddressError
	if errors.As(err, &ie) {
		return "Refused to connect to " + ie.addr + ": a loopback, private or link-local address. Start caio serve with --webhooks-allow-private to deliver to your own network."
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "No answer within " + webhookTimeout.String() + "."
	}
	return "Could not deliver: " + err.Error()
}

// clipDeliveryError bounds an error kept with a delivery.
func clipDeliveryError(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if len(s) <= maxLastError {
		return s
	}
	cut := maxLastError
	for cut > 0 && !deliveryRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func deliveryRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// RunWebhookWorker runs passes every interval (and when woken by a ping or
// a redelivery) until ctx ends, and prunes finished deliveries older than
// keep once an hour. Errors are logged; the next pass tries again.
func (app *App) RunWebhookWorker(ctx context.Context, s *WebhookSender, interval, keep time.Duration) {
	ctx = caio.WithActor(ctx, caio.Actor{System: true, Via: "webhook-worker"})
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastPrune time.Time
	for {
		run, err := app.DeliverWebhooks(ctx, s)
		if err != nil && ctx.Err() == nil {
			app.Log.Warn("delivering webhooks", "err", err)
		} else if run != nil && run.Claimed > 0 {
			app.Log.Info("webhook deliveries", "claimed", run.Claimed, "delivered", run.Delivered, "retrying", run.Retrying, "failed", run.Failed)
		}
		if keep > 0 && time.Since(lastPrune) > time.Hour {
			lastPrune = time.Now()
			if n, err := app.PruneDeliveries(ctx, keep); err != nil && ctx.Err() == nil {
				app.Log.Warn("pruning webhook deliveries", "err", err)
			} else if n > 0 {
				app.Log.Info("pruned webhook deliveries", "count", n)
			}
		}
		// A full batch means more may be due: go on at once.
		if run != nil && run.Claimed == s.Batch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-webhookWake:
		}
	}
}

// PruneDeliveries deletes delivered and failed deliveries older than keep,
// in every organisation. Only the system may run it.
func (app *App) PruneDeliveries(ctx context.Context, keep time.Duration) (int64, error) {
	if a, ok := caio.ActorFrom(ctx); !ok || !a.System {
		return 0, caio.Errorf(caio.EFORBIDDEN, "Only the server or a local command prunes webhook deliveries.")
	}
	var n int64
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		n, err = c.PruneDeliveries(ctx, c.Now().Add(-keep))
		return err
	})
	return n, err
}
