package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

// The incident commands: caio incident list and show. Incidents are
// recorded and changed on the pages or through the API.

func init() { extraCommands = append(extraCommands, newIncidentCmd) }

func newIncidentCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "List and show AI incidents with their Art 73 reporting clocks",
		Long: `An incident is an event or malfunction of the organisation's AI systems. One that did harm of
EU AI Act Art 3(49) points (a) to (d) is a serious incident, and must be reported to the market
surveillance authority within a limit counted from the moment the organisation became aware of it:
15 days in general (Art 73(2)), 10 days where a person died (Art 73(4)), 2 days for a widespread
infringement or a serious and irreversible disruption of critical infrastructure (Art 73(3)). The
shortest limit that applies binds. Record and change incidents on the pages or through the API.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.incidentList(), ic.incidentShow())
	return cmd
}

// incidentClockText says an incident's clock state in a few words.
func incidentClockText(c *caio.ReportClock) string {
	if c == nil || !c.Applies {
		return "no report required"
	}
	return c.State + ", due " + c.Due.UTC().Format("2006-01-02 15:04") + " (" + c.Article + ")"
}

func (ic *invCmd) incidentList() *cobra.Command {
	var query, status, severity, system, sort string
	var serious, overdue bool
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List incidents, newest awareness first",
		Example: `  caio incident list --org acme-bank --overdue
  caio incident list --org acme-bank --serious --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.IncidentFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Query, query}, {&f.Status, status}, {&f.Severity, severity}, {&f.System, system}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				if serious {
					f.Serious = &serious
				}
				if overdue {
					f.Overdue = &overdue
				}
				is, total, err := a.FindIncidents(ctx, f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "incidents": is})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tSEVERITY\tSERIOUS\tSTATUS\tAWARE\tREPORTING CLOCK")
				for _, i := range is {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i.ID, cell(i.Title, 48), i.Severity, map[bool]string{true: "yes", false: "no"}[i.Serious],
						i.Status, i.AwareAt.UTC().Format("2006-01-02 15:04"), incidentClockText(i.Clock))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d incidents\n", len(is), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only incidents whose title, description or owner contains this text")
	f.StringVar(&status, "status", "", "only incidents of this status: "+strings.Join(caio.IncidentStatuses, ", "))
	f.StringVar(&severity, "severity", "", "only incidents of this severity: "+strings.Join(caio.IncidentSeverities, ", "))
	f.StringVar(&system, "system", "", "only incidents involving this AI system id")
	f.BoolVar(&serious, "serious", false, "only serious incidents under Art 3(49)")
	f.BoolVar(&overdue, "overdue", false, "only incidents whose Art 73 deadline passed without a report")
	f.StringVar(&sort, "sort", "-aware", "order: "+strings.Join(caio.IncidentSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many incidents to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) incidentShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one incident with its reporting clock and corrective actions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				i, err := a.FindIncident(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, i)
				}
				stamp := func(t *time.Time) string {
					if t == nil {
						return ""
					}
					return t.UTC().Format("2006-01-02 15:04 UTC")
				}
				var ss, as []string
				for _, s := range i.Systems {
					ss = append(ss, s.ID+" ("+s.Name+", "+incidentOr(s.Class, "unclassified")+")")
				}
				for _, x := range i.Actions {
					s := x.ID + " [" + x.Status + "] " + x.Description
					if x.Due != "" {
						s += " (due " + x.Due + ")"
					}
					as = append(as, s)
				}
				c := i.Clock
				rows := [][2]string{
					{"id", i.ID}, {"title", i.Title}, {"status", i.Status}, {"severity", i.Severity}, {"owner", i.Owner},
					{"occurred", stamp(i.OccurredAt)}, {"aware", stamp(&i.AwareAt)}, {"harms", strings.Join(i.Harms, ", ")},
					{"serious", strconv.FormatBool(i.Serious)}, {"why", strings.Join(i.SeriousReasons, " ")},
					{"death", strconv.FormatBool(i.Death)}, {"widespread", strconv.FormatBool(i.Widespread)},
					{"high-risk system", strconv.FormatBool(i.HighRisk)}, {"clock", c.State},
				}
				if c.Applies {
					rows = append(rows, [2]string{"report due", stamp(c.Due) + " (" + c.Article + ", " + strconv.Itoa(c.Days) + " days)"},
						[2]string{"clock reason", c.Reason}, [2]string{"clock summary", c.Summary})
				}
				rows = append(rows, [][2]string{{"reported", stamp(i.ReportedAt)}, {"reported to", i.ReportedTo},
					{"systems", strings.Join(ss, "; ")}, {"corrective actions", strings.Join(as, "; ")},
					{"lessons learnt", i.LessonsLearnt}, {"version", strconv.Itoa(i.Version)}, {"description", i.Description}}...)
				return fields(out, rows)
			})
		},
	}
}

func incidentOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
