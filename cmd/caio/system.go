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

// The AI inventory commands: caio system, model, dataset and vendor.

func init() {
	extraCommands = append(extraCommands, newSystemCmd, newModelCmd, newDatasetCmd, newVendorCmd)
}

// invCmd holds what every inventory subcommand shares.
type invCmd struct {
	cfg    *Config
	org    string
	format string
}

// persistent adds --org and --format to an inventory command.
func (ic *invCmd) persistent(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&ic.org, "org", "", "slug of the organisation (required)")
	cmd.PersistentFlags().StringVar(&ic.format, "format", "text", "output format: text (a table) or json")
	cmd.MarkPersistentFlagRequired("org")
}

// run opens the services, checks the format and calls fn inside the organisation.
func (ic *invCmd) run(cmd *cobra.Command, fn func(ctx context.Context, a *app.App, out io.Writer) error) error {
	if err := checkFormat(ic.format); err != nil {
		return err
	}
	ctx := cmd.Context()
	a, done, err := ic.cfg.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	octx, err := orgCtx(ctx, a, ic.org)
	if err != nil {
		return err
	}
	return fn(octx, a, cmd.OutOrStdout())
}

func (ic *invCmd) json() bool { return ic.format == "json" }

// fields prints labelled lines.
func fields(out io.Writer, rows [][2]string) error {
	tw := newTable(out)
	for _, row := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], cell(row[1], 10000))
	}
	return tw.Flush()
}

// deleteCmd is the delete subcommand of one kind of inventory object.
func (ic *invCmd) deleteCmd(what string, del func(a *app.App, ctx context.Context, id string) error) *cobra.Command {
	return &cobra.Command{
		Use:   "delete --org SLUG ID",
		Short: "Delete " + article(what) + " " + what + " and its links" + map[bool]string{true: ", classifications, controls and evidence"}[what == "AI system"],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				if err := del(a, ctx, args[0]); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"deleted": args[0]})
				}
				fmt.Fprintf(out, "Deleted %s %s.\n", what, args[0])
				return nil
			})
		},
	}
}

// --- caio system ---

func newSystemCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "system",
		Short: "Manage the AI systems of the inventory and their links",
		Long: `AI systems are the inventory's heart: what each system is for, who owns and operates it, where it
runs, its lifecycle stage, and the organisation's roles for it under the EU AI Act. A system links
to the models, datasets and vendors it is made of and to the business objectives it serves.`,
		Args: cobra.NoArgs,
	}
	ic.persistent(cmd)
	cmd.AddCommand(ic.systemList(), ic.systemShow(), ic.systemCreate(), ic.systemUpdate(),
		ic.deleteCmd("AI system", (*app.App).DeleteSystem), ic.systemLink(), ic.systemUnlink())
	return cmd
}

