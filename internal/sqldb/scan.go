package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ts formats a time for storage.
func ts(t time.Time) string { return t.UTC().Format(TimeFormat) }

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
	if t, ok := parseStoredTime(s); ok {
		*c.t = t
		return nil
	}
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

// parseStoredTime reads the fixed-width TimeFormat without time.Parse's
// general machinery: lists scan two times per row, and this is several times
// faster. It reports false for anything else, which time.Parse then handles.
func parseStoredTime(s string) (time.Time, bool) {
	// 2006-01-02T15:04:05.000000Z
	if len(s) != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	var f [7]int
	for k, p := range [7][2]int{{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}, {20, 6}} {
		v, ok := num(p[0], p[1])
		if !ok {
			return time.Time{}, false
		}
		f[k] = v
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, false
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, time.UTC)
	if t.Day() != f[2] { // 31 April and the like roll over; refuse them
		return time.Time{}, false
	}
	return t, true
}
