package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// Outgoing webhooks: the organisation's receivers of its audit events and
// their delivery logs. Every operation needs the org.manage permission.

func init() { registrars = append(registrars, (*API).registerWebhooks) }

const webhookTag = "Webhooks"

// WebhookBody is what a client may set on a webhook.
type WebhookBody struct {
	URL         string   `json:"url" minLength:"1" maxLength:"2000" doc:"Where deliveries are posted: an http or https address. Loopback, private and link-local addresses are refused at delivery unless the server allows them."`
	Description string   `json:"description,omitempty" maxLength:"500"`
	Events      []string `json:"events" minItems:"1" maxItems:"50" doc:"Event filters: * for every event, a prefix such as incident.* or an audit action such as policy.approve."`
	Active      *bool    `json:"active,omitempty" doc:"Whether deliveries are queued; true when left out."`
	Version     int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b WebhookBody) input() caio.WebhookInput {
	active := b.Active == nil || *b.Active
	return caio.WebhookInput{URL: b.URL, Description: b.Description, Events: b.Events, Active: active}
}

// WebhookCreated is a new webhook with its secret, shown this once.
type WebhookCreated struct {
	caio.Webhook
	Secret string `json:"secret" doc:"The signing secret. It is not shown again: keep it in the receiver's configuration."`
}

// WebhookSecret is a webhook's new secret, shown this once.
type WebhookSecret struct {
	Secret string `json:"secret" doc:"The new signing secret; deliveries from now on are signed with it."`
}

// WebhookID names a webhook in the path.
type WebhookID struct {
	ID string `path:"id" doc:"Webhook id, wh_..."`
}

// DeliveryPath names a delivery of a webhook in the path.
type DeliveryPath struct {
	ID         string `path:"id" doc:"Webhook id, wh_..."`
	DeliveryID string `path:"delivery_id" doc:"Delivery id, whd_..."`
}

func (api *API) registerWebhooks() {
	huma.Register(api, op(http.MethodGet, "/webhooks", "list-webhooks", "List the organisation's webhooks", webhookTag),
		func(ctx context.Context, in *struct{ PageQuery }) (*listOut[*caio.Webhook], error) {
			items, total, err := api.app.FindWebhooks(ctx, in.page())
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/webhooks", "create-webhook", "Create a webhook; the answer holds its secret, shown this once", webhookTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body WebhookBody }) (*struct{ Body WebhookCreated }, error) {
		w, secret, err := api.app.CreateWebhook(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body WebhookCreated }{WebhookCreated{*w, secret}}, nil
	})

	huma.Register(api, op(http.MethodGet, "/webhooks/{id}", "get-webhook", "Get a webhook (never its secret)", webhookTag),
		func(ctx context.Context, in *WebhookID) (*struct{ Body *caio.Webhook }, error) {
			w, err := api.app.FindWebhook(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Webhook }{w}, nil
		})

	huma.Register(api, op(http.MethodPut, "/webhooks/{id}", "update-webhook", "Replace a webhook's address, description, filters and state", webhookTag),
		func(ctx context.Context, in *struct {
			WebhookID
			Body WebhookBody
		}) (*struct{ Body *caio.Webhook }, error) {
			w, err := api.app.UpdateWebhook(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Webhook }{w}, nil
		})

	del := op(http.MethodDelete, "/webhooks/{id}", "delete-webhook", "Delete a webhook with its delivery log", webhookTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *WebhookID) (*struct{}, error) {
		if err := api.app.DeleteWebhook(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodPost, "/webhooks/{id}/rotate-secret", "rotate-webhook-secret", "Give a webhook a new secret, shown this once", webhookTag),
		func(ctx context.Context, in *WebhookID) (*struct{ Body WebhookSecret }, error) {
			secret, err := api.app.RotateWebhookSecret(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body WebhookSecret }{WebhookSecret{secret}}, nil
		})

	ping := op(http.MethodPost, "/webhooks/{id}/ping", "ping-webhook", "Queue a ping delivery to a webhook", webhookTag)
	ping.DefaultStatus = http.StatusAccepted
	ping.Errors = append(ping.Errors, http.StatusConflict)
	huma.Register(api, ping, func(ctx context.Context, in *WebhookID) (*struct{ Body *caio.WebhookDelivery }, error) {
		d, err := api.app.PingWebhook(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.WebhookDelivery }{d}, nil
	})

	huma.Register(api, op(http.MethodGet, "/webhooks/{id}/deliveries", "list-webhook-deliveries", "List a webhook's deliveries, newest first, without payloads", webhookTag),
		func(ctx context.Context, in *struct {
			WebhookID
			PageQuery
			Status string `query:"status" enum:"pending,delivered,failed"`
		}) (*listOut[*caio.WebhookDelivery], error) {
			items, total, err := api.app.FindDeliveries(ctx, in.ID, caio.DeliveryFilter{Status: trimmed(&in.Status), Page: in.page()})
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/webhooks/{id}/deliveries/{delivery_id}", "get-webhook-delivery", "Get a delivery with its payload", webhookTag),
		func(ctx context.Context, in *DeliveryPath) (*struct{ Body *caio.WebhookDelivery }, error) {
			d, err := api.app.FindDelivery(ctx, in.ID, in.DeliveryID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.WebhookDelivery }{d}, nil
		})

	redeliver := op(http.MethodPost, "/webhooks/{id}/deliveries/{delivery_id}/redeliver", "redeliver-webhook-delivery", "Queue a delivery again, with the same ID and payload", webhookTag)
	redeliver.DefaultStatus = http.StatusAccepted
	redeliver.Errors = append(redeliver.Errors, http.StatusConflict)
	huma.Register(api, redeliver, func(ctx context.Context, in *DeliveryPath) (*struct{ Body *caio.WebhookDelivery }, error) {
		d, err := api.app.Redeliver(ctx, in.ID, in.DeliveryID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.WebhookDelivery }{d}, nil
	})
}