func (ic *invCmd) systemList() *cobra.Command {
	var query, class, stage, owner, vendor, deadline, sort string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List AI systems",
		Example: `  caio system list --org acme-bank --class high_risk --sort next_deadline
  caio system list --org acme-bank --class unclassified --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.AISystemFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Query, query}, {&f.Class, class}, {&f.Stage, stage}, {&f.Owner, owner}, {&f.Vendor, vendor}, {&f.DeadlineBefore, deadline}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				ss, total, err := a.FindSystems(ctx, f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "systems": ss})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tNAME\tSTAGE\tOWNER\tCLASS\tNEXT DEADLINE")
				for _, s := range ss {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, cell(s.Name, 48), s.Stage, cell(s.Owner, 30), caio.ClassLabel(s.Class), cell(s.NextDeadline, 10))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d AI systems\n", len(ss), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only systems whose name, intended purpose or owner contains this text")
	f.StringVar(&class, "class", "", "only systems of this EU AI Act class, or unclassified: "+strings.Join(caio.SystemClasses, ", "))
	f.StringVar(&stage, "stage", "", "only systems at this stage: "+strings.Join(caio.SystemStages, ", "))
	f.StringVar(&owner, "owner", "", "only systems with exactly this owner")
	f.StringVar(&vendor, "vendor", "", "only systems linked to this vendor id")
	f.StringVar(&deadline, "deadline-before", "", "only systems whose next deadline is on or before this date, YYYY-MM-DD")
	f.StringVar(&sort, "sort", "-created", "order: "+strings.Join(caio.SystemSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many systems to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (ic *invCmd) systemShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one AI system with its links",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				s, err := a.FindSystem(ctx, args[0])
				if err != nil {
					return err
				}
				links, err := a.FindSystemLinks(ctx, s.ID)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"system": s, "links": links})
				}
				var ls []string
				for _, l := range links {
					ls = append(ls, l.Kind+" "+l.TargetID+" ("+l.TargetName+")")
				}
				return fields(out, [][2]string{
					{"id", s.ID}, {"name", s.Name}, {"purpose", s.Purpose}, {"owner", s.Owner}, {"business unit", s.BusinessUnit},
					{"stage", s.Stage}, {"roles", strings.Join(s.Roles, ", ")}, {"countries", strings.Join(s.Countries, ", ")},
					{"users", s.Users}, {"affected", s.Affected}, {"autonomy", s.Autonomy}, {"oversight", s.Oversight},
					{"omb m-25-21", caio.OMBImpactLabel(s.OMBImpact)},
					{"class", caio.ClassLabel(s.Class)}, {"basis", s.Basis}, {"next deadline", s.NextDeadline},
					{"links", strings.Join(ls, "; ")}, {"version", strconv.Itoa(s.Version)}, {"updated", when(&s.UpdatedAt)},
					{"description", s.Description},
				})
			})
		},
	}
}

// systemFlags are the flags of every editable field of a system.
type systemFlags struct {
	in    caio.AISystemInput
	flags *pflag.FlagSet
}

func (sf *systemFlags) register(f *pflag.FlagSet) {
	sf.flags = f
	f.StringVar(&sf.in.Name, "name", "", "what people call the system (at most 200 characters)")
	f.StringVar(&sf.in.Purpose, "purpose", "", "its intended purpose")
	f.StringVar(&sf.in.Description, "description", "", "how it works")
	f.StringVar(&sf.in.Owner, "owner", "", "who is accountable for it")
	f.StringVar(&sf.in.BusinessUnit, "business-unit", "", "the business unit that runs it")
	f.StringVar(&sf.in.Stage, "stage", "", "lifecycle stage: "+strings.Join(caio.SystemStages, ", "))
	f.StringSliceVar(&sf.in.Countries, "country", nil, "where it is deployed: ISO 3166-1 alpha-2 codes, repeated or comma-separated, such as DE,FR")
	f.StringVar(&sf.in.Users, "users", "", "who operates it")
	f.StringVar(&sf.in.Affected, "affected", "", "the persons it affects")
	f.StringVar(&sf.in.Autonomy, "autonomy", "", "level of autonomy: "+strings.Join(caio.SystemAutonomyLevels, ", "))
	f.StringVar(&sf.in.Oversight, "oversight", "", "how people oversee it")
	f.StringSliceVar(&sf.in.Roles, "role", nil, "the organisation's roles under the EU AI Act, repeated or comma-separated: "+strings.Join(caio.SystemRoles, ", "))
	f.StringVar(&sf.in.OMBImpact, "omb-impact", "", "OMB M-25-21 high-impact determination: "+strings.Join(caio.OMBImpactLevels, ", ")+`, or "" for not stated`)
}

// apply copies the flags given on the command line onto in.
func (sf *systemFlags) apply(in *caio.AISystemInput) {
	set := func(name string, dst *string, v string) {
		if sf.flags.Changed(name) {
			*dst = v
		}
	}
	set("name", &in.Name, sf.in.Name)
	set("purpose", &in.Purpose, sf.in.Purpose)
	set("description", &in.Description, sf.in.Description)
	set("owner", &in.Owner, sf.in.Owner)
	set("business-unit", &in.BusinessUnit, sf.in.BusinessUnit)
	set("stage", &in.Stage, sf.in.Stage)
	set("users", &in.Users, sf.in.Users)
	set("affected", &in.Affected, sf.in.Affected)
	set("autonomy", &in.Autonomy, sf.in.Autonomy)
	set("oversight", &in.Oversight, sf.in.Oversight)
	set("omb-impact", &in.OMBImpact, sf.in.OMBImpact)
	if sf.flags.Changed("country") {
		in.Countries = sf.in.Countries
	}
	if sf.flags.Changed("role") {
		in.Roles = sf.in.Roles
	}
}

func (ic *invCmd) systemCreate() *cobra.Command {
	var sf systemFlags
	cmd := &cobra.Command{
		Use:   "create --org SLUG --name NAME --role ROLE [field flags]",
		Short: "Add an AI system to the inventory",
		Example: `  caio system create --org acme-bank --name "Claims triage" --purpose "Route incoming motor claims" \
    --owner "Head of Claims" --stage production --country DE,FR --role deployer --autonomy human_in_the_loop`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var in caio.AISystemInput
			sf.apply(&in)
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				s, err := a.CreateSystem(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, s)
				}
				fmt.Fprintf(out, "Created AI system %s: %s\n", s.ID, s.Name)
				return nil
			})
		},
	}
	sf.register(cmd.Flags())
	cmd.MarkFlagRequired("name")
	return cmd
}

func (ic *invCmd) systemUpdate() *cobra.Command {
	var sf systemFlags
	var version int
	cmd := &cobra.Command{
		Use:   "update --org SLUG ID [field flags]",
		Short: "Change the fields given of an AI system",
		Long: `Change an AI system: only the fields given as flags change; --country and --role replace the whole
list. With --version, the change is refused if someone changed the system since.`,
		Example: `  caio system update --org acme-bank sys_01jd8x4m2q7v9c3k5n6p8r0s2t --stage retired`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				s, err := a.FindSystem(ctx, args[0])
				if err != nil {
					return err
				}
				in := s.Input()
				sf.apply(&in)
				if version == 0 {
					version = s.Version
				}
				if s, err = a.UpdateSystem(ctx, s.ID, version, in); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, s)
				}
				fmt.Fprintf(out, "Updated AI system %s (now version %d).\n", s.ID, s.Version)
				return nil
			})
		},
	}
	sf.register(cmd.Flags())
	cmd.Flags().IntVar(&version, "version", 0, "the version you are changing; refuse if it is no longer current")
	return cmd
}

func (ic *invCmd) systemLink() *cobra.Command {
	return &cobra.Command{
		Use:     "link --org SLUG SYSTEM_ID KIND TARGET_ID",
		Short:   "Link an AI system to a model, dataset, vendor or objective",
		Example: `  caio system link --org acme-bank sys_01jd8x4m2q7v9c3k5n6p8r0s2t vendor vnd_01jd8x5a7c9e1g3j5l7n9q1s3u`,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				l, err := a.LinkSystem(ctx, args[0], args[1], args[2])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, l)
				}
				fmt.Fprintf(out, "Linked %s to %s %s (%s).\n", l.SystemID, l.Kind, l.TargetID, l.TargetName)
				return nil
			})
		},
	}
}

func (ic *invCmd) systemUnlink() *cobra.Command {
	return &cobra.Command{
		Use:   "unlink --org SLUG SYSTEM_ID KIND TARGET_ID",
		Short: "Remove a link of an AI system",
		Args:  cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				if err := a.UnlinkSystem(ctx, args[0], args[1], args[2]); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"unlinked": map[string]string{"system_id": args[0], "kind": args[1], "target_id": args[2]}})
				}
				fmt.Fprintf(out, "Unlinked %s from %s %s.\n", args[0], args[1], args[2])
				return nil
			})
		},
	}
}

// listFlags are the flags of the model, dataset and vendor lists.
type listFlags struct {
	query, sort   string
	limit, offset int
}

func (lf *listFlags) register(f *pflag.FlagSet) {
	f.StringVar(&lf.query, "query", "", "only those whose name contains this text")
	f.StringVar(&lf.sort, "sort", "name", "order: "+strings.Join(caio.InventorySorts, ", "))
	f.IntVar(&lf.limit, "limit", caio.DefaultPageLimit, "how many to show (at most 500)")
	f.IntVar(&lf.offset, "offset", 0, "how many to skip")
}

func (lf *listFlags) filter() caio.InventoryFilter {
	f := caio.InventoryFilter{Sort: lf.sort, Page: caio.Page{Limit: lf.limit, Offset: lf.offset}}
	if q := strings.TrimSpace(lf.query); q != "" {
		f.Query = &q
	}
	return f
}

// --- caio model ---

func newModelCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{Use: "model", Short: "Manage the AI models of the inventory", Args: cobra.NoArgs}
	ic.persistent(cmd)
	var lf listFlags
	var kind string
	list := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List AI models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := lf.filter()
				if kind != "" {
					f.Kind = &kind
				}
				ms, total, err := a.FindModels(ctx, f)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "models": ms})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tNAME\tPROVIDER\tVERSION\tKIND\tLICENCE")
				for _, m := range ms {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, cell(m.Name, 40), cell(m.Provider, 24), cell(m.ModelVersion, 16), m.Kind, cell(m.Licence, 20))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d models\n", len(ms), total)
				return nil
			})
		},
	}
	lf.register(list.Flags())
	list.Flags().StringVar(&kind, "kind", "", "only models of this kind: "+strings.Join(caio.ModelKinds, ", "))

	var in caio.AIModelInput
	create := &cobra.Command{
		Use:     "create --org SLUG --name NAME --kind KIND [flags]",
		Short:   "Add an AI model",
		Example: `  caio model create --org acme-bank --name "GPT-4.1" --provider OpenAI --kind llm --model-version 2025-04-14`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				m, err := a.CreateModel(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, m)
				}
				fmt.Fprintf(out, "Created model %s: %s\n", m.ID, m.Name)
				return nil
			})
		},
	}
	bindModel(create.Flags(), &in)
	create.MarkFlagRequired("name")

	show := &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one AI model",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				m, err := a.FindModel(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, m)
				}
				return fields(out, [][2]string{{"id", m.ID}, {"name", m.Name}, {"provider", m.Provider}, {"model version", m.ModelVersion},
					{"kind", m.Kind}, {"licence", m.Licence}, {"version", strconv.Itoa(m.Version)}, {"description", m.Description}})
			})
		},
	}
	update := updateCmd(ic, "model", bindModel, (*app.App).FindModel, func(x *caio.AIModel) int { return x.Version }, (*app.App).UpdateModel)
	cmd.AddCommand(list, create, show, update, ic.deleteCmd("model", (*app.App).DeleteModel))
	return cmd
}

// --- caio dataset ---

func newDatasetCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{Use: "dataset", Short: "Manage the datasets of the inventory", Args: cobra.NoArgs}
	ic.persistent(cmd)
	var lf listFlags
	list := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List datasets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				ds, total, err := a.FindDatasets(ctx, lf.filter())
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "datasets": ds})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tNAME\tSOURCE\tPERSONAL DATA\tSPECIAL CATEGORIES")
				for _, d := range ds {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, cell(d.Name, 40), cell(d.Source, 30), yesNo(d.PersonalData), cell(strings.Join(d.SpecialCategories, ", "), 40))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d datasets\n", len(ds), total)
				return nil
			})
		},
	}
	lf.register(list.Flags())

	var in caio.DatasetInput
	create := &cobra.Command{
		Use:     "create --org SLUG --name NAME [flags]",
		Short:   "Add a dataset",
		Example: `  caio dataset create --org acme-bank --name "Motor claims 2019-2024" --source "Claims system" --personal-data --special-category health`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				d, err := a.CreateDataset(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, d)
				}
				fmt.Fprintf(out, "Created dataset %s: %s\n", d.ID, d.Name)
				return nil
			})
		},
	}
	f := create.Flags()
	bindDataset(f, &in)
	create.MarkFlagRequired("name")

	show := &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one dataset",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				d, err := a.FindDataset(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, d)
				}
				return fields(out, [][2]string{{"id", d.ID}, {"name", d.Name}, {"source", d.Source}, {"personal data", yesNo(d.PersonalData)},
					{"special categories", strings.Join(d.SpecialCategories, ", ")}, {"version", strconv.Itoa(d.Version)}, {"description", d.Description}})
			})
		},
	}
	update := updateCmd(ic, "dataset", bindDataset, (*app.App).FindDataset, func(x *caio.Dataset) int { return x.Version }, (*app.App).UpdateDataset)
	cmd.AddCommand(list, create, show, update, ic.deleteCmd("dataset", (*app.App).DeleteDataset))
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// --- caio vendor ---

func newVendorCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{Use: "vendor", Short: "Manage the vendors of the inventory", Args: cobra.NoArgs}
	ic.persistent(cmd)
	var lf listFlags
	list := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List vendors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				vs, total, err := a.FindVendors(ctx, lf.filter())
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"total": total, "vendors": vs})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tNAME\tCOUNTRY\tWEBSITE\tCONTACT")
				for _, v := range vs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.ID, cell(v.Name, 40), cell(v.Country, 2), cell(v.Website, 40), cell(v.Contact, 30))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d vendors\n", len(vs), total)
				return nil
			})
		},
	}
	lf.register(list.Flags())

	var in caio.VendorInput
	create := &cobra.Command{
		Use:     "create --org SLUG --name NAME [flags]",
		Short:   "Add a vendor",
		Example: `  caio vendor create --org acme-bank --name TalentSoft --website https://talentsoft.example --country NL`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				v, err := a.CreateVendor(ctx, in)
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, v)
				}
				fmt.Fprintf(out, "Created vendor %s: %s\n", v.ID, v.Name)
				return nil
			})
		},
	}
	f := create.Flags()
	bindVendor(f, &in)
	create.MarkFlagRequired("name")

	show := &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one vendor",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				v, err := a.FindVendor(ctx, args[0])
				if err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, v)
				}
				return fields(out, [][2]string{{"id", v.ID}, {"name", v.Name}, {"country", v.Country}, {"website", v.Website},
					{"contact", v.Contact}, {"version", strconv.Itoa(v.Version)}, {"description", v.Description}})
			})
		},
	}
	update := updateCmd(ic, "vendor", bindVendor, (*app.App).FindVendor, func(x *caio.Vendor) int { return x.Version }, (*app.App).UpdateVendor)
	cmd.AddCommand(list, create, show, update, ic.deleteCmd("vendor", (*app.App).DeleteVendor))
	return cmd
}

