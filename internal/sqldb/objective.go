package sqldb

import (
	"context"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

func itoa(i int) string { return strconv.Itoa(i) }

const objectiveColumns = `id, org_id, title, description, kpi, baseline, target, unit, horizon, owner, version, created_at, updated_at`

func scanObjective(row interface{ Scan(...any) error }, extra ...any) (*caio.Objective, error) {
	var o caio.Objective
	dest := append([]any{&o.ID, &o.OrgID, &o.Title, &o.Description, &o.KPI, nullFloat{&o.Baseline}, nullFloat{&o.Target}, &o.Unit, &o.Horizon, &o.Owner, &o.Version, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// Objective returns an objective of the organisation, or ENOTFOUND. Inside a
// write transaction on PostgreSQL it locks the row until commit, so a read
// followed by UpdateObjective or DeleteObjective cannot go stale: concurrent
// writers of one objective queue on the lock instead of failing the version
// check and exhausting their retries. (SQLite has one writer at a time.)
func (c *Conn) Objective(ctx context.Context, orgID, id string) (*caio.Objective, error) {
	lock := ""
	if c.writing && c.d == Postgres {
		lock = " FOR UPDATE"
	}
	o, err := scanObjective(c.q.QueryRowContext(ctx, `/* Conn.Objective */ SELECT `+objectiveColumns+` FROM objectives WHERE org_id = $1 AND id = $2`+lock, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Objective not found.")
	}
	return o, err
}

// objectiveOrder maps each sort to an ORDER BY that an index of the
// objectives table serves (see the migrations), ending in id so pages are stable.
var objectiveOrder = map[string]string{
	"-created": "created_at DESC, id DESC", "created": "created_at, id",
	"title": "lower(title), id", "-title": "lower(title) DESC, id DESC",
	"horizon": "horizon, id", "-horizon": "horizon DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
}

// likePattern escapes s for a LIKE ... ESCAPE '\' that matches it anywhere.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}

// Objectives returns a page of an organisation's objectives and the total that match.
func (c *Conn) Objectives(ctx context.Context, orgID string, f caio.ObjectiveFilter) ([]*caio.Objective, int, error) {
	where, args := []string{"org_id = $1"}, []any{orgID}
	if f.Query != nil && *f.Query != "" {
		args = append(args, likePattern(*f.Query))
		n := "$" + itoa(len(args))
		where = append(where, "(lower(title) LIKE "+n+` ESCAPE '\' OR lower(kpi) LIKE `+n+` ESCAPE '\' OR lower(owner) LIKE `+n+` ESCAPE '\')`)
	}
	if f.Owner != nil {
		args = append(args, *f.Owner)
		where = append(where, "owner = $"+itoa(len(args)))
	}
	if f.Dated {
		where = append(where, "horizon <> ''")
	}
	order, ok := objectiveOrder[f.Sort]
	if !ok {
		order = objectiveOrder["-created"]
	}
	cond := strings.Join(where, " AND ")
	n := len(args)
	args = append(args, f.Limit, f.Offset)
	// The total comes from an uncorrelated subquery, which both engines
	// evaluate once, so one round trip brings the page and the total.
	// Without filters it is the kept count, not a count of every row.
	total := `(SELECT COUNT(*) FROM objectives WHERE ` + cond + `)`
	if len(where) == 1 {
		total = `(SELECT COALESCE((SELECT n FROM org_counters WHERE org_id = $1 AND kind = 'objective'), 0))`
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.Objectives */ SELECT `+objectiveColumns+`, `+total+` FROM objectives WHERE `+cond+
		` ORDER BY `+order+` LIMIT $`+itoa(n+1)+` OFFSET $`+itoa(n+2), args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	out := make([]*caio.Objective, 0, f.Limit)
	count := 0
	for rows.Next() {
		o, err := scanObjective(rows, &count)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, translate(err)
	}
	if len(out) == 0 {
		// No row carried the total: the page is empty or past the end.
		count, err = c.count(ctx, `/* Conn.Objectives */ SELECT `+total, args[:n])
	}
	return out, count, err
}

// CreateObjective inserts an objective at version 1.
func (c *Conn) CreateObjective(ctx context.Context, o *caio.Objective) error {
	o.Version, o.CreatedAt, o.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateObjective */ INSERT INTO objectives (`+objectiveColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		o.ID, o.OrgID, o.Title, o.Description, o.KPI, floatArg(o.Baseline), floatArg(o.Target), o.Unit, o.Horizon, o.Owner, o.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, o.OrgID, "objective", 1)
}

// UpdateObjective writes the objective's fields and bumps its version. It
// changes the row only if it still has the version that was read; if another
// writer got there first, the transaction is retried from the start.
func (c *Conn) UpdateObjective(ctx context.Context, o *caio.Objective) error {
	res, err := c.q.ExecContext(ctx, `/* Conn.UpdateObjective */ UPDATE objectives SET title = $1, description = $2, kpi = $3, baseline = $4, target = $5, unit = $6, horizon = $7, owner = $8, version = $9, updated_at = $10 WHERE org_id = $11 AND id = $12 AND version = $13`,
		o.Title, o.Description, o.KPI, floatArg(o.Baseline), floatArg(o.Target), o.Unit, o.Horizon, o.Owner, o.Version+1, ts(c.now), o.OrgID, o.ID, o.Version)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStale
	}
	o.Version++
	o.UpdatedAt = c.now
	return nil
}

// DeleteObjective removes an objective at the version that was read.
func (c *Conn) DeleteObjective(ctx context.Context, o *caio.Objective) error {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteObjective */ DELETE FROM objectives WHERE org_id = $1 AND id = $2 AND version = $3`, o.OrgID, o.ID, o.Version)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStale
	}
	return c.bumpCounter(ctx, o.OrgID, "objective", -1)
}
