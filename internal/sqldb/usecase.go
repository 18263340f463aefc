package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/caio-office/caio"
	gojson "github.com/goccy/go-json"
)

// --- Use cases ---

const useCaseColumns = `id, org_id, title, problem, process, users, volume, data_needed, data_available, approach, sourcing,
	benefits, costs, risks, dependencies, owner, sponsor, stage, held_from, stage_since, intake, intake_note, merged_into,
	ratings, road_start, road_end, road_people, road_budget, submitted_by, version, created_at, updated_at,
	EXISTS (SELECT 1 FROM business_cases b WHERE b.use_case_id = use_cases.id)`

// jsonCol scans a JSON text column into a value.
type jsonCol struct{ v any }

func (c jsonCol) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	case nil:
		return nil
	default:
		return errorf(caio.EINTERNAL, "JSON column holds %T", v)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, c.v)
}

func jsonArg(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values of our own types are stored
	}
	return string(b)
}

func scanUseCase(row interface{ Scan(...any) error }, extra ...any) (*caio.UseCase, error) {
	var u caio.UseCase
	cv := &u.UseCaseCanvas
	var hasBC any
	dest := append([]any{&u.ID, &u.OrgID, &cv.Title, &cv.Problem, &cv.Process, &cv.Users, &cv.Volume, &cv.DataNeeded,
		&cv.DataAvailable, &cv.Approach, &cv.Sourcing, &cv.Benefits, &cv.Costs, &cv.Risks, &cv.Dependencies, &cv.Owner,
		&cv.Sponsor, &u.Stage, &u.HeldFrom, timeCol{&u.StageSince}, &u.Intake, &u.IntakeNote, &u.MergedInto,
		jsonCol{&u.Ratings}, &u.Roadmap.Start, &u.Roadmap.End, &u.Roadmap.People, &u.Roadmap.Budget, &u.SubmittedBy,
		&u.Version, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}, &hasBC}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	u.HasBusinessCase = truthy(hasBC)
	u.ObjectiveIDs, u.SystemIDs, u.DependsOn = []string{}, []string{}, []string{}
	return &u, nil
}

// truthy reads a boolean that SQLite returns as an integer and PostgreSQL as a bool.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return false
}

