package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
)

// The report command: caio report KIND --org SLUG --format pdf|html|md --out FILE.

func init() {
	extraCommands = append(extraCommands, newReportCmd)
}

func newReportCmd(cfg *Config) *cobra.Command {
	var org, format, out, system, chromium, baseURL string
	var kinds []string
	for _, k := range report.Kinds {
		kinds = append(kinds, fmt.Sprintf("  %-10s %s", k.Kind, k.Description))
	}
	cmd := &cobra.Command{
		Use:   "report KIND --org SLUG [--format html|pdf|md] [--out FILE] [--system ID]",
		Short: "Write a board, strategy, portfolio, EU AI Act, system or handover report",
		Long: `Writes a report of the organisation's records as one self-contained HTML file, Markdown, or PDF.
A PDF is the HTML printed by headless Chromium, which must be installed (Debian: apt-get install
chromium); --chromium names the browser when it is not on the PATH. Every figure names its source,
listed in the appendix "Where the figures come from"; the footer gives the generation time, the
date of the latest change read, the content versions and the notice that it is not legal advice.

Kinds:
` + strings.Join(kinds, "\n") + `

Without --format the extension of --out decides (.pdf, .md, else HTML). Without --out the report
goes to standard output.`,
		Example: `  caio report board --org acme-bank --format pdf --out board.pdf
  caio report euaiact --org acme-bank --out euaiact.md
  caio report system --org acme-bank --system sys_0123456789abcdef --format html --out card.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, err := report.ParseKind(args[0])
			if err != nil {
				return err
			}
			if format == "" && out != "" {
				switch strings.ToLower(filepath.Ext(out)) {
				case ".pdf":
					format = "pdf"
				case ".md", ".markdown":
					format = "md"
				}
			}
			f, err := report.ParseFormat(format)
			if err != nil {
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
			data, r, err := a.RenderReport(octx, app.ReportOptions{Kind: kind, Format: f, SystemID: system, Chromium: chromium, BaseURL: baseURL})
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return caio.Errorf(caio.EINVALID, "Cannot write %s: %v", out, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s: %s of %s, %d bytes, data as of %s\n", out, r.Title, r.Org, len(data), r.DataAsOf.UTC().Format("2006-01-02 15:04 UTC"))
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&format, "format", "", "html, pdf or md (default: from --out's extension, else html)")
	cmd.Flags().StringVar(&out, "out", "", "file to write (default: standard output)")
	cmd.Flags().StringVar(&system, "system", "", "the AI system's ID, for the system card")
	cmd.Flags().StringVar(&chromium, "chromium", "", "path of Chromium for PDF (default: chromium, chromium-browser or google-chrome on the PATH)")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "caio's address, such as https://caio.example.org, to make links to records absolute")
	cmd.MarkFlagRequired("org")
	return cmd
}
