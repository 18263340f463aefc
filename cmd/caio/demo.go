package main

import (
	"fmt"
	"time"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newDemoCmd) }

// benchPassword signs in the owner of every generated benchmark organisation.
const benchPassword = "bench-password-123"

func newDemoCmd(cfg *Config) *cobra.Command {
	var scale int
	cmd := &cobra.Command{
		Use:   "demo [--scale N]",
		Short: "Load demonstration data, or generate benchmark data with --scale",
		Long: `Without --scale, load the demo: Northwind Mutual, a fictional European insurer, with its people
and business objectives, and a second organisation, Harbour Advisory. Every change goes through
the application and is in the audit trail. Running it again changes nothing.

With --scale N, generate N objectives spread over max(1, N/1000) organisations named
bench-001, bench-002, ..., each with one owner and a verifiable audit chain, for load tests
and benchmarks. It writes straight to the database, fast, and reports how fast.

Both migrate the database first. Never load either into a database that real people use:
the passwords are printed here and are public.`,
		Example: `  caio demo
  caio demo --scale 100000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, true)
			if err != nil {
				return err
			}
			defer done()
			w := cmd.OutOrStdout()
			if cmd.Flags().Changed("scale") {
				stats, err := a.DB.Generate(ctx, sqldb.GenerateOptions{
					Scale:        scale,
					PasswordHash: app.HashPassword(benchPassword),
					Compliance:   true,
					Progress: func(done, total int) {
						fmt.Fprintf(cmd.ErrOrStderr(), "\r%d of %d organisations", done, total)
						if done == total {
							fmt.Fprintln(cmd.ErrOrStderr())
						}
					},
				})
				if err != nil {
					return err
				}
				secs := stats.Elapsed.Seconds()
				fmt.Fprintf(w, "Generated %d organisations (%s to %s) with %d users, %d memberships, %d objectives and %d audit events.\n",
					stats.Orgs, stats.FirstSlug, stats.LastSlug, stats.Users, stats.Memberships, stats.Objectives, stats.AuditEvents)
				fmt.Fprintf(w, "%d rows in %.2f s (%.0f rows/s) on %s.\n", stats.Rows, secs, float64(stats.Rows)/max(secs, 1e-9), a.DB.Dialect)
				fmt.Fprintf(w, "Each owner signs in as owner@<slug>.example, such as %s, with the password %s.\n", sqldb.BenchOwnerEmail(stats.FirstSlug), benchPassword)
				return nil
			}
			start := time.Now()
			org, err := a.LoadDemo(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "The demo organisation %s (%s) is ready (%.1f s).\n\n", org.Name, org.Slug, time.Since(start).Seconds())
			fmt.Fprintf(w, "Start the server with `caio serve` and sign in as %s with the password %s.\n", app.DemoEmail, app.DemoPassword)
			fmt.Fprintf(w, "Every demo user has the same password; sign in as another to see what each role may do:\n\n")
			tw := newTable(w)
			fmt.Fprintln(tw, "EMAIL\tNAME\tORGANISATION\tROLE\tTITLE")
			for _, u := range app.DemoUsers {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Org, u.Role, u.Title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().IntVar(&scale, "scale", 0, "generate this many benchmark objectives instead of the demo")
	return cmd
}
