package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
)

// The advisor's commands: caio advise prints the next best actions, caio
// task list the tasks accepted actions became.

func init() {
	extraCommands = append(extraCommands, newAdviseCmd, newTaskCmd)
}

// asCmd is an inventory command that may act as a member (--as EMAIL), so
// that --mine knows whose actions or tasks to show.
type asCmd struct {
	invCmd
	as string
}

// run is invCmd.run acting as the member named by --as, when given.
func (c *asCmd) run(cmd *cobra.Command, fn func(ctx context.Context, a *app.App, out io.Writer) error) error {
	if c.as == "" {
		return c.invCmd.run(cmd, fn)
	}
	return c.invCmd.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
		actor, err := a.UserActor(ctx, c.org, c.as)
		if err != nil {
			return err
		}
		return fn(caio.WithActor(ctx, actor), a, out)
	})
}

func newAdviseCmd(cfg *Config) *cobra.Command {
	c := &asCmd{invCmd: invCmd{cfg: cfg}}
	var mine, all bool
	var kind, rule, state string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "advise --org SLUG",
		Short: "Print the next best actions of an organisation",
		Long: `The advisor evaluates the built-in rules (minus those the organisation switched off) and the
organisation's own rules on its current data, and prints the next best actions, most pressing
first: the rule, what to do, why, the due date and where it comes from, who should act (a role),
and the page where it is done. Snoozed and dismissed actions are left out unless --all is given.
With --as EMAIL the command acts as that member; --mine then keeps the actions for them (their
role, named as the object's owner, or their task).`,
		Example: `  caio advise --org acme-bank
  caio advise --org acme-bank --format json
  caio advise --org acme-bank --as ada@example.com --mine`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if mine && c.as == "" {
				return caio.FieldError("mine", "needs --as EMAIL: whose actions to show")
			}
			return c.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.AdviceFilter{Mine: mine, IncludeSnoozed: all, IncludeDismissed: all, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Kind, kind}, {&f.Rule, rule}, {&f.State, state}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				l, err := a.Advise(ctx, f)
				if err != nil {
					return err
				}
				if c.json() {
					return writeJSON(out, map[string]any{"today": l.Today, "total": l.Total, "counts": l.Counts, "problems": l.Problems, "actions": l.Items})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "RULE\tTITLE\tREASON\tDUE\tOWNER ROLE\tSTATE\tLINK")
				for _, ad := range l.Items {
					due := ad.Due
					if due == "" {
						due = "-"
					} else if ad.Overdue {
						due += " (overdue)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(ad.RuleID, 32), cell(ad.Title, 48), cell(ad.Reason, 60), due,
						cell(ad.OwnerRole, 12), ad.State, cell(ad.Link, 60))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d actions on %s (%d open, %d accepted, %d snoozed, %d dismissed)\n", len(l.Items), l.Total, l.Today,
					l.Counts[caio.AdviceOpen], l.Counts[caio.AdviceAccepted], l.Counts[caio.AdviceSnoozed], l.Counts[caio.AdviceDismissed])
				for _, p := range l.Problems {
					fmt.Fprintf(out, "warning: %s\n", p)
				}
				return nil
			})
		},
	}
	c.persistent(cmd)
	fl := cmd.Flags()
	fl.StringVar(&c.as, "as", "", "act as this member (their email), as the pages do for them")
	fl.BoolVar(&mine, "mine", false, "only the actions for the member named by --as")
	fl.BoolVar(&all, "all", false, "include snoozed and dismissed actions")
	fl.StringVar(&kind, "kind", "", "only actions about this kind of object: "+strings.Join(app.AdvisorRuleKinds(), ", "))
	fl.StringVar(&rule, "rule", "", "only actions of this rule")
	fl.StringVar(&state, "state", "", "only actions in this state: "+strings.Join(caio.AdviceStates, ", "))
	fl.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many actions to show (at most 500)")
	fl.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func newTaskCmd(cfg *Config) *cobra.Command {
	c := &asCmd{invCmd: invCmd{cfg: cfg}}
	cmd := &cobra.Command{
		Use:   "task",
		Short: "List the tasks of an organisation",
		Long: `Tasks are work with an owner and a due date: mostly actions of the advisor that someone
accepted, and tasks added by hand on the Tasks page or through the API.`,
		Args: cobra.NoArgs,
	}
	c.persistent(cmd)
	cmd.PersistentFlags().StringVar(&c.as, "as", "", "act as this member (their email)")
	var mine, overdue bool
	var status, sort string
	var limit, offset int
	list := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List tasks, overdue and soonest due first",
		Example: `  caio task list --org acme-bank
  caio task list --org acme-bank --as ada@example.com --mine --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if mine && c.as == "" {
				return caio.FieldError("mine", "needs --as EMAIL: whose tasks to show")
			}
			return c.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.TaskFilter{Mine: mine, Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				if s := strings.TrimSpace(status); s != "" && s != "all" {
					f.Status = &s
				}
				if overdue {
					f.Overdue = &overdue
				}
				ts, total, err := a.FindTasks(ctx, f)
				if err != nil {
					return err
				}
				if c.json() {
					return writeJSON(out, map[string]any{"total": total, "tasks": ts})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tOWNER\tDUE\tSTATUS\tFROM")
				for _, t := range ts {
					due := t.Due
					if due == "" {
						due = "-"
					} else if t.Overdue {
						due += " (overdue)"
					}
					from := "by hand"
					if t.SourceKey != "" {
						from = t.RuleID
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, cell(t.Title, 48), cell(t.OwnerEmail, 30), due, t.Status, cell(from, 32))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d tasks\n", len(ts), total)
				return nil
			})
		},
	}
	fl := list.Flags()
	fl.BoolVar(&mine, "mine", false, "only the tasks of the member named by --as")
	fl.BoolVar(&overdue, "overdue", false, "only open tasks past their due date")
	fl.StringVar(&status, "status", "open", "only tasks of this status: "+strings.Join(caio.TaskStatuses, ", ")+", or all")
	fl.StringVar(&sort, "sort", "due", "order: "+strings.Join(caio.TaskSorts, ", "))
	fl.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many tasks to show (at most 500)")
	fl.IntVar(&offset, "offset", 0, "how many to skip")
	cmd.AddCommand(list)
	return cmd
}
