package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
)

// caio import csv and caio import xlsx: use cases, AI systems, vendors and
// risks from a spreadsheet, as the import page does, in one command.

func init() {
	importCommands = append(importCommands,
		func(cfg *Config) *cobra.Command { return newImportTabularCmd(cfg, tabular.CSV) },
		func(cfg *Config) *cobra.Command { return newImportTabularCmd(cfg, tabular.XLSX) })
}

func newImportTabularCmd(cfg *Config, format string) *cobra.Command {
	ic := &invCmd{cfg: cfg}
	var kind, mapping, sheet string
	var perRow, dryRun bool
	use := format + " FILE --org SLUG --kind usecases|systems|vendors|risks [--mapping saved|guess|FILE.json|field=Column,...] [--per-row] [--dry-run]"
	if format == tabular.XLSX {
		use += " [--sheet NAME]"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: "Import use cases, AI systems, vendors or risks from " + strings.ToUpper(format),
		Long: `Import reads a spreadsheet's rows into the organisation, one object per row. The first row names
the columns; the mapping says which column fills which field: the organisation's saved mapping for
the kind fitted to the file's columns (the default, or --mapping saved), a guess from the column
names (--mapping guess), a JSON file {"field": "Column"} or pairs such as
--mapping 'title=Use case,problem=Problem statement'.

A row updates the object it matches and creates one otherwise: by the ID column when it is mapped
and filled (an export's ID column maps by itself), else by name or title, trimmed and ignoring case.
An update changes only the mapped columns. By default the file goes in one transaction: any row
with a problem and nothing is written. With --per-row each valid row is written and the others are
listed. --dry-run checks every row and writes nothing. Each problem is printed as
FILE:WHERE: field (column): message, and the command fails when a row was refused.`,
		Example: `  caio import ` + format + ` systems.` + format + ` --org acme --kind systems --dry-run
  caio import ` + format + ` risks.` + format + ` --org acme --kind risks --per-row`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := app.ImportFields(kind); err != nil {
				return caio.Errorf(caio.EINVALID, "Choose what to import with --kind: one of %s.", strings.Join(caio.ImportKinds, ", "))
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read %s: %w", args[0], err)
			}
			if got, err := tabular.Detect(args[0], data); err == nil && got != format {
				return caio.Errorf(caio.EINVALID, "%s is %s, not %s: use caio import %s.", args[0], strings.ToUpper(got), strings.ToUpper(format), got)
			}
			m, err := importMapping(mapping, kind, args[0], data, sheet)
			if err != nil {
				return err
			}
			mode := caio.ImportAll
			if perRow {
				mode = caio.ImportPerRow
			}
			return ic.run(cmd, func(ctx context.Context, a *app.App, out io.Writer) error {
				res, err := a.ImportFileWith(ctx, kind, args[0], data, app.ImportOptions{Mapping: m, Mode: mode, DryRun: dryRun, Sheet: sheet})
				if res == nil {
					return err
				}
				if err == nil && res.Rejected > 0 {
					// A refused row fails the command, so scripts notice.
					err = caio.Errorf(caio.EINVALID, "%d of %d rows were refused.", res.Rejected, res.Rows)
				}
				if ic.json() {
					if werr := writeJSON(out, res); werr != nil {
						return werr
					}
					return err
				}
				printImportResult(out, args[0], res)
				return err
			})
		},
	}
	ic.persistent(cmd)
	cmd.Flags().StringVar(&kind, "kind", "", "what the rows are: "+strings.Join(caio.ImportKinds, ", ")+" (required)")
	cmd.Flags().StringVar(&mapping, "mapping", "saved", "which column fills which field: saved, guess, a JSON file, or field=Column pairs")
	cmd.Flags().BoolVar(&perRow, "per-row", false, "write each valid row and list the refused ones, instead of all or nothing")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check every row and write nothing")
	if format == tabular.XLSX {
		cmd.Flags().StringVar(&sheet, "sheet", "", "the sheet to read (default the first)")
	}
	return cmd
}

// importMapping reads --mapping: nil for the saved one (the app fits it to
// the file), else a mapping from the file's headers, a JSON file or pairs.
func importMapping(s, kind, name string, data []byte, sheet string) (tabular.Mapping, error) {
	switch s = strings.TrimSpace(s); {
	case s == "" || s == "saved":
		return nil, nil
	case s == "guess":
		fields, err := app.ImportFields(kind)
		if err != nil {
			return nil, err
		}
		t, err := tabular.ReadSheet(name, data, sheet)
		if err != nil {
			return nil, caio.FieldError("file", "could not be read: "+err.Error())
		}
		return tabular.Guess(t.Headers, fields), nil
	case strings.HasSuffix(strings.ToLower(s), ".json"):
		b, err := os.ReadFile(s)
		if err != nil {
			return nil, fmt.Errorf("read the mapping %s: %w", s, err)
		}
		m := tabular.Mapping{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, caio.Errorf(caio.EINVALID, "The mapping %s is not a JSON object of field names to column names: %v.", s, err)
		}
		return m, nil
	case strings.Contains(s, "="):
		m := tabular.Mapping{}
		for _, p := range strings.Split(s, ",") {
			k, v, ok := strings.Cut(p, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, caio.Errorf(caio.EINVALID, "--mapping: %q is not field=Column.", strings.TrimSpace(p))
			}
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		return m, nil
	}
	return nil, caio.Errorf(caio.EINVALID, "--mapping: give saved, guess, a .json file or field=Column pairs, not %q.", s)
}

// printImportResult prints the counts and then each problem as
// FILE:WHERE: field (column): message, the way compilers do.
func printImportResult(out io.Writer, file string, res *caio.ImportResult) {
	if res.DryRun {
		fmt.Fprintln(out, "Dry run: nothing was written.")
	}
	fmt.Fprintf(out, "Rows read: %d\nCreated: %d\nUpdated: %d\nUnchanged: %d\nRejected: %d\n", res.Rows, res.Created, res.Updated, res.Unchanged, res.Rejected)
	if !res.DryRun && res.Mode == caio.ImportAll && res.Rejected > 0 {
		fmt.Fprintln(out, "Nothing was written: the import is all or nothing (--per-row writes the valid rows).")
	}
	for _, e := range res.Errors {
		where := e.Where
		if where == "" {
			where = fmt.Sprintf("row %d", e.Ref)
		}
		field := ""
		if e.Field != "" {
			field = e.Field
			if e.Column != "" {
				field += fmt.Sprintf(" (column %q)", e.Column)
			}
			field += ": "
		}
		fmt.Fprintf(out, "%s:%s: %s%s\n", file, where, field, e.Message)
	}
}
