// Command caio is the AI office in a box: one binary that serves the web
// pages and API (caio serve) and runs every maintenance task against the same
// database, with or without a running server.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd()
	if err := cmd.ExecuteContext(ctx); err != nil {
		if code, ok := err.(exitCode); ok {
			os.Exit(int(code))
		}
		fmt.Fprintln(os.Stderr, "caio:", userMessage(err))
		os.Exit(1)
	}
}

// exitCode is an error that only sets the exit status; its message was printed already.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// userMessage shows caio errors with their field problems, and other errors as they are.
func userMessage(err error) string {
	if _, ok := err.(*caio.Error); ok {
		msg := caio.ErrorMessage(err)
		if fs := caio.ErrorFields(err); len(fs) > 0 && !strings.HasPrefix(msg, "Please fix") {
			for _, f := range fs {
				msg += "\n  " + f.Field + ": " + f.Message
			}
		}
		return msg
	}
	return err.Error()
}

// Config is what every command needs to reach the database and to log.
// Flags fill it, with CAIO_* environment variables as defaults.
type Config struct {
	DataDir     string
	DatabaseURL string
	LogFormat   string
	LogLevel    string
	// Mail is the relay of reminder emails and the daily digest's
	// settings (serve's flags; see digest.go).
	Mail mailFlags
}

// DefaultConfig returns the configuration before flags and environment.
func DefaultConfig() Config {
	return Config{DataDir: "./caio-data", LogFormat: "text", LogLevel: "info", Mail: defaultMailFlags()}
}

func newRootCmd() *cobra.Command {
	cfg := DefaultConfig()
	root := &cobra.Command{
		Use:           "caio",
		Short:         "caio, the AI office in a box",
		Long:          "caio does the job of a Chief AI Officer: inventory, EU AI Act classification, strategy, portfolio, governance and handover, in one binary.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "directory of the embedded SQLite database (env CAIO_DATA)")
	f.StringVar(&cfg.DatabaseURL, "database-url", "", "postgres://... to use PostgreSQL instead of SQLite (env CAIO_DATABASE_URL or CAIO_DATABASE_URL_FILE)")
	f.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (env CAIO_LOG_FORMAT)")
	f.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error (env CAIO_LOG_LEVEL)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		return applyEnv(cmd.Flags())
	}
	root.AddCommand(
		newServeCmd(&cfg),
		newMigrateCmd(&cfg),
		newVersionCmd(),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(&cfg))
	}
	return root
}

// extraCommands lets each command file register itself, keeping main.go short.
var extraCommands []func(*Config) *cobra.Command

// applyEnv fills every flag not given on the command line from CAIO_<FLAG>,
// or for secrets from the file named by CAIO_<FLAG>_FILE.
func applyEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(fl *pflag.Flag) {
		if fl.Changed || err != nil {
			return
		}
		name := "CAIO_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			err = fs.Set(fl.Name, v)
		} else if path, ok := os.LookupEnv(name + "_FILE"); ok {
			b, rerr := os.ReadFile(path)
			if rerr != nil {
				err = fmt.Errorf("%s_FILE: %w", name, rerr)
				return
			}
			err = fs.Set(fl.Name, strings.TrimSpace(string(b)))
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", name, err)
		}
	})
	return err
}

func (cfg *Config) logger(w *os.File) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level must be debug, info, warn or error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json")
}

// openApp opens the database, refuses an old schema (or migrates it when
// migrate is true) and returns the application services over it.
func (cfg *Config) openApp(ctx context.Context, migrate bool) (*app.App, func(), error) {
	log, err := cfg.logger(os.Stderr)
	if err != nil {
		return nil, nil, err
	}
	db, err := sqldb.Open(ctx, sqldb.Config{DataDir: cfg.DataDir, URL: cfg.DatabaseURL, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	if migrate {
		if applied, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, nil, err
		} else if len(applied) > 0 {
			log.Info("migrated database", "applied", applied)
		}
	} else if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return app.New(db, log), func() { db.Close() }, nil
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of caio",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "caio %s\n", caio.Version)
		},
	}
}

func newMigrateCmd(cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			log, err := cfg.logger(os.Stderr)
			if err != nil {
				return err
			}
			db, err := sqldb.Open(cmd.Context(), sqldb.Config{DataDir: cfg.DataDir, URL: cfg.DatabaseURL, Logger: log})
			if err != nil {
				return err
			}
			defer db.Close()
			applied, err := db.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "The database schema is up to date.")
			}
			for _, name := range applied {
				fmt.Fprintln(cmd.OutOrStdout(), "applied", name)
			}
			return nil
		},
	}
}
