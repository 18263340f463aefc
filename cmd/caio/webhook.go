package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Outgoing webhooks: caio serve runs the delivery worker; caio webhook
// lists, creates and deletes webhooks, shows their deliveries, and runs
// one delivery pass without a server.

// webhookServe holds serve's webhook flags.
var webhookServe struct {
	allowPrivate bool
	interval     time.Duration
	keep         time.Duration
	off          bool
}

func init() {
	extraCommands = append(extraCommands, newWebhookCmd)
	serveExtras = append(serveExtras, serveExtra{
		flags: func(f *pflag.FlagSet) {
			f.BoolVar(&webhookServe.allowPrivate, "webhooks-allow-private", false, "let webhooks deliver to loopback, private and link-local addresses, for receivers on your own network (env CAIO_WEBHOOKS_ALLOW_PRIVATE)")
			f.DurationVar(&webhookServe.interval, "webhooks-interval", 5*time.Second, "how often the webhook worker looks for due deliveries (env CAIO_WEBHOOKS_INTERVAL)")
			f.DurationVar(&webhookServe.keep, "webhooks-keep", 30*24*time.Hour, "how long delivered and failed webhook deliveries stay in the log (env CAIO_WEBHOOKS_KEEP)")
			f.BoolVar(&webhookServe.off, "webhooks-off", false, "do not send webhooks from this server, as when another replica or a scheduled `caio webhook deliver` does (env CAIO_WEBHOOKS_OFF)")
		},
		start: func(ctx context.Context, a *app.App, _ *server.Server, _ string) (func(), error) {
			if webhookServe.off {
				return nil, nil
			}
			if webhookServe.interval < time.Second {
				return nil, fmt.Errorf("--webhooks-interval must be at least 1s")
			}
			ctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() {
				defer close(done)
				a.RunWebhookWorker(ctx, &app.WebhookSender{AllowPrivate: webhookServe.allowPrivate}, webhookServe.interval, webhookServe.keep)
			}()
			// Stopping cancels the attempts in flight and waits for the
			// worker to return; a cancelled attempt is not counted, and its
			// delivery is taken up again when its two-minute claim runs out.
			return func() { cancel(); <-done }, nil
		},
	})
}

func newWebhookCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Manage outgoing webhooks and see their deliveries",
		Long: `A webhook posts each audited change of the organisation whose event matches its filters to an
address, as JSON signed with HMAC-SHA256, and retries with growing delays until the receiver
answers 2xx. caio serve sends deliveries every few seconds; caio webhook deliver runs one pass
without a server. See docs/webhooks.md for the payload and how a receiver checks the signature.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.webhookList(), ic.webhookCreate(), ic.webhookDelete(), ic.webhookDeliveries(), ic.webhookPing(), ic.webhookDeliver())
	return cmd
}

func (ic *invCmd) webhookList() *cobra.Command {
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List the organisation's webhooks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				ws, total, err := a.FindWebhooks(ctx, caio.Page{Limit: limit, Offset: offset})
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "webhooks": ws})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tURL\tEVENTS\tACTIVE\tFAILED IN A ROW")
				for _, w := range ws {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", w.ID, cell(w.URL, 60), cell(strings.Join(w.Events, " "), 40), map[bool]string{true: "yes", false: "no"}[w.Active], w.Failures)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d webhooks\n", len(ws), total)
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", caio.DefaultPageLimit, "how many webhooks to show (at most 500)")
	cmd.Flags().IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) webhookCreate() *cobra.Command {
	var url, events, description string
	var inactive bool
	cmd := &cobra.Command{
		Use:   "create --org SLUG --url URL [--events FILTERS]",
		Short: "Create a webhook and print its signing secret, shown this once",
		Example: `  caio webhook create --org acme-bank --url https://hooks.example.com/caio --events 'incident.* policy.approve'
  caio webhook create --org acme-bank --url https://hooks.example.com/caio --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				w, secret, err := a.CreateWebhook(ctx, caio.WebhookInput{URL: url, Description: description, Events: []string{events}, Active: !inactive})
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"webhook": w, "secret": secret})
				}
				fmt.Fprintf(out, "Created webhook %s for %s.\nSigning secret (shown this once; give it to the receiver):\n\n  %s\n\n", w.ID, w.URL, secret)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "url", "", "where deliveries are posted (https://...)")
	f.StringVar(&events, "events", "*", "event filters separated by spaces or commas: *, a prefix such as incident.*, or an action")
	f.StringVar(&description, "description", "", "what receives the events")
	f.BoolVar(&inactive, "inactive", false, "create it switched off")
	cmd.MarkFlagRequired("url")
	return cmd
}

func (ic *invCmd) webhookDelete() *cobra.Command {
	return ic.deleteCmd("webhook", func(a *app.App, ctx context.Context, id string) error { return a.DeleteWebhook(ctx, id) })
}

func (ic *invCmd) webhookPing() *cobra.Command {
	return &cobra.Command{
		Use:   "ping --org SLUG ID",
		Short: "Queue a ping delivery to a webhook (sent by caio serve or caio webhook deliver)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				d, err := a.PingWebhook(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, d)
				}
				fmt.Fprintf(out, "Ping queued as delivery %s.\n", d.ID)
				return nil
			})
		},
	}
}

func (ic *invCmd) webhookDeliveries() *cobra.Command {
	var status string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "deliveries --org SLUG ID",
		Short: "List a webhook's deliveries, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.DeliveryFilter{Page: caio.Page{Limit: limit, Offset: offset}}
				if s := strings.TrimSpace(status); s != "" {
					f.Status = &s
				}
				ds, total, err := a.FindDeliveries(ctx, args[0], f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "deliveries": ds})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tEVENT\tSTATUS\tATTEMPTS\tLAST HTTP\tNEXT ATTEMPT\tQUEUED\tLAST ERROR")
				for _, d := range ds {
					next := ""
					if d.Status == caio.DeliveryPending {
						next = when(d.NextAttemptAt)
					}
					last := ""
					if d.LastStatus != 0 {
						last = fmt.Sprint(d.LastStatus)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", d.ID, d.Action, d.Status, d.Attempts, last, next,
						d.CreatedAt.UTC().Format("2006-01-02 15:04:05"), cell(d.LastError, 60))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d deliveries\n", len(ds), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "only deliveries in this state: "+strings.Join(caio.DeliveryStatuses, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many deliveries to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

// webhookDeliver runs one pass of the worker in the organisation.
func (ic *invCmd) webhookDeliver() *cobra.Command {
	var allowPrivate bool
	cmd := &cobra.Command{
		Use:   "deliver --org SLUG",
		Short: "Send the deliveries that are due now, once, without a server",
		Long: `Send the organisation's webhook deliveries that are due now, as caio serve does every few seconds,
and print what happened. Useful where no server runs (a scheduled job), or to see at once
what a receiver answers. Deliveries that fail are retried by later passes after their delay.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				run, err := a.DeliverWebhooks(ctx, &app.WebhookSender{AllowPrivate: allowPrivate})
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, run)
				}
				fmt.Fprintf(out, "Sent %d: %d delivered, %d to retry later, %d failed for good.\n", run.Claimed, run.Delivered, run.Retrying, run.Failed)
				for _, id := range run.Disabled {
					fmt.Fprintf(out, "Webhook %s was switched off after %d failed deliveries in a row.\n", id, caio.WebhookDisableAfter)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&allowPrivate, "allow-private", false, "let deliveries reach loopback, private and link-local addresses")
	return cmd
}
