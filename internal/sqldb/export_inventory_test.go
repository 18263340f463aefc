package sqldb

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
)

// ExplainSystems returns the engine's plan of the query that lists a page of
// systems, one line per step, so a test can check that an index serves it.
func (c *Conn) ExplainSystems(ctx context.Context, orgID string, f caio.AISystemFilter) (string, error) {
	page, args, _, _ := systemsQuery(orgID, f, c.d).build()
	explain := "EXPLAIN "
	if c.d == SQLite {
		explain = "EXPLAIN QUERY PLAN "
	}
	rows, err := c.q.QueryContext(ctx, explain+page, args...)
	if err != nil {
		return "", translate(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		if s, ok := vals[len(vals)-1].(string); ok {
			lines = append(lines, s)
		} else if b, ok := vals[len(vals)-1].([]byte); ok {
			lines = append(lines, string(b))
		}
	}
	return strings.Join(lines, "\n"), rows.Err()
}
