package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

// The talent commands: caio talent gaps and caio talent hiring, read-only
// views of the AI team's skills and of the CAIO candidates, for reports and
// scripts.

func init() { extraCommands = append(extraCommands, newTalentCmd) }

func newTalentCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "talent",
		Short: "Show the AI team's skill gaps and the CAIO hiring comparison",
		Long: `The talent area rates the AI team's people 1 to 5 per skill against the targets of their role in
caio's skill framework, and compares the candidates for the permanent Chief AI Officer on the
organisation's weighted scorecard. Change them on the Talent pages or through the API.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.talentGaps(), ic.talentHiring())
	return cmd
}

func (ic *invCmd) talentGaps() *cobra.Command {
	return &cobra.Command{
		Use:     "gaps --org SLUG",
		Short:   "List the skills where the team is weakest against its targets, weakest first",
		Example: `  caio talent gaps --org acme-bank --format json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				gaps, err := a.TalentGaps(ctx)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"gaps": gaps})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "SKILL\tPEOPLE\tBELOW\tNOT RATED\tMEAN LEVEL\tMEAN TARGET\tMEAN SHORT")
				for _, g := range gaps {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\n", cell(g.SkillName, 50), g.People, g.Below, g.Unrated, g.MeanLevel, g.MeanTarget, g.MeanShortfall)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				_, err = fmt.Fprintf(out, "%d skills targeted by the team's roles\n", len(gaps))
				return err
			})
		},
	}
}

func (ic *invCmd) talentHiring() *cobra.Command {
	return &cobra.Command{
		Use:     "hiring --org SLUG",
		Short:   "Compare the CAIO candidates on the scorecard, best first, with the decision",
		Example: `  caio talent hiring --org acme-bank --format json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				cmp, err := a.HiringComparison(ctx)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, cmp)
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "RANK\tCANDIDATE\tSTATUS\tSCORE\tINTERVIEWERS\tSPREAD")
				for _, c := range cmp.Candidates {
					rank, score := "-", "not rated"
					if c.Rank > 0 {
						rank, score = fmt.Sprint(c.Rank), fmt.Sprintf("%.2f", c.Score)
						if !c.Complete {
							score += "*"
						}
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%.2f\n", rank, cell(c.Name, 40), c.Status, score, c.Interviewers, c.Spread)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				if d := cmp.Decision; d != nil {
					state := "stands"
					if !d.Standing {
						state = "no longer stands"
					}
					_, err = fmt.Fprintf(out, "Decision (%s): %s, chosen by %s on %s: %s\n", state, d.CandidateName, d.DecidedByLabel,
						d.DecidedAt.UTC().Format("2006-01-02"), strings.TrimSpace(d.Reason))
					return err
				}
				_, err = fmt.Fprintln(out, "No decision recorded.")
				return err
			})
		},
	}
}
