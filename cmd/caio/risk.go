package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The risk register commands: caio risk list, show, create, update and delete.

func init() {
	extraCommands = append(extraCommands, newRiskCmd)
}

func newRiskCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "Manage the risk register",
		Long: `The risk register lists what could go wrong with the organisation's AI. Each risk is scored
likelihood × impact (1 to the organisation's scale, 5 unless changed) before treatment and, once
assessed, after it; a risk whose residual score (or inherent score, before a residual one) is above
the organisation's appetite is flagged. A risk takes its category from a risk library, such as
owasp-llm:LLM01, mit:2.1, nist-600-1:GAI-2 or atlas:AML.TA0001, and links to the AI systems, use
cases and vendors it concerns.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.riskList(), ic.riskShow(), ic.riskCreate(), ic.riskUpdate(), ic.riskDelete())
	return cmd
}

func (ic *invCmd) riskList() *cobra.Command {
	var query, status, library, owner, system, sort string
	var breach, overdue bool
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List risks, highest score first",
		Example: `  caio risk list --org acme-bank --breach
  caio risk list --org acme-bank --library owasp-llm --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.RiskFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Query, query}, {&f.Status, status}, {&f.Library, library}, {&f.Owner, owner}, {&f.System, system}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				if breach {
					f.Breach = &breach
				}
				if overdue {
					f.Overdue = &overdue
				}
				rs, total, err := a.FindRisks(ctx, f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "risks": rs})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tTITLE\tCATEGORY\tINHERENT\tRESIDUAL\tSTATUS\tOWNER\tFLAGS")
				for _, r := range rs {
					var flags []string
					if r.Breach {
						flags = append(flags, "above appetite")
					}
					if r.Overdue {
						flags = append(flags, "review overdue")
					}
					residual := "-"
					if r.ResidualScore > 0 {
						residual = strconv.Itoa(r.ResidualScore)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.ID, cell(r.Title, 48), cell(r.Category, 24), r.InherentScore, residual,
						r.Status, cell(r.Owner, 30), strings.Join(flags, ", "))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d risks\n", len(rs), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only risks whose title, description or owner contains this text")
	f.StringVar(&status, "status", "", "only risks of this status: "+strings.Join(caio.RiskStatuses, ", "))
	f.StringVar(&library, "library", "", "only risks categorised in this library: owasp-llm, mit, nist-600-1, atlas")
	f.StringVar(&owner, "owner", "", "only risks with exactly this owner")
	f.StringVar(&system, "system", "", "only risks linked to this AI system id")
	f.BoolVar(&breach, "breach", false, "only risks above the organisation's appetite")
	f.BoolVar(&overdue, "overdue", false, "only risks whose review date has passed")
	f.StringVar(&sort, "sort", "-score", "order: "+strings.Join(caio.RiskSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many risks to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) riskShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one risk with its links and treatments",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, err := a.FindRisk(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, r)
				}
				var ls, ts []string
				for _, l := range r.Links {
					ls = append(ls, l.Kind+" "+l.TargetID+" ("+l.TargetName+")")
				}
				for _, t := range r.Treatments {
					s := t.ID + " [" + t.Status + "] " + t.Description
					if t.ControlID != "" {
						s += " (control " + t.ControlID + ")"
					}
					ts = append(ts, s)
				}
				residual := "not assessed"
				if r.ResidualScore > 0 {
					residual = fmt.Sprintf("%d (%d × %d)", r.ResidualScore, r.ResidualLikelihood, r.ResidualImpact)
				}
				return fields(out, [][2]string{
					{"id", r.ID}, {"title", r.Title}, {"category", r.Category}, {"status", r.Status}, {"owner", r.Owner},
					{"inherent", fmt.Sprintf("%d (%d × %d)", r.InherentScore, r.Likelihood, r.Impact)}, {"residual", residual},
					{"above appetite", strconv.FormatBool(r.Breach)}, {"review date", r.ReviewDate}, {"review overdue", strconv.FormatBool(r.Overdue)},
					{"links", strings.Join(ls, "; ")}, {"treatments", strings.Join(ts, "; ")},
					{"version", strconv.Itoa(r.Version)}, {"updated", when(&r.UpdatedAt)}, {"description", r.Description},
				})
			})
		},
	}
}

// riskFlags are the flags of every editable field of a risk.
type riskFlags struct {
	in    caio.RiskInput
	flags *pflag.FlagSet
}

