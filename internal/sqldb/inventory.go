package sqldb

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// The AI inventory: systems, models, datasets, vendors and system links.
// Lists of keys (countries, roles, special categories) are stored as
// comma-separated text; the classification columns of ai_systems are
// written only by SetSystemClassification.

func init() {
	counted["system"] = "ai_systems"
	counted["model"] = "ai_models"
	counted["dataset"] = "datasets"
	counted["vendor"] = "vendors"
}

// joinKeys and splitKeys store a list of keys as comma-separated text.
func joinKeys(keys []string) string { return strings.Join(keys, ",") }

func splitKeys(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// keysCol scans comma-separated keys into a []string.
type keysCol struct{ keys *[]string }

func (c keysCol) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case nil:
	default:
		return errorf(caio.EINTERNAL, "keys column: unexpected %T", v)
	}
	*c.keys = splitKeys(s)
	return nil
}

// optTimeCol scans a time stored as text that may be empty into a **time.Time.
type optTimeCol struct{ t **time.Time }

func (c optTimeCol) Scan(v any) error {
	if v == nil {
		*c.t = nil
		return nil
	}
	if s, ok := v.(string); ok && s == "" {
		*c.t = nil
		return nil
	}
	if b, ok := v.([]byte); ok && len(b) == 0 {
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

// boolInt is how a flag is stored: 0 or 1 on both engines, so backups carry
// a number either way.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forUpdate locks a row read inside a write transaction on PostgreSQL, as
// Conn.Objective does, so a read followed by a write cannot go stale.
func (c *Conn) forUpdate() string {
	if c.writing && c.d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// inventorySort maps the sorts of the model and dataset lists to an ORDER BY
// that their indexes serve.
var inventorySort = map[string]string{
	"name": "lower(name), id", "-name": "lower(name) DESC, id DESC",
	"created": "created_at, id", "-created": "created_at DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
}

// vendorSort is inventorySort for vendors, whose names are unique ignoring
// case: the unique index alone gives the order.
var vendorSort = map[string]string{
	"name": "lower(name)", "-name": "lower(name) DESC",
	"created": "created_at, id", "-created": "created_at DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
}

// listQuery is one page of a list with its total, as Conn.Objectives reads it.
type listQuery struct {
	name    string // for the comment that names the query in logs
	table   string
	columns string
	kind    string // the org_counters kind, for the unfiltered total
	where   []string
	args    []any
	order   string
	page    caio.Page
}

// filter adds a condition whose ? stands for v.
func (q *listQuery) filter(cond string, v any) {
	q.args = append(q.args, v)
	q.where = append(q.where, strings.ReplaceAll(cond, "?", "$"+itoa(len(q.args))))
}

// search adds a case-insensitive substring match on any of the columns.
// The pattern is lower case; each column is lowered on PostgreSQL, whose
// LIKE is case-sensitive. SQLite's LIKE already ignores case (and its
// lower() knows only ASCII too), so there the column is compared as it is:
// lowering three text columns of every row cost more than the match itself.
func (q *listQuery) search(s *string, columns ...string) {
	if s == nil || *s == "" {
		return
	}
	q.args = append(q.args, likePattern(*s))
	n := "$" + itoa(len(q.args))
	parts := make([]string, len(columns))
	for i, c := range columns {
		parts[i] = searchLower + c + ") LIKE " + n + ` ESCAPE '\'`
	}
	q.where = append(q.where, "("+strings.Join(parts, " OR ")+")")
}

// searchLower marks a column lowered for a search, until run knows the engine.
const searchLower = "lower(/*search*/"

// build returns the query of the page (with the total as its last column)
// and its arguments, and the expression of the total alone, whose arguments
// are the first n.
func (q *listQuery) build() (page string, args []any, total string, n int) {
	cond := strings.Join(q.where, " AND ")
	n = len(q.args)
	args = append(slices.Clone(q.args), q.page.Limit, q.page.Offset)
	// The total comes from an uncorrelated subquery, evaluated once; without
	// filters it is the kept count, not a count of every row.
	total = `(SELECT COUNT(*) FROM ` + q.table + ` WHERE ` + cond + `)`
	if len(q.where) == 1 {
		total = `(SELECT COALESCE((SELECT n FROM org_counters WHERE org_id = $1 AND kind = '` + q.kind + `'), 0))`
	}
	page = `/* Conn.` + q.name + ` */ SELECT ` + q.columns + `, ` + total + ` FROM ` + q.table + ` WHERE ` + cond +
		` ORDER BY ` + q.order + ` LIMIT $` + itoa(n+1) + ` OFFSET $` + itoa(n+2)
	return page, args, total, n
}

// run reads the page, calling scan for each row with a destination for the
// total, and returns the total that match.
func (c *Conn) run(ctx context.Context, q *listQuery, scan func(row interface{ Scan(...any) error }, total *int) error) (int, error) {
	page, args, total, n := q.build()
	if c.d == SQLite {
		page = strings.ReplaceAll(page, searchLower, "(")
		total = strings.ReplaceAll(total, searchLower, "(")
	}
	rows, err := c.q.QueryContext(ctx, page, args...)
	if err != nil {
		return 0, translate(err)
	}
	defer rows.Close()
	count, seen := 0, false
	for rows.Next() {
		if err := scan(rows, &count); err != nil {
			return 0, err
		}
		seen = true
	}
	if err := rows.Err(); err != nil {
		return 0, translate(err)
	}
	if !seen {
		// No row carried the total: the page is empty or past the end.
		count, err = c.count(ctx, `/* Conn.`+q.name+` */ SELECT `+total, args[:n])
	}
	return count, err
}

// rowsChanged turns an UPDATE or DELETE that matched no row into errStale,
// so the transaction is retried against the row as it is now.
func rowsChanged(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStale
	}
	return nil
}

// --- AI systems ---

const systemColumns = `id, org_id, name, purpose, description, owner, business_unit, stage, countries, users, affected, autonomy, oversight, roles, version, created_at, updated_at, class, basis, next_deadline, classified_at, omb_impact`

func scanSystem(row interface{ Scan(...any) error }, extra ...any) (*caio.AISystem, error) {
	var s caio.AISystem
	dest := append([]any{&s.ID, &s.OrgID, &s.Name, &s.Purpose, &s.Description, &s.Owner, &s.BusinessUnit, &s.Stage,
		keysCol{&s.Countries}, &s.Users, &s.Affected, &s.Autonomy, &s.Oversight, keysCol{&s.Roles}, &s.Version,
		timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}, &s.Class, &s.Basis, &s.NextDeadline, optTimeCol{&s.ClassifiedAt}, &s.OMBImpact}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &s, nil
}

// System returns an AI system of the organisation, or ENOTFOUND. Inside a
// write transaction on PostgreSQL it locks the row until commit.
func (c *Conn) System(ctx context.Context, orgID, id string) (*caio.AISystem, error) {
	s, err := scanSystem(c.q.QueryRowContext(ctx, `/* Conn.System */ SELECT `+systemColumns+` FROM ai_systems WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	return s, err
}

// systemOrder maps each sort to an ORDER BY that an index of ai_systems
// serves. Both deadline orders put systems without a deadline last.
var systemOrder = map[string]string{
	"-created": "created_at DESC, id DESC", "created": "created_at, id",
	"name": "lower(name), id", "-name": "lower(name) DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
	"next_deadline":  "(next_deadline = ''), next_deadline, id",
	"-next_deadline": "(next_deadline <> '') DESC, next_deadline DESC, id DESC",
}

// Systems returns a page of an organisation's AI systems and the total that match.
func (c *Conn) Systems(ctx context.Context, orgID string, f caio.AISystemFilter) ([]*caio.AISystem, int, error) {
	out := make([]*caio.AISystem, 0, f.Limit)
	total, err := c.run(ctx, systemsQuery(orgID, f, c.d), func(row interface{ Scan(...any) error }, total *int) error {
		s, err := scanSystem(row, total)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// systemsQuery is the list query of Systems.
func systemsQuery(orgID string, f caio.AISystemFilter, d Dialect) *listQuery {
	q := &listQuery{name: "Systems", table: "ai_systems", columns: systemColumns, kind: "system",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page}
	if phrase, ok := trigramPhrase(f.Query); ok && d == SQLite {
		// The trigram index (see migration 0002) finds the same systems as
		// the substring match below, without reading every system's text.
		q.filter(`id IN (SELECT system_id FROM ai_systems_search_ids WHERE n IN
			(SELECT rowid FROM ai_systems_search WHERE ai_systems_search MATCH ?))`, phrase)
	} else if f.Query != nil && *f.Query != "" && d == Postgres {
		// The expression of the trigram index of migration 0005, which
		// serves LIKE when pg_trgm is there; the same answers without it.
		q.args = append(q.args, likePattern(*f.Query))
		q.where = append(q.where, `(lower(name) || chr(31) || lower(purpose) || chr(31) || lower(owner)) LIKE $`+itoa(len(q.args))+` ESCAPE '\'`)
	} else {
		q.search(f.Query, "name", "purpose", "owner")
	}
	if f.Class != nil {
		class := *f.Class
		if class == caio.Unclassified {
			class = ""
		}
		q.filter("class = ?", class)
	}
	if f.Stage != nil {
		q.filter("stage = ?", *f.Stage)
	}
	if f.Owner != nil {
		q.filter("owner = ?", *f.Owner)
	}
	for _, l := range []struct {
		kind string
		id   *string
	}{{"vendor", f.Vendor}, {"model", f.Model}, {"dataset", f.Dataset}, {"objective", f.Objective}} {
		if l.id != nil {
			q.filter("id IN (SELECT system_id FROM system_links WHERE org_id = $1 AND kind = '"+l.kind+"' AND target_id = ?)", *l.id)
		}
	}
	if f.DeadlineBefore != nil {
		// Written to match the deadline index on both engines.
		q.filter("(next_deadline = '') = FALSE AND next_deadline <= ?", *f.DeadlineBefore)
	}
	var ok bool
	if q.order, ok = systemOrder[f.Sort]; !ok {
		q.order = systemOrder["-created"]
	}
	return q
}

// CreateSystem inserts an AI system at version 1, not classified.
func (c *Conn) CreateSystem(ctx context.Context, s *caio.AISystem) error {
	s.Version, s.CreatedAt, s.UpdatedAt = 1, c.now, c.now
	s.Class, s.Basis, s.NextDeadline, s.ClassifiedAt = "", "", "", nil
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSystem */ INSERT INTO ai_systems (`+systemColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, '', '', '', '', $18)`,
		s.ID, s.OrgID, s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit, s.Stage, joinKeys(s.Countries),
		s.Users, s.Affected, s.Autonomy, s.Oversight, joinKeys(s.Roles), s.Version, ts(c.now), ts(c.now), s.OMBImpact)
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, s.OrgID, "system", 1)
}

// UpdateSystem writes the system's editable fields and bumps its version, if
// it still has the version that was read (otherwise the transaction is
// retried). The classification columns are left alone.
func (c *Conn) UpdateSystem(ctx context.Context, s *caio.AISystem) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateSystem */ UPDATE ai_systems SET name = $1, purpose = $2, description = $3, owner = $4,
		business_unit = $5, stage = $6, countries = $7, users = $8, affected = $9, autonomy = $10, oversight = $11, roles = $12,
		version = $13, updated_at = $14, omb_impact = $18 WHERE org_id = $15 AND id = $16 AND version = $17`,
		s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit, s.Stage, joinKeys(s.Countries), s.Users, s.Affected,
		s.Autonomy, s.Oversight, joinKeys(s.Roles), s.Version+1, ts(c.now), s.OrgID, s.ID, s.Version, s.OMBImpact))
	if err != nil {
		return err
	}
	s.Version++
	s.UpdatedAt = c.now
	return nil
}

// OMBHighImpactSystems returns the IDs of the organisation's systems
// determined high-impact under OMB M-25-21, in one query (the partial index
// of migration 0017).
func (c *Conn) OMBHighImpactSystems(ctx context.Context, orgID string) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.OMBHighImpactSystems */ SELECT id FROM ai_systems WHERE org_id = $1 AND omb_impact = 'high_impact' ORDER BY id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		out = append(out, id)
	}
	return out, translate(rows.Err())
}

// DeleteSystem removes an AI system at the version that was read, with its links.
func (c *Conn) DeleteSystem(ctx context.Context, s *caio.AISystem) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.DeleteSystem */ DELETE FROM system_links WHERE org_id = $1 AND system_id = $2`, s.OrgID, s.ID); err != nil {
		return translate(err)
	}
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteSystem */ DELETE FROM ai_systems WHERE org_id = $1 AND id = $2 AND version = $3`, s.OrgID, s.ID, s.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, s.OrgID, "system", -1)
}

// SetSystemClassification records the outcome of classifying a system: its
// primary class (one of caio.SystemClasses, or "" to clear it), the legal
// basis as a key, and the next deadline (YYYY-MM-DD or ""), with the time of
// this transaction as classified_at. It leaves the version and updated_at
// alone: a classification is not an edit of the system's fields. It returns
// ENOTFOUND when the system is not in the organisation.
func (c *Conn) SetSystemClassification(ctx context.Context, orgID, systemID, class, basis, nextDeadline string) error {
	if class != "" && !slices.Contains(caio.SystemClasses, class) {
		return caio.FieldError("class", "must be empty or one of "+strings.Join(caio.SystemClasses, ", "))
	}
	if nextDeadline != "" {
		if _, err := time.Parse(time.DateOnly, nextDeadline); err != nil {
			return caio.FieldError("next_deadline", "must be a date written YYYY-MM-DD")
		}
	}
	at := ts(c.now)
	if class == "" && basis == "" && nextDeadline == "" {
		at = ""
	}
	res, err := c.q.ExecContext(ctx, `/* Conn.SetSystemClassification */ UPDATE ai_systems SET class = $1, basis = $2, next_deadline = $3, classified_at = $4 WHERE org_id = $5 AND id = $6`,
		class, basis, nextDeadline, at, orgID, systemID)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	return nil
}

// --- Links ---

// linkTargets names the table and name column of each kind of link target.
var linkTargets = map[string]struct{ table, name, label string }{
	"model":     {"ai_models", "name", "Model"},
	"dataset":   {"datasets", "name", "Dataset"},
	"vendor":    {"vendors", "name", "Vendor"},
	"objective": {"objectives", "title", "Objective"},
}

// LinkTargetName returns the name of the link target of the kind in the
// organisation, or ENOTFOUND.
func (c *Conn) LinkTargetName(ctx context.Context, orgID, kind, id string) (string, error) {
	t, ok := linkTargets[kind]
	if !ok {
		return "", caio.FieldError("kind", "must be one of "+strings.Join(caio.LinkKinds, ", "))
	}
	var name string
	err := c.q.QueryRowContext(ctx, `/* Conn.LinkTargetName */ SELECT `+t.name+` FROM `+t.table+` WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&name)
	if err != nil {
		if caio.ErrorCode(translate(err)) == caio.ENOTFOUND {
			return "", caio.Errorf(caio.ENOTFOUND, "%s not found.", t.label)
		}
		return "", translate(err)
	}
	return name, nil
}

