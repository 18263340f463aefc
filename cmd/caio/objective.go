package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { extraCommands = append(extraCommands, newObjectiveCmd) }

// objectiveCmd holds what every objective subcommand shares.
type objectiveCmd struct {
	cfg    *Config
	org    string
	format string
}

func newObjectiveCmd(cfg *Config) *cobra.Command {
	oc := &objectiveCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "objective",
		Short: "Manage an organisation's business objectives and their KPIs",
		Long: `Business objectives are what AI work should serve: each has a KPI with a baseline, a target,
a unit, a horizon date by which the target should be met, and an owner.`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&oc.org, "org", "", "slug of the organisation (required)")
	cmd.PersistentFlags().StringVar(&oc.format, "format", "text", "output format: text or json")
	cmd.MarkPersistentFlagRequired("org")
	cmd.AddCommand(oc.listCmd(), oc.showCmd(), oc.createCmd(), oc.updateCmd(), oc.deleteCmd())
	return cmd
}

// run opens the services, checks the format and calls fn inside the organisation.
func (oc *objectiveCmd) run(cmd *cobra.Command, fn func(ctx context.Context, a *app.App, out io.Writer) error) error {
	if err := checkFormat(oc.format); err != nil {
		return err
	}
	ctx := cmd.Context()
	a, done, err := oc.cfg.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	octx, err := orgCtx(ctx, a, oc.org)
	if err != nil {
		return err
	}
	return fn(octx, a, cmd.OutOrStdout())
}

func (oc *objectiveCmd) listCmd() *cobra.Command {
	var query, owner, sort string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List objectives",
		Example: `  caio objective list --org acme-bank --sort horizon
  caio objective list --org acme-bank --query claims --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return oc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.ObjectiveFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				if query != "" {
					f.Query = &query
				}
				if owner != "" {
					f.Owner = &owner
				}
				os, total, err := a.FindObjectives(ctx, f)
				if err != nil {
					return err
				}
				if oc.format == "json" {
					return writeJSON(out, map[string]any{"total": total, "objectives": os})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tKPI\tBASELINE → TARGET\tHORIZON\tOWNER")
				for _, o := range os {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, cell(o.Title, 48), cell(o.KPI, 40), progress(o), cell(o.Horizon, 10), cell(o.Owner, 30))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d objectives\n", len(os), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only objectives whose title, KPI or owner contains this text")
	f.StringVar(&owner, "owner", "", "only objectives with exactly this owner")
	f.StringVar(&sort, "sort", "-created", "order: "+strings.Join(caio.ObjectiveSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many objectives to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

// progress shows "9 → 3 days".
func progress(o *caio.Objective) string {
	num := func(f *float64) string {
		if f == nil {
			return "?"
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	if o.Baseline == nil && o.Target == nil {
		return "-"
	}
	return strings.TrimSpace(num(o.Baseline) + " → " + num(o.Target) + " " + o.Unit)
}

func (oc *objectiveCmd) showCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one objective",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return oc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				o, err := a.FindObjective(ctx, args[0])
				if err != nil {
					return err
				}
				return oc.print(out, o)
			})
		},
	}
}

// print shows one objective as JSON or as labelled lines.
func (oc *objectiveCmd) print(out io.Writer, o *caio.Objective) error {
	if oc.format == "json" {
		return writeJSON(out, o)
	}
	tw := newTable(out)
	for _, row := range [][2]string{
		{"id", o.ID}, {"title", o.Title}, {"kpi", o.KPI}, {"progress", progress(o)},
		{"horizon", o.Horizon}, {"owner", o.Owner}, {"version", strconv.Itoa(o.Version)},
		{"updated", when(&o.UpdatedAt)}, {"description", o.Description},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], cell(row[1], 10000))
	}
	return tw.Flush()
}

// objectiveFlags are the flags of every editable field.
type objectiveFlags struct {
	in               caio.ObjectiveInput
	baseline, target string
	flags            *pflag.FlagSet
}

func (of *objectiveFlags) register(f *pflag.FlagSet) {
	of.flags = f
	f.StringVar(&of.in.Title, "title", "", "short name of the objective (at most 200 characters)")
	f.StringVar(&of.in.Description, "description", "", "what the objective means and why it matters")
	f.StringVar(&of.in.KPI, "kpi", "", "the indicator that shows progress, such as \"median days to settle a claim\"")
	f.StringVar(&of.baseline, "baseline", "", "the KPI's value today (a number; empty for none)")
	f.StringVar(&of.target, "target", "", "the KPI's value to reach (a number; empty for none)")
	f.StringVar(&of.in.Unit, "unit", "", "unit of the KPI, such as days, %, EUR")
	f.StringVar(&of.in.Horizon, "horizon", "", "date by which to reach the target, YYYY-MM-DD")
	f.StringVar(&of.in.Owner, "owner", "", "who is accountable, such as \"Head of Claims\"")
}

// apply copies the flags given on the command line onto in.
func (of *objectiveFlags) apply(in *caio.ObjectiveInput) error {
	set := func(name string, dst *string, v string) {
		if of.flags.Changed(name) {
			*dst = v
		}
	}
	set("title", &in.Title, of.in.Title)
	set("description", &in.Description, of.in.Description)
	set("kpi", &in.KPI, of.in.KPI)
	set("unit", &in.Unit, of.in.Unit)
	set("horizon", &in.Horizon, of.in.Horizon)
	set("owner", &in.Owner, of.in.Owner)
	var v caio.Validation
	for _, n := range []struct {
		name string
		val  string
		dst  **float64
	}{{"baseline", of.baseline, &in.Baseline}, {"target", of.target, &in.Target}} {
		if !of.flags.Changed(n.name) {
			continue
		}
		if strings.TrimSpace(n.val) == "" {
			*n.dst = nil
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(n.val), 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			v.Add(n.name, "must be a number, such as 42 or 12.5")
			continue
		}
		*n.dst = &x
	}
	return v.Err()
}

func (oc *objectiveCmd) createCmd() *cobra.Command {
	var of objectiveFlags
	cmd := &cobra.Command{
		Use:   "create --org SLUG --title TITLE [field flags]",
		Short: "Create an objective",
		Example: `  caio objective create --org acme-bank --title "Settle simple claims faster" \
    --kpi "median days to settle" --baseline 9 --target 3 --unit days --horizon 2027-12-31 --owner "Head of Claims"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var in caio.ObjectiveInput
			if err := of.apply(&in); err != nil {
				return err
			}
			return oc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				o, err := a.CreateObjective(ctx, in)
				if err != nil {
					return err
				}
				if oc.format == "json" {
					return writeJSON(out, o)
				}
				fmt.Fprintf(out, "Created objective %s: %s\n", o.ID, o.Title)
				return nil
			})
		},
	}
	of.register(cmd.Flags())
	cmd.MarkFlagRequired("title")
	return cmd
}

