package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/api"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The use-case commands: caio usecase and caio approval. They act as the
// system in the organisation named by --org, as every local command does.

func init() { extraCommands = append(extraCommands, newUseCaseCmd, newApprovalCmd) }

// portfolioCmd holds what the use-case, approval and portfolio commands share.
type portfolioCmd struct {
	cfg    *Config
	org    string
	format string
}

// persistent adds --org and --format to a command and its subcommands.
func (pc *portfolioCmd) persistent(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&pc.org, "org", "", "slug of the organisation (required)")
	cmd.PersistentFlags().StringVar(&pc.format, "format", "text", "output format: text (a table; also \"table\") or json")
	cmd.MarkPersistentFlagRequired("org")
}

// run opens the services, checks the format and calls fn inside the organisation.
func (pc *portfolioCmd) run(cmd *cobra.Command, fn func(ctx context.Context, a *app.App, out io.Writer) error) error {
	if err := checkFormat(pc.format); err != nil {
		return err
	}
	ctx := cmd.Context()
	a, done, err := pc.cfg.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	octx, err := orgCtx(ctx, a, pc.org)
	if err != nil {
		return err
	}
	return fn(octx, a, cmd.OutOrStdout())
}

func (pc *portfolioCmd) json() bool { return pc.format == "json" }

// readDocument reads a YAML or JSON file ("-" for standard input) into v,
// strictly: a field v does not have is an error naming it. YAML is turned
// into JSON first, so v's JSON names are the names in the file. Aliases are
// refused, since the decoder expands them without limit, and a decoder
// panic on malformed input is reported as bad input.
func readDocument(cmd *cobra.Command, path string, v any) (err error) {
	var b []byte
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return err
	}
	name := path
	if path == "-" {
		name = "standard input"
	}
	js, err := yamlToJSON(b)
	if err != nil {
		return caio.Errorf(caio.EINVALID, "%s could not be read as YAML or JSON: %s", name, err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return caio.FieldError(typeErr.Field, "must be "+article(typeErr.Type.String())+" "+typeErr.Type.String()+", not "+typeErr.Value)
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f, _ = strconv.Unquote(f)
			return caio.FieldError(f, "is not a field here; check its spelling")
		}
		return caio.Errorf(caio.EINVALID, "%s could not be read: %s", name, err.Error())
	}
	return nil
}

func yamlToJSON(b []byte) (out []byte, err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("the document is malformed")
		}
	}()
	for _, tk := range lexer.Tokenize(string(b)) {
		if tk.Type == token.AliasType {
			return nil, errors.New("aliases (*name) are not allowed")
		}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return []byte("{}"), nil
	}
	out, err = yaml.YAMLToJSON(b)
	if err != nil {
		return nil, errors.New(strings.TrimSpace(strings.SplitN(yaml.FormatError(err, false, false), "\n", 2)[0]))
	}
	return out, nil
}

// scored is a use case with its score, shaped as the API sends it.
func scored(s *app.ScoredUseCase) api.UseCaseOut {
	return api.UseCaseOut{UseCase: s.UseCase, Score: api.UseCaseScore{Score: s.Score, Rank: s.Rank}}
}