// UseCase returns a use case of the organisation with its links, or
// ENOTFOUND. Inside a write transaction on PostgreSQL it locks the row.
func (c *Conn) UseCase(ctx context.Context, orgID, id string) (*caio.UseCase, error) {
	u, err := scanUseCase(c.q.QueryRowContext(ctx, `/* Conn.UseCase */ SELECT `+useCaseColumns+` FROM use_cases WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Use case not found.")
	}
	if err != nil {
		return nil, err
	}
	return u, c.loadUseCaseLinks(ctx, orgID, []*caio.UseCase{u})
}

// useCaseOrder maps the sorts of the list (except priority, which the
// application ranks) to an ORDER BY its indexes serve.
var useCaseOrder = map[string]string{
	"-created": "created_at DESC, id DESC", "created": "created_at, id",
	"title": "lower(title), id", "-title": "lower(title) DESC, id DESC",
	"stage": "stage, id", "updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
}

// useCaseQuery builds the conditions of a filter.
func useCaseQuery(orgID string, f caio.UseCaseFilter) *listQuery {
	q := &listQuery{name: "UseCases", table: "use_cases", columns: useCaseColumns, kind: "use_case", page: f.Page}
	q.where, q.args = []string{"org_id = $1"}, []any{orgID}
	q.search(f.Query, "title", "problem", "owner")
	if f.Stage != nil {
		q.filter("stage = ?", *f.Stage)
	}
	if f.Intake != nil {
		q.filter("intake = ?", *f.Intake)
	}
	if f.Approach != nil {
		q.filter("approach = ?", *f.Approach)
	}
	if f.Owner != nil {
		q.filter("owner = ?", *f.Owner)
	}
	if f.ObjectiveID != nil {
		q.filter("id IN (SELECT use_case_id FROM use_case_links WHERE org_id = $1 AND kind = 'objective' AND target_id = ?)", *f.ObjectiveID)
	}
	if f.SystemID != nil {
		q.filter("id IN (SELECT use_case_id FROM use_case_links WHERE org_id = $1 AND kind = 'system' AND target_id = ?)", *f.SystemID)
	}
	return q
}

// UseCases returns a page of use cases with their links and the total that
// match, in an order of useCaseOrder.
func (c *Conn) UseCases(ctx context.Context, orgID string, f caio.UseCaseFilter) ([]*caio.UseCase, int, error) {
	q := useCaseQuery(orgID, f)
	order, ok := useCaseOrder[f.Sort]
	if !ok {
		order = useCaseOrder["-created"]
	}
	q.order = order
	out := make([]*caio.UseCase, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		u, err := scanUseCase(row, total)
		if err == nil {
			out = append(out, u)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, c.loadUseCaseLinks(ctx, orgID, out)
}

// UseCaseRank is what ranking needs of one use case: its ratings and what
// its links say, without the canvas.
type UseCaseRank struct {
	ID             string
	Title          string
	Stage          string
	Ratings        caio.UseCaseRatings
	ObjectiveCount int
	Systems        []RankSystem
	// Register is the highest-scoring open risk of the register linked to
	// the use case, with the organisation's scale; nil when none is.
	Register       *RankRisk
	NPVP50         *float64
	Cost           *float64
	Start, End     string
	People, Budget float64
	DependsOn      []string
}

// RankRisk is a risk of the register as ranking reads it.
type RankRisk struct {
	ID, Title    string
	Score, Scale int
}

// RankSystem is a linked AI system's name and class.
type RankSystem struct{ ID, Name, Class string }

// UseCaseRanks returns every use case that matches the filter (ignoring its
// page and sort) with what ranking needs. When ids is not nil, only those
// use cases are read. It reads the use cases, then the organisation's
// business-case figures, links and linked systems, each in one query without
// joins: ranking 50,000 use cases is bound by how many rows SQLite steps
// through, and a join costs a lookup per row.
func (c *Conn) UseCaseRanks(ctx context.Context, orgID string, f caio.UseCaseFilter, ids []string) ([]*UseCaseRank, error) {
	q := useCaseQuery(orgID, f)
	linkCond, linkArgs := "org_id = $1", []any{orgID}
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		ph, lph := make([]string, len(ids)), make([]string, len(ids))
		for i, id := range ids {
			q.args = append(q.args, id)
			ph[i] = "$" + itoa(len(q.args))
			linkArgs = append(linkArgs, id)
			lph[i] = "$" + itoa(i+2)
		}
		q.where = append(q.where, "id IN ("+strings.Join(ph, ", ")+")")
		linkCond += " AND use_case_id IN (" + strings.Join(lph, ", ") + ")"
	}
	cond := strings.Join(q.where, " AND ")
	if c.d == SQLite {
		cond = strings.ReplaceAll(cond, searchLower, "(")
	}
	// Each use case's links come along in its links column: one row per
	// use case instead of one per link.
	rows, err := c.q.QueryContext(ctx, `/* Conn.UseCaseRanks */ SELECT id, title, stage, ratings, road_start, road_end, road_people, road_budget, links
		FROM use_cases WHERE `+cond, q.args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*UseCaseRank
	byID := map[string]*UseCaseRank{}
	var ratings []byte
	var links string
	var systemLinks [][2]int // (index in out, offset of the system id in linkText)
	var linkText []string
	for rows.Next() {
		r := &UseCaseRank{}
		if err := rows.Scan(&r.ID, &r.Title, &r.Stage, &ratings, &r.Start, &r.End, &r.People, &r.Budget, &links); err != nil {
			return nil, translate(err)
		}
		// goccy's decoder: ranking 50,000 use cases decodes 50,000 of these.
		if err := gojson.Unmarshal(ratings, &r.Ratings); err != nil {
			return nil, errorf(caio.EINTERNAL, "use case %s: ratings: %v", r.ID, err)
		}
		for l := range strings.SplitSeq(links, ",") {
			kind, target, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			switch kind {
			case "objective":
				r.ObjectiveCount++
			case "system":
				systemLinks = append(systemLinks, [2]int{len(out), len(linkText)})
				linkText = append(linkText, target)
			case "depends_on":
				r.DependsOn = append(r.DependsOn, target)
			}
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := c.eachRow(ctx, `/* Conn.UseCaseRanks */ SELECT use_case_id, npv_p50, total_cost FROM business_cases WHERE `+linkCond, linkArgs,
		func(scan func(...any) error) error {
			var id string
			var npv, cost float64
			if err := scan(&id, &npv, &cost); err != nil {
				return err
			}
			if r := byID[id]; r != nil {
				r.NPVP50, r.Cost = &npv, &cost
			}
			return nil
		}); err != nil {
		return nil, err
	}
	// The highest open risk of the register linked to each use case, on
	// the organisation's scale (5 unless it set another).
	scale := 5
	if err := c.eachRow(ctx, `/* Conn.UseCaseRanks */ SELECT scale FROM risk_settings WHERE org_id = $1`, []any{orgID},
		func(scan func(...any) error) error { return scan(&scale) }); err != nil {
		return nil, err
	}
	if err := c.eachRow(ctx, `/* Conn.UseCaseRanks */ SELECT l.use_case_id, r.id, r.title, r.score
		FROM (SELECT risk_id, use_case_id FROM risk_links WHERE kind = 'use_case' AND `+linkCond+`) l
		JOIN risks r ON r.id = l.risk_id WHERE r.status <> 'closed'`, linkArgs,
		func(scan func(...any) error) error {
			var ucID string
			rr := &RankRisk{Scale: scale}
			if err := scan(&ucID, &rr.ID, &rr.Title, &rr.Score); err != nil {
				return err
			}
			if u := byID[ucID]; u != nil && (u.Register == nil || rr.Score > u.Register.Score) {
				u.Register = rr
			}
			return nil
		}); err != nil {
		return nil, err
	}
	// The linked systems' names and classes: by their ids when they are
	// few, as they usually are, else every linked system of the organisation.
	systems := map[string]*RankSystem{}
	sysQuery, sysArgs := `/* Conn.UseCaseRanks */ SELECT id, name, class FROM ai_systems WHERE org_id = $1
		AND id IN (SELECT target_id FROM use_case_links WHERE org_id = $1 AND kind = 'system')`, []any{orgID}
	distinct := map[string]bool{}
	for _, id := range linkText {
		distinct[id] = true
	}
	if len(distinct) == 0 {
		return out, nil
	}
	if len(distinct) <= 500 {
		ph := make([]string, 0, len(distinct))
		for id := range distinct {
			sysArgs = append(sysArgs, id)
			ph = append(ph, "$"+itoa(len(sysArgs)))
		}
		sysQuery = `/* Conn.UseCaseRanks */ SELECT id, name, class FROM ai_systems WHERE org_id = $1 AND id IN (` + strings.Join(ph, ", ") + `)`
	}
	if err := c.eachRow(ctx, sysQuery, sysArgs,
		func(scan func(...any) error) error {
			var s RankSystem
			if err := scan(&s.ID, &s.Name, &s.Class); err != nil {
				return err
			}
			systems[s.ID] = &s
			return nil
		}); err != nil {
		return nil, err
	}
	for _, l := range systemLinks {
		if sys := systems[linkText[l[1]]]; sys != nil {
			out[l[0]].Systems = append(out[l[0]].Systems, *sys)
		}
	}
	return out, nil
}

// eachRow runs a query and calls fn with a scanner for each row.
func (c *Conn) eachRow(ctx context.Context, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	scan := func(dest ...any) error { return translate(rows.Scan(dest...)) }
	for rows.Next() {
		if err := fn(scan); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// UseCasesByID returns the use cases with the IDs, with their links, in the
// order of ids; IDs of other organisations are left out.
func (c *Conn) UseCasesByID(ctx context.Context, orgID string, ids []string) ([]*caio.UseCase, error) {
	if len(ids) == 0 {
		return []*caio.UseCase{}, nil
	}
	args := []any{orgID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = "$" + itoa(i+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.UseCasesByID */ SELECT `+useCaseColumns+` FROM use_cases WHERE org_id = $1 AND id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	byID := map[string]*caio.UseCase{}
	for rows.Next() {
		u, err := scanUseCase(rows)
		if err != nil {
			return nil, err
		}
		byID[u.ID] = u
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	out := make([]*caio.UseCase, 0, len(ids))
	for _, id := range ids {
		if u := byID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out, c.loadUseCaseLinks(ctx, orgID, out)
}

// loadUseCaseLinks fills the links of the use cases in one query.
func (c *Conn) loadUseCaseLinks(ctx context.Context, orgID string, us []*caio.UseCase) error {
	if len(us) == 0 {
		return nil
	}
	args := []any{orgID}
	ph := make([]string, len(us))
	byID := make(map[string]*caio.UseCase, len(us))
	for i, u := range us {
		args = append(args, u.ID)
		ph[i] = "$" + itoa(i+2)
		byID[u.ID] = u
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.loadUseCaseLinks */ SELECT use_case_id, kind, target_id FROM use_case_links
		WHERE org_id = $1 AND use_case_id IN (`+strings.Join(ph, ", ")+`) ORDER BY use_case_id, kind, created_at, target_id`, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, target string
		if err := rows.Scan(&id, &kind, &target); err != nil {
			return translate(err)
		}
		u := byID[id]
		switch kind {
		case "objective":
			u.ObjectiveIDs = append(u.ObjectiveIDs, target)
		case "system":
			u.SystemIDs = append(u.SystemIDs, target)
		case "depends_on":
			u.DependsOn = append(u.DependsOn, target)
		}
	}
	return translate(rows.Err())
}

// CreateUseCase inserts a use case at version 1 with its links.
func (c *Conn) CreateUseCase(ctx context.Context, u *caio.UseCase) error {
	u.Version, u.CreatedAt, u.UpdatedAt = 1, c.now, c.now
	if u.StageSince.IsZero() {
		u.StageSince = c.now
	}
	cv := u.UseCaseCanvas
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateUseCase */ INSERT INTO use_cases (id, org_id, title, problem, process, users, volume,
		data_needed, data_available, approach, sourcing, benefits, costs, risks, dependencies, owner, sponsor, stage, held_from,
		stage_since, intake, intake_note, merged_into, ratings, road_start, road_end, road_people, road_budget, submitted_by,
		version, created_at, updated_at, links) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
		$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)`,
		u.ID, u.OrgID, cv.Title, cv.Problem, cv.Process, cv.Users, cv.Volume, cv.DataNeeded, cv.DataAvailable, cv.Approach,
		cv.Sourcing, cv.Benefits, cv.Costs, cv.Risks, cv.Dependencies, cv.Owner, cv.Sponsor, u.Stage, u.HeldFrom,
		ts(u.StageSince), u.Intake, u.IntakeNote, u.MergedInto, jsonArg(u.Ratings), u.Roadmap.Start, u.Roadmap.End,
		u.Roadmap.People, u.Roadmap.Budget, u.SubmittedBy, u.Version, ts(c.now), ts(c.now), linkText(u))
	if err != nil {
		return translate(err)
	}
	if err := c.replaceUseCaseLinks(ctx, u); err != nil {
		return err
	}
	return c.bumpCounter(ctx, u.OrgID, "use_case", 1)
}

// UpdateUseCase writes every field of the use case and its links at the
// version that was read, and bumps the version.
func (c *Conn) UpdateUseCase(ctx context.Context, u *caio.UseCase) error {
	cv := u.UseCaseCanvas
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateUseCase */ UPDATE use_cases SET title = $1, problem = $2, process = $3,
		users = $4, volume = $5, data_needed = $6, data_available = $7, approach = $8, sourcing = $9, benefits = $10, costs = $11,
		risks = $12, dependencies = $13, owner = $14, sponsor = $15, stage = $16, held_from = $17, stage_since = $18, intake = $19,
		intake_note = $20, merged_into = $21, ratings = $22, road_start = $23, road_end = $24, road_people = $25, road_budget = $26,
		version = $27, updated_at = $28, links = $29 WHERE org_id = $30 AND id = $31 AND version = $32`,
		cv.Title, cv.Problem, cv.Process, cv.Users, cv.Volume, cv.DataNeeded, cv.DataAvailable, cv.Approach, cv.Sourcing,
		cv.Benefits, cv.Costs, cv.Risks, cv.Dependencies, cv.Owner, cv.Sponsor, u.Stage, u.HeldFrom, ts(u.StageSince), u.Intake,
		u.IntakeNote, u.MergedInto, jsonArg(u.Ratings), u.Roadmap.Start, u.Roadmap.End, u.Roadmap.People, u.Roadmap.Budget,
		u.Version+1, ts(c.now), linkText(u), u.OrgID, u.ID, u.Version))
	if err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = c.now
	return c.replaceUseCaseLinks(ctx, u)
}

