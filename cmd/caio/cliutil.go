package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Helpers shared by the maintenance commands (user, org, token, audit,
// objective, backup, restore, demo).

// systemCtx returns ctx carrying the system actor of local commands, which
// may act in any organisation: whoever runs the binary against the
// database already controls all of it.
func systemCtx(ctx context.Context) context.Context {
	return caio.WithActor(ctx, caio.Actor{System: true, Via: "cli"})
}

// orgCtx returns ctx carrying the system actor inside the organisation with the slug.
func orgCtx(ctx context.Context, a *app.App, slug string) (context.Context, error) {
	if slug == "" {
		return nil, caio.Errorf(caio.EINVALID, "Name the organisation with --org SLUG (see `caio org list`).")
	}
	actor, err := a.SystemActor(ctx, slug)
	if err != nil {
		return nil, err
	}
	return caio.WithActor(ctx, actor), nil
}

// openDB opens the database without checking or changing its schema, for
// backups, which must work before a migration too.
func (cfg *Config) openDB(ctx context.Context) (*sqldb.DB, error) {
	log, err := cfg.logger(os.Stderr)
	if err != nil {
		return nil, err
	}
	return sqldb.Open(ctx, sqldb.Config{DataDir: cfg.DataDir, URL: cfg.DatabaseURL, Logger: log})
}

// readPassword returns a password from file ("-" for standard input), or
// else asks for it on the terminal without echo (twice when confirm is
// true), or else reads one line of standard input, so scripts can pipe it.
// The password is never printed or logged.
func readPassword(cmd *cobra.Command, file, prompt string, confirm bool) (string, error) {
	in := cmd.InOrStdin()
	var pw string
	switch f, isFile := in.(*os.File); {
	case file != "":
		var b []byte
		var err error
		if file == "-" {
			b, err = io.ReadAll(io.LimitReader(in, 4096))
		} else {
			b, err = os.ReadFile(file)
		}
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		pw = strings.TrimRight(string(b), "\r\n")
		if strings.ContainsAny(pw, "\r\n") {
			return "", caio.Errorf(caio.EINVALID, "The password file must hold the password on one line.")
		}
	case isFile && term.IsTerminal(int(f.Fd())):
		ask := func(p string) (string, error) {
			fmt.Fprint(cmd.ErrOrStderr(), p)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(cmd.ErrOrStderr())
			return string(b), err
		}
		var err error
		if pw, err = ask(prompt); err != nil {
			return "", err
		}
		if confirm && pw != "" {
			again, err := ask("Repeat the password: ")
			if err != nil {
				return "", err
			}
			if again != pw {
				return "", caio.Errorf(caio.EINVALID, "The two passwords differ; nothing was changed.")
			}
		}
	default:
		line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if pw == "" {
		return "", caio.Errorf(caio.EINVALID, "No password given: use --password-file FILE, type it when asked, or pipe it on standard input.")
	}
	return pw, nil
}

// newTable returns a writer that aligns tab-separated columns.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// checkFormat refuses an output format other than text or json.
// checkFormat accepts the output formats of every command: text (tables
// for people; "table" is taken as text too) and json.
func checkFormat(format string) error {
	if format != "text" && format != "table" && format != "json" {
		return caio.FieldError("format", "must be text or json")
	}
	return nil
}

// when shows a time in UTC to the minute, or "-" for none.
func when(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// cell keeps a table cell on one line and short.
func cell(s string, width int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > width {
		return string(r[:width-1]) + "…"
	}
	if s == "" {
		return "-"
	}
	return s
}