// score writes a score as a short number, or "-" when the use case is not rated.
func score(x float64, rated bool) string {
	if !rated {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

// optional writes a number that may be missing.
func optional(x *float64) string {
	if x == nil {
		return "-"
	}
	return strconv.FormatFloat(*x, 'f', 1, 64)
}

func newUseCaseCmd(cfg *Config) *cobra.Command {
	pc := &portfolioCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "usecase",
		Short: "Manage AI use cases: canvas, ratings, stage gates",
		Long: `A use case is an idea for using AI, from intake to retirement: the canvas that describes it, the
team's ratings that score it, and its stage in the lifecycle. Moving between stages passes a gate
whose criteria are checked; some gates need approval (see caio approval).`,
		Args: cobra.NoArgs,
	}
	pc.persistent(cmd)
	cmd.AddCommand(pc.useCaseList(), pc.useCaseShow(), pc.useCaseCreate(), pc.useCaseUpdate(), pc.useCaseDelete(),
		pc.useCaseRate(), pc.useCaseStage(), pc.useCaseTriage())
	return cmd
}

func (pc *portfolioCmd) useCaseList() *cobra.Command {
	var query, stage, intake, approach, owner, objective, system, sort string
	var limit, offset int
	cmd := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List use cases with their scores",
		Example: `  caio usecase list --org acme-bank
  caio usecase list --org acme-bank --stage pilot --sort -updated --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.UseCaseFilter{Sort: sort, Page: caio.Page{Limit: limit, Offset: offset}}
				for _, p := range []struct {
					dst **string
					v   string
				}{{&f.Query, query}, {&f.Stage, stage}, {&f.Intake, intake}, {&f.Approach, approach}, {&f.Owner, owner},
					{&f.ObjectiveID, objective}, {&f.SystemID, system}} {
					if v := strings.TrimSpace(p.v); v != "" {
						*p.dst = &v
					}
				}
				us, total, err := a.FindUseCases(ctx, f)
				if err != nil {
					return err
				}
				if pc.json() {
					items := make([]api.UseCaseOut, len(us))
					for i := range us {
						items[i] = scored(&us[i])
					}
					return writeJSON(out, map[string]any{"total": total, "use_cases": items})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "RANK\tID\tTITLE\tSTAGE\tPRIORITY\tQUADRANT\tOWNER")
				for _, u := range us {
					rank := "-"
					if u.Rank > 0 {
						rank = strconv.Itoa(u.Rank)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rank, u.ID, cell(u.Title, 48), portfolio.StageLabel(u.Stage),
						score(u.Score.Priority, u.Score.Rated), cell(portfolio.QuadrantLabel(u.Score.Quadrant), 20), cell(u.Owner, 30))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d use cases\n", len(us), total)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&query, "query", "", "only use cases whose title, problem or owner contains this text")
	f.StringVar(&stage, "stage", "", "only use cases at this stage")
	f.StringVar(&intake, "intake", "", "only use cases in this triage state: submitted, accepted, merged or rejected")
	f.StringVar(&approach, "approach", "", "only use cases with this approach: "+strings.Join(caio.UseCaseApproaches, ", "))
	f.StringVar(&owner, "owner", "", "only use cases with exactly this owner")
	f.StringVar(&objective, "objective", "", "only use cases linked to this objective id")
	f.StringVar(&system, "system", "", "only use cases linked to this AI system id")
	f.StringVar(&sort, "sort", "priority", "order: "+strings.Join(caio.UseCaseSorts, ", "))
	f.IntVar(&limit, "limit", caio.DefaultPageLimit, "how many use cases to show (at most 500)")
	f.IntVar(&offset, "offset", 0, "how many to skip")
	return cmd
}

func (pc *portfolioCmd) useCaseShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show --org SLUG ID",
		Short: "Show one use case with its score and stage history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				u, err := a.FindUseCase(ctx, args[0])
				if err != nil {
					return err
				}
				history, err := a.StageHistory(ctx, u.ID)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, map[string]any{"use_case": scored(u), "history": history})
				}
				s := u.Score
				roadmap := "-"
				if u.Roadmap.Start != "" {
					roadmap = fmt.Sprintf("%s to %s, %g people, budget %s per quarter", u.Roadmap.Start, u.Roadmap.End, u.Roadmap.People, amount(u.Roadmap.Budget))
				}
				if err := fields(out, [][2]string{
					{"id", u.ID}, {"title", u.Title}, {"stage", portfolio.StageLabel(u.Stage)}, {"intake", u.Intake},
					{"owner", u.Owner}, {"sponsor", u.Sponsor}, {"problem", u.Problem}, {"process", u.Process},
					{"approach", u.Approach}, {"sourcing", u.Sourcing}, {"data needed", u.DataNeeded},
					{"objectives", strings.Join(u.ObjectiveIDs, ", ")}, {"AI systems", strings.Join(u.SystemIDs, ", ")},
					{"priority", score(s.Priority, s.Rated)}, {"value", score(s.Value, s.Rated)}, {"feasibility", score(s.Feasibility, s.Rated)},
					{"risk", score(s.Risk, true)}, {"quadrant", portfolio.QuadrantLabel(s.Quadrant)}, {"RICE", optional(s.RICE)}, {"WSJF", optional(s.WSJF)},
					{"business case", yesNo(u.HasBusinessCase)}, {"roadmap", roadmap}, {"depends on", strings.Join(u.DependsOn, ", ")},
					{"version", strconv.Itoa(u.Version)}, {"updated", when(&u.UpdatedAt)},
				}); err != nil {
					return err
				}
				for _, r := range s.Reasons {
					fmt.Fprintf(out, "  - %s\n", r)
				}
				fmt.Fprintln(out, "\nStage history:")
				tw := newTable(out)
				fmt.Fprintln(tw, "  FROM\tTO\tAT\tREASON\tAPPROVAL")
				for _, h := range history {
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", dash(portfolio.StageLabel(h.From)), portfolio.StageLabel(h.To), when(&h.At), cell(h.Reason, 50), dash(h.ApprovalID))
				}
				return tw.Flush()
			})
		},
	}
}

// useCaseFlags are the flags of every field of a use case's canvas and links.
type useCaseFlags struct {
	in    caio.UseCaseInput
	file  string
	flags *pflag.FlagSet
}

// textFlags maps each text flag to its field.
func (uf *useCaseFlags) textFlags(in *caio.UseCaseInput) map[string]*string {
	c := &in.UseCaseCanvas
	return map[string]*string{"title": &c.Title, "problem": &c.Problem, "process": &c.Process, "users": &c.Users,
		"volume": &c.Volume, "data-needed": &c.DataNeeded, "data-available": &c.DataAvailable, "approach": &c.Approach,
		"sourcing": &c.Sourcing, "benefits": &c.Benefits, "costs": &c.Costs, "risks": &c.Risks,
		"dependencies": &c.Dependencies, "owner": &c.Owner, "sponsor": &c.Sponsor}
}

func (uf *useCaseFlags) register(f *pflag.FlagSet) {
	uf.flags = f
	help := map[string]string{"title": "short name of the use case", "problem": "the problem it solves, for whom",
		"process": "the business process it changes", "users": "who would use it", "volume": "how often the process runs",
		"data-needed": "the data it needs", "data-available": "which of that data exists today",
		"approach": "kind of AI: " + strings.Join(caio.UseCaseApproaches, ", "), "sourcing": "build, buy or partner",
		"benefits": "the benefits expected, in words", "costs": "the costs expected, in words", "risks": "the risks seen",
		"dependencies": "what it depends on", "owner": "the accountable owner", "sponsor": "the business sponsor"}
	for name, dst := range uf.textFlags(&uf.in) {
		f.StringVar(dst, name, "", help[name])
	}
	f.StringSliceVar(&uf.in.ObjectiveIDs, "objective", nil, "linked business objective ids, repeated or comma-separated")
	f.StringSliceVar(&uf.in.SystemIDs, "system", nil, "linked AI system ids, repeated or comma-separated")
	f.StringVar(&uf.file, "file", "", "read the canvas from a YAML or JSON file (- for standard input); flags given override it")
}

// apply fills in from the file, if any, then from the flags given.
func (uf *useCaseFlags) apply(cmd *cobra.Command, in *caio.UseCaseInput) error {
	if uf.file != "" {
		var fromFile caio.UseCaseInput
		if err := readDocument(cmd, uf.file, &fromFile); err != nil {
			return err
		}
		*in = fromFile
	}
	for name, dst := range uf.textFlags(in) {
		if uf.flags.Changed(name) {
			*dst = *uf.textFlags(&uf.in)[name]
		}
	}
	if uf.flags.Changed("objective") {
		in.ObjectiveIDs = uf.in.ObjectiveIDs
	}
	if uf.flags.Changed("system") {
		in.SystemIDs = uf.in.SystemIDs
	}
	return nil
}

func (pc *portfolioCmd) useCaseCreate() *cobra.Command {
	var uf useCaseFlags
	cmd := &cobra.Command{
		Use:   "create --org SLUG (--title TITLE [field flags] | --file FILE)",
		Short: "Propose a use case (accepted at once, at the idea stage)",
		Example: `  caio usecase create --org acme-bank --title "Claims triage assistant" --owner "Head of Claims" \
    --sponsor COO --problem "Simple claims wait days for a first look" --objective obj_...
  caio usecase create --org acme-bank --file canvas.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var in caio.UseCaseInput
			if err := uf.apply(cmd, &in); err != nil {
				return err
			}
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				u, err := a.CreateUseCase(ctx, in)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, u)
				}
				fmt.Fprintf(out, "Created use case %s: %s\n", u.ID, u.Title)
				return nil
			})
		},
	}
	uf.register(cmd.Flags())
	return cmd
}

