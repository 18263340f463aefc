package sqldb

import (
	"context"
	"strings"
)

// importNameColumns are the tables an import matches rows against, with
// the column that names an object.
var importNameColumns = map[string][2]string{
	"systems":  {"ai_systems", "name"},
	"vendors":  {"vendors", "name"},
	"usecases": {"use_cases", "title"},
	"risks":    {"risks", "title"},
}

// ImportNames returns the IDs of the organisation's objects of an import
// kind (usecases, systems, vendors, risks) by name, trimmed and lower-cased
// in Go (so the match ignores case beyond ASCII on both engines). A name
// may have several IDs; the caller decides what that means.
func (c *Conn) ImportNames(ctx context.Context, orgID, kind string) (map[string][]string, error) {
	t, ok := importNameColumns[kind]
	if !ok {
		return map[string][]string{}, nil
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.ImportNames */ SELECT id, `+t[1]+` FROM `+t[0]+` WHERE org_id = $1 ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, translate(err)
		}
		k := MatchName(name)
		out[k] = append(out[k], id)
	}
	return out, translate(rows.Err())
}

// MatchName is the form in which an import compares names: trimmed, inner
// runs of spaces made one, lower case.
func MatchName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
