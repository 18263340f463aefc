package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// The webhook pages: the list, the form, a webhook's page with its delivery
// log, and a delivery with its payload. Everything needs org.manage; the
// services refuse anyone else.

func init() {
	areaRoutes = append(areaRoutes, (*Web).webhookRoutes)
	funcs["deliveryLabel"] = deliveryLabel
}

// webhookRoutes lists the pages of outgoing webhooks.
func (w *Web) webhookRoutes() []Route {
	return []Route{
		{"GET /webhooks", Member, w.webhookList},
		{"GET /webhooks/new", Member, w.webhookNew},
		{"POST /webhooks", Member, w.webhookCreate},
		{"GET /webhooks/{id}", Member, w.webhookShow},
		{"GET /webhooks/{id}/edit", Member, w.webhookEdit},
		{"POST /webhooks/{id}", Member, w.webhookUpdate},
		{"POST /webhooks/{id}/delete", Member, w.webhookDelete},
		{"POST /webhooks/{id}/rotate", Member, w.webhookRotate},
		{"POST /webhooks/{id}/ping", Member, w.webhookPing},
		{"GET /webhooks/{id}/deliveries/{delivery_id}", Member, w.webhookDeliveryShow},
		{"POST /webhooks/{id}/deliveries/{delivery_id}/redeliver", Member, w.webhookRedeliver},
	}
}

// deliveryLabel names a delivery state for people.
func deliveryLabel(s string) string {
	switch s {
	case caio.DeliveryPending:
		return "Pending"
	case caio.DeliveryDelivered:
		return "Delivered"
	case caio.DeliveryFailed:
		return "Failed"
	}
	return s
}

func (w *Web) webhookList(rw http.ResponseWriter, r *http.Request) {
	p := pageQuery(r)
	items, total, err := w.app.FindWebhooks(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "webhooks", &page{Title: "Webhooks", Nav: "webhooks", Data: map[string]any{
		"Items": items, "List": newListPage(p, total, r.URL.Query()),
	}})
}

// webhookInputFrom reads the webhook form.
func webhookInputFrom(f *form) caio.WebhookInput {
	return caio.WebhookInput{URL: f.Get("url"), Description: f.Get("description"), Events: []string{f.Get("events")},
		Active: incidentChecked(f.Get("active"))}
}

func webhookValues(wh *caio.Webhook) map[string]string {
	active := ""
	if wh.Active {
		active = "1"
	}
	return map[string]string{"url": wh.URL, "description": wh.Description, "events": strings.Join(wh.Events, " "),
		"active": active, "version": strconv.Itoa(wh.Version)}
}

// renderWebhookForm shows the new (wh nil) or edit form of a webhook.
func (w *Web) renderWebhookForm(rw http.ResponseWriter, r *http.Request, status int, wh *caio.Webhook, f *form) {
	title := "New webhook"
	if wh != nil {
		title = "Edit webhook"
	}
	w.render(rw, r, status, "webhook_form", &page{Title: title, Nav: "webhooks", Form: f, Data: map[string]any{"Webhook": wh}})
}

func (w *Web) webhookNew(rw http.ResponseWriter, r *http.Request) {
	// Only those who may manage webhooks see the form.
	if _, _, err := w.app.FindWebhooks(r.Context(), caio.Page{Limit: 1}); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderWebhookForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{"events": "*", "active": "1"}})
}

func (w *Web) webhookCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var wh *caio.Webhook
		var secret string
		if wh, secret, err = w.app.CreateWebhook(r.Context(), webhookInputFrom(f)); err == nil {
			// The secret is shown on this response only: never stored in
			// a flash or a redirect.
			w.renderWebhook(rw, r, http.StatusCreated, wh.ID, secret, "Webhook created.")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderWebhookForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) webhookShow(rw http.ResponseWriter, r *http.Request) {
	w.renderWebhook(rw, r, http.StatusOK, r.PathValue("id"), "", "")
}

// renderWebhook shows a webhook's page with a page of its delivery log,
// and a secret just made, if any.
func (w *Web) renderWebhook(rw http.ResponseWriter, r *http.Request, status int, id, secret, notice string) {
	ctx := r.Context()
	wh, err := w.app.FindWebhook(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	q := r.URL.Query()
	f := caio.DeliveryFilter{Page: pageFrom(q), Status: listParam(q, "status")}
	if f.Status != nil && deliveryLabel(*f.Status) == *f.Status {
		f.Status = nil // an unknown state shows them all
	}
	ds, total, err := w.app.FindDeliveries(ctx, id, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	statuses := make([]option, 0, len(caio.DeliveryStatuses))
	for _, s := range caio.DeliveryStatuses {
		statuses = append(statuses, option{Value: s, Label: deliveryLabel(s), Selected: f.Status != nil && *f.Status == s})
	}
	w.render(rw, r, status, "webhook", &page{Title: "Webhook " + wh.URL, Nav: "webhooks", Flash: notice, Data: map[string]any{
		"Webhook": wh, "Secret": secret, "Deliveries": ds, "List": newListPage(f.Page, total, q), "Statuses": statuses,
		"Filtered": f.Status != nil, "Events": w.history(r, "webhook", wh.ID), "DisableAfter": caio.WebhookDisableAfter,
	}})
}

func (w *Web) webhookEdit(rw http.ResponseWriter, r *http.Request) {
	wh, err := w.app.FindWebhook(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderWebhookForm(rw, r, http.StatusOK, wh, &form{Values: webhookValues(wh)})
}

func (w *Web) webhookUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	wh, err := w.app.FindWebhook(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateWebhook(r.Context(), id, version, webhookInputFrom(f)); err == nil {
			w.flash(rw, "Webhook saved.")
			redirect(rw, r, "/webhooks/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderWebhookForm(rw, r, statusOf[caio.ErrorCode(err)], wh, f)
}

func (w *Web) webhookDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteWebhook(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Webhook deleted.")
	redirect(rw, r, "/webhooks")
}

func (w *Web) webhookRotate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	secret, err := w.app.RotateWebhookSecret(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderWebhook(rw, r, http.StatusOK, id, secret, "The secret was replaced.")
}

func (w *Web) webhookPing(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := w.app.PingWebhook(r.Context(), id); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Ping queued: it appears in the log below and is sent within seconds while caio serve runs.")
	redirect(rw, r, "/webhooks/"+id+"#log")
}

func (w *Web) webhookDeliveryShow(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	wh, err := w.app.FindWebhook(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d, err := w.app.FindDelivery(ctx, wh.ID, r.PathValue("delivery_id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, d.Payload, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(d.Payload)
	}
	w.render(rw, r, http.StatusOK, "webhook_delivery", &page{Title: "Delivery " + d.ID, Nav: "webhooks", Data: map[string]any{
		"Webhook": wh, "Delivery": d, "Payload": pretty.String(),
	}})
}

func (w *Web) webhookRedeliver(rw http.ResponseWriter, r *http.Request) {
	id, did := r.PathValue("id"), r.PathValue("delivery_id")
	if _, err := w.app.Redeliver(r.Context(), id, did); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Delivery queued again.")
	redirect(rw, r, "/webhooks/"+id+"/deliveries/"+did)
}
