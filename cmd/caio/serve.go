package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ServeConfig adds the server's own settings to Config.
type ServeConfig struct {
	Addr          string
	Demo          bool
	SecureCookies bool
	TrustProxy    bool
	BaseURL       string
	Grace         time.Duration
}

func newServeCmd(cfg *Config) *cobra.Command {
	sc := ServeConfig{Addr: "127.0.0.1:8080", Grace: 15 * time.Second}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web pages and the JSON API",
		Long: `Serve caio's web pages and JSON API. The database is migrated on start.

On an empty database caio prints a one-time setup link; --demo loads a
demonstration organisation instead, so you can look around at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			server.ApplyRuntimeDefaults()
			a, closeDB, err := cfg.openApp(ctx, true)
			if err != nil {
				return err
			}
			defer closeDB()
			ln, err := net.Listen("tcp", sc.Addr)
			if err != nil {
				return fmt.Errorf("--addr %s: %w", sc.Addr, err)
			}
			base := sc.BaseURL
			if base == "" {
				base = "http://" + ln.Addr().String()
			}
			srv, err := server.New(a, a.Log, server.Config{SecureCookies: sc.SecureCookies, TrustProxy: sc.TrustProxy})
			if err != nil {
				return err
			}
			if sc.Demo {
				if _, err := a.LoadDemo(ctx); err != nil {
					return fmt.Errorf("load the demo: %w", err)
				}
				fmt.Fprintf(os.Stderr, "Demo loaded. Sign in at %s/login as %s with the password %s\n", base, app.DemoEmail, app.DemoPassword)
			} else if empty, err := a.NeedsSetup(ctx); err != nil {
				return err
			} else if empty {
				secret, err := a.CreateSetupToken(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(os.Stderr, "caio has no users yet. Open this one-time link within 24 hours to create the first organisation and its owner:\n\n  %s/setup?token=%s\n\nor run: caio user create --email you@example.com --org \"Your organisation\" --role owner\n\n", base, secret)
			}
			go purgeSessions(ctx, a)
			stopDigests, err := startDigests(ctx, a, &cfg.Mail, base)
			if err != nil {
				return err
			}
			defer stopDigests()
			for _, x := range serveExtras {
				if x.start == nil {
					continue
				}
				stop, err := x.start(ctx, a, srv, base)
				if err != nil {
					return err
				}
				if stop != nil {
					defer stop()
				}
			}
			a.Log.Info("caio serving", "addr", ln.Addr().String(), "version", caio.Version, "database", string(a.DB.Dialect))
			return srv.Serve(ctx, ln, sc.Grace)
		},
	}
	f := cmd.Flags()
	f.StringVar(&sc.Addr, "addr", sc.Addr, "address to listen on (env CAIO_ADDR)")
	f.BoolVar(&sc.Demo, "demo", false, "load the demonstration organisation before serving (env CAIO_DEMO)")
	f.BoolVar(&sc.SecureCookies, "secure-cookies", false, "mark cookies Secure and send HSTS; set when served over TLS (env CAIO_SECURE_COOKIES)")
	f.BoolVar(&sc.TrustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For; only behind a proxy (env CAIO_TRUST_PROXY)")
	f.StringVar(&sc.BaseURL, "base-url", "", "public URL of caio, for links it prints (env CAIO_BASE_URL)")
	f.DurationVar(&sc.Grace, "shutdown-grace", sc.Grace, "how long requests in flight may finish on shutdown (env CAIO_SHUTDOWN_GRACE)")
	addMailFlags(f, &cfg.Mail, true)
	for _, x := range serveExtras {
		if x.flags != nil {
			x.flags(f)
		}
	}
	return cmd
}

// serveExtra is an area's addition to serve: its flags, and work started
// beside the server once the database is open (a webhook sender, an
// assistant client). start returns a stop function, or nil.
type serveExtra struct {
	flags func(f *pflag.FlagSet)
	start func(ctx context.Context, a *app.App, srv *server.Server, base string) (stop func(), err error)
}

// serveExtras lets areas register with serve from their own files in init.
var serveExtras []serveExtra

// purgeSessions removes expired sessions and refreshes the AI systems' next
// deadlines at start and then every hour until ctx ends. Several replicas
// doing it at once is harmless.
func purgeSessions(ctx context.Context, a *app.App) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.PurgeExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("purging expired sessions", "err", err)
		} else if n > 0 {
			a.Log.Info("purged expired sessions", "count", n)
		}
		// Next deadlines move on as their dates pass.
		if n, err := a.RefreshDeadlines(systemCtx(ctx)); err != nil && ctx.Err() == nil {
			a.Log.Warn("refreshing next deadlines", "err", err)
		} else if n > 0 {
			a.Log.Info("refreshed next deadlines", "systems", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
