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
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, newPostureCmd, newControlCmd, newFrameworkCmd)
}

// complianceCmd holds what the compliance commands share.
type complianceCmd struct {
	cfg    *Config
	org    string
	format string
}

// run opens the services, checks the format and calls fn inside the
// organisation (or outside any, when org is empty and optional).
func (cc *complianceCmd) run(cmd *cobra.Command, needOrg bool, fn func(ctx context.Context, a *app.App, out io.Writer) error) error {
	if err := checkFormat(cc.format); err != nil {
		return err
	}
	ctx := cmd.Context()
	a, done, err := cc.cfg.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	if cc.org != "" || needOrg {
		if ctx, err = orgCtx(ctx, a, cc.org); err != nil {
			return err
		}
	}
	return fn(ctx, a, cmd.OutOrStdout())
}

func newPostureCmd(cfg *Config) *cobra.Command {
	cc := &complianceCmd{cfg: cfg}
	var system string
	cmd := &cobra.Command{
		Use:   "posture --org SLUG [--system ID]",
		Short: "Show the compliance posture of an organisation or one AI system",
		Long: `The posture sums up the controls that apply, per framework the organisation follows: how many
are not started, in progress, implemented or not applicable, the share implemented (not applicable
ones left out), how many are overdue, the next deadlines, and the AI systems by EU AI Act class.`,
		Example: `  caio posture --org acme-bank
  caio posture --org acme-bank --system sys_01jd8x4m2q7v9c3k5n6p8r0s2t --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cc.run(cmd, true, func(ctx context.Context, a *app.App, out io.Writer) error {
				p, err := a.Posture(ctx, system)
				if err != nil {
					return err
				}
				if cc.format == "json" {
					return writeJSON(out, p)
				}
				return printPosture(out, p)
			})
		},
	}
	cmd.Flags().StringVar(&cc.org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&cc.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&system, "system", "", "an AI system id: its posture instead of the organisation's")
	cmd.MarkFlagRequired("org")
	return cmd
}

func percent(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
}

func printPosture(out io.Writer, p *caio.Posture) error {
	scope := "organisation"
	if p.SystemID != "" {
		scope = "AI system " + p.SystemID
	}
	fmt.Fprintf(out, "Compliance posture of the %s on %s\n\n", scope, p.Today)
	tw := newTable(out)
	fmt.Fprintln(tw, "FRAMEWORK\tNOT STARTED\tIN PROGRESS\tIMPLEMENTED\tNOT APPLICABLE\tOVERDUE\tIMPLEMENTED %")
	row := func(name string, c caio.StatusCounts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\n", name, c.NotStarted, c.InProgress, c.Implemented, c.NotApplicable, c.Overdue, percent(c.PercentImplemented))
	}
	for _, f := range p.Frameworks {
		row(f.Framework, f.StatusCounts)
	}
	row("all", p.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAI systems: %d", p.Systems)
	var classes []string
	for _, c := range p.Classes {
		classes = append(classes, fmt.Sprintf("%s %d", caio.ClassLabel(c.Class), c.Systems))
	}
	if len(classes) > 0 {
		fmt.Fprintf(out, " (%s)", strings.Join(classes, ", "))
	}
	fmt.Fprintln(out)
	if len(p.NextDeadlines) == 0 {
		fmt.Fprintln(out, "\nNo open control has a date from today on.")
		return nil
	}
	fmt.Fprintln(out, "\nNext deadlines:")
	tw = newTable(out)
	fmt.Fprintln(tw, "DUE\tCONTROL\tSYSTEM\tREQUIREMENT\tSTATUS")
	for _, k := range p.NextDeadlines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Due, k.ID, cell(k.SystemName, 30), cell(k.Framework+" "+k.ItemLabel+" "+k.ItemTitle, 60), k.Status)
	}
	return tw.Flush()
}

func newControlCmd(cfg *Config) *cobra.Command {
	cc := &complianceCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "control",
		Short: "List, show and update the controls of an organisation's AI systems",
		Long: `A control is how the organisation meets one requirement of a framework for one AI system.
Controls appear when a system is classified under the EU AI Act; people set their status
(not_started, in_progress, implemented, not_applicable with a reason), owner, dates and notes.`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&cc.org, "org", "", "slug of the organisation (required)")
	cmd.PersistentFlags().StringVar(&cc.format, "format", "text", "output format: text or json")
	cmd.MarkPersistentFlagRequired("org")
	cmd.AddCommand(cc.controlListCmd(), cc.controlShowCmd(), cc.controlUpdateCmd())
	return cmd
}

func (cc *complianceCmd) controlListCmd() *cobra.Command {
	var framework, status, system, owner, sort string
	var overdue, all bool
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List controls",
		Example: `  caio control list --org acme-bank --overdue
  caio control list --org acme-bank --framework eu-ai-act --status not_started --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cc.run(cmd, true, func(ctx context.Context, a *app.App, out io.Writer) error {
				opt := func(s string) *string {
					if s == "" {
						return nil
					}
					return &s
				}
				f := caio.ControlFilter{Framework: opt(framework), Status: opt(status), SystemID: opt(system), Owner: opt(owner),
					Overdue: overdue, All: all, Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				ks, total, err := a.FindControls(ctx, f)
				if err != nil {
					return err
				}
				if cc.format == "json" {
					return writeJSON(out, map[string]any{"total": total, "controls": ks})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tSYSTEM\tFRAMEWORK\tREQUIREMENT\tSTATUS\tDUE\tOWNER\tEVIDENCE")
				for _, k := range ks {
					due := k.Due
					if k.Overdue(todayUTC()) {
						due += " (overdue)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k.ID, cell(k.SystemName, 30), k.Framework, cell(k.ItemLabel+" "+k.ItemTitle, 50),
						k.Status, cell(due, 24), cell(k.Owner, 24), k.Evidence)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d controls\n", len(ks), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&framework, "framework", "", "only this framework: "+strings.Join(frameworkIDs(), ", "))
	f.StringVar(&status, "status", "", "only this status: "+strings.Join(caio.ControlStatuses, ", "))
	f.StringVar(&system, "system", "", "only the controls of this AI system (sys_...)")
	f.StringVar(&owner, "owner", "", "only controls with exactly this owner")
	f.BoolVar(&overdue, "overdue", false, "only open controls whose due date has passed")
	f.BoolVar(&all, "all", false, "include controls that no longer apply")
	f.StringVar(&sort, "sort", "due", "order: "+strings.Join(caio.ControlSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many controls to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func todayUTC() string { return time.Now().UTC().Format("2006-01-02") }

func frameworkIDs() []string {
	var ids []string
	for _, f := range catalog.Default().Frameworks() {
		ids = append(ids, f.ID)
	}
	return ids
}

func (cc *complianceCmd) controlShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one control with its evidence",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cc.run(cmd, true, func(ctx context.Context, a *app.App, out io.Writer) error {
				k, err := a.FindControl(ctx, args[0])
				if err != nil {
					return err
				}
				es, err := a.ControlEvidence(ctx, k.ID)
				if err != nil {
					return err
				}
				return cc.printControl(out, k, es)
			})
		},
	}
}

func (cc *complianceCmd) printControl(out io.Writer, k *caio.Control, es []*caio.Evidence) error {
	if cc.format == "json" {
		return writeJSON(out, map[string]any{"control": k, "evidence": es})
	}
	applicable := "yes"
	if !k.Applicable {
		applicable = "no longer (kept with its evidence)"
	}
	tw := newTable(out)
	for _, row := range [][2]string{
		{"id", k.ID}, {"system", k.SystemName + " (" + k.SystemID + ")"}, {"framework", k.Framework},
		{"requirement", k.ItemLabel + " " + k.ItemTitle}, {"applies", applicable}, {"status", k.Status},
		{"reason", k.Reason}, {"owner", k.Owner}, {"deadline in law", k.Deadline}, {"due date", k.DueDate},
		{"review date", k.ReviewDate}, {"notes", k.Notes}, {"version", strconv.Itoa(k.Version)}, {"updated", when(&k.UpdatedAt)},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], cell(row[1], 10000))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(es) == 0 {
		fmt.Fprintln(out, "\nNo evidence.")
		return nil
	}
	fmt.Fprintln(out, "\nEvidence:")
	tw = newTable(out)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tSHA-256\tSIZE\tADDED")
	for _, e := range es {
		size, name := "-", e.Name
		if e.Kind == caio.EvidenceFile {
			size = caio.FormatBytes(e.Size)
		} else if e.URL != e.Name {
			name += " <" + e.URL + ">"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, cell(name, 60), cell(e.SHA256, 64), size, when(&e.CreatedAt))
	}
	return tw.Flush()
}

func (cc *complianceCmd) controlUpdateCmd() *cobra.Command {
	var status, reason, owner, due, review, notes string
	var version int
	cmd := &cobra.Command{
		Use:   "update --org SLUG ID [--status S] [--reason R] [--owner O] [--due-date D] [--review-date D] [--notes N]",
		Short: "Change the fields given of a control",
		Long: `Change a control: only the fields given as flags change; an empty value clears a field.
--status not_applicable needs a --reason (or one already on the control). With --version,
the change is refused if someone changed the control since.`,
		Example: `  caio control update --org acme-bank ctl_01jd8x4m2q7v9c3k5n6p8r0s2t --status in_progress --owner "Head of HR" --due-date 2026-09-30`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cc.run(cmd, true, func(ctx context.Context, a *app.App, out io.Writer) error {
				k, err := a.FindControl(ctx, args[0])
				if err != nil {
					return err
				}
				in := caio.ControlInput{Status: k.Status, Reason: k.Reason, Owner: k.Owner, DueDate: k.DueDate, ReviewDate: k.ReviewDate, Notes: k.Notes}
				fl := cmd.Flags()
				for _, f := range []struct {
					name string
					dst  *string
					val  string
				}{{"status", &in.Status, status}, {"reason", &in.Reason, reason}, {"owner", &in.Owner, owner},
					{"due-date", &in.DueDate, due}, {"review-date", &in.ReviewDate, review}, {"notes", &in.Notes, notes}} {
					if fl.Changed(f.name) {
						*f.dst = f.val
					}
				}
				u, err := a.UpdateControl(ctx, k.ID, version, in)
				if err != nil {
					return err
				}
				if cc.format == "json" {
					return writeJSON(out, u)
				}
				fmt.Fprintf(out, "Updated control %s (%s %s for %s): %s, version %d\n", u.ID, u.Framework, u.ItemLabel, u.SystemName, u.Status, u.Version)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "one of "+strings.Join(caio.ControlStatuses, ", "))
	f.StringVar(&reason, "reason", "", "why the requirement does not apply (needed with not_applicable)")
	f.StringVar(&owner, "owner", "", "who is accountable")
	f.StringVar(&due, "due-date", "", "the organisation's own target date, YYYY-MM-DD")
	f.StringVar(&review, "review-date", "", "when to review the control, YYYY-MM-DD")
	f.StringVar(&notes, "notes", "", "free notes")
	f.IntVar(&version, "version", 0, "the version you expect; refused if the control changed since")
	return cmd
}

func newFrameworkCmd(cfg *Config) *cobra.Command {
	cc := &complianceCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "framework",
		Short: "Browse the framework catalogue",
		Long: `The catalogue is built into caio: the EU AI Act obligations, NIST AI RMF 1.0, NIST AI 600-1,
ISO/IEC 42001:2023 Annex A and OMB M-25-21, with their official identifiers, titles and summaries
in our own words, and our crosswalk between them. With --org, list marks the frameworks the
organisation follows.`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&cc.org, "org", "", "slug of an organisation, to mark the frameworks it follows")
	cmd.PersistentFlags().StringVar(&cc.format, "format", "text", "output format: text or json")
	cmd.AddCommand(cc.frameworkListCmd(), cc.frameworkShowCmd())
	return cmd
}

func (cc *complianceCmd) frameworkListCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "list [--org SLUG]",
		Short:   "List the frameworks of the catalogue",
		Example: `  caio framework list --org acme-bank`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat := catalog.Default()
			enabled := map[string]bool{}
			if cc.org != "" {
				err := cc.run(cmd, true, func(ctx context.Context, a *app.App, out io.Writer) error {
					infos, err := a.OrgFrameworks(ctx)
					for _, i := range infos {
						enabled[i.ID] = i.Enabled
					}
					return err
				})
				if err != nil {
					return err
				}
			} else if err := checkFormat(cc.format); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			type row struct {
				ID        string `json:"id"`
				Name      string `json:"name"`
				Version   string `json:"version"`
				Published string `json:"published"`
				Items     int    `json:"items"`
				Enabled   *bool  `json:"enabled,omitempty"`
			}
			var rows []row
			for _, f := range cat.Frameworks() {
				r := row{ID: f.ID, Name: f.Name, Version: f.Version, Published: f.Published, Items: len(f.Items)}
				if cc.org != "" {
					on := enabled[f.ID]
					r.Enabled = &on
				}
				rows = append(rows, r)
			}
			if cc.format == "json" {
				return writeJSON(out, map[string]any{"catalog_version": cat.Version(), "frameworks": rows})
			}
			tw := newTable(out)
			header := "ID\tNAME\tVERSION\tPUBLISHED\tITEMS"
			if cc.org != "" {
				header += "\tFOLLOWED"
			}
			fmt.Fprintln(tw, header)
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d", r.ID, cell(r.Name, 60), r.Version, r.Published, r.Items)
				if r.Enabled != nil {
					fmt.Fprintf(tw, "\t%s", map[bool]string{true: "yes", false: "no"}[*r.Enabled])
				}
				fmt.Fprintln(tw)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "Catalogue version %s. Titles and summaries are in our own words; the published texts are authoritative.\n", cat.Version())
			return nil
		},
	}
}

