package sqldb

import (
	"context"
	"database/sql"
	"strings"

	"github.com/caio-office/caio"
)

// The risk register: risks, their links and treatments, and each
// organisation's scale and appetite. The scores of a risk are derived from
// its assessment and written with it (see migration 0007).

func init() {
	counted["risk"] = "risks"
}

const riskColumns = `id, org_id, title, description, category, likelihood, impact, residual_likelihood, residual_impact, inherent_score, residual_score, score, owner, status, review_date, version, created_at, updated_at`

func scanRisk(row interface{ Scan(...any) error }, extra ...any) (*caio.Risk, error) {
	var r caio.Risk
	dest := append([]any{&r.ID, &r.OrgID, &r.Title, &r.Description, &r.Category, &r.Likelihood, &r.Impact,
		&r.ResidualLikelihood, &r.ResidualImpact, &r.InherentScore, &r.ResidualScore, &r.Score, &r.Owner, &r.Status,
		&r.ReviewDate, &r.Version, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

func riskNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Risk not found.") }

// Risk returns a risk of the organisation without its links and
// treatments, or ENOTFOUND. Inside a write transaction on PostgreSQL it
// locks the row until commit.
func (c *Conn) Risk(ctx context.Context, orgID, id string) (*caio.Risk, error) {
	r, err := scanRisk(c.q.QueryRowContext(ctx, `/* Conn.Risk */ SELECT `+riskColumns+` FROM risks WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, riskNotFound()
	}
	return r, err
}

// riskOrder maps each sort to an ORDER BY that an index of risks serves.
var riskOrder = map[string]string{
	"-score": "score DESC, id DESC", "score": "score, id",
	"-created": "created_at DESC, id DESC", "created": "created_at, id",
	"title": "lower(title), id", "-title": "lower(title) DESC, id DESC",
	"updated": "updated_at, id", "-updated": "updated_at DESC, id DESC",
	"review":  "(review_date = ''), review_date, id",
	"-review": "(review_date <> '') DESC, review_date DESC, id DESC",
}

// Risks returns a page of an organisation's risks and the total that match.
// appetite is the organisation's, for the breach filter; today (YYYY-MM-DD)
// is for the overdue filter.
func (c *Conn) Risks(ctx context.Context, orgID string, f caio.RiskFilter, appetite int, today string) ([]*caio.Risk, int, error) {
	out := make([]*caio.Risk, 0, f.Limit)
	total, err := c.run(ctx, risksQuery(orgID, f, appetite, today), func(row interface{ Scan(...any) error }, total *int) error {
		r, err := scanRisk(row, total)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// risksQuery is the list query of Risks.
func risksQuery(orgID string, f caio.RiskFilter, appetite int, today string) *listQuery {
	q := &listQuery{name: "Risks", table: "risks", columns: riskColumns, kind: "risk",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page}
	q.search(f.Query, "title", "description", "owner")
	if f.Status != nil {
		q.filter("status = ?", *f.Status)
	}
	if f.Library != nil {
		// A library is the range of its categories, "lib:" up to "lib;"
		// (';' follows ':'), which the category index serves on both engines.
		q.filter("category >= ?", *f.Library+":")
		q.filter("category < ?", *f.Library+";")
	}
	if f.Category != nil {
		q.filter("category = ?", *f.Category)
	}
	if f.Owner != nil {
		q.filter("owner = ?", *f.Owner)
	}
	for _, l := range []struct {
		kind string
		id   *string
	}{{"system", f.System}, {"use_case", f.UseCase}, {"vendor", f.Vendor}} {
		if l.id != nil {
			q.filter("id IN (SELECT risk_id FROM risk_links WHERE org_id = $1 AND kind = '"+l.kind+"' AND target_id = ?)", *l.id)
		}
	}
	if f.Breach != nil {
		if *f.Breach {
			q.filter("score > ?", appetite)
		} else {
			q.filter("score <= ?", appetite)
		}
	}
	if f.Overdue != nil {
		if *f.Overdue {
			q.filter("status <> 'closed' AND review_date <> '' AND review_date < ?", today)
		} else {
			q.filter("NOT (status <> 'closed' AND review_date <> '' AND review_date < ?)", today)
		}
	}
	if f.Likelihood != nil || f.Impact != nil {
		// A cell of the heat map, which leaves closed risks out.
		lc, ic := "likelihood", "impact"
		if f.Residual {
			lc, ic = "residual_likelihood", "residual_impact"
		}
		q.where = append(q.where, "status <> 'closed'")
		if f.Likelihood != nil {
			q.filter(lc+" = ?", *f.Likelihood)
		}
		if f.Impact != nil {
			q.filter(ic+" = ?", *f.Impact)
		}
	}
	var ok bool
	if q.order, ok = riskOrder[f.Sort]; !ok {
		q.order = riskOrder["-score"]
	}
	return q
}

// CreateRisk inserts a risk at version 1 with its links.
func (c *Conn) CreateRisk(ctx context.Context, r *caio.Risk) error {
	r.Version, r.CreatedAt, r.UpdatedAt = 1, c.now, c.now
	r.Scores()
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateRisk */ INSERT INTO risks (`+riskColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		r.ID, r.OrgID, r.Title, r.Description, r.Category, r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact,
		r.InherentScore, r.ResidualScore, r.Score, r.Owner, r.Status, r.ReviewDate, r.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	if err := c.insertRiskLinks(ctx, r); err != nil {
		return err
	}
	return c.bumpCounter(ctx, r.OrgID, "risk", 1)
}

// UpdateRisk writes the risk's fields and replaces its links, bumping its
// version, if it still has the version that was read (otherwise the
// transaction is retried).
func (c *Conn) UpdateRisk(ctx context.Context, r *caio.Risk) error {
	r.Scores()
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateRisk */ UPDATE risks SET title = $1, description = $2, category = $3,
		likelihood = $4, impact = $5, residual_likelihood = $6, residual_impact = $7, inherent_score = $8, residual_score = $9,
		score = $10, owner = $11, status = $12, review_date = $13, version = $14, updated_at = $15
		WHERE org_id = $16 AND id = $17 AND version = $18`,
		r.Title, r.Description, r.Category, r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact,
		r.InherentScore, r.ResidualScore, r.Score, r.Owner, r.Status, r.ReviewDate, r.Version+1, ts(c.now), r.OrgID, r.ID, r.Version))
	if err != nil {
		return err
	}
	r.Version++
	r.UpdatedAt = c.now
	if _, err := c.q.ExecContext(ctx, `/* Conn.UpdateRisk */ DELETE FROM risk_links WHERE org_id = $1 AND risk_id = $2`, r.OrgID, r.ID); err != nil {
		return translate(err)
	}
	return c.insertRiskLinks(ctx, r)
}

// insertRiskLinks stores r.Links, setting the typed column of each kind.
func (c *Conn) insertRiskLinks(ctx context.Context, r *caio.Risk) error {
	for _, l := range r.Links {
		var sys, uc, vnd sql.NullString
		switch l.Kind {
		case "system":
			sys = sql.NullString{String: l.TargetID, Valid: true}
		case "use_case":
			uc = sql.NullString{String: l.TargetID, Valid: true}
		case "vendor":
			vnd = sql.NullString{String: l.TargetID, Valid: true}
		default:
			return caio.FieldError("kind", "must be one of "+strings.Join(caio.RiskLinkKinds, ", "))
		}
		_, err := c.q.ExecContext(ctx, `/* Conn.insertRiskLinks */ INSERT INTO risk_links (org_id, risk_id, kind, target_id, system_id, use_case_id, vendor_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.OrgID, r.ID, l.Kind, l.TargetID, sys, uc, vnd, ts(c.now))
		if err != nil {
			return translate(err)
		}
	}
	return nil
}

// DeleteRisk removes a risk at the version that was read; its links and
// treatments go with it by foreign key.
func (c *Conn) DeleteRisk(ctx context.Context, r *caio.Risk) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteRisk */ DELETE FROM risks WHERE org_id = $1 AND id = $2 AND version = $3`, r.OrgID, r.ID, r.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, r.OrgID, "risk", -1)
}

// RiskLinks returns the links of a risk, by kind and target name.
func (c *Conn) RiskLinks(ctx context.Context, orgID, riskID string) ([]caio.RiskLink, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.RiskLinks */ SELECT l.kind, l.target_id, COALESCE(s.name, u.title, v.name, '')
		FROM risk_links l
		LEFT JOIN ai_systems s ON s.id = l.system_id
		LEFT JOIN use_cases u ON u.id = l.use_case_id
		LEFT JOIN vendors v ON v.id = l.vendor_id
		WHERE l.org_id = $1 AND l.risk_id = $2
		ORDER BY l.kind, lower(COALESCE(s.name, u.title, v.name, '')), l.target_id`, orgID, riskID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []caio.RiskLink{}
	for rows.Next() {
		var l caio.RiskLink
		if err := rows.Scan(&l.Kind, &l.TargetID, &l.TargetName); err != nil {
			return nil, translate(err)
		}
		out = append(out, l)
	}
	return out, translate(rows.Err())
}

// RiskLinkTargets returns which of ids name an object of the kind in the
// organisation.
func (c *Conn) RiskLinkTargets(ctx context.Context, orgID, kind string, ids []string) (map[string]bool, error) {
	table := map[string]string{"system": "ai_systems", "use_case": "use_cases", "vendor": "vendors"}[kind]
	found := map[string]bool{}
	if table == "" || len(ids) == 0 {
		return found, nil
	}
	args := []any{orgID}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = "$" + itoa(i+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.RiskLinkTargets */ SELECT id FROM `+table+` WHERE org_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		found[id] = true
	}
	return found, translate(rows.Err())
}

// --- Treatments ---

const treatmentColumns = `t.id, t.risk_id, COALESCE(t.control_id, ''), t.description, t.status, t.owner, t.due, t.created_at, t.updated_at`

func scanTreatment(row interface{ Scan(...any) error }, extra ...any) (*caio.RiskTreatment, error) {
	var t caio.RiskTreatment
	dest := append([]any{&t.ID, &t.RiskID, &t.ControlID, &t.Description, &t.Status, &t.Owner, &t.Due,
		timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// RiskTreatments returns the treatments of a risk, oldest first, each with
// the name of its control's system and framework item.
func (c *Conn) RiskTreatments(ctx context.Context, orgID, riskID string) ([]*caio.RiskTreatment, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.RiskTreatments */ SELECT `+treatmentColumns+`, COALESCE(s.name, ''), COALESCE(k.framework, ''), COALESCE(k.item_id, '')
		FROM risk_treatments t
		LEFT JOIN controls k ON k.id = t.control_id
		LEFT JOIN ai_systems s ON s.id = k.system_id
		WHERE t.org_id = $1 AND t.risk_id = $2 ORDER BY t.created_at, t.id`, orgID, riskID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.RiskTreatment{}
	for rows.Next() {
		var sys, fw, item string
		t, err := scanTreatment(rows, &sys, &fw, &item)
		if err != nil {
			return nil, err
		}
		if t.ControlID != "" {
			t.ControlLabel = sys + ": " + fw + " " + item
		}
		out = append(out, t)
	}
	return out, translate(rows.Err())
}

// RiskTreatment returns one treatment of a risk, or ENOTFOUND.
func (c *Conn) RiskTreatment(ctx context.Context, orgID, riskID, id string) (*caio.RiskTreatment, error) {
	t, err := scanTreatment(c.q.QueryRowContext(ctx, `/* Conn.RiskTreatment */ SELECT `+treatmentColumns+` FROM risk_treatments t WHERE t.org_id = $1 AND t.risk_id = $2 AND t.id = $3`, orgID, riskID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Treatment not found.")
	}
	return t, err
}

// CountRiskTreatments returns how many treatments a risk has.
func (c *Conn) CountRiskTreatments(ctx context.Context, orgID, riskID string) (int, error) {
	return c.count(ctx, `/* Conn.CountRiskTreatments */ SELECT COUNT(*) FROM risk_treatments WHERE org_id = $1 AND risk_id = $2`, []any{orgID, riskID})
}

// ControlInOrg reports whether a control belongs to the organisation.
func (c *Conn) ControlInOrg(ctx context.Context, orgID, controlID string) (bool, error) {
	n, err := c.count(ctx, `/* Conn.ControlInOrg */ SELECT COUNT(*) FROM controls WHERE org_id = $1 AND id = $2`, []any{orgID, controlID})
	return n > 0, err
}

func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateRiskTreatment inserts a treatment of a risk of orgID.
func (c *Conn) CreateRiskTreatment(ctx context.Context, orgID string, t *caio.RiskTreatment) error {
	t.CreatedAt, t.UpdatedAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateRiskTreatment */ INSERT INTO risk_treatments (id, org_id, risk_id, control_id, description, status, owner, due, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, orgID, t.RiskID, nullable(t.ControlID), t.Description, t.Status, t.Owner, t.Due, ts(c.now), ts(c.now))
	return translate(err)
}

// UpdateRiskTreatment writes a treatment's fields.
func (c *Conn) UpdateRiskTreatment(ctx context.Context, orgID string, t *caio.RiskTreatment) error {
	t.UpdatedAt = c.now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateRiskTreatment */ UPDATE risk_treatments SET control_id = $1, description = $2, status = $3, owner = $4, due = $5, updated_at = $6
		WHERE org_id = $7 AND risk_id = $8 AND id = $9`, nullable(t.ControlID), t.Description, t.Status, t.Owner, t.Due, ts(c.now), orgID, t.RiskID, t.ID))
}

// DeleteRiskTreatment removes a treatment.
func (c *Conn) DeleteRiskTreatment(ctx context.Context, orgID string, t *caio.RiskTreatment) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteRiskTreatment */ DELETE FROM risk_treatments WHERE org_id = $1 AND risk_id = $2 AND id = $3`, orgID, t.RiskID, t.ID))
}

// TouchRisk bumps a risk's version and updated_at, for a change of its
// treatments, if it still has the version that was read.
func (c *Conn) TouchRisk(ctx context.Context, r *caio.Risk) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.TouchRisk */ UPDATE risks SET version = $1, updated_at = $2 WHERE org_id = $3 AND id = $4 AND version = $5`,
		r.Version+1, ts(c.now), r.OrgID, r.ID, r.Version))
	if err == nil {
		r.Version++
		r.UpdatedAt = c.now
	}
	return err
}

// --- Heat map and appetite ---

// RiskHeatMap counts the organisation's risks that are not closed by
// inherent and by residual likelihood and impact, into h. Values outside
// h's scale (left from a larger scale) are not drawn.
func (c *Conn) RiskHeatMap(ctx context.Context, orgID string, h *caio.RiskHeatMap) error {
	for _, m := range []struct {
		name string
		cols string
		dst  [][]int
	}{{"inherent", "likelihood, impact", h.Inherent}, {"residual", "residual_likelihood, residual_impact", h.Residual}} {
		rows, err := c.q.QueryContext(ctx, `/* Conn.RiskHeatMap */ SELECT `+m.cols+`, COUNT(*), SUM(CASE WHEN score > $2 THEN 1 ELSE 0 END)
			FROM risks WHERE org_id = $1 AND status <> 'closed' GROUP BY `+m.cols, orgID, h.Appetite)
		if err != nil {
			return translate(err)
		}
		for rows.Next() {
			var l, i, n, over int
			if err := rows.Scan(&l, &i, &n, &over); err != nil {
				rows.Close()
				return translate(err)
			}
			if m.name == "inherent" {
				h.Total += n
				h.Breaches += over
			} else if l > 0 && i > 0 {
				h.Assessed += n
			}
			if l >= 1 && l <= h.Scale && i >= 1 && i <= h.Scale {
				m.dst[l-1][i-1] += n
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return translate(err)
		}
	}
	return nil
}

// RiskAppetite returns the organisation's stored settings, or the defaults
// at version 0 when it has none.
func (c *Conn) RiskAppetite(ctx context.Context, orgID string) (*caio.RiskAppetite, error) {
	s := caio.DefaultAppetite()
	var at string
	err := c.q.QueryRowContext(ctx, `/* Conn.RiskAppetite */ SELECT scale, appetite, version, updated_at FROM risk_settings WHERE org_id = $1`+c.forUpdate(), orgID).
		Scan(&s.Scale, &s.Appetite, &s.Version, &at)
	if err == sql.ErrNoRows {
		return &s, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	var t = c.now
	if err := (timeCol{&t}).Scan(at); err != nil {
		return nil, err
	}
	s.UpdatedAt = &t
	return &s, nil
}

// PutRiskAppetite stores the settings at the version after the one read.
func (c *Conn) PutRiskAppetite(ctx context.Context, orgID string, s *caio.RiskAppetite) error {
	s.Version++
	now := c.now
	s.UpdatedAt = &now
	if s.Version == 1 {
		_, err := c.q.ExecContext(ctx, `/* Conn.PutRiskAppetite */ INSERT INTO risk_settings (org_id, scale, appetite, version, updated_at) VALUES ($1, $2, $3, $4, $5)`,
			orgID, s.Scale, s.Appetite, s.Version, ts(c.now))
		return translate(err)
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.PutRiskAppetite */ UPDATE risk_settings SET scale = $1, appetite = $2, version = $3, updated_at = $4 WHERE org_id = $5 AND version = $6`,
		s.Scale, s.Appetite, s.Version, ts(c.now), orgID, s.Version-1))
}

// MaxRiskValue returns the highest likelihood or impact, inherent or
// residual, of the organisation's risks, or 0 without risks.
func (c *Conn) MaxRiskValue(ctx context.Context, orgID string) (int, error) {
	return c.count(ctx, `/* Conn.MaxRiskValue */ SELECT COALESCE(MAX(CASE
		WHEN likelihood >= impact AND likelihood >= residual_likelihood AND likelihood >= residual_impact THEN likelihood
		WHEN impact >= residual_likelihood AND impact >= residual_impact THEN impact
		WHEN residual_likelihood >= residual_impact THEN residual_likelihood
		ELSE residual_impact END), 0) FROM risks WHERE org_id = $1`, []any{orgID})
}