// linkText writes a use case's links as the use_cases.links column holds
// them: "kind:id" joined by commas, objectives, systems, then dependencies.
func linkText(u *caio.UseCase) string {
	var b strings.Builder
	for _, l := range []struct {
		kind string
		ids  []string
	}{{"objective", u.ObjectiveIDs}, {"system", u.SystemIDs}, {"depends_on", u.DependsOn}} {
		for _, id := range l.ids {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(l.kind + ":" + id)
		}
	}
	return b.String()
}

// refreshLinkText rewrites the links column of the use cases from their
// link rows, after links to a deleted target went.
func (c *Conn) refreshLinkText(ctx context.Context, orgID string, ids []string) error {
	agg := "group_concat(kind || ':' || target_id, ',')"
	if c.d == Postgres {
		agg = "string_agg(kind || ':' || target_id, ',')"
	}
	for _, id := range ids {
		if _, err := c.q.ExecContext(ctx, `/* Conn.refreshLinkText */ UPDATE use_cases SET links = COALESCE((SELECT `+agg+`
			FROM use_case_links l WHERE l.use_case_id = $1), '') WHERE org_id = $2 AND id = $1`, id, orgID); err != nil {
			return translate(err)
		}
	}
	return nil
}

// replaceUseCaseLinks makes the stored links equal the use case's lists.
func (c *Conn) replaceUseCaseLinks(ctx context.Context, u *caio.UseCase) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.replaceUseCaseLinks */ DELETE FROM use_case_links WHERE org_id = $1 AND use_case_id = $2`, u.OrgID, u.ID); err != nil {
		return translate(err)
	}
	for _, l := range []struct {
		kind string
		ids  []string
	}{{"objective", u.ObjectiveIDs}, {"system", u.SystemIDs}, {"depends_on", u.DependsOn}} {
		for i, id := range l.ids {
			// created_at orders the links as the person listed them.
			at := ts(c.now.Add(time.Duration(i) * time.Microsecond))
			if _, err := c.q.ExecContext(ctx, `/* Conn.replaceUseCaseLinks */ INSERT INTO use_case_links (org_id, use_case_id, kind, target_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
				u.OrgID, u.ID, l.kind, id, at); err != nil {
				return translate(err)
			}
		}
	}
	return nil
}