// SystemLinks returns every link of a system, by kind and target name.
func (c *Conn) SystemLinks(ctx context.Context, orgID, systemID string) ([]*caio.SystemLink, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.SystemLinks */ SELECT l.system_id, l.kind, l.target_id, l.created_at,
		COALESCE(m.name, d.name, v.name, o.title, '') AS target_name
		FROM system_links l
		LEFT JOIN ai_models m ON m.org_id = l.org_id AND l.kind = 'model' AND m.id = l.target_id
		LEFT JOIN datasets d ON d.org_id = l.org_id AND l.kind = 'dataset' AND d.id = l.target_id
		LEFT JOIN vendors v ON v.org_id = l.org_id AND l.kind = 'vendor' AND v.id = l.target_id
		LEFT JOIN objectives o ON o.org_id = l.org_id AND l.kind = 'objective' AND o.id = l.target_id
		WHERE l.org_id = $1 AND l.system_id = $2
		ORDER BY l.kind, lower(COALESCE(m.name, d.name, v.name, o.title, '')), l.target_id`, orgID, systemID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.SystemLink{}
	for rows.Next() {
		var l caio.SystemLink
		if err := rows.Scan(&l.SystemID, &l.Kind, &l.TargetID, timeCol{&l.CreatedAt}, &l.TargetName); err != nil {
			return nil, translate(err)
		}
		out = append(out, &l)
	}
	return out, translate(rows.Err())
}

// CountSystemLinks returns how many links a system has.
func (c *Conn) CountSystemLinks(ctx context.Context, orgID, systemID string) (int, error) {
	return c.count(ctx, `/* Conn.CountSystemLinks */ SELECT COUNT(*) FROM system_links WHERE org_id = $1 AND system_id = $2`, []any{orgID, systemID})
}

// CreateSystemLink stores a link; an existing one is ECONFLICT.
func (c *Conn) CreateSystemLink(ctx context.Context, orgID string, l *caio.SystemLink) error {
	l.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSystemLink */ INSERT INTO system_links (org_id, system_id, kind, target_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
		orgID, l.SystemID, l.Kind, l.TargetID, ts(c.now))
	if caio.ErrorCode(translate(err)) == caio.ECONFLICT {
		return caio.Errorf(caio.ECONFLICT, "The system is linked to this %s already.", l.Kind)
	}
	return translate(err)
}

// DeleteSystemLink removes a link, or returns ENOTFOUND when there is none.
func (c *Conn) DeleteSystemLink(ctx context.Context, orgID, systemID, kind, targetID string) error {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteSystemLink */ DELETE FROM system_links WHERE org_id = $1 AND system_id = $2 AND kind = $3 AND target_id = $4`,
		orgID, systemID, kind, targetID)
	if err != nil {
		return translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return caio.Errorf(caio.ENOTFOUND, "Link not found.")
	}
	return nil
}

