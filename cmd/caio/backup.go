package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newBackupCmd, newRestoreCmd) }

func newBackupCmd(cfg *Config) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "backup [--out FILE] [--format auto|sqlite|json]",
		Short: "Write a consistent backup of the database, also while the server runs",
		Long: `Write a consistent backup of the whole database. It is safe while caio serve runs.

Formats:
  sqlite  a copy of the SQLite database made with VACUUM INTO (SQLite only; the default there)
  json    a portable gzip'd JSON export that restores into SQLite or PostgreSQL
          (the default on PostgreSQL; use it to move between the two)

Sessions and first-run setup links are not in a JSON export: people sign in again after a
restore. Backups hold password and token hashes: keep them as safe as the database.`,
		Example: `  caio backup --out /backups/caio.db
  caio backup --format json --out caio.json.gz
  caio backup --database-url postgres://caio@db/caio --out caio.json.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if cfg.DatabaseURL == "" {
				// Opening would create an empty database: say so instead.
				if _, err := os.Stat(filepath.Join(cfg.DataDir, "caio.db")); err != nil {
					return caio.Errorf(caio.ENOTFOUND, "There is no database in %s to back up: point --data at caio's data directory.", cfg.DataDir)
				}
			}
			db, err := cfg.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			switch format {
			case "auto":
				format = sqldb.BackupJSON
				if db.Dialect == sqldb.SQLite {
					format = sqldb.BackupSQLite
				}
			case sqldb.BackupSQLite, sqldb.BackupJSON:
			default:
				return caio.FieldError("format", "must be auto, sqlite or json")
			}
			if out == "" {
				out = sqldb.BackupName(time.Now(), format)
			}
			start := time.Now()
			w := cmd.OutOrStdout()
			if format == sqldb.BackupSQLite {
				if err := db.BackupSQLite(ctx, out); err != nil {
					return err
				}
				fmt.Fprintf(w, "Wrote a SQLite copy of the database to %s (%s) in %.1f s.\n", out, fileSize(out), time.Since(start).Seconds())
				return nil
			}
			stats, err := db.ExportJSONFile(ctx, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "Wrote a JSON export of the database to %s (%s): %d tables, %d rows, schema version %d, in %.1f s.\n",
				out, fileSize(out), len(stats.Tables), stats.Rows, stats.Header.SchemaVersion, time.Since(start).Seconds())
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write; it must not exist (default: caio-backup-<time>.db or .json.gz)")
	cmd.Flags().StringVar(&format, "format", "auto", "auto, sqlite or json")
	return cmd
}

func fileSize(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "size unknown"
	}
	n := float64(fi.Size())
	for _, unit := range []string{"bytes", "KB", "MB", "GB"} {
		if n < 1000 || unit == "GB" {
			if unit == "bytes" {
				return fmt.Sprintf("%.0f %s", n, unit)
			}
			return fmt.Sprintf("%.1f %s", n, unit)
		}
		n /= 1000
	}
	return ""
}

func newRestoreCmd(cfg *Config) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup, then verify every audit chain",
		Long: `Restore a backup made by caio backup, then verify the audit chain of every organisation
(exit status 1 when one is broken). The kind of backup is read from the file itself.

A SQLite copy goes back into the data directory (--data) as its database. Stop the server
first. An existing database is replaced only with --force; the old one is not kept.

A JSON export restores into SQLite or PostgreSQL (--database-url), in one transaction, into
an empty database only: it never merges with or overwrites existing data.`,
		Example: `  caio restore --data ./caio-data caio-backup-20270131T090000Z.db
  caio restore --database-url postgres://caio@db/caio caio.json.gz`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			file := args[0]
			f, err := os.Open(file)
			if err != nil {
				return err
			}
			defer f.Close()
			head := make([]byte, 16)
			n, err := io.ReadFull(f, head)
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				return err
			}
			kind, err := sqldb.DetectBackup(head[:n])
			if err != nil {
				return err
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			start := time.Now()
			if kind == sqldb.BackupSQLite {
				if cfg.DatabaseURL != "" {
					return caio.Errorf(caio.EINVALID, "A SQLite copy restores only into the SQLite data directory. To move to PostgreSQL, make a JSON backup (caio backup --format json) and restore that.")
				}
				if err := sqldb.RestoreSQLiteFile(ctx, file, cfg.DataDir, force); err != nil {
					return err
				}
				fmt.Fprintf(w, "Restored the SQLite copy %s into %s.\n", file, cfg.DataDir)
			}
			// Migrate: the backup may be from an older version of caio.
			a, done, err := cfg.openApp(ctx, true)
			if err != nil {
				return err
			}
			defer done()
			if kind == sqldb.BackupJSON {
				if force {
					fmt.Fprintln(cmd.ErrOrStderr(), "Note: --force does not apply to JSON exports, which restore only into an empty database.")
				}
				stats, err := a.DB.RestoreJSON(ctx, f)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "Restored %d rows in %d tables from %s (a %s export of schema version %d, made %s) in %.1f s.\n",
					stats.Rows, len(stats.Tables), file, stats.Header.Dialect, stats.Header.SchemaVersion, stats.Header.CreatedAt, time.Since(start).Seconds())
			}
			slugs, err := allSlugs(ctx, a)
			if err != nil {
				return err
			}
			broken, err := verifyChains(ctx, a, w, slugs)
			if err != nil {
				return err
			}
			if broken > 0 {
				fmt.Fprintf(w, "%d audit chains are broken: the backup was altered, or the database was damaged before it was made.\n", broken)
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing SQLite database (SQLite copies only)")
	return cmd
}