// DeleteUseCase removes a use case at the version that was read; its links,
// business case, history and KPIs go with it, and so do the links of the use
// cases that depended on it, which it returns.
func (c *Conn) DeleteUseCase(ctx context.Context, u *caio.UseCase) (dependents []string, err error) {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteUseCase */ DELETE FROM use_cases WHERE org_id = $1 AND id = $2 AND version = $3`, u.OrgID, u.ID, u.Version)); err != nil {
		return nil, err
	}
	if dependents, err = c.DeleteUseCaseLinksTo(ctx, u.OrgID, "depends_on", u.ID); err != nil {
		return nil, err
	}
	return dependents, c.bumpCounter(ctx, u.OrgID, "use_case", -1)
}

// DeleteUseCaseLinksTo removes the links of use cases to an objective, AI
// system or use case being deleted, keeps their links column in step, and
// returns the use cases that had one.
func (c *Conn) DeleteUseCaseLinksTo(ctx context.Context, orgID, kind, targetID string) ([]string, error) {
	// On PostgreSQL, lock the linked use cases first: two deletions that
	// touch one use case (its objective and its system, say) then rewrite
	// its links column one after the other, each from the committed rows,
	// instead of the second writing back what it read before waiting.
	if c.writing && c.d == Postgres {
		if err := c.eachRow(ctx, `/* Conn.DeleteUseCaseLinksTo */ SELECT id FROM use_cases WHERE org_id = $1 AND id IN
			(SELECT use_case_id FROM use_case_links WHERE org_id = $1 AND kind = $2 AND target_id = $3) ORDER BY id FOR UPDATE`,
			[]any{orgID, kind, targetID}, func(scan func(...any) error) error {
				var id string
				return scan(&id)
			}); err != nil {
			return nil, err
		}
	}
	var ids []string
	err := c.eachRow(ctx, `/* Conn.DeleteUseCaseLinksTo */ DELETE FROM use_case_links WHERE org_id = $1 AND kind = $2 AND target_id = $3 RETURNING use_case_id`,
		[]any{orgID, kind, targetID}, func(scan func(...any) error) error {
			var id string
			err := scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, err
	}
	return ids, c.refreshLinkText(ctx, orgID, ids)
}

// DependencyEdges returns every depends-on link of the organisation, for
// checking that a new one does not close a cycle.
func (c *Conn) DependencyEdges(ctx context.Context, orgID string) (map[string][]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.DependencyEdges */ SELECT use_case_id, target_id FROM use_case_links WHERE org_id = $1 AND kind = 'depends_on'`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	edges := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, translate(err)
		}
		edges[from] = append(edges[from], to)
	}
	return edges, translate(rows.Err())
}