func (cc *complianceCmd) frameworkShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show a framework's items with their crosswalk",
		Example: `  caio framework show iso-42001`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(cc.format); err != nil {
				return err
			}
			cat := catalog.Default()
			f := cat.Framework(args[0])
			if f == nil {
				return caio.Errorf(caio.ENOTFOUND, "There is no framework %q in the catalogue; the frameworks are %s.", args[0], strings.Join(frameworkIDs(), ", "))
			}
			out := cmd.OutOrStdout()
			type item struct {
				catalog.Item
				Crosswalk []catalog.Ref `json:"crosswalk"`
			}
			items := make([]item, len(f.Items))
			for i, it := range f.Items {
				items[i] = item{Item: it, Crosswalk: cat.Crosswalk(f.ID, it.ID)}
			}
			if cc.format == "json" {
				return writeJSON(out, map[string]any{"catalog_version": cat.Version(), "framework": f, "items": items, "crosswalk_note": cat.CrosswalkNote()})
			}
			fmt.Fprintf(out, "%s\nversion %s, published %s by %s\nlicence: %s\n\n", f.Name, f.Version, f.Published, f.Publisher, f.Licence)
			tw := newTable(out)
			fmt.Fprintln(tw, "ID\tKIND\tTITLE\tRELATED")
			for _, it := range items {
				var refs []string
				for _, r := range it.Crosswalk {
					refs = append(refs, r.Framework+"/"+r.ID)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.Label, it.Kind, cell(it.Title, 60), cell(strings.Join(refs, " "), 80))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "\nCatalogue version %s. %s\n", cat.Version(), cat.CrosswalkNote())
			return nil
		},
	}
}
