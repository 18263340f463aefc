package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/cyclonedx"
	"github.com/spf13/cobra"
)

// caio export cyclonedx and caio import cyclonedx: the inventory as a
// CycloneDX 1.6 ML-BOM.

func init() {
	exportCommands = append(exportCommands, newExportCycloneDXCmd)
	importCommands = append(importCommands, newImportCycloneDXCmd)
}

func newExportCycloneDXCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var system, outFile string
	cmd := &cobra.Command{
		Use:   "cyclonedx --org SLUG --out FILE",
		Short: "Write the AI inventory as a CycloneDX 1.6 ML-BOM (JSON)",
		Long: `Export cyclonedx writes the organisation's AI systems, models and datasets as a CycloneDX 1.6
JSON bill of materials: a component per system (type application) and per model (type
machine-learning-model, with a model card), datasets as data components, vendors as suppliers,
links as dependencies, and each system's EU AI Act class, basis and obligations (with the dates
they apply from) as properties named caio:eu_ai_act:*. The classification is caio's reading of the
Regulation, not legal advice. --out - writes to standard output.`,
		Example: `  caio export cyclonedx --org acme-bank --out acme.cdx.json
  caio export cyclonedx --org acme-bank --system sys_01J... --out - | jq .components`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if outFile == "" {
				return caio.FieldError("out", "is required: name the file to write, or - for standard output")
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				ex, err := a.ExportCycloneDX(ctx, system)
				if err != nil {
					return err
				}
				if outFile == "-" {
					_, err = out.Write(ex.BOM)
					return err
				}
				if err := os.WriteFile(outFile, ex.BOM, 0o600); err != nil {
					return err
				}
				if ic.json() {
					return writeJSON(out, map[string]any{"file": outFile, "export": ex})
				}
				fmt.Fprintf(out, "Wrote %s: %d AI systems, %d models, %d datasets (CycloneDX %s, %s).\n",
					outFile, ex.Systems, ex.Models, ex.Datasets, cyclonedx.SpecVersion, ex.Serial)
				return nil
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().StringVar(&system, "system", "", "export only this AI system (its ID) and what it links to")
	cmd.Flags().StringVar(&outFile, "out", "", "file to write, or - for standard output (required)")
	return cmd
}

func newImportCycloneDXCmd(cfg *Config) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	cmd := &cobra.Command{
		Use:   "cyclonedx FILE --org SLUG",
		Short: "Add the models, datasets and suppliers of a CycloneDX BOM to the inventory",
		Long: `Import cyclonedx reads a CycloneDX 1.x JSON BOM (from caio or another tool) and adds its
machine-learning-model components as models, its data components (and the datasets written
inline in model cards) as datasets, and their suppliers as vendors. What exists already is kept:
a model with the same name and version, a dataset or vendor with the same name. Other components
are counted and skipped. The import is all or nothing; a malformed file is refused with the line
and column of the problem. FILE - reads standard input.`,
		Example: `  caio import cyclonedx sbom.cdx.json --org acme-bank`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var data []byte
			var err error
			if args[0] == "-" {
				data, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), cyclonedx.MaxBOMBytes+1))
			} else {
				data, err = readLimited(args[0], cyclonedx.MaxBOMBytes)
			}
			if err != nil {
				return err
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				res, err := a.ImportCycloneDX(ctx, data)
				if err != nil {
					if caio.ErrorCode(err) == caio.EINVALID && args[0] != "-" {
						return fmt.Errorf("%s: %w", args[0], err)
					}
					return err
				}
				if ic.json() {
					return writeJSON(out, res)
				}
				fmt.Fprintf(out, "Models: %d created, %d already there.\nDatasets: %d created, %d already there.\nVendors: %d created, %d already there.\nOther components skipped: %d.\n",
					res.ModelsCreated, res.ModelsExisting, res.DatasetsCreated, res.DatasetsExisting,
					res.VendorsCreated, res.VendorsExisting, res.Skipped)
				for _, w := range res.Warnings {
					fmt.Fprintln(out, "warning:", w)
				}
				return nil
			})
		},
	}
	ic.persistent(cmd)
	return cmd
}

// readLimited reads a file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, caio.Errorf(caio.EINVALID, "%s is larger than %d MiB.", path, max>>20)
	}
	return data, nil
}
