package sqldb

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
)

const classificationColumns = `id, org_id, system_id, seq, class, basis, content_version, timeline, provisional, dates, note, created_by, created_at, profile, result`

func scanClassification(row interface{ Scan(...any) error }, extra ...any) (*caio.ClassificationRecord, error) {
	var r caio.ClassificationRecord
	var basis, dates, profile, result string
	var provisional int
	dest := append([]any{&r.ID, &r.OrgID, &r.SystemID, &r.Seq, &r.Class, &basis, &r.ContentVersion, &r.Timeline, &provisional, &dates, &r.Note, &r.CreatedBy, timeCol{&r.CreatedAt}, &profile, &result}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	r.Basis, r.Dates = splitKeys(basis), splitKeys(dates)
	r.Provisional = provisional != 0
	r.Profile, r.Result = []byte(profile), []byte(result)
	return &r, nil
}

// AddClassification stores a classification as the next of its system.
func (c *Conn) AddClassification(ctx context.Context, r *caio.ClassificationRecord) error {
	r.CreatedAt = c.now
	err := c.q.QueryRowContext(ctx, `/* Conn.AddClassification */ SELECT COALESCE(MAX(seq), 0) + 1 FROM classifications WHERE org_id = $1 AND system_id = $2`, r.OrgID, r.SystemID).Scan(&r.Seq)
	if err != nil {
		return translate(err)
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.AddClassification */ INSERT INTO classifications (`+classificationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		r.ID, r.OrgID, r.SystemID, r.Seq, r.Class, strings.Join(r.Basis, ","), r.ContentVersion, r.Timeline, boolInt(r.Provisional), strings.Join(r.Dates, ","), r.Note, r.CreatedBy, ts(c.now), string(r.Profile), string(r.Result))
	return translate(err)
}

// CurrentClassification returns the latest classification of a system, or ENOTFOUND.
func (c *Conn) CurrentClassification(ctx context.Context, orgID, systemID string) (*caio.ClassificationRecord, error) {
	return scanClassification(c.q.QueryRowContext(ctx, `/* Conn.CurrentClassification */ SELECT `+classificationColumns+` FROM classifications WHERE org_id = $1 AND system_id = $2 ORDER BY seq DESC LIMIT 1`, orgID, systemID))
}

// Classifications returns a page of a system's classifications, newest
// first, without their profiles and results, and the total.
func (c *Conn) Classifications(ctx context.Context, orgID, systemID string, p caio.Page) ([]*caio.ClassificationRecord, int, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.Classifications */ SELECT id, org_id, system_id, seq, class, basis, content_version, timeline, provisional, dates, note, created_by, created_at, '', '',
		(SELECT COUNT(*) FROM classifications WHERE org_id = $1 AND system_id = $2)
		FROM classifications WHERE org_id = $1 AND system_id = $2 ORDER BY seq DESC LIMIT $3 OFFSET $4`, orgID, systemID, p.Limit, p.Offset)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	var out []*caio.ClassificationRecord
	total := 0
	for rows.Next() {
		r, err := scanClassification(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		r.Profile, r.Result = nil, nil
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, translate(err)
	}
	if len(out) == 0 {
		total, err = c.count(ctx, `SELECT COUNT(*) FROM classifications WHERE org_id = $1 AND system_id = $2`, []any{orgID, systemID})
	}
	return out, total, err
}

// EachCurrentClassification calls fn with the latest classification of
// every classified system of the organisation, in system order. It reads
// in batches, so memory stays flat however many systems there are, and fn
// may write on the same connection between batches.
func (c *Conn) EachCurrentClassification(ctx context.Context, orgID string, fn func(*caio.ClassificationRecord) error) error {
	const batch = 200
	after := ""
	for {
		rows, err := c.q.QueryContext(ctx, `/* Conn.EachCurrentClassification */ SELECT `+classificationColumns+` FROM classifications k
			WHERE org_id = $1 AND system_id > $2 AND seq = (SELECT MAX(seq) FROM classifications WHERE org_id = $1 AND system_id = k.system_id)
			ORDER BY system_id LIMIT $3`, orgID, after, batch)
		if err != nil {
			return translate(err)
		}
		var page []*caio.ClassificationRecord
		for rows.Next() {
			r, err := scanClassification(rows)
			if err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return translate(err)
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < batch {
			return nil
		}
		after = page[len(page)-1].SystemID
	}
}

const overrideColumns = `id, org_id, system_id, seq, class, reason, reference, engine_class, created_by, created_at`

func scanOverride(row interface{ Scan(...any) error }) (*caio.ClassificationOverride, error) {
	var o caio.ClassificationOverride
	if err := row.Scan(&o.ID, &o.OrgID, &o.SystemID, &o.Seq, &o.Class, &o.Reason, &o.Reference, &o.EngineClass, &o.CreatedBy, timeCol{&o.CreatedAt}); err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// AddOverride stores an override (or its withdrawal) as the system's latest.
func (c *Conn) AddOverride(ctx context.Context, o *caio.ClassificationOverride) error {
	o.CreatedAt = c.now
	err := c.q.QueryRowContext(ctx, `/* Conn.AddOverride */ SELECT COALESCE(MAX(seq), 0) + 1 FROM classification_overrides WHERE org_id = $1 AND system_id = $2`, o.OrgID, o.SystemID).Scan(&o.Seq)
	if err != nil {
		return translate(err)
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.AddOverride */ INSERT INTO classification_overrides (`+overrideColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		o.ID, o.OrgID, o.SystemID, o.Seq, o.Class, o.Reason, o.Reference, o.EngineClass, o.CreatedBy, ts(c.now))
	return translate(err)
}

// CurrentOverride returns the override in effect for a system, or nil.
func (c *Conn) CurrentOverride(ctx context.Context, orgID, systemID string) (*caio.ClassificationOverride, error) {
	o, err := scanOverride(c.q.QueryRowContext(ctx, `/* Conn.CurrentOverride */ SELECT `+overrideColumns+` FROM classification_overrides WHERE org_id = $1 AND system_id = $2 ORDER BY seq DESC LIMIT 1`, orgID, systemID))
	if caio.ErrorCode(err) == caio.ENOTFOUND || (err == nil && o.Class == "") {
		return nil, nil
	}
	return o, err
}

// Overrides returns every override of a system, newest first.
func (c *Conn) Overrides(ctx context.Context, orgID, systemID string) ([]*caio.ClassificationOverride, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.Overrides */ SELECT `+overrideColumns+` FROM classification_overrides WHERE org_id = $1 AND system_id = $2 ORDER BY seq DESC LIMIT 100`, orgID, systemID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []*caio.ClassificationOverride
	for rows.Next() {
		o, err := scanOverride(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}

// OrgTimeline returns the EU AI Act timeline the organisation follows:
// "amended" unless it chose otherwise.
func (c *Conn) OrgTimeline(ctx context.Context, orgID string) (string, error) {
	var t string
	err := c.q.QueryRowContext(ctx, `/* Conn.OrgTimeline */ SELECT eu_timeline FROM org_settings WHERE org_id = $1`, orgID).Scan(&t)
	if err := translate(err); caio.ErrorCode(err) == caio.ENOTFOUND {
		return "amended", nil
	} else if err != nil {
		return "", err
	}
	return t, nil
}

// SetOrgTimeline stores the organisation's EU AI Act timeline.
func (c *Conn) SetOrgTimeline(ctx context.Context, orgID, timeline string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.SetOrgTimeline */ INSERT INTO org_settings (org_id, eu_timeline, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (org_id) DO UPDATE SET eu_timeline = excluded.eu_timeline, updated_at = excluded.updated_at`, orgID, timeline, ts(c.now))
	return translate(err)
}

// DeadlineSource is what a system's next deadline follows from.
type DeadlineSource struct {
	SystemID     string
	NextDeadline string
	// Dates are the application dates of its current classification's
	// obligations, sorted.
	Dates []string
}

// DeadlineSources returns, for every classified system of the
// organisation, its stored next deadline and the dates it comes from.
func (c *Conn) DeadlineSources(ctx context.Context, orgID string) ([]DeadlineSource, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.DeadlineSources */ SELECT s.id, s.next_deadline, k.dates FROM ai_systems s
		JOIN classifications k ON k.org_id = s.org_id AND k.system_id = s.id
		WHERE s.org_id = $1 AND k.seq = (SELECT MAX(seq) FROM classifications WHERE org_id = $1 AND system_id = s.id)`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []DeadlineSource
	for rows.Next() {
		var d DeadlineSource
		var dates string
		if err := rows.Scan(&d.SystemID, &d.NextDeadline, &dates); err != nil {
			return nil, translate(err)
		}
		d.Dates = splitKeys(dates)
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// SetNextDeadline changes only a system's next deadline: derived data, so
// neither its version nor its audit trail moves.
func (c *Conn) SetNextDeadline(ctx context.Context, orgID, systemID, date string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.SetNextDeadline */ UPDATE ai_systems SET next_deadline = $1 WHERE org_id = $2 AND id = $3`, date, orgID, systemID)
	return translate(err)
}

// LockOrg serialises, on PostgreSQL, the write transactions that change what
// an organisation's controls follow from (classifications, the frameworks it
// applies): each takes this lock first, then its systems' rows, so neither
// applies a plan read before the other committed. SQLite has one writer.
func (c *Conn) LockOrg(ctx context.Context, orgID string) error {
	if !c.writing || c.d != Postgres {
		return nil
	}
	var id string
	return translate(c.q.QueryRowContext(ctx, `/* Conn.LockOrg */ SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, orgID).Scan(&id))
}

// SystemDependents counts what deleting a system removes with it: its
// classifications, overrides, controls and evidence.
func (c *Conn) SystemDependents(ctx context.Context, orgID, systemID string) (map[string]int, error) {
	var cls, ovr, ctl, evd int
	err := c.q.QueryRowContext(ctx, `/* Conn.SystemDependents */ SELECT
		(SELECT COUNT(*) FROM classifications WHERE org_id = $1 AND system_id = $2),
		(SELECT COUNT(*) FROM classification_overrides WHERE org_id = $1 AND system_id = $2),
		(SELECT COUNT(*) FROM controls WHERE org_id = $1 AND system_id = $2),
		(SELECT COUNT(*) FROM evidence e JOIN controls k ON k.org_id = e.org_id AND k.id = e.control_id WHERE k.org_id = $1 AND k.system_id = $2)`,
		orgID, systemID).Scan(&cls, &ovr, &ctl, &evd)
	if err != nil {
		return nil, translate(err)
	}
	return map[string]int{"classifications": cls, "overrides": ovr, "controls": ctl, "evidence": evd}, nil
}
