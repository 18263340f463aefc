package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/mail"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Email and the daily digest: the mail relay's flags (shared by serve and
// digest send), the schedule caio serve runs, and caio digest send.

func init() {
	extraCommands = append(extraCommands, newDigestCmd)
}

// mailFlags are the mail relay's and the digest's settings. Like every
// flag they can come from CAIO_<FLAG>; the password only from a file
// (--smtp-password-file, CAIO_SMTP_PASSWORD_FILE) or CAIO_SMTP_PASSWORD.
type mailFlags struct {
	URL          string
	PasswordFile string
	From         string
	TLS          string
	DigestHour   int
	DigestDays   int
}

func defaultMailFlags() mailFlags {
	return mailFlags{DigestHour: 6, DigestDays: caio.DefaultDigestDays}
}

// addMailFlags adds the relay's flags to f; serve adds the schedule's hour.
func addMailFlags(f *pflag.FlagSet, m *mailFlags, serve bool) {
	f.StringVar(&m.URL, "smtp-url", m.URL, "mail relay for reminders, smtp://user@host:587 (STARTTLS when offered; ?tls=required to insist) or smtps://user@host:465; empty sends no email (env CAIO_SMTP_URL)")
	f.StringVar(&m.PasswordFile, "smtp-password-file", m.PasswordFile, "file holding the relay's password (env CAIO_SMTP_PASSWORD_FILE, or the password itself in CAIO_SMTP_PASSWORD)")
	f.StringVar(&m.From, "smtp-from", m.From, "sender of reminder emails, such as \"caio <caio@example.com>\" (env CAIO_SMTP_FROM)")
	f.StringVar(&m.TLS, "smtp-tls", m.TLS, "TLS mode, overriding the URL's: opportunistic, required, implicit or none (env CAIO_SMTP_TLS)")
	f.IntVar(&m.DigestDays, "digest-days", m.DigestDays, "the digest lists what is overdue and what falls due in this many days (env CAIO_DIGEST_DAYS)")
	if serve {
		f.IntVar(&m.DigestHour, "digest-hour", m.DigestHour, "hour of the day (UTC, 0-23) at which the daily digest is sent (env CAIO_DIGEST_HOUR)")
	}
}