// MissingIDs returns the IDs among ids that name no row of the table in
// the organisation (table is a constant chosen by the caller).
func (c *Conn) MissingIDs(ctx context.Context, orgID, table string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{orgID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = "$" + itoa(i+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.MissingIDs */ SELECT id FROM `+table+` WHERE org_id = $1 AND id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		found[id] = true
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	return missing, translate(rows.Err())
}

// --- Business cases ---

// BusinessCaseRow is a stored business case: the input and result as JSON
// with the figures lists read.
type BusinessCaseRow struct {
	UseCaseID    string
	OrgID        string
	Input        json.RawMessage
	Result       json.RawMessage
	Currency     string
	NPV          float64
	NPVP10       float64
	NPVP50       float64
	NPVP90       float64
	NPVMean      float64
	ProbLoss     float64
	TotalCost    float64
	TotalBenefit float64
	Version      int
	UpdatedAt    time.Time
	UpdatedBy    string
}

// BusinessCase returns a use case's business case, or ENOTFOUND.
func (c *Conn) BusinessCase(ctx context.Context, orgID, useCaseID string) (*BusinessCaseRow, error) {
	var b BusinessCaseRow
	var in, res string
	err := c.q.QueryRowContext(ctx, `/* Conn.BusinessCase */ SELECT use_case_id, org_id, input, result, currency, npv, npv_p10, npv_p50,
		npv_p90, npv_mean, prob_loss, total_cost, total_benefit, version, updated_at, updated_by FROM business_cases
		WHERE org_id = $1 AND use_case_id = $2`, orgID, useCaseID).Scan(&b.UseCaseID, &b.OrgID, &in, &res, &b.Currency, &b.NPV,
		&b.NPVP10, &b.NPVP50, &b.NPVP90, &b.NPVMean, &b.ProbLoss, &b.TotalCost, &b.TotalBenefit, &b.Version, timeCol{&b.UpdatedAt}, &b.UpdatedBy)
	if err != nil {
		if err == sql.ErrNoRows {
			return nil, caio.Errorf(caio.ENOTFOUND, "This use case has no business case yet.")
		}
		return nil, translate(err)
	}
	b.Input, b.Result = json.RawMessage(in), json.RawMessage(res)
	return &b, nil
}

// PutBusinessCase inserts or replaces a use case's business case. The
// version is the stored one plus one.
func (c *Conn) PutBusinessCase(ctx context.Context, b *BusinessCaseRow) error {
	b.Version++
	b.UpdatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.PutBusinessCase */ INSERT INTO business_cases (use_case_id, org_id, input, result, currency,
		npv, npv_p10, npv_p50, npv_p90, npv_mean, prob_loss, total_cost, total_benefit, version, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (use_case_id) DO UPDATE SET input = excluded.input, result = excluded.result, currency = excluded.currency,
		npv = excluded.npv, npv_p10 = excluded.npv_p10, npv_p50 = excluded.npv_p50, npv_p90 = excluded.npv_p90,
		npv_mean = excluded.npv_mean, prob_loss = excluded.prob_loss, total_cost = excluded.total_cost,
		total_benefit = excluded.total_benefit, version = excluded.version, updated_at = excluded.updated_at,
		updated_by = excluded.updated_by`,
		b.UseCaseID, b.OrgID, string(b.Input), string(b.Result), b.Currency, b.NPV, b.NPVP10, b.NPVP50, b.NPVP90, b.NPVMean,
		b.ProbLoss, b.TotalCost, b.TotalBenefit, b.Version, ts(c.now), b.UpdatedBy)
	return translate(err)
}

// DeleteBusinessCase removes a use case's business case.
func (c *Conn) DeleteBusinessCase(ctx context.Context, orgID, useCaseID string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteBusinessCase */ DELETE FROM business_cases WHERE org_id = $1 AND use_case_id = $2`, orgID, useCaseID))
}

// --- Stage history ---

// AddStageChange appends an entry to a use case's stage history.
func (c *Conn) AddStageChange(ctx context.Context, orgID, useCaseID string, s caio.StageChange) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.AddStageChange */ INSERT INTO stage_changes (id, org_id, use_case_id, seq, from_stage, to_stage, at, by_user, reason, approval_id)
		VALUES ($1, $2, $3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_changes WHERE use_case_id = $3), $4, $5, $6, $7, $8, $9)`,
		caio.NewID("stg"), orgID, useCaseID, s.From, s.To, ts(c.now), s.By, s.Reason, s.ApprovalID)
	return translate(err)
}

// StageHistory returns a use case's stage history, oldest first, with when
// each stage was left.
func (c *Conn) StageHistory(ctx context.Context, orgID, useCaseID string) ([]caio.StageChange, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.StageHistory */ SELECT s.from_stage, s.to_stage, s.at, s.by_user, COALESCE(u.name, ''), s.reason, s.approval_id
		FROM stage_changes s LEFT JOIN users u ON u.id = s.by_user
		WHERE s.org_id = $1 AND s.use_case_id = $2 ORDER BY s.seq`, orgID, useCaseID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []caio.StageChange{}
	for rows.Next() {
		var s caio.StageChange
		if err := rows.Scan(&s.From, &s.To, timeCol{&s.At}, &s.By, &s.ByName, &s.Reason, &s.ApprovalID); err != nil {
			return nil, translate(err)
		}
		if n := len(out); n > 0 {
			at := s.At
			out[n-1].Until = &at
		}
		out = append(out, s)
	}
	return out, translate(rows.Err())
}

