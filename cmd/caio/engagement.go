package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

// The interim engagement commands: caio engagement status, list, start and note.

func init() {
	extraCommands = append(extraCommands, newEngagementCmd)
}

func newEngagementCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "engagement",
		Short: "Follow the interim CAIO engagement: plan, deliverables, progress",
		Long: `An engagement records an interim Chief AI Officer's mandate in one organisation: the sponsor,
the dates, the goals, five phases (discover, assess, strategise, execute, hand over), a 30/60/90-day
plan, the deliverables to leave behind (most of them checked against the organisation's data) and
weekly status notes. An organisation has at most one active engagement.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.engagementStatus(), ic.engagementList(), ic.engagementStart(), ic.engagementNote())
	return cmd
}

func (ic *invCmd) engagementStatus() *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:   "status --org SLUG",
		Short: "Show the active engagement's phase, progress, deliverables and open plan items",
		Example: `  caio engagement status --org acme-bank
  caio engagement status --org acme-bank --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				v, err := a.FindEngagementView(ctx, id)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, v)
				}
				p := v.Progress
				phase := v.CurrentPhase
				if phase == "" {
					phase = "not started"
				}
				if err := fields(out, [][2]string{{"engagement", v.Title + " (" + v.ID + ", " + v.Status + ")"}, {"sponsor", v.Sponsor},
					{"dates", v.Start + " to " + v.End}, {"current phase", phase},
					{"deliverables", fmt.Sprintf("%d of %d done", p.DeliverablesDone, p.DeliverablesTotal)},
					{"plan items", fmt.Sprintf("%d of %d done, %d overdue", p.ItemsDone, p.ItemsTotal, p.ItemsOverdue)},
					{"days", fmt.Sprintf("%d of %d elapsed", p.DaysElapsed, p.DaysTotal)}}); err != nil {
					return err
				}
				fmt.Fprintln(out)
				tw := newTable(out)
				fmt.Fprintln(tw, "DELIVERABLE\tDONE\tHOW\tREASON")
				for _, d := range v.Deliverables {
					how := "confirmed by a person"
					if d.Detected {
						how = "detected"
					}
					done := "no"
					if d.Done {
						done = "yes"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Label, done, how, cell(d.Reason, 90))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out)
				tw = newTable(out)
				fmt.Fprintln(tw, "DUE\tWINDOW\tSTATUS\tITEM\tOWNER")
				open := slices.Clone(v.Plan)
				slices.SortStableFunc(open, func(a, b *caio.PlanItem) int { return strings.Compare(a.Due, b.Due) })
				for _, it := range open {
					if it.Status == "done" {
						continue
					}
					st := it.Status
					if it.Overdue {
						st += ", overdue"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Due, it.Window, st, cell(it.Title, 60), cell(it.Owner, 30))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "an engagement id (eng_…) instead of the active one, such as a closed one")
	return cmd
}

func (ic *invCmd) engagementList() *cobra.Command {
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List the organisation's engagements, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				es, total, err := a.FindEngagements(ctx, caio.Page{Limit: limit, Offset: offset})
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "engagements": es})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tSPONSOR\tSTART\tEND\tSTATUS")
				for _, e := range es {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, cell(e.Title, 48), cell(e.Sponsor, 30), e.Start, e.End, e.Status)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d engagements\n", len(es), total)
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", caio.DefaultPageLimit, "how many to show (at most 500)")
	cmd.Flags().IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) engagementStart() *cobra.Command {
	var in caio.EngagementInput
	var goals []string
	cmd := &cobra.Command{
		Use:     "start --org SLUG --sponsor NAME --start YYYY-MM-DD",
		Short:   "Start the organisation's engagement with the built-in 30/60/90-day plan",
		Example: `  caio engagement start --org acme-bank --sponsor "Chief Operating Officer" --start 2027-01-04`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				in.Goals = goals
				e, err := a.StartEngagement(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, e)
				}
				fmt.Fprintf(out, "Started %s (%s), %s to %s.\n", e.Title, e.ID, e.Start, e.End)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Sponsor, "sponsor", "", "the executive the engagement reports to (required)")
	f.StringVar(&in.Start, "start", "", "first day, YYYY-MM-DD (required)")
	f.StringVar(&in.End, "end", "", "last day, YYYY-MM-DD; by default the plan's phases set it")
	f.StringVar(&in.Title, "title", "", "a title; \"Interim CAIO engagement\" by default")
	f.StringArrayVar(&goals, "goal", nil, "a goal, repeated; by default the built-in plan's goals")
	return cmd
}

func (ic *invCmd) engagementNote() *cobra.Command {
	var in caio.StatusNoteInput
	cmd := &cobra.Command{
		Use:     "note --org SLUG --week YYYY-MM-DD --rag green|amber|red --summary TEXT",
		Short:   "Add the weekly status note of the active engagement",
		Example: `  caio engagement note --org acme-bank --week 2027-01-11 --rag amber --summary "Board meeting moved" --risks "60-day mark at risk"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				e, err := a.ActiveEngagement(ctx)
				if err != nil {
					return err
				}
				n, err := a.AddStatusNote(ctx, e.ID, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, n)
				}
				fmt.Fprintf(out, "Added the note of week %s (%s): %s.\n", n.WeekLabel, n.ID, strings.ToUpper(n.RAG[:1])+n.RAG[1:])
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Week, "week", "", "any day of the week, YYYY-MM-DD (required)")
	f.StringVar(&in.RAG, "rag", "", "green (on track), amber (at risk) or red (off track)")
	f.StringVar(&in.Summary, "summary", "", "the week in a sentence or two")
	f.StringVar(&in.Achievements, "achievements", "", "what was achieved")
	f.StringVar(&in.NextSteps, "next-steps", "", "what comes next")
	f.StringVar(&in.Risks, "risks", "", "risks and issues")
	f.StringVar(&in.Author, "author", "", "the author; \"system\" from the command line by default")
	return cmd
}
