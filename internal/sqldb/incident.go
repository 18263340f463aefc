package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
)

// AI incidents: incidents, the AI systems they involve and their
// corrective actions (migration 0009). An incident's seriousness, severity
// rank and Art 73 deadline are derived from its fields and written with
// them, so lists filter and sort by them from an index.

func init() {
	counted["incident"] = "incidents"
	backupTables = append(backupTables,
		struct{ name, order string }{"incidents", "id"},
		struct{ name, order string }{"incident_systems", "incident_id, system_id"},
		struct{ name, order string }{"corrective_actions", "id"})
	advisorLoaders = append(advisorLoaders, loadAdvisorIncidents)
}

const incidentColumns = `id, org_id, title, description, occurred_at, aware_at, harms, severity, serious, widespread, death, report_due, status, reported_at, reported_to, owner, lessons_learnt, version, created_at, updated_at`

func scanIncident(row interface{ Scan(...any) error }, extra ...any) (*caio.Incident, error) {
	var i caio.Incident
	var serious, widespread, death int
	dest := append([]any{&i.ID, &i.OrgID, &i.Title, &i.Description, optTimeCol{&i.OccurredAt}, timeCol{&i.AwareAt}, keysCol{&i.Harms},
		&i.Severity, &serious, &widespread, &death, optTimeCol{&i.ReportDue}, &i.Status, optTimeCol{&i.ReportedAt}, &i.ReportedTo,
		&i.Owner, &i.LessonsLearnt, &i.Version, timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	i.Serious, i.Widespread, i.Death = serious == 1, widespread == 1, death == 1
	i.Systems = []caio.IncidentSystem{}
	return &i, nil
}

// incidentOptTime formats an optional time for storage, empty when nil.
func incidentOptTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ts(*t)
}

func incidentNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Incident not found.") }

// Incident returns an incident of the organisation without its systems
// and actions, or ENOTFOUND. Inside a write transaction on PostgreSQL it
// locks the row until commit.
func (c *Conn) Incident(ctx context.Context, orgID, id string) (*caio.Incident, error) {
	i, err := scanIncident(c.q.QueryRowContext(ctx, `/* Conn.Incident */ SELECT `+incidentColumns+` FROM incidents WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, incidentNotFound()
	}
	return i, err
}

// incidentOrder maps each sort to an ORDER BY that an index of incidents serves.
var incidentOrder = map[string]string{
	"-aware": "aware_at DESC, id DESC", "aware": "aware_at, id",
	"due":       "(report_due = ''), report_due, id",
	"-severity": "severity_rank DESC, aware_at DESC, id DESC",
	"-created":  "created_at DESC, id DESC", "created": "created_at, id",
	"title": "lower(title), id", "-title": "lower(title) DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
}

// Incidents returns a page of an organisation's incidents, each with its
// systems, and the total that match. now is for the overdue filter.
func (c *Conn) Incidents(ctx context.Context, orgID string, f caio.IncidentFilter, now time.Time) ([]*caio.Incident, int, error) {
	q := &listQuery{name: "Incidents", table: "incidents", columns: incidentColumns, kind: "incident",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page}
	q.search(f.Query, "title", "description", "owner")
	if f.Status != nil {
		q.filter("status = ?", *f.Status)
	}
	if f.Severity != nil {
		q.filter("severity = ?", *f.Severity)
	}
	if f.System != nil {
		q.filter("id IN (SELECT incident_id FROM incident_systems WHERE org_id = $1 AND system_id = ?)", *f.System)
	}
	if f.Serious != nil {
		q.filter("serious = ?", boolInt(*f.Serious))
	}
	if f.Overdue != nil {
		if *f.Overdue {
			q.filter("reported_at = '' AND report_due <> '' AND report_due < ?", ts(now))
		} else {
			q.filter("NOT (reported_at = '' AND report_due <> '' AND report_due < ?)", ts(now))
		}
	}
	var ok bool
	if q.order, ok = incidentOrder[f.Sort]; !ok {
		q.order = incidentOrder["-aware"]
	}
	out := make([]*caio.Incident, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		i, err := scanIncident(row, total)
		if err == nil {
			out = append(out, i)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, c.fillIncidentSystems(ctx, orgID, out...)
}

// fillIncidentSystems sets the systems of the incidents, in one query, by
// name.
func (c *Conn) fillIncidentSystems(ctx context.Context, orgID string, is ...*caio.Incident) error {
	if len(is) == 0 {
		return nil
	}
	byID := map[string]*caio.Incident{}
	args := []any{orgID}
	marks := make([]string, len(is))
	for k, i := range is {
		byID[i.ID] = i
		i.Systems = []caio.IncidentSystem{}
		args = append(args, i.ID)
		marks[k] = "$" + itoa(k+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.fillIncidentSystems */ SELECT l.incident_id, s.id, s.name, s.class
		FROM incident_systems l JOIN ai_systems s ON s.id = l.system_id
		WHERE l.org_id = $1 AND l.incident_id IN (`+strings.Join(marks, ", ")+`)
		ORDER BY l.incident_id, lower(s.name), s.id`, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s caio.IncidentSystem
		if err := rows.Scan(&id, &s.ID, &s.Name, &s.Class); err != nil {
			return translate(err)
		}
		if i := byID[id]; i != nil {
			i.Systems = append(i.Systems, s)
		}
	}
	return translate(rows.Err())
}

// IncidentSystems sets the systems of one incident.
func (c *Conn) IncidentSystems(ctx context.Context, i *caio.Incident) error {
	return c.fillIncidentSystems(ctx, i.OrgID, i)
}

// IncidentSystemTargets returns the systems of the organisation among ids,
// by ID.
func (c *Conn) IncidentSystemTargets(ctx context.Context, orgID string, ids []string) (map[string]caio.IncidentSystem, error) {
	found := map[string]caio.IncidentSystem{}
	if len(ids) == 0 {
		return found, nil
	}
	args := []any{orgID}
	marks := make([]string, len(ids))
	for k, id := range ids {
		args = append(args, id)
		marks[k] = "$" + itoa(k+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.IncidentSystemTargets */ SELECT id, name, class FROM ai_systems WHERE org_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s caio.IncidentSystem
		if err := rows.Scan(&s.ID, &s.Name, &s.Class); err != nil {
			return nil, translate(err)
		}
		found[s.ID] = s
	}
	return found, translate(rows.Err())
}

// CreateIncident inserts an incident at version 1 with its systems. The
// caller has derived its fields (Incident.Derive).
func (c *Conn) CreateIncident(ctx context.Context, i *caio.Incident) error {
	i.Version, i.CreatedAt, i.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateIncident */ INSERT INTO incidents (`+incidentColumns+`, severity_rank)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		i.ID, i.OrgID, i.Title, i.Description, incidentOptTime(i.OccurredAt), ts(i.AwareAt), joinKeys(i.Harms), i.Severity,
		boolInt(i.Serious), boolInt(i.Widespread), boolInt(i.Death), incidentOptTime(i.ReportDue), i.Status, incidentOptTime(i.ReportedAt),
		i.ReportedTo, i.Owner, i.LessonsLearnt, i.Version, ts(c.now), ts(c.now), caio.SeverityRank(i.Severity))
	if err != nil {
		return translate(err)
	}
	if err := c.insertIncidentSystems(ctx, i); err != nil {
		return err
	}
	return c.bumpCounter(ctx, i.OrgID, "incident", 1)
}

// UpdateIncident writes the incident's fields and replaces its systems,
// bumping its version, if it still has the version that was read
// (otherwise the transaction is retried).
func (c *Conn) UpdateIncident(ctx context.Context, i *caio.Incident) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateIncident */ UPDATE incidents SET title = $1, description = $2, occurred_at = $3,
		aware_at = $4, harms = $5, severity = $6, severity_rank = $7, serious = $8, widespread = $9, death = $10, report_due = $11,
		status = $12, reported_at = $13, reported_to = $14, owner = $15, lessons_learnt = $16, version = $17, updated_at = $18
		WHERE org_id = $19 AND id = $20 AND version = $21`,
		i.Title, i.Description, incidentOptTime(i.OccurredAt), ts(i.AwareAt), joinKeys(i.Harms), i.Severity, caio.SeverityRank(i.Severity),
		boolInt(i.Serious), boolInt(i.Widespread), boolInt(i.Death), incidentOptTime(i.ReportDue), i.Status, incidentOptTime(i.ReportedAt),
		i.ReportedTo, i.Owner, i.LessonsLearnt, i.Version+1, ts(c.now), i.OrgID, i.ID, i.Version))
	if err != nil {
		return err
	}
	i.Version++
	i.UpdatedAt = c.now
	if _, err := c.q.ExecContext(ctx, `/* Conn.UpdateIncident */ DELETE FROM incident_systems WHERE org_id = $1 AND incident_id = $2`, i.OrgID, i.ID); err != nil {
		return translate(err)
	}
	return c.insertIncidentSystems(ctx, i)
}

func (c *Conn) insertIncidentSystems(ctx context.Context, i *caio.Incident) error {
	for _, s := range i.Systems {
		_, err := c.q.ExecContext(ctx, `/* Conn.insertIncidentSystems */ INSERT INTO incident_systems (org_id, incident_id, system_id, created_at)
			VALUES ($1, $2, $3, $4)`, i.OrgID, i.ID, s.ID, ts(c.now))
		if err != nil {
			return translate(err)
		}
	}
	return nil
}

// TouchIncident bumps an incident's version and updated_at, for a change of
// its corrective actions, if it still has the version that was read.
func (c *Conn) TouchIncident(ctx context.Context, i *caio.Incident) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.TouchIncident */ UPDATE incidents SET version = $1, updated_at = $2 WHERE org_id = $3 AND id = $4 AND version = $5`,
		i.Version+1, ts(c.now), i.OrgID, i.ID, i.Version))
	if err == nil {
		i.Version++
		i.UpdatedAt = c.now
	}
	return err
}

