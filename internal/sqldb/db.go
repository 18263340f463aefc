// Package sqldb stores caio's data in SQLite (embedded, the default) or
// PostgreSQL through database/sql. The same hand-written SQL, in $n form, runs
// on both; the few differences live in Dialect. Driver errors are translated
// into caio error codes here, so nothing above this package sees a driver.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver; pure Go, no cgo
)

// Dialect names the database engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// TimeFormat is how times are stored: fixed-width UTC text, so that text order
// is time order on both engines and audit hashes are reproducible.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// DB is an open database. It is safe for concurrent use.
type DB struct {
	Dialect Dialect
	// Path is the SQLite file, empty on PostgreSQL.
	Path string

	read  *sql.DB // every connection may read
	write *sql.DB // the one writer on SQLite; the same pool as read on PostgreSQL
	pool  *pgxpool.Pool

	// Prepared statements of the SQLite reader pool; nil on PostgreSQL.
	readStmts *stmtCache

	// Now returns the current time; tests replace it. Each write transaction
	// takes it once, so everything written together carries one time.
	Now func() time.Time
	log *slog.Logger
}

// Config says which database to open.
type Config struct {
	// DataDir holds the SQLite file when URL is empty.
	DataDir string
	// URL, when it starts with postgres:// or postgresql://, selects PostgreSQL.
	URL string
	// MaxConns caps the PostgreSQL pool (default 16).
	MaxConns int
	Logger   *slog.Logger
}

// Open opens the database named by cfg. It does not migrate: call Migrate, or
// CheckSchema to refuse an old schema.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{Now: func() time.Time { return time.Now() }, log: log}
	if strings.HasPrefix(cfg.URL, "postgres://") || strings.HasPrefix(cfg.URL, "postgresql://") {
		return db, db.openPostgres(ctx, cfg)
	}
	if cfg.URL != "" {
		return nil, caioErr("invalid", "database URL must start with postgres:// (or be empty for the embedded SQLite database)")
	}
	return db, db.openSQLite(ctx, cfg.DataDir)
}

func (db *DB) openPostgres(ctx context.Context, cfg Config) error {
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	pc.MaxConns = 16
	if cfg.MaxConns > 0 {
		pc.MaxConns = int32(cfg.MaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db.Dialect = Postgres
	db.pool = pool
	db.read = stdlib.OpenDBFromPool(pool)
	db.write = db.read
	return nil
}

func (db *DB) openSQLite(ctx context.Context, dir string) error {
	if dir == "" {
		dir = "caio-data"
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	db.Dialect = SQLite
	db.Path = filepath.Join(dir, "caio.db")
	q := url.Values{}
	// busy_timeout first, so that every later pragma waits for a lock held by
	// another process (a CLI command beside the server) instead of failing.
	q.Add("_pragma", "busy_timeout(10000)")
	// WAL lets readers go on while one writer commits.
	q.Add("_pragma", "journal_mode(WAL)")
	// SQLite leaves foreign keys off unless asked, per connection.
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable against a process crash in WAL mode; only a power
	// loss may lose the last commits, and never corrupts the file.
	q.Add("_pragma", "synchronous(NORMAL)")
	// Readers map the file instead of copying each page through a read()
	// call into a private cache of 2 MB per connection: a list that visits
	// 50,000 rows in index order touches pages all over the file, and with
	// the default every visit to a page not cached was a system call. The
	// mapping shares the operating system's page cache among connections
	// and costs no memory of its own.
	q.Add("_pragma", "mmap_size(1073741824)")
	readDSN := "file:" + db.Path + "?" + q.Encode()
	// A write transaction takes the lock at BEGIN, so it never fails half-way
	// when upgrading a read lock; the busy timeout covers the wait.
	q.Set("_txlock", "immediate")
	writeDSN := "file:" + db.Path + "?" + q.Encode()
	var err error
	if db.write, err = sql.Open("sqlite", writeDSN); err != nil {
		return err
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queueing in Go is cheaper and fairer than spinning on SQLITE_BUSY.
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)
	if db.read, err = sql.Open("sqlite", readDSN); err != nil {
		return err
	}
	db.read.SetMaxOpenConns(8)
	db.read.SetMaxIdleConns(8)
	db.readStmts = newStmtCache(db.read)
	return db.write.PingContext(ctx)
}

// Close closes every connection.
func (db *DB) Close() error {
	var errs []error
	if db.readStmts != nil {
		db.readStmts.close()
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil && db.write != db.read {
		errs = append(errs, db.write.Close())
	}
	if db.pool != nil {
		db.pool.Close()
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Stats returns the pool figures of the reader and writer pools, for metrics.
func (db *DB) Stats() (read, write sql.DBStats) { return db.read.Stats(), db.write.Stats() }

// Conn runs queries inside one transaction, or directly on the reader pool.
// All query methods of the store hang off Conn.
type Conn struct {
	q       querier
	d       Dialect
	now     time.Time
	writing bool
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Now is the single time of this transaction.
func (c *Conn) Now() time.Time { return c.now }

// Read runs fn on the reader pool, without a transaction.
func (db *DB) Read(ctx context.Context, fn func(*Conn) error) error {
	return translate(fn(&Conn{q: db.querier(db.read, db.readStmts, nil), d: db.Dialect, now: db.now()}))
}

// Snapshot runs fn in a read-only transaction that sees one consistent state
// of the database, for reads that must agree with each other (verifying an
// audit chain against its head, a backup).
func (db *DB) Snapshot(ctx context.Context, fn func(*Conn) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	return translate(fn(&Conn{q: db.querier(tx, db.readStmts, tx), d: db.Dialect, now: db.now()}))
}

// querier returns plain, or on SQLite a querier that reuses prepared statements.
func (db *DB) querier(plain querier, cache *stmtCache, tx *sql.Tx) querier {
	if cache == nil {
		return plain
	}
	return cachedQuerier{cache: cache, tx: tx, plain: plain}
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// maxAttempts bounds how often a write is retried after a serialization
// failure, a deadlock or a busy database.
const maxAttempts = 12

// Write runs fn in a write transaction and commits when fn returns nil. When
// the database reports a conflict between concurrent writers (PostgreSQL
// serialization failure or deadlock, SQLite busy), the whole transaction is
// retried with backoff, so a conflict is never dropped. fn must therefore not
// have effects outside the transaction.
func (db *DB) Write(ctx context.Context, fn func(*Conn) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.writeOnce(ctx, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return translate(err)
		}
		backoff := time.Duration(1<<min(attempt, 7)) * time.Millisecond
		backoff += time.Duration(rand.Int64N(int64(backoff)))
		db.log.Debug("retrying write after conflict", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return translate(ctx.Err())
		case <-time.After(backoff):
		}
	}
}

func (db *DB) writeOnce(ctx context.Context, fn func(*Conn) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(&Conn{q: tx, d: db.Dialect, now: db.now(), writing: true}); err != nil {
		return err
	}
	return tx.Commit()
}

// ExecRaw runs one statement on the writer pool, outside the store's
// methods. It is for tests and repair tools (for example, to show that a
// tampered audit trail is detected); application code must not use it.
func (db *DB) ExecRaw(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return translate(err)
}

func caioErr(code, msg string) error { return errorf(code, "%s", msg) }
