package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/caio-office/caio"
)

// Compliance: the frameworks an organisation follows, the controls of its
// AI systems and their evidence, and the posture that sums them up.

// --- Frameworks of an organisation ---

// OrgFrameworks returns the frameworks the organisation has chosen, in ID
// order, and whether it has chosen at all (if not, the defaults apply).
func (c *Conn) OrgFrameworks(ctx context.Context, orgID string) ([]string, bool, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.OrgFrameworks */ SELECT framework_id FROM org_frameworks WHERE org_id = $1 ORDER BY framework_id`, orgID)
	if err != nil {
		return nil, false, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, false, translate(err)
		}
		out = append(out, id)
	}
	return out, len(out) > 0, translate(rows.Err())
}

// SetOrgFrameworks replaces the organisation's chosen frameworks.
func (c *Conn) SetOrgFrameworks(ctx context.Context, orgID string, ids []string) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.SetOrgFrameworks */ DELETE FROM org_frameworks WHERE org_id = $1`, orgID); err != nil {
		return translate(err)
	}
	for _, id := range ids {
		if _, err := c.q.ExecContext(ctx, `/* Conn.SetOrgFrameworks */ INSERT INTO org_frameworks (org_id, framework_id, created_at) VALUES ($1, $2, $3)`, orgID, id, ts(c.now)); err != nil {
			return translate(err)
		}
	}
	return nil
}

// --- Controls ---

// controlColumns are read with the system's name and the evidence count;
// the table is k, the system s.
const controlColumns = `k.id, k.org_id, k.system_id, k.framework, k.item_id, k.applicable, k.deadline, k.status, k.reason, k.owner,
	k.due_date, k.review_date, k.notes, k.due, k.version, k.created_at, k.updated_at, s.name,
	(SELECT COUNT(*) FROM evidence e WHERE e.org_id = k.org_id AND e.control_id = k.id)`

// controlInsertColumns are the columns of the controls table, in insert order.
var controlInsertColumns = []string{"id", "org_id", "system_id", "framework", "item_id", "applicable", "deadline", "status", "reason",
	"owner", "due_date", "review_date", "notes", "due", "version", "created_at", "updated_at"}