// --- KPIs and realised benefits ---

// KPIs returns a use case's KPIs with their actuals, oldest KPI first and
// actuals by date.
func (c *Conn) KPIs(ctx context.Context, orgID, useCaseID string) ([]*caio.KPI, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.KPIs */ SELECT id, org_id, use_case_id, name, unit, direction, baseline, target, created_at
		FROM kpis WHERE org_id = $1 AND use_case_id = $2 ORDER BY created_at, id`, orgID, useCaseID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.KPI{}
	byID := map[string]*caio.KPI{}
	for rows.Next() {
		k := &caio.KPI{Actuals: []caio.KPIActual{}}
		if err := rows.Scan(&k.ID, &k.OrgID, &k.UseCaseID, &k.Name, &k.Unit, &k.Direction, nullFloat{&k.Baseline}, nullFloat{&k.Target}, timeCol{&k.CreatedAt}); err != nil {
			return nil, translate(err)
		}
		out = append(out, k)
		byID[k.ID] = k
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	acts, err := c.q.QueryContext(ctx, `/* Conn.KPIs */ SELECT a.kpi_id, a.id, a.on_date, a.value, a.note FROM kpi_actuals a
		JOIN kpis k ON k.id = a.kpi_id WHERE k.org_id = $1 AND k.use_case_id = $2 ORDER BY a.kpi_id, a.on_date, a.id`, orgID, useCaseID)
	if err != nil {
		return nil, translate(err)
	}
	defer acts.Close()
	for acts.Next() {
		var kid string
		var a caio.KPIActual
		if err := acts.Scan(&kid, &a.ID, &a.On, &a.Value, &a.Note); err != nil {
			return nil, translate(err)
		}
		if k := byID[kid]; k != nil {
			k.Actuals = append(k.Actuals, a)
		}
	}
	return out, translate(acts.Err())
}

// KPI returns one KPI (without actuals), or ENOTFOUND.
func (c *Conn) KPI(ctx context.Context, orgID, id string) (*caio.KPI, error) {
	k := &caio.KPI{Actuals: []caio.KPIActual{}}
	err := c.q.QueryRowContext(ctx, `/* Conn.KPI */ SELECT id, org_id, use_case_id, name, unit, direction, baseline, target, created_at
		FROM kpis WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&k.ID, &k.OrgID, &k.UseCaseID, &k.Name, &k.Unit, &k.Direction,
		nullFloat{&k.Baseline}, nullFloat{&k.Target}, timeCol{&k.CreatedAt})
	if err == sql.ErrNoRows {
		return nil, caio.Errorf(caio.ENOTFOUND, "KPI not found.")
	}
	return k, translate(err)
}

// CreateKPI inserts a KPI.
func (c *Conn) CreateKPI(ctx context.Context, k *caio.KPI) error {
	k.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateKPI */ INSERT INTO kpis (id, org_id, use_case_id, name, unit, direction, baseline, target, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, k.ID, k.OrgID, k.UseCaseID, k.Name, k.Unit, k.Direction,
		floatArg(k.Baseline), floatArg(k.Target), ts(c.now))
	return translate(err)
}

// UpdateKPI writes a KPI's fields.
func (c *Conn) UpdateKPI(ctx context.Context, k *caio.KPI) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateKPI */ UPDATE kpis SET name = $1, unit = $2, direction = $3, baseline = $4, target = $5
		WHERE org_id = $6 AND id = $7`, k.Name, k.Unit, k.Direction, floatArg(k.Baseline), floatArg(k.Target), k.OrgID, k.ID))
}

// DeleteKPI removes a KPI and its actuals.
func (c *Conn) DeleteKPI(ctx context.Context, orgID, id string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteKPI */ DELETE FROM kpis WHERE org_id = $1 AND id = $2`, orgID, id))
}

