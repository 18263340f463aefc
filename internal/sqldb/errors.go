package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/caio-office/caio"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

func errorf(code, format string, args ...any) error { return caio.Errorf(code, format, args...) }

// errStale says a row changed between reading and writing it in one
// transaction (possible under PostgreSQL's read committed isolation). The
// transaction is retried, reading the new row.
var errStale = errors.New("row changed by a concurrent writer")

// translate maps driver errors to caio errors: a unique violation on either
// engine is a conflict, a missing row is not found. Anything else passes
// through and is shown as an internal error.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var ce *caio.Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return caio.Errorf(caio.ENOTFOUND, "Not found.")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, errStale) {
		return caio.Errorf(caio.ECONFLICT, "Someone else kept changing this at the same moment. Try again.")
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return caio.Errorf(caio.ECONFLICT, "That already exists.")
		case "22021", "22P05": // invalid byte sequence, untranslatable character (NUL)
			return caio.Errorf(caio.EINVALID, "Text must be UTF-8 without the NUL character.")
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) && strings.Contains(se.Error(), "UNIQUE constraint failed") {
		return caio.Errorf(caio.ECONFLICT, "That already exists.")
	}
	return err
}

// retryable reports whether a transaction failed only because another writer
// got in the way, so running it again may succeed.
func retryable(err error) bool {
	if errors.Is(err, errStale) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01" // serialization_failure, deadlock_detected
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}