// DeleteIncident removes an incident at the version that was read; its
// links and corrective actions go with it by foreign key.
func (c *Conn) DeleteIncident(ctx context.Context, i *caio.Incident) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteIncident */ DELETE FROM incidents WHERE org_id = $1 AND id = $2 AND version = $3`, i.OrgID, i.ID, i.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, i.OrgID, "incident", -1)
}

// --- Corrective actions ---

const correctiveColumns = `id, incident_id, description, owner, due, status, created_at, updated_at`

func scanCorrective(row interface{ Scan(...any) error }) (*caio.CorrectiveAction, error) {
	var a caio.CorrectiveAction
	if err := row.Scan(&a.ID, &a.IncidentID, &a.Description, &a.Owner, &a.Due, &a.Status, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}); err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// CorrectiveActions returns the corrective actions of an incident, oldest first.
func (c *Conn) CorrectiveActions(ctx context.Context, orgID, incidentID string) ([]*caio.CorrectiveAction, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.CorrectiveActions */ SELECT `+correctiveColumns+` FROM corrective_actions
		WHERE org_id = $1 AND incident_id = $2 ORDER BY created_at, id`, orgID, incidentID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.CorrectiveAction{}
	for rows.Next() {
		a, err := scanCorrective(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, translate(rows.Err())
}

// CorrectiveAction returns one corrective action of an incident, or ENOTFOUND.
func (c *Conn) CorrectiveAction(ctx context.Context, orgID, incidentID, id string) (*caio.CorrectiveAction, error) {
	a, err := scanCorrective(c.q.QueryRowContext(ctx, `/* Conn.CorrectiveAction */ SELECT `+correctiveColumns+` FROM corrective_actions
		WHERE org_id = $1 AND incident_id = $2 AND id = $3`, orgID, incidentID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Corrective action not found.")
	}
	return a, err
}

// CountCorrectiveActions returns how many corrective actions an incident has.
func (c *Conn) CountCorrectiveActions(ctx context.Context, orgID, incidentID string) (int, error) {
	return c.count(ctx, `/* Conn.CountCorrectiveActions */ SELECT COUNT(*) FROM corrective_actions WHERE org_id = $1 AND incident_id = $2`, []any{orgID, incidentID})
}

// CreateCorrectiveAction inserts a corrective action of an incident of orgID.
func (c *Conn) CreateCorrectiveAction(ctx context.Context, orgID string, a *caio.CorrectiveAction) error {
	a.CreatedAt, a.UpdatedAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateCorrectiveAction */ INSERT INTO corrective_actions (id, org_id, incident_id, description, owner, due, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.ID, orgID, a.IncidentID, a.Description, a.Owner, a.Due, a.Status, ts(c.now), ts(c.now))
	return translate(err)
}

// UpdateCorrectiveAction writes a corrective action's fields.
func (c *Conn) UpdateCorrectiveAction(ctx context.Context, orgID string, a *caio.CorrectiveAction) error {
	a.UpdatedAt = c.now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateCorrectiveAction */ UPDATE corrective_actions SET description = $1, owner = $2, due = $3, status = $4, updated_at = $5
		WHERE org_id = $6 AND incident_id = $7 AND id = $8`, a.Description, a.Owner, a.Due, a.Status, ts(c.now), orgID, a.IncidentID, a.ID))
}

// DeleteCorrectiveAction removes a corrective action.
func (c *Conn) DeleteCorrectiveAction(ctx context.Context, orgID string, a *caio.CorrectiveAction) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteCorrectiveAction */ DELETE FROM corrective_actions WHERE org_id = $1 AND incident_id = $2 AND id = $3`,
		orgID, a.IncidentID, a.ID))
}