// article is "a" or "an" for a noun.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("AEIOUaeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

func bindModel(f *pflag.FlagSet, in *caio.AIModelInput) {
	f.StringVar(&in.Name, "name", "", "the model's name")
	f.StringVar(&in.Provider, "provider", "", "who made it")
	f.StringVar(&in.ModelVersion, "model-version", "", "the model's own version")
	f.StringVar(&in.Kind, "kind", "", "kind: "+strings.Join(caio.ModelKinds, ", "))
	f.StringVar(&in.Licence, "licence", "", "its licence, such as Apache-2.0")
	f.StringVar(&in.Description, "description", "", "what it does")
}

func bindDataset(f *pflag.FlagSet, in *caio.DatasetInput) {
	f.StringVar(&in.Name, "name", "", "the dataset's name")
	f.StringVar(&in.Source, "source", "", "where the data comes from")
	f.StringVar(&in.Description, "description", "", "what it holds")
	f.BoolVar(&in.PersonalData, "personal-data", false, "it holds personal data")
	f.StringSliceVar(&in.SpecialCategories, "special-category", nil, "special categories of personal data (GDPR Art 9), repeated or comma-separated: "+strings.Join(caio.SpecialCategories, ", "))
}

func bindVendor(f *pflag.FlagSet, in *caio.VendorInput) {
	f.StringVar(&in.Name, "name", "", "the vendor's name, unique in the organisation")
	f.StringVar(&in.Website, "website", "", "its website, https://...")
	f.StringVar(&in.Contact, "contact", "", "a contact person or address")
	f.StringVar(&in.Country, "country", "", "where it is established: an ISO 3166-1 alpha-2 code")
	f.StringVar(&in.Description, "description", "", "what it supplies")
}

