package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/govcode"
	"github.com/spf13/cobra"
)

// Governance as code (docs/governance-as-code.md): `caio export yaml`,
// `caio import yaml` and `caio check`.

func init() {
	exportCommands = append(exportCommands, newExportYAMLCmd)
	importCommands = append(importCommands, newImportYAMLCmd)
	extraCommands = append(extraCommands, newCheckCmd)
}

func newExportYAMLCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var dir string
	cmd := &cobra.Command{
		Use:   "yaml --org SLUG --out DIR",
		Short: "Write the organisation's AI register as YAML files, one per object",
		Long: `Export yaml writes the inventory (systems with their classification profile and links, models,
datasets, vendors), use cases, controls, policies (with the Markdown text of their newest version)
and the organisation's own advisor rules under DIR/<kind>/<id>.yaml. Keys come in a fixed order and
nothing changes between two exports of the same data, so the directory can be kept in git and
reviewed. Files of objects no longer in caio are removed. Evidence files are not exported.`,
		Example: `  caio export yaml --org acme-bank --out registry/`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, err := a.ExportGovCode(ctx)
				if err != nil {
					return err
				}
				files, err := govcode.Write(r)
				if err != nil {
					return err
				}
				written, removed, err := govcode.WriteDir(dir, files)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"files": len(files), "written": written, "removed": removed})
				}
				_, err = fmt.Fprintf(out, "Exported %d objects to %s (%d files written, %d removed).\n", len(files), dir, written, removed)
				return err
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().StringVar(&dir, "out", "", "directory to write (created when missing)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func newImportYAMLCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var apply bool
	cmd := &cobra.Command{
		Use:   "yaml DIR --org SLUG [--apply]",
		Short: "Show what the YAML files would change, and change it with --apply",
		Long: `Import yaml reads DIR/<kind>/*.yaml and prints the plan: each object to create, change (with the
fields that change) or delete. Objects are matched by id when the file carries one, else by name.
Only the kinds whose directory exists are compared. Nothing is written without --apply; with it the
whole plan is carried out in one transaction, audited, or nothing changes. A file that cannot be
read is reported as file:line:col: message and the import stops.`,
		Example: `  caio import yaml registry/ --org acme-bank
  caio import yaml registry/ --org acme-bank --apply`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, probs, err := govcode.ReadDir(args[0])
				if err != nil {
					return err
				}
				if len(probs) > 0 {
					for _, p := range probs {
						fmt.Fprintln(cmd.ErrOrStderr(), p.String())
					}
					return caio.Errorf(caio.EINVALID, "%d file(s) cannot be read; nothing was changed.", len(probs))
				}
				var plan *app.GovPlan
				if apply {
					plan, err = a.ApplyGovCode(ctx, r)
				} else {
					plan, err = a.PlanGovCode(ctx, r)
				}
				if plan != nil && len(plan.Problems) > 0 {
					for _, p := range plan.Problems {
						fmt.Fprintln(cmd.ErrOrStderr(), p.String())
					}
					if err == nil {
						err = caio.Errorf(caio.EINVALID, "%d problem(s) in the files; nothing can be imported until they are fixed.", len(plan.Problems))
					} else {
						err = caio.Errorf(caio.EINVALID, "%d problem(s) in the files; nothing was changed.", len(plan.Problems))
					}
				}
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"applied": apply, "steps": plan.Steps, "counts": plan.Counts})
				}
				for _, s := range plan.Steps {
					fmt.Fprintln(out, s.String())
				}
				switch {
				case len(plan.Steps) == 0:
					fmt.Fprintln(out, "Nothing to do: the organisation matches the files.")
				case apply:
					fmt.Fprintf(out, "Applied: %d created, %d changed, %d deleted.\n", plan.Counts[govcode.Create], plan.Counts[govcode.Change], plan.Counts[govcode.Delete])
				default:
					fmt.Fprintf(out, "Plan: %d to create, %d to change, %d to delete. Run again with --apply to make these changes.\n",
						plan.Counts[govcode.Create], plan.Counts[govcode.Change], plan.Counts[govcode.Delete])
				}
				return nil
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().BoolVar(&apply, "apply", false, "make the changes (in one transaction)")
	return cmd
}

func newCheckCmd(cfg *Config) *cobra.Command {
	var minImpact int
	var today, timeline, format string
	cmd := &cobra.Command{
		Use:   "check DIR",
		Short: "Check a governance-as-code directory, without a server or database",
		Long: `Check reads DIR/<kind>/*.yaml (as written by caio export yaml), validates every object as caio's
forms do, classifies each system's profile under the EU AI Act, and runs caio's built-in advisor
rules and the rules in DIR/rules/ over what the files say. It prints one file:line: message per
violation and exits with status 1 when there is any, so a CI job can gate merges on it.

Violations are: a file that cannot be read (file:line:col:), a field that fails validation, a
reference to an object that is not in the directory, a prohibited AI practice (EU AI Act Art 5), a
profile that cannot be classified, and each advisor action of impact --min-impact (default 4) or
more, or whose due date has passed. Rules about the organisation as a whole, risks, incidents and
assessments are not run: their data is not in the files.`,
		Example: `  caio check registry/
  caio check registry/ --min-impact 5 --today 2026-12-01`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if today == "" {
				today = time.Now().UTC().Format(time.DateOnly)
			} else if _, err := time.Parse(time.DateOnly, today); err != nil {
				return caio.FieldError("today", "must be a date written YYYY-MM-DD")
			}
			if minImpact < 1 || minImpact > 5 {
				return caio.FieldError("min-impact", "must be a whole number from 1 to 5")
			}
			r, probs, err := govcode.ReadDir(args[0])
			if err != nil {
				return err
			}
			probs = append(probs, govcode.Check(r, govcode.Options{Today: today, Timeline: timeline, MinImpact: minImpact})...)
			govcode.SortProblems(probs)
			out := cmd.OutOrStdout()
			if format == "json" {
				if err := writeJSON(out, map[string]any{"problems": probs, "count": len(probs)}); err != nil {
					return err
				}
			} else {
				for _, p := range probs {
					fmt.Fprintln(out, p.String())
				}
			}
			if len(probs) > 0 {
				if format != "json" {
					fmt.Fprintf(cmd.ErrOrStderr(), "%d problem(s) found.\n", len(probs))
				}
				return exitCode(1)
			}
			if format != "json" {
				fmt.Fprintf(out, "OK: %d systems, %d use cases, %d controls, %d policies, %d rules checked.\n",
					len(r.Systems), len(r.UseCases), len(r.Controls), len(r.Policies), len(r.Rules))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&minImpact, "min-impact", govcode.DefaultMinImpact, "lowest impact (1-5) of an advisor action that fails the check")
	cmd.Flags().StringVar(&today, "today", "", "date to check on, YYYY-MM-DD (default: today, UTC)")
	cmd.Flags().StringVar(&timeline, "timeline", "amended", "EU AI Act timeline: amended or enacted")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
