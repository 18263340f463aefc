package main

import (
	"context"
	"fmt"
	"io"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newAuditCmd) }

func newAuditCmd(cfg *Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify and read the tamper-evident audit trail",
		Long: `Every change in an organisation is recorded in its audit trail. Events are hash-chained:
each carries the hash of the one before, so altering, removing or reordering a stored event
breaks the chain, and caio audit verify finds where.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newAuditVerifyCmd(cfg), newAuditListCmd(cfg))
	return cmd
}

func newAuditVerifyCmd(cfg *Config) *cobra.Command {
	var org string
	var all bool
	cmd := &cobra.Command{
		Use:   "verify (--org SLUG | --all)",
		Short: "Check that audit chains are intact (exit status 1 when one is broken)",
		Example: `  caio audit verify --org acme-bank
  caio audit verify --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (org != "") {
				return caio.Errorf(caio.EINVALID, "Give either --org SLUG or --all.")
			}
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			slugs := []string{org}
			if all {
				if slugs, err = allSlugs(ctx, a); err != nil {
					return err
				}
			}
			broken, err := verifyChains(ctx, a, cmd.OutOrStdout(), slugs)
			if err != nil {
				return err
			}
			if broken > 0 {
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation to verify")
	cmd.Flags().BoolVar(&all, "all", false, "verify every organisation")
	return cmd
}

// allSlugs returns the slug of every organisation.
func allSlugs(ctx context.Context, a *app.App) ([]string, error) {
	orgs, err := a.AllOrgs(systemCtx(ctx))
	if err != nil {
		return nil, err
	}
	slugs := make([]string, len(orgs))
	for i, o := range orgs {
		slugs[i] = o.Slug
	}
	return slugs, nil
}

// verifyChains checks the audit chain of each organisation, prints one line
// for each, and returns how many are broken.
func verifyChains(ctx context.Context, a *app.App, w io.Writer, slugs []string) (broken int, err error) {
	if len(slugs) == 0 {
		fmt.Fprintln(w, "There are no organisations, so no audit chains to verify.")
	}
	for _, slug := range slugs {
		octx, err := orgCtx(ctx, a, slug)
		if err != nil {
			return broken, err
		}
		res, err := a.VerifyAudit(octx)
		if err != nil {
			return broken, err
		}
		if res.Intact {
			fmt.Fprintf(w, "audit chain of %s intact: %d events\n", slug, res.Events)
			continue
		}
		broken++
		fmt.Fprintf(w, "audit chain of %s BROKEN at event %d: %s (%d events read)\n", slug, res.Break.Seq, res.Break.Reason, res.Events)
	}
	return broken, nil
}

func newAuditListCmd(cfg *Config) *cobra.Command {
	var org, objectType, objectID, action, format string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List an organisation's audit events, newest first",
		Example: `  caio audit list --org acme-bank --limit 20
  caio audit list --org acme-bank --object-type objective --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			octx, err := orgCtx(ctx, a, org)
			if err != nil {
				return err
			}
			f := caio.AuditFilter{Page: caio.Page{Limit: limit, Offset: offset}}
			for _, p := range []struct {
				val string
				dst **string
			}{{objectType, &f.ObjectType}, {objectID, &f.ObjectID}, {action, &f.Action}} {
				if p.val != "" {
					*p.dst = &p.val
				}
			}
			es, total, err := a.FindAuditEvents(octx, f)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(out, map[string]any{"total": total, "events": es})
			}
			tw := newTable(out)
			fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tOBJECT\tCHANGE")
			for _, e := range es {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s %s\t%s\n", e.Seq, when(&e.At), e.Actor, e.Action, e.ObjectType, e.ObjectID, cell(string(e.Diff), 60))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d of %d events\n", len(es), total)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&org, "org", "", "slug of the organisation (required)")
	f.StringVar(&objectType, "object-type", "", "only events about this kind of object, such as objective, user, token, organization")
	f.StringVar(&objectID, "object-id", "", "only events about this object")
	f.StringVar(&action, "action", "", "only this action, such as objective.update")
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many events to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many of the newest events to skip")
	f.StringVar(&format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("org")
	return cmd
}
