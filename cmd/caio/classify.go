package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newClassifyCmd, newReclassifyCmd) }

func newClassifyCmd(cfg *Config) *cobra.Command {
	var format, timeline, org, system string
	var schema bool
	cmd := &cobra.Command{
		Use:   "classify [FILE]",
		Short: "Classify an AI system profile under the EU AI Act (no server or database needed)",
		Long: `Classify reads a classification profile (YAML or JSON; "-" reads standard input) and prints
the class, its legal basis, the reasons, the transparency duties, the general-purpose model status,
the obligations for the organisation's roles with their dates and the facts still missing.
--format json prints all of it as JSON, with the trace of every rule evaluated. --schema prints the
profile's JSON Schema instead. With --org and --system the result is also stored as that system's
classification. The result is decision support, not legal advice.

The exit code is 0 when the profile is classified, 1 when it is invalid (each field is named).`,
		Example: `  caio classify --schema > profile.schema.json
  caio classify cv-screening.yaml
  caio classify --format json --timeline enacted cv-screening.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := euaiact.DefaultContent()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if schema {
				_, err := out.Write(c.JSONSchema())
				return err
			}
			if err := checkFormat(format); err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("name a profile file (or - for standard input), or use --schema")
			}
			var b []byte
			if args[0] == "-" {
				b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 1<<20))
			} else {
				b, err = os.ReadFile(args[0])
			}
			if err != nil {
				return err
			}
			p, err := euaiact.ParseProfile(b)
			if err != nil {
				return err
			}
			if (org == "") != (system == "") {
				return caio.FieldError(map[bool]string{true: "system", false: "org"}[org != ""], "is needed too: --org and --system store the result together")
			}
			var res *euaiact.Result
			if org != "" {
				// Stored through the services: the organisation's timeline,
				// the system's history, its controls and the audit trail.
				ctx := cmd.Context()
				a, done, err := cfg.openApp(ctx, false)
				if err != nil {
					return err
				}
				defer done()
				octx, err := orgCtx(ctx, a, org)
				if err != nil {
					return err
				}
				sc, err := a.ClassifySystem(octx, system, p)
				if err != nil {
					return err
				}
				res, p = sc.Result, sc.Profile
				fmt.Fprintf(cmd.ErrOrStderr(), "Stored as classification %d of %s.\n", sc.Current.Seq, sc.System.Name)
			} else if res, err = c.Classify(p, euaiact.Options{Timeline: timeline}); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(out, res)
			}
			printResult(out, p, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&timeline, "timeline", euaiact.Amended, "application dates: amended (Reg (EU) 2026/1744) or enacted")
	cmd.Flags().BoolVar(&schema, "schema", false, "print the profile's JSON Schema and exit")
	cmd.Flags().StringVar(&org, "org", "", "with --system: store the result as the system's classification in this organisation (its timeline applies)")
	cmd.Flags().StringVar(&system, "system", "", "with --org: the id of the AI system to classify (sys_...)")
	return cmd
}

// printResult writes a classification for a person to read.
func printResult(w io.Writer, p *euaiact.Profile, r *euaiact.Result) {
	name := p.Name
	if name == "" {
		name = "The system"
	}
	fmt.Fprintf(w, "%s: %s", name, strings.ToUpper(strings.ReplaceAll(r.Class, "_", " ")))
	if len(r.Basis) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(r.Basis, ", "))
	}
	fmt.Fprintln(w)
	if r.Provisional {
		fmt.Fprintf(w, "Provisional: %d missing fact(s) could change it.\n", len(r.Missing))
	}
	fmt.Fprintf(w, "EU AI Act content %s, dates %s.\n\nWhy:\n", r.ContentVersion, map[string]string{"amended": "as amended by Reg (EU) 2026/1744", "enacted": "as enacted"}[r.Timeline])
	for _, x := range r.Reasons {
		fmt.Fprintf(w, "  - %s (%s)\n", x.Text, x.Ref)
	}
	for _, x := range r.Roles.Shifts {
		fmt.Fprintf(w, "  - %s (%s)\n", x.Text, x.Ref)
	}
	if r.Conformity != nil {
		fmt.Fprintf(w, "\nConformity assessment (a duty of the provider): %s (%s)\n", r.Conformity.Text, r.Conformity.Ref)
	}
	if len(r.Transparency) > 0 {
		fmt.Fprintln(w, "\nTransparency duties:")
		for _, d := range r.Transparency {
			fmt.Fprintf(w, "  - %s: %s (%s)\n", d.Ref, d.Title, strings.ReplaceAll(d.Holder, "_", " "))
		}
	}
	if r.GPAI.Status != "not_applicable" {
		fmt.Fprintf(w, "\nGeneral-purpose AI model: %s %s\n", r.GPAI.Status, strings.Join(r.GPAI.Basis, ", "))
	}
	if len(r.Obligations) > 0 {
		fmt.Fprintln(w, "\nObligations:")
		t := newTable(w)
		fmt.Fprintln(t, "  ARTICLE\tOBLIGATION\tAPPLIES FROM\tSTATUS")
		for _, o := range r.Obligations {
			status := o.Status
			if len(o.Because) > 0 {
				status += " (depends on " + strings.Join(o.Because, ", ") + ")"
			}
			fmt.Fprintf(t, "  %s\t%s\t%s\t%s\n", o.Ref, o.Title, dash(o.Dates.Applies), status)
		}
		t.Flush()
	}
	if len(r.Missing) > 0 {
		fmt.Fprintln(w, "\nMissing facts that could change the result:")
		for _, m := range r.Missing {
			fmt.Fprintf(w, "  - %s: %s (%s) — %s\n", m.Fact, m.Question, m.Ref, m.Effect)
		}
	}
	fmt.Fprintf(w, "\n%s\n", r.Disclaimer)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func newReclassifyCmd(cfg *Config) *cobra.Command {
	var org, format string
	var apply bool
	cmd := &cobra.Command{
		Use:   "reclassify",
		Short: "Re-classify every classified AI system of an organisation with the current EU AI Act content",
		Long: `Reclassify runs each system's current profile through this version of the EU AI Act content and
the organisation's timeline, and lists every system whose class, basis, obligations or dates change.
Without --apply nothing is stored.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, done, err := cfg.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer done()
			octx, err := orgCtx(ctx, a, org)
			if err != nil {
				return err
			}
			rep, err := a.Reclassify(octx, apply)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(out, rep)
			}
			verb := "would change"
			if apply {
				verb = "changed"
			}
			fmt.Fprintf(out, "%d classified system(s); %d %s with content %s, timeline %s.\n", rep.Systems, len(rep.Changes), verb, rep.ContentVersion, rep.Timeline)
			if len(rep.Changes) == 0 {
				return nil
			}
			t := newTable(out)
			fmt.Fprintln(t, "SYSTEM\tNAME\tCLASS\tOBLIGATIONS ADDED\tREMOVED\tNEW DATES")
			for _, ch := range rep.Changes {
				class := ch.ToClass
				if ch.FromClass != ch.ToClass {
					class = ch.FromClass + " -> " + ch.ToClass
				}
				fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\n", ch.SystemID, ch.SystemName, class, dash(strings.Join(ch.Added, ",")), dash(strings.Join(ch.Removed, ",")), dash(strings.Join(ch.Redated, ",")))
			}
			return t.Flush()
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&apply, "apply", false, "store the new classifications")
	cmd.MarkFlagRequired("org")
	return cmd
}
