package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxBulkParams bounds the bind parameters of one statement: below SQLite's
// limit of 32,766 and PostgreSQL's of 65,535.
const maxBulkParams = 30000

// bulkInserter writes many rows into one table with multi-row INSERT
// statements, so loading a large data set (a restore, benchmark data) costs
// one round trip per batch of rows instead of one per row. The full-batch
// statement is prepared once. It runs inside the Conn's transaction.
//
// Table and column names go into the SQL text as they are: callers pass only
// names they know to exist.
type bulkInserter struct {
	c     *Conn
	table string
	cols  []string
	per   int // rows per statement
	stmt  *sql.Stmt
	buf   []any
	n     int // rows waiting in buf
	// Rows counts the rows written so far.
	Rows int64
}

// bulk returns an inserter into table for the given columns.
func (c *Conn) bulk(table string, cols []string) *bulkInserter {
	per := max(1, min(500, maxBulkParams/max(1, len(cols))))
	return &bulkInserter{c: c, table: table, cols: cols, per: per, buf: make([]any, 0, per*len(cols))}
}

// bulkInsertSQL returns a multi-row INSERT. On SQLite its parameters are
// anonymous (?): the driver looks each $n name up with a linear scan, which
// makes a statement of thousands of named parameters quadratic to bind.
func bulkInsertSQL(d Dialect, table string, cols []string, rows int) string {
	var b strings.Builder
	b.Grow(64 + rows*len(cols)*6)
	b.WriteString("/* bulkInserter */ INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			if d == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(itoa(p))
				p++
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Add queues one row, in column order, and writes a batch when one is full.
func (b *bulkInserter) Add(ctx context.Context, vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("%s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	b.buf = append(b.buf, vals...)
	b.n++
	if b.n == b.per {
		return b.flush(ctx)
	}
	return nil
}

func (b *bulkInserter) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == b.per {
		if b.stmt == nil {
			if b.stmt, err = b.c.prepare(ctx, bulkInsertSQL(b.c.d, b.table, b.cols, b.per)); err != nil {
				return translate(err)
			}
		}
		_, err = b.stmt.ExecContext(ctx, b.buf...)
	} else {
		_, err = b.c.q.ExecContext(ctx, bulkInsertSQL(b.c.d, b.table, b.cols, b.n), b.buf...)
	}
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, translate(err))
	}
	b.Rows += int64(b.n)
	clear(b.buf) // drop references to the values written
	b.buf, b.n = b.buf[:0], 0
	return nil
}

// Close writes the rows still queued and releases the prepared statement.
func (b *bulkInserter) Close(ctx context.Context) error {
	err := b.flush(ctx)
	if b.stmt != nil {
		b.stmt.Close()
		b.stmt = nil
	}
	return err
}

// prepare prepares a statement on the Conn's transaction (or pool).
func (c *Conn) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	p, ok := c.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return nil, fmt.Errorf("cannot prepare statements on %T", c.q)
	}
	return p.PrepareContext(ctx, query)
}