func scanControl(row interface{ Scan(...any) error }, extra ...any) (*caio.Control, error) {
	var k caio.Control
	var applicable int
	dest := append([]any{&k.ID, &k.OrgID, &k.SystemID, &k.Framework, &k.ItemID, &applicable, &k.Deadline, &k.Status, &k.Reason, &k.Owner,
		&k.DueDate, &k.ReviewDate, &k.Notes, &k.Due, &k.Version, timeCol{&k.CreatedAt}, timeCol{&k.UpdatedAt}, &k.SystemName, &k.Evidence}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	k.Applicable = applicable != 0
	return &k, nil
}

// dueOf is the date that counts for a control: its due date, else its deadline.
func dueOf(dueDate, deadline string) string {
	if dueDate != "" {
		return dueDate
	}
	return deadline
}

// Control returns a control of the organisation, or ENOTFOUND. Inside a
// write transaction on PostgreSQL it locks the row until commit, as
// Conn.Objective does.
func (c *Conn) Control(ctx context.Context, orgID, id string) (*caio.Control, error) {
	if c.writing && c.d == Postgres {
		if _, err := c.q.ExecContext(ctx, `/* Conn.Control */ SELECT id FROM controls WHERE org_id = $1 AND id = $2 FOR UPDATE`, orgID, id); err != nil {
			return nil, translate(err)
		}
	}
	k, err := scanControl(c.q.QueryRowContext(ctx, `/* Conn.Control */ SELECT `+controlColumns+` FROM controls k JOIN ai_systems s ON s.org_id = k.org_id AND s.id = k.system_id
		WHERE k.org_id = $1 AND k.id = $2`, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	return k, err
}

// controlOrder maps each sort to an ORDER BY that an index of the controls
// table serves (see migration 0004), ending in a unique key.
var controlOrder = map[string]string{
	"due":       "(k.due = ''), k.due, k.id",
	"framework": "k.framework, k.item_id, k.system_id",
	"system":    "k.system_id, k.framework, k.item_id",
	"-updated":  "k.updated_at DESC, k.id DESC",
}

// Controls returns a page of an organisation's controls that match f, and
// the total that match. today (YYYY-MM-DD) decides what is overdue.
func (c *Conn) Controls(ctx context.Context, orgID string, f caio.ControlFilter, today string) ([]*caio.Control, int, error) {
	q := &listQuery{args: []any{orgID}, where: []string{"k.org_id = $1"}}
	if !f.All {
		q.where = append(q.where, "k.applicable = 1")
	}
	if f.Framework != nil {
		q.filter("k.framework = ?", *f.Framework)
	}
	if f.Status != nil {
		q.filter("k.status = ?", *f.Status)
	}
	if f.SystemID != nil {
		q.filter("k.system_id = ?", *f.SystemID)
	}
	if f.Owner != nil {
		q.filter("k.owner = ?", *f.Owner)
	}
	if f.Overdue {
		q.where = append(q.where, "k.status IN ('not_started', 'in_progress')", "k.due <> ''")
		q.filter("k.due < ?", today)
	}
	order, ok := controlOrder[f.Sort]
	if !ok {
		order = controlOrder["due"]
	}
	cond := strings.Join(q.where, " AND ")
	n := len(q.args)
	args := append(slices.Clone(q.args), f.Limit, f.Offset)
	total := `(SELECT COUNT(*) FROM controls k WHERE ` + cond + `)`
	rows, err := c.q.QueryContext(ctx, `/* Conn.Controls */ SELECT `+controlColumns+`, `+total+` FROM controls k JOIN ai_systems s ON s.org_id = k.org_id AND s.id = k.system_id
		WHERE `+cond+` ORDER BY `+order+` LIMIT $`+itoa(n+1)+` OFFSET $`+itoa(n+2), args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	out := make([]*caio.Control, 0, f.Limit)
	count := 0
	for rows.Next() {
		k, err := scanControl(rows, &count)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, translate(err)
	}
	if len(out) == 0 {
		count, err = c.count(ctx, `/* Conn.Controls */ SELECT `+total, args[:n])
	}
	return out, count, err
}

// SystemControls returns every control of a system, applicable or not, in
// framework and item order.
func (c *Conn) SystemControls(ctx context.Context, orgID, systemID string) ([]*caio.Control, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.SystemControls */ SELECT `+controlColumns+` FROM controls k JOIN ai_systems s ON s.org_id = k.org_id AND s.id = k.system_id
		WHERE k.org_id = $1 AND k.system_id = $2 ORDER BY k.framework, k.item_id`, orgID, systemID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*caio.Control
	for rows.Next() {
		k, err := scanControl(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, translate(rows.Err())
}

// UpdateControl writes the control's editable fields and bumps its
// version, if it still has the version that was read (otherwise the
// transaction is retried). Applicability and deadline are left alone.
func (c *Conn) UpdateControl(ctx context.Context, k *caio.Control) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateControl */ UPDATE controls SET status = $1, reason = $2, owner = $3, due_date = $4,
		review_date = $5, notes = $6, due = CASE WHEN $4 <> '' THEN $4 ELSE deadline END, version = $7, updated_at = $8
		WHERE org_id = $9 AND id = $10 AND version = $11`,
		k.Status, k.Reason, k.Owner, k.DueDate, k.ReviewDate, k.Notes, k.Version+1, ts(c.now), k.OrgID, k.ID, k.Version))
	if err != nil {
		return err
	}
	k.Version++
	k.UpdatedAt = c.now
	k.Due = dueOf(k.DueDate, k.Deadline)
	return nil
}

// ControlKey names one requirement: an item of a framework.
type ControlKey struct{ Framework, ItemID string }

// SyncCount says what SyncControls changed for one system.
type SyncCount struct {
	// Added counts controls that became applicable: new, or applicable again.
	Added int `json:"added"`
	// Removed counts controls that are no longer applicable.
	Removed int `json:"removed"`
	// Redated counts applicable controls whose deadline moved.
	Redated int `json:"redated"`
}

// Changed reports whether anything changed.
func (s SyncCount) Changed() bool { return s.Added+s.Removed+s.Redated > 0 }

// syncBatch bounds the systems read at once and the IDs in one IN list.
const syncBatch = 500

// SyncControls makes the applicable controls of each system in want exactly
// its keys, with the deadline each maps to: missing controls are inserted
// as not started, controls no longer wanted are marked not applicable
// (keeping their status, dates and evidence), and controls wanted again or
// with a new deadline are updated. It costs one read and a few batched
// writes per 500 systems, not a statement per control. The systems must
// belong to the organisation.
func (c *Conn) SyncControls(ctx context.Context, orgID string, want map[string]map[ControlKey]string) (map[string]SyncCount, error) {
	systems := make([]string, 0, len(want))
	for id := range want {
		systems = append(systems, id)
	}
	slices.Sort(systems)
	out := make(map[string]SyncCount, len(systems))
	type existing struct {
		id         string
		applicable bool
		deadline   string
	}
	now := ts(c.now)
	for lo := 0; lo < len(systems); lo += syncBatch {
		batch := systems[lo:min(len(systems), lo+syncBatch)]
		have := make(map[string]map[ControlKey]existing, len(batch))
		args := []any{orgID}
		for _, s := range batch {
			args = append(args, s)
		}
		if c.writing && c.d == Postgres {
			// Lock the systems, as Conn.System does for a classification, so
			// two syncs of one system (a classification and a change of
			// frameworks) queue instead of inserting the same control twice.
			if _, err := c.q.ExecContext(ctx, `/* Conn.SyncControls */ SELECT id FROM ai_systems WHERE org_id = $1 AND id IN (`+
				placeholders(2, len(batch))+`) ORDER BY id FOR UPDATE`, args...); err != nil {
				return nil, translate(err)
			}
		}
		rows, err := c.q.QueryContext(ctx, `/* Conn.SyncControls */ SELECT id, system_id, framework, item_id, applicable, deadline FROM controls
			WHERE org_id = $1 AND system_id IN (`+placeholders(2, len(batch))+`)`, args...)
		if err != nil {
			return nil, translate(err)
		}
		for rows.Next() {
			var e existing
			var sys string
			var key ControlKey
			var applicable int
			if err := rows.Scan(&e.id, &sys, &key.Framework, &key.ItemID, &applicable, &e.deadline); err != nil {
				rows.Close()
				return nil, translate(err)
			}
			e.applicable = applicable != 0
			if have[sys] == nil {
				have[sys] = map[ControlKey]existing{}
			}
			have[sys][key] = e
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, translate(err)
		}

		ins := c.bulk("controls", controlInsertColumns)
		apply := map[string][]string{} // deadline → controls to make applicable with it
		var drop []string
		for _, sys := range batch {
			var n SyncCount
			keys := make([]ControlKey, 0, len(want[sys]))
			for k := range want[sys] {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b ControlKey) int {
				return strings.Compare(a.Framework+"/"+a.ItemID, b.Framework+"/"+b.ItemID)
			})
			for _, k := range keys {
				deadline := want[sys][k]
				e, ok := have[sys][k]
				switch {
				case !ok:
					if err := ins.Add(ctx, caio.NewID("ctl"), orgID, sys, k.Framework, k.ItemID, 1, deadline, caio.StatusNotStarted, "", "", "", "", "",
						deadline, 1, now, now); err != nil {
						return nil, err
					}
					n.Added++
				case !e.applicable:
					apply[deadline] = append(apply[deadline], e.id)
					n.Added++
				case e.deadline != deadline:
					apply[deadline] = append(apply[deadline], e.id)
					n.Redated++
				}
			}
			for k, e := range have[sys] {
				if _, ok := want[sys][k]; !ok && e.applicable {
					drop = append(drop, e.id)
					n.Removed++
				}
			}
			out[sys] = n
		}
		if err := ins.Close(ctx); err != nil {
			return nil, err
		}
		deadlines := make([]string, 0, len(apply))
		for d := range apply {
			deadlines = append(deadlines, d)
		}
		slices.Sort(deadlines)
		for _, d := range deadlines {
			if err := c.execIn(ctx, `/* Conn.SyncControls */ UPDATE controls SET applicable = 1, deadline = $2,
				due = CASE WHEN due_date <> '' THEN due_date ELSE $2 END WHERE org_id = $1 AND id IN `, []any{orgID, d}, apply[d]); err != nil {
				return nil, err
			}
		}
		if err := c.execIn(ctx, `/* Conn.SyncControls */ UPDATE controls SET applicable = 0 WHERE org_id = $1 AND id IN `, []any{orgID}, drop); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// placeholders returns "$from, $from+1, ..." for n parameters.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + itoa(from+i))
	}
	return b.String()
}

// execIn runs query, which ends in "IN ", once per batch of ids, with the
// ids as parameters after args.
func (c *Conn) execIn(ctx context.Context, query string, args []any, ids []string) error {
	for lo := 0; lo < len(ids); lo += syncBatch {
		batch := ids[lo:min(len(ids), lo+syncBatch)]
		all := slices.Clone(args)
		for _, id := range batch {
			all = append(all, id)
		}
		if _, err := c.q.ExecContext(ctx, query+"("+placeholders(len(args)+1, len(batch))+")", all...); err != nil {
			return translate(err)
		}
	}
	return nil
}

// ApplicableControls returns, per system of the organisation, the items of
// the framework that apply, each with its deadline: what the last sync
// made applicable. It reads them in one query.
func (c *Conn) ApplicableControls(ctx context.Context, orgID, framework string) (map[string]map[string]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.ApplicableControls */ SELECT system_id, item_id, deadline FROM controls
		WHERE org_id = $1 AND applicable = 1 AND framework = $2`, orgID, framework)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var sys, item, deadline string
		if err := rows.Scan(&sys, &item, &deadline); err != nil {
			return nil, translate(err)
		}
		if out[sys] == nil {
			out[sys] = map[string]string{}
		}
		out[sys][item] = deadline
	}
	return out, translate(rows.Err())
}

// --- Posture ---

// Posture sums up the applicable controls of the organisation's enabled
// frameworks, or of one system when systemID is not empty, in four
// queries: counts by framework and status (with the overdue ones), systems
// by class, the next ten deadlines from today (YYYY-MM-DD) on. Frameworks
// come out in the order given, each present even with no controls.
func (c *Conn) Posture(ctx context.Context, orgID, systemID string, frameworks []string, today string) (*caio.Posture, error) {
	p := &caio.Posture{SystemID: systemID, Today: today, Frameworks: make([]caio.FrameworkPosture, len(frameworks)),
		Classes: []caio.ClassCount{}, NextDeadlines: []*caio.Control{}}
	at := map[string]int{}
	for i, f := range frameworks {
		p.Frameworks[i].Framework = f
		at[f] = i
	}
	if len(frameworks) == 0 {
		return p, nil
	}
	args := []any{orgID, today}
	scope := "k.org_id = $1 AND k.applicable = 1"
	if systemID != "" {
		args = append(args, systemID)
		scope += " AND k.system_id = $3"
	}
	in := placeholders(len(args)+1, len(frameworks))
	for _, f := range frameworks {
		args = append(args, f)
	}
	scope += " AND k.framework IN (" + in + ")"

	rows, err := c.q.QueryContext(ctx, `/* Conn.Posture */ SELECT k.framework, k.status, COUNT(*),
		COALESCE(SUM(CASE WHEN k.status IN ('not_started', 'in_progress') AND k.due <> '' AND k.due < $2 THEN 1 ELSE 0 END), 0)
		FROM controls k WHERE `+scope+` GROUP BY k.framework, k.status`, args...)
	if err != nil {
		return nil, translate(err)
	}
	for rows.Next() {
		var f, status string
		var n, overdue int
		if err := rows.Scan(&f, &status, &n, &overdue); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		if i, ok := at[f]; ok {
			p.Frameworks[i].Add(status, n, overdue)
			p.Total.Add(status, n, overdue)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, translate(err)
	}

	classQuery, classArgs := `/* Conn.Posture */ SELECT class, COUNT(*) FROM ai_systems WHERE org_id = $1 GROUP BY class ORDER BY class`, []any{orgID}
	if systemID != "" {
		classQuery, classArgs = `/* Conn.Posture */ SELECT class, COUNT(*) FROM ai_systems WHERE org_id = $1 AND id = $2 GROUP BY class`, []any{orgID, systemID}
	}
	rows, err = c.q.QueryContext(ctx, classQuery, classArgs...)
	if err != nil {
		return nil, translate(err)
	}
	for rows.Next() {
		var cc caio.ClassCount
		if err := rows.Scan(&cc.Class, &cc.Systems); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		p.Classes = append(p.Classes, cc)
		p.Systems += cc.Systems
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, translate(err)
	}
	if systemID != "" && p.Systems == 0 {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}

	// The next ten from today are a short, ordered walk of
	// controls_org_due. Each planner needs its own hint to see that: the
	// dated part of the index is an equality on (due = '') with a bound
	// false (a literal FALSE PostgreSQL rewrites out of the index's reach),
	// and SQLite sorts again when the ORDER BY names that expression.
	order := "k.due, k.id"
	if c.d == Postgres {
		order = "(k.due = ''), k.due, k.id"
	}
	rows, err = c.q.QueryContext(ctx, `/* Conn.Posture */ SELECT `+controlColumns+` FROM controls k JOIN ai_systems s ON s.org_id = k.org_id AND s.id = k.system_id
		WHERE `+scope+` AND (k.due = '') = $`+itoa(len(args)+1)+` AND k.due >= $2 AND k.status IN ('not_started', 'in_progress')
		ORDER BY `+order+` LIMIT 10`, append(args, false)...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		k, err := scanControl(rows)
		if err != nil {
			return nil, err
		}
		p.NextDeadlines = append(p.NextDeadlines, k)
	}
	return p, translate(rows.Err())
}

// --- Evidence ---

const evidenceColumns = `id, org_id, control_id, kind, name, url, sha256, size, content_type, created_at, created_by`

func scanEvidence(row interface{ Scan(...any) error }) (*caio.Evidence, error) {
	var e caio.Evidence
	if err := row.Scan(&e.ID, &e.OrgID, &e.ControlID, &e.Kind, &e.Name, &e.URL, &e.SHA256, &e.Size, &e.ContentType, timeCol{&e.CreatedAt}, &e.CreatedBy); err != nil {
		return nil, translate(err)
	}
	return &e, nil
}

// Evidence returns an evidence item of the organisation, without its bytes, or ENOTFOUND.
func (c *Conn) Evidence(ctx context.Context, orgID, id string) (*caio.Evidence, error) {
	e, err := scanEvidence(c.q.QueryRowContext(ctx, `/* Conn.Evidence */ SELECT `+evidenceColumns+` FROM evidence WHERE org_id = $1 AND id = $2`, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Evidence not found.")
	}
	return e, err
}

// ControlEvidence lists the evidence of a control, oldest first.
func (c *Conn) ControlEvidence(ctx context.Context, orgID, controlID string) ([]*caio.Evidence, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.ControlEvidence */ SELECT `+evidenceColumns+` FROM evidence WHERE org_id = $1 AND control_id = $2
		ORDER BY created_at, id`, orgID, controlID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// CreateEvidence stores evidence, and for a file its bytes.
func (c *Conn) CreateEvidence(ctx context.Context, e *caio.Evidence, data []byte) error {
	e.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateEvidence */ INSERT INTO evidence (`+evidenceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.OrgID, e.ControlID, e.Kind, e.Name, e.URL, e.SHA256, e.Size, e.ContentType, ts(c.now), e.CreatedBy)
	if err != nil {
		return translate(err)
	}
	if e.Kind != caio.EvidenceFile {
		return nil
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.CreateEvidence */ INSERT INTO evidence_blobs (evidence_id, org_id, data) VALUES ($1, $2, $3)`, e.ID, e.OrgID, data)
	return translate(err)
}

// EvidenceData returns the bytes of a file evidence item, or ENOTFOUND.
func (c *Conn) EvidenceData(ctx context.Context, orgID, id string) ([]byte, error) {
	var data []byte
	err := c.q.QueryRowContext(ctx, `/* Conn.EvidenceData */ SELECT data FROM evidence_blobs WHERE org_id = $1 AND evidence_id = $2`, orgID, id).Scan(&data)
	if err != nil {
		if caio.ErrorCode(translate(err)) == caio.ENOTFOUND {
			return nil, caio.Errorf(caio.ENOTFOUND, "Evidence file not found.")
		}
		return nil, translate(err)
	}
	return data, nil
}

// DeleteEvidence removes evidence and its bytes.
func (c *Conn) DeleteEvidence(ctx context.Context, orgID, id string) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.DeleteEvidence */ DELETE FROM evidence_blobs WHERE org_id = $1 AND evidence_id = $2`, orgID, id); err != nil {
		return translate(err)
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteEvidence */ DELETE FROM evidence WHERE org_id = $1 AND id = $2`, orgID, id))
}