// --- Advisor facts ---

// loadAdvisorIncidents adds the organisation's incidents to the advisor's
// facts: each with one linked system (a high-risk one first), its dates
// and its Art 73 deadline.
func loadAdvisorIncidents(ctx context.Context, c *Conn, orgID, today string, f *advisor.Facts) error {
	rows, err := c.q.QueryContext(ctx, `/* loadAdvisorIncidents */ SELECT i.id, i.title, COALESCE((SELECT s.id FROM incident_systems l
			JOIN ai_systems s ON s.id = l.system_id WHERE l.incident_id = i.id
			ORDER BY CASE WHEN s.class = 'high_risk' THEN 0 ELSE 1 END, s.id LIMIT 1), ''),
		i.status, i.severity, i.serious, i.aware_at, i.report_due, i.reported_at, i.owner
		FROM incidents i WHERE i.org_id = $1 ORDER BY i.aware_at, i.id`, orgID)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	day := func(s string) string {
		if len(s) < 10 {
			return ""
		}
		return s[:10]
	}
	for rows.Next() {
		var x advisor.Incident
		var serious int
		var aware, due, reported string
		if err := rows.Scan(&x.ID, &x.Title, &x.SystemID, &x.Status, &x.Severity, &serious, &aware, &due, &reported, &x.Owner); err != nil {
			return translate(err)
		}
		x.Serious, x.Aware, x.ReportDue, x.Reported = serious == 1, day(aware), day(due), day(reported)
		f.Incidents = append(f.Incidents, x)
	}
	return translate(rows.Err())
}