func (pc *portfolioCmd) useCaseUpdate() *cobra.Command {
	var uf useCaseFlags
	var version int
	cmd := &cobra.Command{
		Use:   "update --org SLUG ID [field flags | --file FILE]",
		Short: "Change the canvas or links of a use case",
		Long: `Change a use case: only the fields given as flags change; --objective and --system replace the whole
list. --file replaces the whole canvas and links with the file's (flags given still override it).
With --version, the change is refused if someone changed the use case since.`,
		Example: `  caio usecase update --org acme-bank uc_... --owner "Claims operations lead"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				cur, err := a.FindUseCase(ctx, args[0])
				if err != nil {
					return err
				}
				in := cur.Input()
				if err := uf.apply(cmd, &in); err != nil {
					return err
				}
				if version == 0 {
					version = cur.Version
				}
				u, err := a.UpdateUseCase(ctx, cur.ID, version, in)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, u)
				}
				fmt.Fprintf(out, "Updated use case %s (now version %d).\n", u.ID, u.Version)
				return nil
			})
		},
	}
	uf.register(cmd.Flags())
	cmd.Flags().IntVar(&version, "version", 0, "the version you are changing; refuse if it is no longer current")
	return cmd
}

func (pc *portfolioCmd) useCaseDelete() *cobra.Command {
	return &cobra.Command{
		Use:   "delete --org SLUG ID",
		Short: "Delete a use case with its business case, KPIs and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				if err := a.DeleteUseCase(ctx, args[0]); err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, map[string]any{"deleted": args[0]})
				}
				fmt.Fprintf(out, "Deleted use case %s.\n", args[0])
				return nil
			})
		},
	}
}

func (pc *portfolioCmd) useCaseRate() *cobra.Command {
	var file string
	var version int
	cmd := &cobra.Command{
		Use:   "rate --org SLUG ID --file FILE",
		Short: "Set the team's ratings of a use case from a YAML or JSON file",
		Long: `The file holds the ratings by their JSON names: objective_fit, strategic_fit, people_affected,
urgency, data_readiness, complexity, skills and integration on 1-5 (0 or left out: not rated; complexity
5 is the most complex); reach, impact, confidence and effort for RICE; business_value,
time_criticality, risk_reduction and job_size for WSJF. Every rating is replaced.`,
		Example: `  caio usecase rate --org acme-bank uc_... --file ratings.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r caio.UseCaseRatings
			if err := readDocument(cmd, file, &r); err != nil {
				return err
			}
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				u, err := a.RateUseCase(ctx, args[0], version, r)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, scored(u))
				}
				s := u.Score
				fmt.Fprintf(out, "Rated use case %s: priority %s, value %s, feasibility %s, risk %s, %s.\n", u.ID,
					score(s.Priority, s.Rated), score(s.Value, s.Rated), score(s.Feasibility, s.Rated), score(s.Risk, true), portfolio.QuadrantLabel(s.Quadrant))
				for _, reason := range s.Reasons {
					fmt.Fprintf(out, "  - %s\n", reason)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "YAML or JSON file of the ratings (- for standard input)")
	cmd.Flags().IntVar(&version, "version", 0, "the version you rated; refuse if the use case changed since")
	cmd.MarkFlagRequired("file")
	return cmd
}