// AddKPIActual records a measurement of a KPI.
func (c *Conn) AddKPIActual(ctx context.Context, orgID, kpiID, by string, a *caio.KPIActual) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.AddKPIActual */ INSERT INTO kpi_actuals (id, org_id, kpi_id, on_date, value, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, orgID, kpiID, a.On, a.Value, a.Note, by, ts(c.now))
	return translate(err)
}

// DeleteKPIActual removes a measurement of a KPI.
func (c *Conn) DeleteKPIActual(ctx context.Context, orgID, kpiID, id string) error {
	return notFoundIfNone(c.q.ExecContext(ctx, `/* Conn.DeleteKPIActual */ DELETE FROM kpi_actuals WHERE org_id = $1 AND kpi_id = $2 AND id = $3`, orgID, kpiID, id))(
		"Measurement not found.")
}

// KPICounts returns, per use case of the organisation, how many KPIs it has
// and how many of them have a baseline.
func (c *Conn) KPICounts(ctx context.Context, orgID string) (map[string][2]int, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.KPICounts */ SELECT use_case_id, COUNT(*), COUNT(baseline) FROM kpis WHERE org_id = $1 GROUP BY use_case_id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string][2]int{}
	for rows.Next() {
		var id string
		var n, b int
		if err := rows.Scan(&id, &n, &b); err != nil {
			return nil, translate(err)
		}
		out[id] = [2]int{n, b}
	}
	return out, translate(rows.Err())
}

// BenefitActuals returns the benefits realised per year of a use case.
func (c *Conn) BenefitActuals(ctx context.Context, orgID, useCaseID string) ([]caio.BenefitActual, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.BenefitActuals */ SELECT year, amount, note FROM benefit_actuals WHERE org_id = $1 AND use_case_id = $2 ORDER BY year`, orgID, useCaseID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []caio.BenefitActual{}
	for rows.Next() {
		var b caio.BenefitActual
		if err := rows.Scan(&b.Year, &b.Amount, &b.Note); err != nil {
			return nil, translate(err)
		}
		out = append(out, b)
	}
	return out, translate(rows.Err())
}

// PutBenefitActual records or replaces the benefit realised in one year.
func (c *Conn) PutBenefitActual(ctx context.Context, orgID, useCaseID string, b caio.BenefitActual) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.PutBenefitActual */ INSERT INTO benefit_actuals (use_case_id, org_id, year, amount, note, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (use_case_id, year) DO UPDATE SET amount = excluded.amount, note = excluded.note, updated_at = excluded.updated_at`,
		useCaseID, orgID, b.Year, b.Amount, b.Note, ts(c.now))
	return translate(err)
}

// DeleteBenefitActual removes the benefit recorded for one year.
func (c *Conn) DeleteBenefitActual(ctx context.Context, orgID, useCaseID string, year int) error {
	return notFoundIfNone(c.q.ExecContext(ctx, `/* Conn.DeleteBenefitActual */ DELETE FROM benefit_actuals WHERE org_id = $1 AND use_case_id = $2 AND year = $3`, orgID, useCaseID, year))(
		"No benefit is recorded for that year.")
}

// ControlStatuses returns, for each of the systems that has an applicable
// control of the framework item, that control's status. The stage gates
// read the EU AI Act Art 27 control this way: a system has one when the
// classification says its deployer must assess fundamental-rights impact.
func (c *Conn) ControlStatuses(ctx context.Context, orgID, framework, item string, systemIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(systemIDs) == 0 {
		return out, nil
	}
	args := []any{orgID, framework, item}
	ph := make([]string, len(systemIDs))
	for i, id := range systemIDs {
		args = append(args, id)
		ph[i] = "$" + itoa(i+4)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.ControlStatuses */ SELECT system_id, status FROM controls
		WHERE org_id = $1 AND framework = $2 AND item_id = $3 AND applicable = 1 AND system_id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, translate(err)
		}
		out[id] = status
	}
	return out, translate(rows.Err())
}

// notFoundIfNone turns a DELETE that matched no row into ENOTFOUND with the
// message: the row was never there (unlike errStale, nothing to retry).
func notFoundIfNone(res sql.Result, err error) func(msg string) error {
	return func(msg string) error {
		if err != nil {
			return translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return caio.Errorf(caio.ENOTFOUND, "%s", msg)
		}
		return nil
	}
}

// RollupRow is what the portfolio roll-up reads of one accepted use case.
type RollupRow struct {
	ID, Stage       string
	Currency        string
	HasCase         bool
	Cost, Benefit   float64
	MeanNPV         float64
	ObjectiveIDs    []string
	ObjectiveTitles []string
}

