package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/spf13/cobra"
)

// caio businesscase, which needs neither server nor database, and caio
// portfolio, which reports on an organisation's use cases.

func init() { extraCommands = append(extraCommands, newBusinessCaseCmd, newPortfolioCmd) }

func newBusinessCaseCmd(cfg *Config) *cobra.Command {
	var format string
	var trials int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "businesscase FILE",
		Short: "Evaluate a business case: NPV, ROI, payback and their ranges (no server or database needed)",
		Long: `Businesscase reads a business case (YAML or JSON; "-" reads standard input): costs and benefits as
low, likely and high amounts, the horizon, the discount rate and the adoption ramp. It prints the
NPV, ROI and payback at the likely amounts, then their 10th, 50th and 90th percentiles over a Monte
Carlo simulation, and the chance that the NPV is negative. The same file and seed always give the
same figures. --format json prints the normalised case and the whole result, as the API does.

The exit code is 0 when the case was evaluated, 1 when it is invalid (each field is named, such as
benefits[0].low).`,
		Example: `  caio businesscase docs/examples/business-case.yaml
  caio businesscase --trials 50000 --seed 7 --format json case.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return caio.FieldError("format", "must be text or json")
			}
			var c finance.Case
			if err := readDocument(cmd, args[0], &c); err != nil {
				return err
			}
			if cmd.Flags().Changed("trials") {
				c.Trials = trials
			}
			if cmd.Flags().Changed("seed") {
				c.Seed = seed
			}
			if c.Seed == 0 {
				// A fixed seed keeps the output reproducible, as a preview in
				// the web pages is.
				c.Seed = 1
			}
			if err := c.Normalize(); err != nil {
				return err
			}
			res, err := finance.Simulate(c)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(out, map[string]any{"input": c, "result": res})
			}
			printBusinessCase(out, c, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&trials, "trials", 0, "simulated trials, 100 to 200,000 (overrides the file; the file's or 10,000 otherwise)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "seed of the random stream (overrides the file; the file's or 1 otherwise)")
	return cmd
}

// amount writes money as a person reads it: whole units with thousands
// separators, such as -12,345.
func amount(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	s := strconv.FormatFloat(math.Abs(math.Round(x)), 'f', 0, 64)
	var b strings.Builder
	if math.Round(x) < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// share writes a fraction as a percentage with one decimal: 0.253 is 25.3 %.
func share(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + " %" }

// years writes a payback time, or says it does not come within the horizon.
func years(x *float64, horizon int) string {
	if x == nil {
		return "not within " + strconv.Itoa(horizon) + " years"
	}
	return strconv.FormatFloat(*x, 'f', 1, 64) + " years"
}

// printBusinessCase writes a business case's figures for a person to read.
func printBusinessCase(w io.Writer, c finance.Case, r finance.Result) {
	d := r.Deterministic
	fmt.Fprintf(w, "Business case in %s over %d years at a discount rate of %s (%s, %s trials, seed %d)\n\n",
		c.Currency, c.HorizonYears, share(c.DiscountRate), r.Distribution, amount(float64(r.Trials)), r.Seed)
	fmt.Fprintln(w, "At the likely amounts:")
	tw := newTable(w)
	fmt.Fprintf(tw, "  NPV\t%s\n", amount(d.NPV))
	fmt.Fprintf(tw, "  ROI\t%s\n", share(d.ROI))
	fmt.Fprintf(tw, "  Payback\t%s\n", years(d.Payback, c.HorizonYears))
	fmt.Fprintf(tw, "  Total cost\t%s\n", amount(d.TotalCost))
	fmt.Fprintf(tw, "  Total benefit\t%s\n", amount(d.TotalBenefit))
	tw.Flush()

	fmt.Fprintln(w, "\nSimulated:")
	tw = newTable(w)
	fmt.Fprintln(tw, "  \tP10\tP50\tP90")
	fmt.Fprintf(tw, "  NPV\t%s\t%s\t%s\n", amount(r.NPV.P10), amount(r.NPV.P50), amount(r.NPV.P90))
	fmt.Fprintf(tw, "  ROI\t%s\t%s\t%s\n", share(r.ROI.P10), share(r.ROI.P50), share(r.ROI.P90))
	fmt.Fprintf(tw, "  Payback\t%s\t%s\t%s\n", years(r.Payback.P10, c.HorizonYears), years(r.Payback.P50, c.HorizonYears), years(r.Payback.P90, c.HorizonYears))
	tw.Flush()
	fmt.Fprintf(w, "  Mean NPV %s; P(NPV < 0) = %s\n", amount(r.MeanNPV), share(r.ProbLoss))

	fmt.Fprintln(w, "\nYear by year at the likely amounts, with the simulated benefit band:")
	tw = newTable(w)
	fmt.Fprintln(tw, "  YEAR\tCOST\tBENEFIT\tNET\tCUMULATIVE\tBENEFIT P10–P90")
	for _, y := range d.Years {
		band := "-"
		if y.Year >= 1 && y.Year <= len(r.BenefitByYear) {
			p := r.BenefitByYear[y.Year-1]
			band = amount(p.P10) + " – " + amount(p.P90)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", y.Year, amount(y.Cost), amount(y.Benefit), amount(y.Net), amount(y.Cumulative), band)
	}
	tw.Flush()
}

func newPortfolioCmd(cfg *Config) *cobra.Command {
	pc := &portfolioCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "portfolio",
		Short: "Report on an organisation's use-case portfolio: ranking and roll-up",
		Args:  cobra.NoArgs,
	}
	pc.persistent(cmd)

	var stage, objective string
	rank := &cobra.Command{
		Use:   "rank --org SLUG",
		Short: "Rank the accepted use cases by the organisation's scoring method",
		Example: `  caio portfolio rank --org acme-bank
  caio portfolio rank --org acme-bank --stage assessment --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.UseCaseFilter{}
				if stage != "" {
					f.Stage = &stage
				}
				if objective != "" {
					f.ObjectiveID = &objective
				}
				ranked, err := a.RankUseCases(ctx, f)
				if err != nil {
					return err
				}
				settings, err := a.FindPortfolioSettings(ctx)
				if err != nil {
					return err
				}
				if pc.json() {
					items := make([]map[string]any, len(ranked))
					for i, r := range ranked {
						items[i] = map[string]any{"id": r.ID, "title": r.Title, "stage": r.Stage, "rank": r.Rank, "score": r.Score, "cost": r.Cost, "npv_p50": r.NPVP50}
					}
					return writeJSON(out, map[string]any{"method": settings.Weights.Method, "items": items})
				}
				fmt.Fprintf(out, "Ranked by %s.\n", portfolio.MethodLabel(settings.Weights.Method))
				tw := newTable(out)
				fmt.Fprintln(tw, "RANK\tID\tTITLE\tSTAGE\tPRIORITY\tVALUE\tFEASIBILITY\tRISK\tRICE\tWSJF\tQUADRANT\tNPV P50")
				for _, r := range ranked {
					s := r.Score
					npv := "-"
					if r.NPVP50 != nil {
						npv = amount(*r.NPVP50)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Rank, r.ID, cell(r.Title, 40), portfolio.StageLabel(r.Stage),
						score(s.Priority, s.Rated), score(s.Value, s.Rated), score(s.Feasibility, s.Rated), score(s.Risk, true),
						optional(s.RICE), optional(s.WSJF), cell(portfolio.QuadrantLabel(s.Quadrant), 20), npv)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d use cases\n", len(ranked))
				return nil
			})
		},
	}
	rank.Flags().StringVar(&stage, "stage", "", "only use cases at this stage")
	rank.Flags().StringVar(&objective, "objective", "", "only use cases linked to this objective id")

	rollup := &cobra.Command{
		Use:   "rollup --org SLUG",
		Short: "Add up the business cases: cost, benefit, expected and risk-adjusted NPV",
		Long: `The roll-up adds up the business cases of the accepted use cases that are not rejected or retired:
in total, by stage and by objective (a use case serving two objectives counts in both). Expected NPV
sums the simulated mean NPVs; the risk-adjusted NPV weighs each by the chance that a use case in its
stage reaches production (the organisation's portfolio settings).`,
		Example: `  caio portfolio rollup --org acme-bank --format json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, err := a.PortfolioRollup(ctx)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, r)
				}
				fmt.Fprintf(out, "Portfolio roll-up in %s: %d use cases, %d with a business case.\n\n", r.Currency, r.Total.Count, r.Total.WithCase)
				tw := newTable(out)
				fmt.Fprintln(tw, "GROUP\tUSE CASES\tWITH CASE\tCOST\tBENEFIT\tEXPECTED NPV\tRISK-ADJUSTED NPV\tCHANCE")
				row := func(label string, x app.RollupRow, chance string) {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", label, x.Count, x.WithCase, amount(x.Cost), amount(x.Benefit),
						amount(x.ExpectedNPV), amount(x.RiskAdjusted), chance)
				}
				row("Portfolio", r.Total, "")
				for _, x := range r.ByStage {
					row("  "+x.Label, x, share(r.Success[x.Key]))
				}
				for i, x := range r.ByObjective {
					if i == 0 {
						fmt.Fprintln(tw, "By objective:\t\t\t\t\t\t\t")
					}
					row("  "+cell(x.Label, 40), x, "")
				}
				return tw.Flush()
			})
		},
	}
	simulate := &cobra.Command{
		Use:   "simulate --org SLUG",
		Short: "Run every business case of the organisation again, on all cores, and store the results",
		Long: `Re-simulates every stored business case with its own seed and trials, using all cores, and stores
the new results in one transaction with one audit event. Use it after upgrading caio when the
simulation changed. A case saved anew while it runs keeps the result of that save.`,
		Example: `  caio portfolio simulate --org acme-bank`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				start := time.Now()
				n, failed, err := a.ResimulateBusinessCases(ctx)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, map[string]any{"simulated": n, "failed": failed, "seconds": time.Since(start).Seconds()})
				}
				fmt.Fprintf(out, "Simulated %d business cases in %.1f s.\n", n, time.Since(start).Seconds())
				for _, id := range failed {
					fmt.Fprintf(out, "Not simulated (its input no longer validates): %s\n", id)
				}
				return nil
			})
		},
	}
	cmd.AddCommand(rank, rollup, simulate)
	return cmd
}