func (pc *portfolioCmd) useCaseStage() *cobra.Command {
	var to, reason string
	var check bool
	cmd := &cobra.Command{
		Use:   "stage --org SLUG ID --to STAGE [--reason R]",
		Short: "Move a use case to another stage through its gate, or ask for approval",
		Long: `Stage checks the gate from the use case's stage to --to and prints each criterion, met or not.
When all are met the use case moves, or, if the gate needs approval, an approval request is opened
(decide it with caio approval decide). When a criterion is not met nothing changes and the exit
code is 1. --check only prints the criteria.`,
		Example: `  caio usecase stage --org acme-bank uc_... --to assessment
  caio usecase stage --org acme-bank uc_... --to on_hold --reason "Waiting for the data platform"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				c, err := a.CheckStage(ctx, args[0], to)
				if err != nil {
					return err
				}
				if check {
					if pc.json() {
						return writeJSON(out, c)
					}
					printCheck(out, c)
					return nil
				}
				outcome, err := a.RequestStage(ctx, args[0], to, reason)
				if pc.json() {
					if err != nil {
						return err
					}
					return writeJSON(out, outcome)
				}
				printCheck(out, c)
				if err != nil {
					return err
				}
				if outcome.Approval != nil {
					fmt.Fprintf(out, "Approval %s opened: %s; it needs %d approval(s). Decide it with caio approval decide.\n",
						outcome.Approval.ID, outcome.Approval.Summary, outcome.Approval.Quorum)
					return nil
				}
				fmt.Fprintf(out, "Moved to %s.\n", portfolio.StageLabel(to))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the stage to move to")
	cmd.Flags().StringVar(&reason, "reason", "", "why; required to reject, put on hold or move back")
	cmd.Flags().BoolVar(&check, "check", false, "only check the gate; change nothing")
	cmd.MarkFlagRequired("to")
	return cmd
}

// printCheck writes a gate check: the move, and each criterion met or not.
func printCheck(out io.Writer, c *portfolio.Check) {
	fmt.Fprintf(out, "%s → %s", c.FromLabel, c.ToLabel)
	if c.NeedsApproval {
		fmt.Fprint(out, " (needs approval)")
	}
	fmt.Fprintln(out)
	if !c.Allowed {
		fmt.Fprintf(out, "  Refused: %s\n", c.Refusal)
		return
	}
	for _, cr := range c.Criteria {
		mark := "[ ]"
		if cr.Met {
			mark = "[x]"
		}
		fmt.Fprintf(out, "  %s %s: %s\n", mark, cr.Title, cr.Reason)
	}
	if len(c.Criteria) == 0 {
		fmt.Fprintln(out, "  No criteria.")
	}
}

func (pc *portfolioCmd) useCaseTriage() *cobra.Command {
	var in app.TriageInput
	cmd := &cobra.Command{
		Use:   "triage --org SLUG ID --decision accept|merge|reject [--reason R] [--merge-into ID]",
		Short: "Decide an idea waiting in the triage queue",
		Example: `  caio usecase triage --org acme-bank uc_... --decision accept
  caio usecase triage --org acme-bank uc_... --decision merge --merge-into uc_...`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				u, err := a.TriageUseCase(ctx, args[0], in)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, u)
				}
				fmt.Fprintf(out, "Use case %s is now %s (stage %s).\n", u.ID, u.Intake, portfolio.StageLabel(u.Stage))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.Decision, "decision", "", "accept, merge or reject")
	cmd.Flags().StringVar(&in.Reason, "reason", "", "why; required to reject")
	cmd.Flags().StringVar(&in.MergeInto, "merge-into", "", "with merge: the use case this idea duplicates")
	cmd.MarkFlagRequired("decision")
	return cmd
}

// --- caio approval ---

func newApprovalCmd(cfg *Config) *cobra.Command {
	pc := &portfolioCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "approval",
		Short: "List and decide approval requests",
		Long: `Approval requests are opened by gates that need approval, such as a use case moving from assessment
to approved. A request passes when the organisation's quorum of approvers approves, and fails when
one rejects. A decision made here is recorded as the system's vote.`,
		Args: cobra.NoArgs,
	}
	pc.persistent(cmd)

	var status string
	var limit, offset int
	list := &cobra.Command{
		Use:   "list --org SLUG",
		Short: "List approval requests, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				f := caio.ApprovalFilter{Page: caio.Page{Limit: limit, Offset: offset}}
				if status != "" {
					f.Status = &status
				}
				aps, total, err := a.FindApprovals(ctx, f)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, map[string]any{"total": total, "approvals": aps})
				}
				tw := newTable(out)
				fmt.Fprintln(tw, "ID\tSTATUS\tSUBJECT\tASKS\tVOTES\tREQUESTED")
				for _, ap := range aps {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", ap.ID, ap.Status, cell(ap.SubjectTitle, 40), cell(ap.Summary, 40),
						ap.Approvals(), ap.Quorum, when(&ap.CreatedAt))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d of %d approval requests\n", len(aps), total)
				return nil
			})
		},
	}
	list.Flags().StringVar(&status, "status", "", "only requests with this status: "+strings.Join(caio.ApprovalStatuses, ", "))
	list.Flags().IntVar(&limit, "limit", caio.DefaultPageLimit, "how many to show (at most 500)")
	list.Flags().IntVar(&offset, "offset", 0, "how many to skip")

	var decision, comment string
	decide := &cobra.Command{
		Use:   "decide --org SLUG ID --decision approve|reject [--comment C]",
		Short: "Approve or reject a pending request",
		Example: `  caio approval decide --org acme-bank apr_... --decision approve
  caio approval decide --org acme-bank apr_... --decision reject --comment "Show the data protection review first"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return pc.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				ap, err := a.DecideApproval(ctx, args[0], decision, comment)
				if err != nil {
					return err
				}
				if pc.json() {
					return writeJSON(out, ap)
				}
				fmt.Fprintf(out, "Approval %s (%s: %s) is %s, %d of %d approvals.\n", ap.ID, ap.SubjectTitle, ap.Summary, ap.Status, ap.Approvals(), ap.Quorum)
				return nil
			})
		},
	}
	decide.Flags().StringVar(&decision, "decision", "", "approve or reject")
	decide.Flags().StringVar(&comment, "comment", "", "why; required to reject")
	decide.MarkFlagRequired("decision")

	cmd.AddCommand(list, decide)
	return cmd
}
