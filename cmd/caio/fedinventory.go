package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/spf13/cobra"
)

// caio import fedinventory and caio export fedinventory: the US Federal
// Agency AI Use Case Inventory in OMB's 2025 schema.

func init() {
	importCommands = append(importCommands, newImportFedInventoryCmd)
	exportCommands = append(exportCommands, newExportFedInventoryCmd)
}

func newImportFedInventoryCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var cots, quiet, listWarnings bool
	cmd := &cobra.Command{
		Use:   "fedinventory FILE --org SLUG [--cots]",
		Short: "Import the US federal AI use case inventory (OMB's 2025 CSV schema)",
		Long: `Import reads a file of the US Federal Agency AI Use Case Inventory exactly as OMB publishes it
(the 2025 schema of OMB M-25-21): the individually reported use cases, or with --cots the
consolidated file of commercial off-the-shelf AI use. Every row becomes a use case; a row that
describes an AI in use (piloted, deployed, retired, or with an authorised system named) or a
high-impact AI also becomes an AI system, linked to its vendor, with the row's OMB M-25-21
high-impact determination. High-impact systems get the seven M-25-21 minimum practices as
controls, and the nine hi_* answers of their row become evidence of them (the import turns
OMB M-25-21 on for the organisation when it was off). The row is kept whole, so an export writes
every field back. Rows without an id or with a repeated id are kept and reported.

Re-importing a file changes only the rows that changed. The import runs in one transaction: a file
in the wrong format is rejected with its line and column and nothing is written.`,
		Example: `  caio import fedinventory 2025_individually_reported_AI_use_cases.csv --org dox
  caio import fedinventory 2025_consolidated_COTS_AI_use_cases.csv --org dox --cots`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read %s: %w", args[0], err)
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				progress := func(s string) {
					if !quiet {
						fmt.Fprintln(cmd.ErrOrStderr(), s)
					}
				}
				res, err := a.ImportFedInventory(ctx, bytes.NewReader(b), progress)
				if err != nil {
					return err
				}
				if want := map[bool]string{true: "cots", false: "individual"}[cots]; res.Kind != want {
					fmt.Fprintf(cmd.ErrOrStderr(), "note: the file is the %s file (told by its header); --cots was %v\n", res.Kind, cots)
				}
				if ic.json() {
					return writeJSON(out, res)
				}
				fmt.Fprintf(out, "Rows read: %d\nUse cases created: %d\nUse cases updated: %d\nUnchanged: %d\nAI systems created: %d\nVendors created: %d\n",
					res.Read, res.Created, res.Updated, res.Unchanged, res.Systems, res.Vendors)
				if res.Kind == "individual" {
					fmt.Fprintf(out, "High-impact (OMB M-25-21): %d\n", res.HighImpact)
					if res.OMBTurnedOn {
						fmt.Fprintln(out, "OMB M-25-21 turned on for the organisation: its minimum practices apply to high-impact systems")
					}
					if res.OMBFramework {
						fmt.Fprintf(out, "M-25-21 controls added: %d, no longer applicable: %d\nEvidence from hi_* answers: %d added, %d updated, %d removed\n",
							res.ControlsAdded, res.ControlsRemoved, res.EvidenceAdded, res.EvidenceUpdated, res.EvidenceRemoved)
					}
				}
				kinds := make([]string, 0, len(res.Warnings))
				for k := range res.Warnings {
					kinds = append(kinds, k)
				}
				slices.Sort(kinds)
				if len(kinds) == 0 {
					fmt.Fprintln(out, "Warnings: none")
				}
				for _, k := range kinds {
					fmt.Fprintf(out, "Warnings (%s): %d\n", k, res.Warnings[k])
				}
				if listWarnings {
					for _, w := range res.WarningList {
						fmt.Fprintf(out, "%s:%d: %s: %s\n", args[0], w.Line, w.Kind, w.Message)
					}
				} else if len(res.WarningList) > 0 {
					fmt.Fprintln(out, "(--warnings lists each with its line)")
				}
				return nil
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().BoolVar(&cots, "cots", false, "the file is the consolidated COTS file (checked against its header)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "do not print progress")
	cmd.Flags().BoolVar(&listWarnings, "warnings", false, "list every warning as FILE:LINE: kind: message")
	return cmd
}

func newExportFedInventoryCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var outFile string
	var cots bool
	cmd := &cobra.Command{
		Use:   "fedinventory --org SLUG --out FILE [--cots]",
		Short: "Export the organisation's use cases as a US federal AI use case inventory (CSV)",
		Long: `Export writes the organisation's use cases in OMB's 2025 inventory schema, header in the published
order. Imported use cases are written as the row they came from, with the name, problem, benefits,
data, contact and stage taken from caio where they were changed since; the organisation's own use
cases follow as rows built from their fields. With --cots it writes the imported COTS rows.`,
		Example: `  caio export fedinventory --org dox --out inventory.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if outFile == "" {
				return caio.Errorf(caio.EINVALID, "Name the file to write with --out FILE.")
			}
			kind := fedinv.Individual
			if cots {
				kind = fedinv.COTS
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				var buf bytes.Buffer
				n, err := a.ExportFedInventory(ctx, &buf, kind)
				if err != nil {
					return err
				}
				tmp, err := os.CreateTemp(filepath.Dir(outFile), ".fedinventory-*")
				if err != nil {
					return err
				}
				defer os.Remove(tmp.Name())
				if _, err := tmp.Write(buf.Bytes()); err != nil {
					tmp.Close()
					return err
				}
				if err := tmp.Close(); err != nil {
					return err
				}
				if err := os.Rename(tmp.Name(), outFile); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"rows": n, "file": outFile})
				}
				fmt.Fprintf(out, "Wrote %d rows to %s\n", n, outFile)
				return nil
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().StringVar(&outFile, "out", "", "file to write (required)")
	cmd.Flags().BoolVar(&cots, "cots", false, "write the imported COTS rows instead of the individual use cases")
	return cmd
}