// DeleteLinksTo removes every link to a target, as when the target is
// deleted, and returns the systems that were linked to it, in ID order.
func (c *Conn) DeleteLinksTo(ctx context.Context, orgID, kind, targetID string) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.DeleteLinksTo */ DELETE FROM system_links WHERE org_id = $1 AND kind = $2 AND target_id = $3 RETURNING system_id`, orgID, kind, targetID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	slices.Sort(ids)
	return ids, nil
}

// --- Models ---

const modelColumns = `id, org_id, name, provider, model_version, kind, licence, description, version, created_at, updated_at`

func scanModel(row interface{ Scan(...any) error }, extra ...any) (*caio.AIModel, error) {
	var m caio.AIModel
	dest := append([]any{&m.ID, &m.OrgID, &m.Name, &m.Provider, &m.ModelVersion, &m.Kind, &m.Licence, &m.Description,
		&m.Version, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// Model returns a model of the organisation, or ENOTFOUND.
func (c *Conn) Model(ctx context.Context, orgID, id string) (*caio.AIModel, error) {
	m, err := scanModel(c.q.QueryRowContext(ctx, `/* Conn.Model */ SELECT `+modelColumns+` FROM ai_models WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Model not found.")
	}
	return m, err
}

// Models returns a page of an organisation's models and the total that match.
func (c *Conn) Models(ctx context.Context, orgID string, f caio.InventoryFilter) ([]*caio.AIModel, int, error) {
	q := &listQuery{name: "Models", table: "ai_models", columns: modelColumns, kind: "model",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page, order: orderOf(inventorySort, f.Sort)}
	q.search(f.Query, "name", "provider")
	if f.Kind != nil {
		q.filter("kind = ?", *f.Kind)
	}
	out := make([]*caio.AIModel, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		m, err := scanModel(row, total)
		if err == nil {
			out = append(out, m)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func orderOf(m map[string]string, sort string) string {
	if o, ok := m[sort]; ok {
		return o
	}
	return m["name"]
}

// CreateModel inserts a model at version 1.
func (c *Conn) CreateModel(ctx context.Context, m *caio.AIModel) error {
	m.Version, m.CreatedAt, m.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateModel */ INSERT INTO ai_models (`+modelColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		m.ID, m.OrgID, m.Name, m.Provider, m.ModelVersion, m.Kind, m.Licence, m.Description, m.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, m.OrgID, "model", 1)
}

// UpdateModel writes the model's fields and bumps its version.
func (c *Conn) UpdateModel(ctx context.Context, m *caio.AIModel) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateModel */ UPDATE ai_models SET name = $1, provider = $2, model_version = $3, kind = $4, licence = $5,
		description = $6, version = $7, updated_at = $8 WHERE org_id = $9 AND id = $10 AND version = $11`,
		m.Name, m.Provider, m.ModelVersion, m.Kind, m.Licence, m.Description, m.Version+1, ts(c.now), m.OrgID, m.ID, m.Version))
	if err != nil {
		return err
	}
	m.Version++
	m.UpdatedAt = c.now
	return nil
}

// DeleteModel removes a model at the version that was read. The caller
// removes its links first (DeleteLinksTo), to record them.
func (c *Conn) DeleteModel(ctx context.Context, m *caio.AIModel) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteModel */ DELETE FROM ai_models WHERE org_id = $1 AND id = $2 AND version = $3`, m.OrgID, m.ID, m.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, m.OrgID, "model", -1)
}

// --- Datasets ---

const datasetColumns = `id, org_id, name, source, description, personal_data, special_categories, version, created_at, updated_at`

func scanDataset(row interface{ Scan(...any) error }, extra ...any) (*caio.Dataset, error) {
	var d caio.Dataset
	var personal int64
	dest := append([]any{&d.ID, &d.OrgID, &d.Name, &d.Source, &d.Description, &personal, keysCol{&d.SpecialCategories},
		&d.Version, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	d.PersonalData = personal != 0
	return &d, nil
}

// Dataset returns a dataset of the organisation, or ENOTFOUND.
func (c *Conn) Dataset(ctx context.Context, orgID, id string) (*caio.Dataset, error) {
	d, err := scanDataset(c.q.QueryRowContext(ctx, `/* Conn.Dataset */ SELECT `+datasetColumns+` FROM datasets WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Dataset not found.")
	}
	return d, err
}