// updateCmd is the update subcommand of models, datasets and vendors: the
// flags are those of create, and only the flags given change the object,
// which is stored at the version read.
func updateCmd[T interface{ Input() I }, I any](ic *invCmd, what string, bind func(*pflag.FlagSet, *I),
	find func(*app.App, context.Context, string) (T, error), version func(T) int,
	update func(*app.App, context.Context, string, int, I) (T, error)) *cobra.Command {
	var scratch I
	cmd := &cobra.Command{
		Use:   "update --org SLUG ID [field flags]",
		Short: "Change the fields given of " + article(what) + " " + what,
		Args:  cobra.ExactArgs(1),
	}
	bind(cmd.Flags(), &scratch)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
			obj, err := find(a, ctx, args[0])
			if err != nil {
				return err
			}
			in := obj.Input()
			// Replay the flags given onto the stored fields: binding writes
			// each flag's default into in, so the stored fields are put back
			// before the changed flags are set again.
			fs := pflag.NewFlagSet(what, pflag.ContinueOnError)
			stored := in
			bind(fs, &in)
			in = stored
			cmd.Flags().Visit(func(fl *pflag.Flag) {
				if fs.Lookup(fl.Name) == nil || err != nil {
					return
				}
				v := fl.Value.String()
				if sv, ok := fl.Value.(pflag.SliceValue); ok {
					v = strings.Join(sv.GetSlice(), ",")
				}
				err = fs.Set(fl.Name, v)
			})
			if err != nil {
				return err
			}
			if obj, err = update(a, ctx, args[0], version(obj), in); err != nil {
				return err
			}
			if ic.json() {
				return writeJSON(out, obj)
			}
			fmt.Fprintf(out, "Updated %s %s (now version %d).\n", what, args[0], version(obj))
			return nil
		})
	}
	return cmd
}
