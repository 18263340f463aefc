package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

// The policy library commands: caio policy list, show, export and adopt.

func init() { extraCommands = append(extraCommands, newPolicyCmd) }

func newPolicyCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Read and export the policy library",
		Long: `The policy library holds the organisation's AI policies, written in Markdown and kept in numbered
versions. A version comes into force when approvers approve it (on the approvals page or through the
API); members then acknowledge it by its due date. These commands list the policies, show one with
who has acknowledged it, write a version's Markdown to a file, and adopt a starter policy as a draft.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.policyList(), ic.policyShow(), ic.policyExport(), ic.policyAdopt())
	return cmd
}

func (ic *invCmd) policyList() *cobra.Command {
	var query, status, kind, review, sort string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List policies, by title",
		Example: `  caio policy list --org acme-bank
  caio policy list --org acme-bank --review overdue --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.PolicyFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Query, query}, {&f.Status, status}, {&f.Kind, kind}, {&f.Review, review}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				ps, total, err := a.FindPolicies(ctx, f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "policies": ps})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tKIND\tSTATUS\tIN FORCE\tNEXT REVIEW\tACK DUE\tOWNER")
				for _, p := range ps {
					inForce, review := "-", p.NextReview
					if p.CurrentVersion > 0 && p.Status != "retired" {
						inForce = "v" + strconv.Itoa(p.CurrentVersion)
					}
					if p.ReviewOverdue {
						review += " (overdue)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, cell(p.Title, 48), p.Kind, p.Status, inForce, review, p.AckDue, cell(p.Owner, 30))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d policies\n", len(ps), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only policies whose title or owner contains this text")
	f.StringVar(&status, "status", "", "only policies of this status: "+strings.Join(caio.PolicyStatuses, ", "))
	f.StringVar(&kind, "kind", "", "only policies of this kind: "+strings.Join(caio.PolicyKinds, ", "))
	f.StringVar(&review, "review", "", "overdue: review date passed; soon: due within 30 days")
	f.StringVar(&sort, "sort", "title", "order: "+strings.Join(caio.PolicySorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many policies to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) policyShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show a policy with its versions and acknowledgements",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				p, err := a.FindPolicy(ctx, args[0])
				if err != nil {
					return err
				}
				vs, err := a.PolicyVersions(ctx, p.ID)
				if err != nil {
					return err
				}
				acks, err := a.PolicyAcknowledgements(ctx, p.ID)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"policy": p, "versions": vs, "acknowledgements": acks})
				}
				var versions, pending []string
				for _, v := range vs {
					s := fmt.Sprintf("v%d %s", v.Number, v.State)
					if v.Note != "" {
						s += ": " + v.Note
					}
					versions = append(versions, s)
				}
				for _, m := range acks.Pending {
					pending = append(pending, m.Name+" <"+m.Email+">")
				}
				ackLine := "no approved version in force"
				if acks.Version > 0 {
					ackLine = fmt.Sprintf("%d of %d members acknowledged v%d, due %s", len(acks.Acknowledged), acks.Members, acks.Version, acks.Due)
					if acks.Overdue {
						ackLine += " (overdue)"
					}
				}
				return fields(out, [][2]string{
					{"id", p.ID}, {"title", p.Title}, {"kind", p.Kind}, {"status", p.Status}, {"owner", p.Owner},
					{"version in force", strconv.Itoa(p.CurrentVersion)}, {"newest version", strconv.Itoa(p.LatestVersion)},
					{"review cycle", fmt.Sprintf("%d months", p.ReviewMonths)}, {"next review", p.NextReview},
					{"review overdue", strconv.FormatBool(p.ReviewOverdue)}, {"acknowledgements", ackLine},
					{"not yet acknowledged", strings.Join(pending, "; ")}, {"versions", strings.Join(versions, "; ")},
				})
			})
		},
	}
}

func (ic *invCmd) policyExport() *cobra.Command {
	var version int
	var output string
	cmd := &cobra.Command{
		Use:   "export --org SLUG ID",
		Short: "Write a version of a policy as Markdown",
		Long:  "Writes the Markdown of the approved version in force (or of the newest version when none is approved, or of --version) to standard output or --output.",
		Example: `  caio policy export --org acme-bank pol_01J... > acceptable-use.md
  caio policy export --org acme-bank pol_01J... --version 2 --output v2.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				p, err := a.FindPolicy(ctx, args[0])
				if err != nil {
					return err
				}
				v := p.Current
				if v == nil {
					v = p.Latest
				}
				if version != 0 {
					if v, err = a.PolicyVersion(ctx, p.ID, version); err != nil {
						return err
					}
				}
				body := v.Body + "\n"
				if output == "" || output == "-" {
					_, err = io.WriteString(out, body)
					return err
				}
				if err := os.WriteFile(output, []byte(body), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote version %d of %q to %s\n", v.Number, p.Title, output)
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&version, "version", 0, "the version to write (default: the one in force, else the newest)")
	cmd.Flags().StringVar(&output, "output", "", "file to write (default: standard output)")
	return cmd
}

func (ic *invCmd) policyAdopt() *cobra.Command {
	var starter string
	cmd := &cobra.Command{
		Use:     "adopt --org SLUG --starter KEY",
		Short:   "Adopt a starter policy as a new draft",
		Example: `  caio policy adopt --org acme-bank --starter incident-response`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				p, err := a.AdoptStarter(ctx, starter)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, p)
				}
				fmt.Fprintf(out, "adopted %q as draft policy %s\n", p.Title, p.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&starter, "starter", "", "the starter: acceptable-use, risk-management, generative-ai, procurement, incident-response, literacy")
	cmd.MarkFlagRequired("starter")
	return cmd
}