// CountEvidence returns how many evidence items a control has.
func (c *Conn) CountEvidence(ctx context.Context, orgID, controlID string) (int, error) {
	return c.count(ctx, `/* Conn.CountEvidence */ SELECT COUNT(*) FROM evidence WHERE org_id = $1 AND control_id = $2`, []any{orgID, controlID})
}

// --- Benchmark data ---

// benchRequirements are the requirements generated systems get per class,
// as framework/item, with the deadline of the EU AI Act ones (amended
// timeline): the obligations of a provider or deployer of that class and
// the items our crosswalk links to them in NIST AI RMF and ISO/IEC 42001.
var benchRequirements = map[string][]string{
	"high_risk": strings.Fields(`eu-ai-act/art4 eu-ai-act/art9 eu-ai-act/art10 eu-ai-act/art11 eu-ai-act/art12 eu-ai-act/art13 eu-ai-act/art14
		eu-ai-act/art15 eu-ai-act/art16 eu-ai-act/art17 eu-ai-act/art43 eu-ai-act/art72 eu-ai-act/art73
		iso-42001/A.2.2 iso-42001/A.2.3 iso-42001/A.2.4 iso-42001/A.3.2 iso-42001/A.4.2 iso-42001/A.4.3 iso-42001/A.4.6 iso-42001/A.5.2
		iso-42001/A.6.1.3 iso-42001/A.6.2.3 iso-42001/A.6.2.4 iso-42001/A.6.2.6 iso-42001/A.6.2.7 iso-42001/A.6.2.8 iso-42001/A.7.2
		iso-42001/A.7.3 iso-42001/A.7.4 iso-42001/A.7.5 iso-42001/A.7.6 iso-42001/A.8.2 iso-42001/A.8.3 iso-42001/A.8.4 iso-42001/A.9.2
		nist-ai-rmf/GV-1.1 nist-ai-rmf/GV-1.2 nist-ai-rmf/GV-1.3 nist-ai-rmf/GV-1.4 nist-ai-rmf/GV-1.5 nist-ai-rmf/GV-2.1 nist-ai-rmf/GV-2.2
		nist-ai-rmf/GV-3.2 nist-ai-rmf/GV-4.2 nist-ai-rmf/GV-4.3 nist-ai-rmf/MG-1.1 nist-ai-rmf/MG-1.2 nist-ai-rmf/MG-1.3 nist-ai-rmf/MG-1.4
		nist-ai-rmf/MG-2.4 nist-ai-rmf/MG-4.1 nist-ai-rmf/MG-4.3 nist-ai-rmf/MP-1.5 nist-ai-rmf/MP-2.2 nist-ai-rmf/MP-2.3 nist-ai-rmf/MP-3.4
		nist-ai-rmf/MP-3.5 nist-ai-rmf/MP-5.1 nist-ai-rmf/MS-1.1 nist-ai-rmf/MS-1.3 nist-ai-rmf/MS-2.1 nist-ai-rmf/MS-2.10 nist-ai-rmf/MS-2.11
		nist-ai-rmf/MS-2.3 nist-ai-rmf/MS-2.4 nist-ai-rmf/MS-2.5 nist-ai-rmf/MS-2.6 nist-ai-rmf/MS-2.7 nist-ai-rmf/MS-2.8 nist-ai-rmf/MS-2.9
		nist-ai-rmf/MS-3.1`),
	"transparency_only": strings.Fields(`eu-ai-act/art4 eu-ai-act/art50_1 eu-ai-act/art50_2 iso-42001/A.4.6 iso-42001/A.8.2
		nist-ai-rmf/GV-2.2 nist-ai-rmf/MP-3.4 nist-ai-rmf/MS-2.8`),
	"minimal": strings.Fields(`eu-ai-act/art4 iso-42001/A.4.6 nist-ai-rmf/GV-2.2 nist-ai-rmf/MP-3.4`),
	"not_high_risk": strings.Fields(`eu-ai-act/art4 eu-ai-act/art6_4 eu-ai-act/art49_2 iso-42001/A.4.6 nist-ai-rmf/GV-1.1 nist-ai-rmf/GV-1.6
		nist-ai-rmf/GV-2.2 nist-ai-rmf/MP-1.1 nist-ai-rmf/MP-3.4`),
}

