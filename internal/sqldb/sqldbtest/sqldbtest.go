// Package sqldbtest opens fresh, migrated caio databases for tests, so that
// every store, service and handler test can run on both engines.
//
// SQLite always runs, in a temporary directory. PostgreSQL runs when the
// environment variable CAIO_TEST_POSTGRES_URL names a database, for example
//
//	CAIO_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./...
//
// Each PostgreSQL database is a new schema of that database (t_<random>),
// reached through the search_path connection parameter and dropped when the
// test ends, so tests are isolated and may run in parallel. Under CI
// (CI=true) a missing CAIO_TEST_POSTGRES_URL fails the test instead of
// skipping it, so a misconfigured pipeline cannot pass by testing less.
//
// A typical test:
//
//	func TestThing(t *testing.T) {
//		sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
//			// db is migrated and closed when the subtest ends.
//		})
//	}
package sqldbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/caio-office/caio/internal/sqldb"
	"github.com/jackc/pgx/v5"
)

// EnvPostgresURL names the environment variable that points the tests at a
// PostgreSQL database. The role it names must be allowed to create schemas.
const EnvPostgresURL = "CAIO_TEST_POSTGRES_URL"

// Options tune the databases a test opens. The zero value is a migrated
// database with the default pool.
type Options struct {
	// MaxConns sizes the PostgreSQL pool; zero keeps the sqldb default.
	// Raise it for tests that write from many goroutines.
	MaxConns int
	// NoMigrate leaves the schema empty, for tests of migration itself.
	NoMigrate bool
}

// dialects are the engines Each runs on, in order.
var dialects = []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres}

// Each runs fn once per engine, as the subtests "sqlite" and "postgres",
// each with its own fresh, migrated database that is closed (and, on
// PostgreSQL, dropped) when the subtest ends. The PostgreSQL subtest is
// skipped when CAIO_TEST_POSTGRES_URL is unset, and fails under CI.
// fn may call t.Parallel.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	EachWith(t, Options{}, fn)
}

// EachWith is Each with options.
func EachWith(t *testing.T, o Options, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d, o))
		})
	}
}

// Open returns a fresh database of the dialect, migrated unless o says not,
// and closed when tb ends. For PostgreSQL it skips tb when
// CAIO_TEST_POSTGRES_URL is unset, or fails it under CI.
func Open(tb testing.TB, d sqldb.Dialect, o Options) *sqldb.DB {
	tb.Helper()
	ctx := context.Background()
	cfg := sqldb.Config{MaxConns: o.MaxConns}
	switch d {
	case sqldb.SQLite:
		cfg.DataDir = tb.TempDir()
	case sqldb.Postgres:
		cfg.URL = postgresSchema(tb)
	default:
		tb.Fatalf("sqldbtest: unknown dialect %q", d)
	}
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("sqldbtest: open %s: %v", d, err)
	}
	// Registered after the schema's own cleanup, so it runs first: close
	// every connection before the schema is dropped.
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("sqldbtest: close %s: %v", d, err)
		}
	})
	if !o.NoMigrate {
		if _, err := db.Migrate(ctx); err != nil {
			tb.Fatalf("sqldbtest: migrate %s: %v", d, err)
		}
	}
	return db
}

// PostgresURL returns CAIO_TEST_POSTGRES_URL. When it is unset it skips tb,
// or fails tb when CI=true.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvPostgresURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("sqldbtest: %s is not set; under CI the PostgreSQL store tests must run", EnvPostgresURL)
		}
		tb.Skipf("sqldbtest: %s is not set; skipping PostgreSQL", EnvPostgresURL)
	}
	return u
}

// postgresSchema creates a new schema and returns a URL whose connections
// use it, and drops it when tb ends.
func postgresSchema(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("sqldbtest: parse %s: %v", EnvPostgresURL, err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("sqldbtest: connect to PostgreSQL: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("sqldbtest: create schema: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("sqldbtest: connect to drop schema %s: %v", schema, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("sqldbtest: drop schema %s: %v", schema, err)
		}
	})

	// pgx passes unknown URL parameters to the server as run-time
	// parameters, so every pooled connection starts in the schema.
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