// Datasets returns a page of an organisation's datasets and the total that match.
func (c *Conn) Datasets(ctx context.Context, orgID string, f caio.InventoryFilter) ([]*caio.Dataset, int, error) {
	q := &listQuery{name: "Datasets", table: "datasets", columns: datasetColumns, kind: "dataset",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page, order: orderOf(inventorySort, f.Sort)}
	q.search(f.Query, "name", "source")
	if f.PersonalData != nil {
		q.filter("personal_data = ?", boolInt(*f.PersonalData))
	}
	out := make([]*caio.Dataset, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		d, err := scanDataset(row, total)
		if err == nil {
			out = append(out, d)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateDataset inserts a dataset at version 1.
func (c *Conn) CreateDataset(ctx context.Context, d *caio.Dataset) error {
	d.Version, d.CreatedAt, d.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateDataset */ INSERT INTO datasets (`+datasetColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.ID, d.OrgID, d.Name, d.Source, d.Description, boolInt(d.PersonalData), joinKeys(d.SpecialCategories), d.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, d.OrgID, "dataset", 1)
}

// UpdateDataset writes the dataset's fields and bumps its version.
func (c *Conn) UpdateDataset(ctx context.Context, d *caio.Dataset) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateDataset */ UPDATE datasets SET name = $1, source = $2, description = $3, personal_data = $4,
		special_categories = $5, version = $6, updated_at = $7 WHERE org_id = $8 AND id = $9 AND version = $10`,
		d.Name, d.Source, d.Description, boolInt(d.PersonalData), joinKeys(d.SpecialCategories), d.Version+1, ts(c.now), d.OrgID, d.ID, d.Version))
	if err != nil {
		return err
	}
	d.Version++
	d.UpdatedAt = c.now
	return nil
}

// DeleteDataset removes a dataset at the version that was read. The caller
// removes its links first.
func (c *Conn) DeleteDataset(ctx context.Context, d *caio.Dataset) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteDataset */ DELETE FROM datasets WHERE org_id = $1 AND id = $2 AND version = $3`, d.OrgID, d.ID, d.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, d.OrgID, "dataset", -1)
}

// --- Vendors ---

const vendorColumns = `id, org_id, name, website, contact, country, description, version, created_at, updated_at`

func scanVendor(row interface{ Scan(...any) error }, extra ...any) (*caio.Vendor, error) {
	var v caio.Vendor
	dest := append([]any{&v.ID, &v.OrgID, &v.Name, &v.Website, &v.Contact, &v.Country, &v.Description,
		&v.Version, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// Vendor returns a vendor of the organisation, or ENOTFOUND.
func (c *Conn) Vendor(ctx context.Context, orgID, id string) (*caio.Vendor, error) {
	v, err := scanVendor(c.q.QueryRowContext(ctx, `/* Conn.Vendor */ SELECT `+vendorColumns+` FROM vendors WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Vendor not found.")
	}
	return v, err
}