func (rf *riskFlags) register(f *pflag.FlagSet) {
	rf.flags = f
	f.StringVar(&rf.in.Title, "title", "", "the risk in a few words (at most 200 characters)")
	f.StringVar(&rf.in.Description, "description", "", "cause, event and consequence")
	f.StringVar(&rf.in.Category, "category", "", "a risk library item, such as owasp-llm:LLM01, mit:2.1, nist-600-1:GAI-2, atlas:AML.TA0001")
	f.IntVar(&rf.in.Likelihood, "likelihood", 0, "inherent likelihood, 1 to the scale")
	f.IntVar(&rf.in.Impact, "impact", 0, "inherent impact, 1 to the scale")
	f.IntVar(&rf.in.ResidualLikelihood, "residual-likelihood", 0, "likelihood after treatment; 0 with --residual-impact 0 for not assessed")
	f.IntVar(&rf.in.ResidualImpact, "residual-impact", 0, "impact after treatment")
	f.StringVar(&rf.in.Owner, "owner", "", "who is accountable for the risk")
	f.StringVar(&rf.in.Status, "status", "", "status: "+strings.Join(caio.RiskStatuses, ", "))
	f.StringVar(&rf.in.ReviewDate, "review-date", "", "next review, YYYY-MM-DD")
	f.StringSliceVar(&rf.in.Systems, "system", nil, "AI system ids it concerns, repeated or comma-separated")
	f.StringSliceVar(&rf.in.UseCases, "use-case", nil, "use case ids it concerns")
	f.StringSliceVar(&rf.in.Vendors, "vendor", nil, "vendor ids it concerns")
}

// apply copies the flags given on the command line onto in.
func (rf *riskFlags) apply(in *caio.RiskInput) {
	for name, p := range map[string][2]*string{"title": {&in.Title, &rf.in.Title}, "description": {&in.Description, &rf.in.Description},
		"category": {&in.Category, &rf.in.Category}, "owner": {&in.Owner, &rf.in.Owner}, "status": {&in.Status, &rf.in.Status},
		"review-date": {&in.ReviewDate, &rf.in.ReviewDate}} {
		if rf.flags.Changed(name) {
			*p[0] = *p[1]
		}
	}
	for name, p := range map[string][2]*int{"likelihood": {&in.Likelihood, &rf.in.Likelihood}, "impact": {&in.Impact, &rf.in.Impact},
		"residual-likelihood": {&in.ResidualLikelihood, &rf.in.ResidualLikelihood}, "residual-impact": {&in.ResidualImpact, &rf.in.ResidualImpact}} {
		if rf.flags.Changed(name) {
			*p[0] = *p[1]
		}
	}
	for name, p := range map[string][2]*[]string{"system": {&in.Systems, &rf.in.Systems}, "use-case": {&in.UseCases, &rf.in.UseCases},
		"vendor": {&in.Vendors, &rf.in.Vendors}} {
		if rf.flags.Changed(name) {
			*p[0] = *p[1]
		}
	}
}

func (ic *invCmd) riskCreate() *cobra.Command {
	var rf riskFlags
	cmd := &cobra.Command{
		Use:   "create --org SLUG --title TITLE --likelihood N --impact N [field flags]",
		Short: "Add a risk to the register",
		Example: `  caio risk create --org acme-bank --title "Chatbot follows injected instructions" \
    --category owasp-llm:LLM01 --likelihood 4 --impact 4 --owner "CISO" --system sys_...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var in caio.RiskInput
			rf.apply(&in)
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, err := a.CreateRisk(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, r)
				}
				fmt.Fprintf(out, "Created risk %s: %s (score %d%s)\n", r.ID, r.Title, r.Score, map[bool]string{true: ", above appetite"}[r.Breach])
				return nil
			})
		},
	}
	rf.register(cmd.Flags())
	return cmd
}

func (ic *invCmd) riskUpdate() *cobra.Command {
	var rf riskFlags
	cmd := &cobra.Command{
		Use:     "update --org SLUG ID [field flags]",
		Short:   "Change the fields given of a risk; the others stay as they are",
		Example: `  caio risk update --org acme-bank rsk_... --residual-likelihood 2 --residual-impact 3 --status treating`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				r, err := a.FindRisk(ctx, args[0])
				if err != nil {
					return err
				}
				in := r.Input()
				rf.apply(&in)
				if r, err = a.UpdateRisk(ctx, r.ID, r.Version, in); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, r)
				}
				fmt.Fprintf(out, "Updated risk %s: %s (version %d, score %d%s)\n", r.ID, r.Title, r.Version, r.Score, map[bool]string{true: ", above appetite"}[r.Breach])
				return nil
			})
		},
	}
	rf.register(cmd.Flags())
	return cmd
}

func (ic *invCmd) riskDelete() *cobra.Command {
	return &cobra.Command{
		Use:   "delete --org SLUG ID",
		Short: "Delete a risk with its links and treatments",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				if err := a.DeleteRisk(ctx, args[0]); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"deleted": args[0]})
				}
				fmt.Fprintf(out, "Deleted risk %s.\n", args[0])
				return nil
			})
		},
	}
}