// config returns the relay's configuration, or nil when no URL is set.
func (m *mailFlags) config() (*mail.Config, error) {
	if strings.TrimSpace(m.URL) == "" {
		return nil, nil
	}
	c, err := mail.ParseURL(m.URL)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	if m.TLS != "" {
		c.TLS = m.TLS
	}
	c.From = m.From
	if c.From == "" {
		return nil, fmt.Errorf("--smtp-from is required with --smtp-url: the sender address of reminder emails, such as \"caio <caio@example.com>\"")
	}
	switch {
	case m.PasswordFile != "":
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-password-file: %w", err)
		}
		c.Password = strings.TrimRight(string(b), "\r\n")
	case os.Getenv("CAIO_SMTP_PASSWORD") != "":
		c.Password = os.Getenv("CAIO_SMTP_PASSWORD")
	}
	if c.Password != "" && c.Username == "" {
		return nil, fmt.Errorf("--smtp-url has no user name for the password: write smtp://user@host")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (m *mailFlags) check(serve bool) error {
	if serve && (m.DigestHour < 0 || m.DigestHour > 23) {
		return fmt.Errorf("--digest-hour must be an hour from 0 to 23 (UTC)")
	}
	if m.DigestDays < 1 || m.DigestDays > caio.MaxDeadlineDays {
		return fmt.Errorf("--digest-days must be from 1 to %d", caio.MaxDeadlineDays)
	}
	return nil
}

// startDigests starts the daily digest in the background when a relay is
// configured. The returned function stops it and waits for a run in
// progress to finish, so caio serve stops with it.
func startDigests(ctx context.Context, a *app.App, m *mailFlags, baseURL string) (stop func(), err error) {
	if err := m.check(true); err != nil {
		return nil, err
	}
	c, err := m.config()
	if err != nil {
		return nil, err
	}
	if c == nil {
		a.Log.Info("no mail relay (--smtp-url): reminders are shown in the app only")
		return func() {}, nil
	}
	ctx, cancel := context.WithCancel(systemCtx(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.RunDigestSchedule(ctx, app.DigestOptions{Mailer: c, Sender: c.From, BaseURL: baseURL, Days: m.DigestDays}, m.DigestHour)
	}()
	a.Log.Info("daily digest scheduled", "relay", c.String(), "hour_utc", m.DigestHour, "days", m.DigestDays)
	return func() { cancel(); wg.Wait() }, nil
}

func newDigestCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Send the daily reminder digest",
		Long: `The daily digest emails each member what is overdue and what falls due soon in each organisation
they belong to, unless they turned it off on the reminders page. caio serve sends it every day at
--digest-hour (UTC) when --smtp-url is set; caio digest send sends it now. Either way a member gets
at most one digest per organisation per day.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newDigestSendCmd(cfg))
	return cmd
}

func newDigestSendCmd(cfg *Config) *cobra.Command {
	m := defaultMailFlags()
	var org, base, format string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "send [--org SLUG] [--dry-run]",
		Short: "Send today's digests now and print what was sent",
		Example: `  caio digest send --smtp-url smtp://caio@mail.example.com:587 --smtp-password-file /run/secrets/smtp \
    --smtp-from "caio <caio@example.com>" --base-url https://caio.example.com
  caio digest send --org acme-bank --dry-run --base-url https://caio.example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if err := m.check(false); err != nil {
				return err
			}
			c, err := m.config()
			if err != nil {
				return err
			}
			if c == nil && !dryRun {
				return caio.Errorf(caio.EINVALID, "No mail relay: set --smtp-url (or CAIO_SMTP_URL) and --smtp-from, or use --dry-run to see what would be sent.")
			}
			if base == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "caio: no --base-url (or CAIO_BASE_URL): links in the email will be paths without the server's address.")
			}
			ctx := cmd.Context()
			a, closeDB, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer closeDB()
			opts := app.DigestOptions{BaseURL: base, Days: m.DigestDays, Org: org, DryRun: dryRun}
			if c != nil {
				opts.Mailer, opts.Sender = c, c.From
			}
			rep, err := a.SendDigests(systemCtx(ctx), opts)
			if rep != nil {
				if format == "json" {
					if werr := writeJSON(cmd.OutOrStdout(), rep); werr != nil {
						return werr
					}
				} else {
					printDigestReport(cmd.OutOrStdout(), rep, dryRun)
				}
			}
			if err != nil {
				return err
			}
			for _, o := range rep.Orgs {
				if len(o.Failed) > 0 {
					return exitCode(1)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	addMailFlags(f, &m, false)
	f.StringVar(&org, "org", "", "only this organisation (default: every organisation)")
	f.StringVar(&base, "base-url", "", "public URL of caio, for the links in the email (env CAIO_BASE_URL)")
	f.BoolVar(&dryRun, "dry-run", false, "print the messages instead of sending them; nothing is logged or audited")
	f.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// printDigestReport prints one line per organisation and one per message.
func printDigestReport(w io.Writer, rep *app.DigestReport, dryRun bool) {
	verb := "sent"
	if dryRun {
		verb = "would send"
	}
	for _, o := range rep.Orgs {
		fmt.Fprintf(w, "%s %s (%s): %s %d, failed %d; opted out %d, nothing due %d, already sent today %d\n",
			rep.Day, o.Slug, o.Name, verb, len(o.Sent), len(o.Failed), o.OptedOut, o.NothingDue, o.AlreadySent)
		for _, s := range o.Sent {
			fmt.Fprintf(w, "  %s to %s: %d deadlines, %d overdue — %s\n", verb, s.Email, s.Deadlines, s.Overdue, s.Subject)
			if dryRun {
				for _, line := range strings.Split(strings.TrimRight(s.Body, "\n"), "\n") {
					fmt.Fprintln(w, "    | "+line)
				}
			}
		}
		for _, s := range o.Failed {
			fmt.Fprintf(w, "  FAILED to %s: %s\n", s.Email, s.Error)
		}
	}
	if len(rep.Orgs) == 0 {
		fmt.Fprintln(w, "No organisations.")
	}
}