// benchDeadline is the application date of an EU AI Act obligation in the
// generated data (amended timeline); other frameworks have none.
func benchDeadline(framework, item string) string {
	switch {
	case framework != "eu-ai-act":
		return ""
	case item == "art4":
		return "2025-02-02"
	case strings.HasPrefix(item, "art50"):
		return "2026-08-02"
	}
	return "2027-12-02"
}

// benchClass is the EU AI Act class of generated system j: 15% high-risk,
// 20% with transparency duties only, 50% minimal, 5% not high-risk under
// Art 6(3), 5% out of scope and 5% not classified yet.
func benchClass(j int) string {
	switch r := j % 20; {
	case r < 3:
		return "high_risk"
	case r < 7:
		return "transparency_only"
	case r < 17:
		return "minimal"
	case r == 17:
		return "not_high_risk"
	case r == 18:
		return "out_of_scope"
	}
	return ""
}

// generateControls writes the controls of generated systems, whose classes
// are benchClass of their position: statuses spread over the four, some
// with a due date of their own, some overdue. The systems must be written.
func (c *Conn) generateControls(ctx context.Context, ins *bulkInserter, orgID string, systems []string, now string) (int, error) {
	n := 0
	for j, sys := range systems {
		for i, key := range benchRequirements[benchClass(j)] {
			framework, item, _ := strings.Cut(key, "/")
			deadline := benchDeadline(framework, item)
			status, reason, due := caio.StatusNotStarted, "", ""
			switch r := (j*7 + i*3) % 20; {
			case r < 7:
				status = caio.StatusImplemented
			case r < 11:
				status = caio.StatusInProgress
				due = fmt.Sprintf("2026-%02d-15", 1+(j+i)%12)
			case r == 19:
				status, reason = caio.StatusNotApplicable, "Generated benchmark data: not applicable."
			}
			owner := benchOwners[(j+i)%len(benchOwners)]
			if err := ins.Add(ctx, caio.NewID("ctl"), orgID, sys, framework, item, 1, deadline, status, reason, owner, due, "", "",
				dueOf(due, deadline), 1, now, now); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
