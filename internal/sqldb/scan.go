package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ts formats a time for storage.
func ts(t time.Time) string { return t.UTC().Format(TimeFormat) }

// tsPtr formats an optional time; nil stays NULL.
func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// timeCol scans a stored time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	case time.Time:
		*c.t = x.UTC()
		return nil
	}
	return fmt.Errorf("time column: unexpected %T", v)
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return err
		}
	}
	*c.t = t.UTC()
	return nil
}

// nullTimeCol scans an optional stored time into a **time.Time.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// nullFloat scans an optional number into a **float64.
type nullFloat struct{ f **float64 }

func (c nullFloat) Scan(v any) error {
	var n sql.NullFloat64
	if err := n.Scan(v); err != nil {
		return err
	}
	if n.Valid {
		f := n.Float64
		*c.f = &f
	} else {
		*c.f = nil
	}
	return nil
}

func floatArg(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// count runs a COUNT(*) query. Lists count apart from fetching their page:
// a window count (COUNT(*) OVER()) would make the engine read and sort every
// matching row, where the page query can walk an index and stop after LIMIT.
func (c *Conn) count(ctx context.Context, query string, args []any) (int, error) {
	var n int
	err := c.q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, translate(err)
}
