package main

import (
	"fmt"
	"os"

	"github.com/caio-office/caio"
	"github.com/spf13/cobra"
)

// caio export json and caio import json: one organisation, all of its
// data, from one instance (or database engine) to another.

func init() {
	exportCommands = append(exportCommands, newExportOrgJSONCmd)
	importCommands = append(importCommands, newImportOrgJSONCmd)
}

func newExportOrgJSONCmd(cfg *Config) *cobra.Command {
	var org, outFile, format string
	cmd := &cobra.Command{
		Use:   "json --org SLUG --out FILE",
		Short: "Write one organisation, all of its data, as a gzip'd JSON export",
		Long: `Export json writes every row of one organisation (its inventory, classifications, controls and
evidence files, portfolio, risks, assessments, incidents, policies, audit trail and the rest)
and the users it refers to, with their emails and names but without password hashes, API tokens
or sessions. ` + "`caio import json`" + ` loads it into another instance, on SQLite or PostgreSQL; see
"Moving from SQLite to PostgreSQL" in docs/operations.md. The file is written with owner-only
permissions and an existing file is never overwritten.`,
		Example: `  caio export json --org acme-bank --out acme-bank.caio.json.gz`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if outFile == "" {
				return caio.FieldError("out", "is required: name the file to write")
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
			f, err := os.OpenFile(outFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			st, err := a.ExportOrgJSON(octx, f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(outFile)
				return err
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), st)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s: organisation %s, %d rows in %d tables.\n", outFile, st.Header.OrgSlug, st.Rows, len(st.Tables))
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "slug of the organisation (required)")
	cmd.Flags().StringVar(&outFile, "out", "", "file to write (required; refused when it exists)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("org")
	return cmd
}

func newImportOrgJSONCmd(cfg *Config) *cobra.Command {
	var slug, format string
	cmd := &cobra.Command{
		Use:   "json FILE [--org-slug NEW]",
		Short: "Load an organisation export as a new organisation",
		Long: `Import json loads a file written by ` + "`caio export json`" + ` into this database as a new organisation,
in one transaction: all or nothing. The database is migrated first when it is new.

IDs are kept when the organisation does not exist here (another instance). When it does (the same
database), the organisation gets a new slug (--org-slug) and every ID a fresh one. A user whose
email exists here is that user; other users are created without a password: set one with
` + "`caio user set-password --email EMAIL`" + ` or let them reset it. When any ID changed, the audit chain is re-chained
(each event keeps its time, actor, action and changes; only its hashes are recomputed) and the
import's own event records that it was.`,
		Example: `  caio import json acme-bank.caio.json.gz --database-url postgres://caio@db/caio
  caio import json acme-bank.caio.json.gz --org-slug acme-bank-copy`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			ctx := cmd.Context()
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			a, done, err := cfg.openApp(ctx, true)
			if err != nil {
				return err
			}
			defer done()
			st, err := a.ImportOrgJSON(systemCtx(ctx), f, slug)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), st)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Imported organisation %s (%s) from %s: %d rows in %d tables.\n", st.OrgSlug, st.OrgID, args[0], st.Rows, len(st.Tables))
			if st.UsersMatched > 0 {
				fmt.Fprintf(out, "%d users already existed here (matched by email) and were kept as they are.\n", st.UsersMatched)
			}
			if st.Remapped {
				fmt.Fprintln(out, "The organisation existed here already, so every ID was replaced by a fresh one.")
			}
			if st.Rechained {
				fmt.Fprintln(out, "IDs changed, so the audit chain was re-chained; `caio audit verify --org SLUG` checks it.")
			}
			fmt.Fprintln(out, "Imported users have no password: set one with `caio user set-password --email EMAIL`.")
			return nil
		},
	}
	cmd.Flags().StringVar(&slug, "org-slug", "", "slug of the new organisation (the exported one when left out)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