func (oc *objectiveCmd) updateCmd() *cobra.Command {
	var of objectiveFlags
	var version int
	cmd := &cobra.Command{
		Use:   "update --org SLUG ID [field flags]",
		Short: "Change the fields given of an objective",
		Long: `Change an objective: only the fields given as flags change. An empty --baseline or --target
clears it. With --version, the change is refused if someone changed the objective since.`,
		Example: `  caio objective update --org acme-bank obj_01jd8x4m2q7v9c3k5n6p8r0s2t --target 2 --horizon 2028-06-30`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return oc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				o, err := a.FindObjective(ctx, args[0])
				if err != nil {
					return err
				}
				in := caio.ObjectiveInput{Title: o.Title, Description: o.Description, KPI: o.KPI, Baseline: o.Baseline,
					Target: o.Target, Unit: o.Unit, Horizon: o.Horizon, Owner: o.Owner}
				if err := of.apply(&in); err != nil {
					return err
				}
				if version == 0 {
					// Still refuse to overwrite a change made between our read and our write.
					version = o.Version
				}
				if o, err = a.UpdateObjective(ctx, o.ID, version, in); err != nil {
					return err
				}
				if oc.format == "json" {
					return writeJSON(out, o)
				}
				fmt.Fprintf(out, "Updated objective %s (now version %d).\n", o.ID, o.Version)
				return nil
			})
		},
	}
	of.register(cmd.Flags())
	cmd.Flags().IntVar(&version, "version", 0, "the version you are changing; refuse if it is no longer current")
	return cmd
}

func (oc *objectiveCmd) deleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete --org SLUG ID",
		Short: "Delete an objective",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return oc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				if err := a.DeleteObjective(ctx, args[0]); err != nil {
					return err
				}
				if oc.format == "json" {
					return writeJSON(out, map[string]any{"deleted": args[0]})
				}
				fmt.Fprintf(out, "Deleted objective %s.\n", args[0])
				return nil
			})
		},
	}
}