// Vendors returns a page of an organisation's vendors and the total that match.
func (c *Conn) Vendors(ctx context.Context, orgID string, f caio.InventoryFilter) ([]*caio.Vendor, int, error) {
	q := &listQuery{name: "Vendors", table: "vendors", columns: vendorColumns, kind: "vendor",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page, order: orderOf(vendorSort, f.Sort)}
	q.search(f.Query, "name")
	out := make([]*caio.Vendor, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		v, err := scanVendor(row, total)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// vendorNameTaken is the conflict of a second vendor with the same name.
func vendorNameTaken(name string) error {
	return &caio.Error{Code: caio.ECONFLICT, Message: "A vendor named " + name + " exists already.",
		Fields: []caio.FieldProblem{{Field: "name", Message: "is taken by another vendor of this organisation"}}}
}

// CreateVendor inserts a vendor at version 1. A name another vendor of the
// organisation has (ignoring case) is ECONFLICT naming the field name.
func (c *Conn) CreateVendor(ctx context.Context, v *caio.Vendor) error {
	v.Version, v.CreatedAt, v.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateVendor */ INSERT INTO vendors (`+vendorColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		v.ID, v.OrgID, v.Name, v.Website, v.Contact, v.Country, v.Description, v.Version, ts(c.now), ts(c.now))
	if err = translate(err); caio.ErrorCode(err) == caio.ECONFLICT {
		return vendorNameTaken(v.Name)
	} else if err != nil {
		return err
	}
	return c.bumpCounter(ctx, v.OrgID, "vendor", 1)
}

// UpdateVendor writes the vendor's fields and bumps its version.
func (c *Conn) UpdateVendor(ctx context.Context, v *caio.Vendor) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateVendor */ UPDATE vendors SET name = $1, website = $2, contact = $3, country = $4, description = $5,
		version = $6, updated_at = $7 WHERE org_id = $8 AND id = $9 AND version = $10`,
		v.Name, v.Website, v.Contact, v.Country, v.Description, v.Version+1, ts(c.now), v.OrgID, v.ID, v.Version))
	if caio.ErrorCode(err) == caio.ECONFLICT {
		return vendorNameTaken(v.Name)
	} else if err != nil {
		return err
	}
	v.Version++
	v.UpdatedAt = c.now
	return nil
}

// DeleteVendor removes a vendor at the version that was read. The caller
// removes its links first.
func (c *Conn) DeleteVendor(ctx context.Context, v *caio.Vendor) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteVendor */ DELETE FROM vendors WHERE org_id = $1 AND id = $2 AND version = $3`, v.OrgID, v.ID, v.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, v.OrgID, "vendor", -1)
}

// trigramPhrase turns a search into an FTS5 phrase for the trigram index:
// the whole text, quoted, matches wherever it appears as a substring,
// ignoring case, like the LIKE search it stands for. Texts shorter than
// three characters have no trigram, so they keep the LIKE search.
func trigramPhrase(s *string) (string, bool) {
	if s == nil || utf8.RuneCountInString(*s) < 3 {
		return "", false
	}
	return `"` + strings.ReplaceAll(*s, `"`, `""`) + `"`, true
}