// RollupRows returns the organisation's accepted use cases with their
// business-case figures and objectives, in two queries.
func (c *Conn) RollupRows(ctx context.Context, orgID string) ([]*RollupRow, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.RollupRows */ SELECT u.id, u.stage, b.use_case_id IS NOT NULL, COALESCE(b.currency, ''),
		COALESCE(b.total_cost, 0), COALESCE(b.total_benefit, 0), COALESCE(b.npv_mean, 0)
		FROM use_cases u LEFT JOIN business_cases b ON b.use_case_id = u.id
		WHERE u.org_id = $1 AND u.intake = 'accepted' ORDER BY u.created_at, u.id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*RollupRow
	byID := map[string]*RollupRow{}
	for rows.Next() {
		r := &RollupRow{}
		var has any
		if err := rows.Scan(&r.ID, &r.Stage, &has, &r.Currency, &r.Cost, &r.Benefit, &r.MeanNPV); err != nil {
			return nil, translate(err)
		}
		r.HasCase = truthy(has)
		out = append(out, r)
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	links, err := c.q.QueryContext(ctx, `/* Conn.RollupRows */ SELECT l.use_case_id, o.id, o.title FROM use_case_links l
		JOIN objectives o ON o.org_id = l.org_id AND o.id = l.target_id
		WHERE l.org_id = $1 AND l.kind = 'objective' ORDER BY lower(o.title), o.id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer links.Close()
	for links.Next() {
		var id, oid, title string
		if err := links.Scan(&id, &oid, &title); err != nil {
			return nil, translate(err)
		}
		if r := byID[id]; r != nil {
			r.ObjectiveIDs = append(r.ObjectiveIDs, oid)
			r.ObjectiveTitles = append(r.ObjectiveTitles, title)
		}
	}
	return out, translate(links.Err())
}

// BusinessCases returns every business case of the organisation, in use
// case order.
func (c *Conn) BusinessCases(ctx context.Context, orgID string) ([]*BusinessCaseRow, error) {
	var out []*BusinessCaseRow
	err := c.eachRow(ctx, `/* Conn.BusinessCases */ SELECT use_case_id, org_id, input, version, updated_by FROM business_cases WHERE org_id = $1 ORDER BY use_case_id`,
		[]any{orgID}, func(scan func(...any) error) error {
			b := &BusinessCaseRow{}
			var in string
			if err := scan(&b.UseCaseID, &b.OrgID, &in, &b.Version, &b.UpdatedBy); err != nil {
				return err
			}
			b.Input = json.RawMessage(in)
			out = append(out, b)
			return nil
		})
	return out, err
}

// UpdateBusinessCaseResult stores a new result for a business case still at
// the version that was read, and reports whether it was (a person may have
// saved a new input since).
func (c *Conn) UpdateBusinessCaseResult(ctx context.Context, b *BusinessCaseRow) (bool, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.UpdateBusinessCaseResult */ UPDATE business_cases SET result = $1, currency = $2, npv = $3,
		npv_p10 = $4, npv_p50 = $5, npv_p90 = $6, npv_mean = $7, prob_loss = $8, total_cost = $9, total_benefit = $10,
		version = version + 1, updated_at = $11 WHERE org_id = $12 AND use_case_id = $13 AND version = $14`,
		string(b.Result), b.Currency, b.NPV, b.NPVP10, b.NPVP50, b.NPVP90, b.NPVMean, b.ProbLoss, b.TotalCost, b.TotalBenefit,
		ts(c.now), b.OrgID, b.UseCaseID, b.Version)
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Name is an object's id and name with one detail: an objective's KPI, an
// AI system's class or a use case's stage.
type Name struct {
	ID, Name, Detail string
}

// Names returns the id, name and detail of the organisation's objects of a
// kind ("objective", "system" or "use_case") with the ids, in one query;
// ids of other organisations are left out.
func (c *Conn) Names(ctx context.Context, orgID, kind string, ids []string) (map[string]Name, error) {
	out := map[string]Name{}
	if len(ids) == 0 {
		return out, nil
	}
	var cols, table string
	switch kind {
	case "objective":
		cols, table = "id, title, kpi", "objectives"
	case "system":
		cols, table = "id, name, class", "ai_systems"
	case "use_case":
		cols, table = "id, title, stage", "use_cases"
	default:
		return nil, errorf(caio.EINTERNAL, "names of %q", kind)
	}
	args := []any{orgID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = "$" + itoa(i+2)
	}
	err := c.eachRow(ctx, `/* Conn.Names */ SELECT `+cols+` FROM `+table+` WHERE org_id = $1 AND id IN (`+strings.Join(ph, ", ")+`)`, args,
		func(scan func(...any) error) error {
			var n Name
			if err := scan(&n.ID, &n.Name, &n.Detail); err != nil {
				return err
			}
			out[n.ID] = n
			return nil
		})
	return out, err
}

// UseCaseNames returns the organisation's accepted use cases' ids, titles
// and stages by title, at most limit of them.
func (c *Conn) UseCaseNames(ctx context.Context, orgID string, limit int) ([]Name, error) {
	var out []Name
	err := c.eachRow(ctx, `/* Conn.UseCaseNames */ SELECT id, title, stage FROM use_cases WHERE org_id = $1 AND intake = 'accepted' ORDER BY lower(title), id LIMIT $2`,
		[]any{orgID, limit}, func(scan func(...any) error) error {
			var n Name
			if err := scan(&n.ID, &n.Name, &n.Detail); err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	return out, err
}
