package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// The interim engagement: engagements, their plan items, manual
// confirmations of deliverables and weekly status notes; and the templates
// consultants save, which belong to a user (see migration 0012).

func init() {
	backupTables = append(backupTables,
		struct{ name, order string }{"engagements", "id"},
		struct{ name, order string }{"engagement_plan_items", "id"},
		struct{ name, order string }{"engagement_deliverables", "engagement_id, deliverable"},
		struct{ name, order string }{"engagement_notes", "id"},
		struct{ name, order string }{"engagement_templates", "id"},
		struct{ name, order string }{"engagement_template_parts", "template_id, name"},
	)
}

const engagementColumns = `id, org_id, title, sponsor, start_date, end_date, goals, phases, status, template, final, version, created_by, created_at, updated_at, closed_at`

func scanEngagement(row interface{ Scan(...any) error }, extra ...any) (*caio.Engagement, error) {
	var e caio.Engagement
	var goals, phases, final string
	dest := append([]any{&e.ID, &e.OrgID, &e.Title, &e.Sponsor, &e.Start, &e.End, &goals, &phases, &e.Status, &e.Template, &final,
		&e.Version, &e.CreatedBy, timeCol{&e.CreatedAt}, timeCol{&e.UpdatedAt}, optTimeCol{&e.ClosedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	if err := json.Unmarshal([]byte(goals), &e.Goals); err != nil {
		return nil, errorf(caio.EINTERNAL, "engagement %s: goals: %v", e.ID, err)
	}
	if err := json.Unmarshal([]byte(phases), &e.Phases); err != nil {
		return nil, errorf(caio.EINTERNAL, "engagement %s: phases: %v", e.ID, err)
	}
	if final != "" {
		if err := json.Unmarshal([]byte(final), &e.Final); err != nil {
			return nil, errorf(caio.EINTERNAL, "engagement %s: final: %v", e.ID, err)
		}
	}
	return &e, nil
}

// engOptTime stores an optional time, ” when unset.
func engOptTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ts(*t)
}

func engagementNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Engagement not found.") }

// Engagement returns an engagement of the organisation, or ENOTFOUND.
// Inside a write transaction on PostgreSQL it locks the row until commit.
func (c *Conn) Engagement(ctx context.Context, orgID, id string) (*caio.Engagement, error) {
	e, err := scanEngagement(c.q.QueryRowContext(ctx, `/* Conn.Engagement */ SELECT `+engagementColumns+` FROM engagements WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, engagementNotFound()
	}
	return e, err
}

// ActiveEngagement returns the organisation's active engagement, or ENOTFOUND.
func (c *Conn) ActiveEngagement(ctx context.Context, orgID string) (*caio.Engagement, error) {
	e, err := scanEngagement(c.q.QueryRowContext(ctx, `/* Conn.ActiveEngagement */ SELECT `+engagementColumns+` FROM engagements WHERE org_id = $1 AND status = 'active'`+c.forUpdate(), orgID))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "No engagement is active in this organisation.")
	}
	return e, err
}

// Engagements returns a page of the organisation's engagements, newest
// first, and their total.
func (c *Conn) Engagements(ctx context.Context, orgID string, p caio.Page) ([]*caio.Engagement, int, error) {
	total, err := c.count(ctx, `/* Conn.Engagements */ SELECT COUNT(*) FROM engagements WHERE org_id = $1`, []any{orgID})
	if err != nil {
		return nil, 0, err
	}
	out := []*caio.Engagement{}
	err = c.eachRow(ctx, `/* Conn.Engagements */ SELECT `+engagementColumns+` FROM engagements WHERE org_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, []any{orgID, p.Limit, p.Offset}, func(scan func(...any) error) error {
		e, err := scanEngagement(engRow(scan))
		if err == nil {
			out = append(out, e)
		}
		return err
	})
	return out, total, err
}

// engRow adapts eachRow's scan function to a row.
type engRow func(...any) error

func (s engRow) Scan(dest ...any) error { return s(dest...) }

func engFinal(e *caio.Engagement) string {
	if e.Final == nil {
		return ""
	}
	return jsonArg(e.Final)
}

func engClosed(e *caio.Engagement) string { return engOptTime(e.ClosedAt) }

// CreateEngagement inserts an engagement at version 1. A second active
// engagement of the organisation is ECONFLICT.
func (c *Conn) CreateEngagement(ctx context.Context, e *caio.Engagement) error {
	e.Version, e.CreatedAt, e.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateEngagement */ INSERT INTO engagements (`+engagementColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		e.ID, e.OrgID, e.Title, e.Sponsor, e.Start, e.End, jsonArg(e.Goals), jsonArg(e.Phases), e.Status, e.Template, engFinal(e),
		e.Version, e.CreatedBy, ts(c.now), ts(c.now), engClosed(e))
	if caio.ErrorCode(translate(err)) == caio.ECONFLICT {
		return caio.Errorf(caio.ECONFLICT, "An engagement is already active in this organisation: close it first.")
	}
	return translate(err)
}

// UpdateEngagement writes the engagement's fields at the next version, if
// it still has the version that was read.
func (c *Conn) UpdateEngagement(ctx context.Context, e *caio.Engagement) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateEngagement */ UPDATE engagements SET title = $1, sponsor = $2, start_date = $3, end_date = $4,
		goals = $5, phases = $6, status = $7, final = $8, version = $9, updated_at = $10, closed_at = $11
		WHERE org_id = $12 AND id = $13 AND version = $14`,
		e.Title, e.Sponsor, e.Start, e.End, jsonArg(e.Goals), jsonArg(e.Phases), e.Status, engFinal(e), e.Version+1, ts(c.now), engClosed(e),
		e.OrgID, e.ID, e.Version))
	if err != nil {
		return err
	}
	e.Version++
	e.UpdatedAt = c.now
	return nil
}

// --- Plan items ---

const planItemColumns = `id, engagement_id, position, title, description, phase, window_key, due, owner, status, link, completed_at, created_at, updated_at`

func scanPlanItem(row interface{ Scan(...any) error }) (*caio.PlanItem, error) {
	var p caio.PlanItem
	if err := row.Scan(&p.ID, &p.EngagementID, &p.Position, &p.Title, &p.Description, &p.Phase, &p.Window, &p.Due, &p.Owner,
		&p.Status, &p.Link, optTimeCol{&p.CompletedAt}, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}); err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// PlanItems returns the plan of an engagement in its order.
func (c *Conn) PlanItems(ctx context.Context, orgID, engagementID string) ([]*caio.PlanItem, error) {
	out := []*caio.PlanItem{}
	err := c.eachRow(ctx, `/* Conn.PlanItems */ SELECT `+planItemColumns+` FROM engagement_plan_items WHERE org_id = $1 AND engagement_id = $2
		ORDER BY position, id`, []any{orgID, engagementID}, func(scan func(...any) error) error {
		p, err := scanPlanItem(engRow(scan))
		if err == nil {
			out = append(out, p)
		}
		return err
	})
	return out, err
}

// PlanItem returns one plan item of the organisation, or ENOTFOUND.
func (c *Conn) PlanItem(ctx context.Context, orgID, id string) (*caio.PlanItem, error) {
	p, err := scanPlanItem(c.q.QueryRowContext(ctx, `/* Conn.PlanItem */ SELECT `+planItemColumns+` FROM engagement_plan_items WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Plan item not found.")
	}
	return p, err
}

// NextPlanPosition returns the position after the last item of a plan.
func (c *Conn) NextPlanPosition(ctx context.Context, orgID, engagementID string) (int, error) {
	return c.count(ctx, `/* Conn.NextPlanPosition */ SELECT COALESCE(MAX(position), 0) + 1 FROM engagement_plan_items WHERE org_id = $1 AND engagement_id = $2`, []any{orgID, engagementID})
}

// CountPlanItems returns how many items a plan has.
func (c *Conn) CountPlanItems(ctx context.Context, orgID, engagementID string) (int, error) {
	return c.count(ctx, `/* Conn.CountPlanItems */ SELECT COUNT(*) FROM engagement_plan_items WHERE org_id = $1 AND engagement_id = $2`, []any{orgID, engagementID})
}

// CreatePlanItem inserts a plan item of the organisation.
func (c *Conn) CreatePlanItem(ctx context.Context, orgID string, p *caio.PlanItem) error {
	p.CreatedAt, p.UpdatedAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreatePlanItem */ INSERT INTO engagement_plan_items (org_id, `+planItemColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, orgID,
		p.ID, p.EngagementID, p.Position, p.Title, p.Description, p.Phase, p.Window, p.Due, p.Owner, p.Status, p.Link,
		engOptTime(p.CompletedAt), ts(c.now), ts(c.now))
	return translate(err)
}

// UpdatePlanItem writes a plan item's fields and position.
func (c *Conn) UpdatePlanItem(ctx context.Context, orgID string, p *caio.PlanItem) error {
	p.UpdatedAt = c.now
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdatePlanItem */ UPDATE engagement_plan_items SET position = $1, title = $2, description = $3,
		phase = $4, window_key = $5, due = $6, owner = $7, status = $8, link = $9, completed_at = $10, updated_at = $11
		WHERE org_id = $12 AND id = $13`, p.Position, p.Title, p.Description, p.Phase, p.Window, p.Due, p.Owner, p.Status, p.Link,
		engOptTime(p.CompletedAt), ts(c.now), orgID, p.ID))
}

// DeletePlanItem removes a plan item.
func (c *Conn) DeletePlanItem(ctx context.Context, orgID, id string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeletePlanItem */ DELETE FROM engagement_plan_items WHERE org_id = $1 AND id = $2`, orgID, id))
}

// --- Deliverables ---

// DeliverableConfirmations returns the manual confirmations of an
// engagement by deliverable key.
func (c *Conn) DeliverableConfirmations(ctx context.Context, orgID, engagementID string) (map[string]*caio.Deliverable, error) {
	out := map[string]*caio.Deliverable{}
	err := c.eachRow(ctx, `/* Conn.DeliverableConfirmations */ SELECT deliverable, done, note, confirmed_by, confirmed_at
		FROM engagement_deliverables WHERE org_id = $1 AND engagement_id = $2`, []any{orgID, engagementID}, func(scan func(...any) error) error {
		var d caio.Deliverable
		var done int
		if err := scan(&d.Key, &done, &d.Note, &d.ConfirmedBy, optTimeCol{&d.ConfirmedAt}); err != nil {
			return err
		}
		d.Done = done == 1
		out[d.Key] = &d
		return nil
	})
	return out, err
}

// PutDeliverableConfirmation stores a person's confirmation of a deliverable.
func (c *Conn) PutDeliverableConfirmation(ctx context.Context, orgID, engagementID, key string, done bool, note, by string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.PutDeliverableConfirmation */ INSERT INTO engagement_deliverables (engagement_id, deliverable, org_id, done, note, confirmed_by, confirmed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (engagement_id, deliverable) DO UPDATE SET done = excluded.done, note = excluded.note, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
		engagementID, key, orgID, boolInt(done), note, by, ts(c.now))
	return translate(err)
}

// --- Status notes ---

const noteColumns = `id, engagement_id, week, rag, summary, achievements, next_steps, risks, author, version, created_at, updated_at`

func scanNote(row interface{ Scan(...any) error }) (*caio.StatusNote, error) {
	var n caio.StatusNote
	if err := row.Scan(&n.ID, &n.EngagementID, &n.Week, &n.RAG, &n.Summary, &n.Achievements, &n.NextSteps, &n.Risks, &n.Author,
		&n.Version, timeCol{&n.CreatedAt}, timeCol{&n.UpdatedAt}); err != nil {
		return nil, translate(err)
	}
	n.WeekLabel = caio.WeekLabel(n.Week)
	return &n, nil
}

// StatusNotes returns a page of an engagement's notes, newest week first,
// and their total.
func (c *Conn) StatusNotes(ctx context.Context, orgID, engagementID string, p caio.Page) ([]*caio.StatusNote, int, error) {
	total, err := c.count(ctx, `/* Conn.StatusNotes */ SELECT COUNT(*) FROM engagement_notes WHERE org_id = $1 AND engagement_id = $2`, []any{orgID, engagementID})
	if err != nil {
		return nil, 0, err
	}
	out := []*caio.StatusNote{}
	err = c.eachRow(ctx, `/* Conn.StatusNotes */ SELECT `+noteColumns+` FROM engagement_notes WHERE org_id = $1 AND engagement_id = $2
		ORDER BY week DESC, id DESC LIMIT $3 OFFSET $4`, []any{orgID, engagementID, p.Limit, p.Offset}, func(scan func(...any) error) error {
		n, err := scanNote(engRow(scan))
		if err == nil {
			out = append(out, n)
		}
		return err
	})
	return out, total, err
}

// StatusNote returns one note of the organisation, or ENOTFOUND.
func (c *Conn) StatusNote(ctx context.Context, orgID, id string) (*caio.StatusNote, error) {
	n, err := scanNote(c.q.QueryRowContext(ctx, `/* Conn.StatusNote */ SELECT `+noteColumns+` FROM engagement_notes WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Status note not found.")
	}
	return n, err
}

func engWeekTaken(err error) error {
	if caio.ErrorCode(err) == caio.ECONFLICT {
		return &caio.Error{Code: caio.ECONFLICT, Message: "This week already has a status note.",
			Fields: []caio.FieldProblem{{Field: "week", Message: "already has a note: edit that one, or choose another week"}}}
	}
	return err
}

// CreateStatusNote inserts a note at version 1; a second note of the same week is ECONFLICT naming week.
func (c *Conn) CreateStatusNote(ctx context.Context, orgID string, n *caio.StatusNote) error {
	n.Version, n.CreatedAt, n.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateStatusNote */ INSERT INTO engagement_notes (org_id, `+noteColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, orgID,
		n.ID, n.EngagementID, n.Week, n.RAG, n.Summary, n.Achievements, n.NextSteps, n.Risks, n.Author, n.Version, ts(c.now), ts(c.now))
	return engWeekTaken(translate(err))
}

// UpdateStatusNote writes a note at the next version if it still has the version read.
func (c *Conn) UpdateStatusNote(ctx context.Context, orgID string, n *caio.StatusNote) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateStatusNote */ UPDATE engagement_notes SET week = $1, rag = $2, summary = $3, achievements = $4,
		next_steps = $5, risks = $6, author = $7, version = $8, updated_at = $9 WHERE org_id = $10 AND id = $11 AND version = $12`,
		n.Week, n.RAG, n.Summary, n.Achievements, n.NextSteps, n.Risks, n.Author, n.Version+1, ts(c.now), orgID, n.ID, n.Version))
	if err != nil {
		return engWeekTaken(err)
	}
	n.Version++
	n.UpdatedAt = c.now
	return nil
}

// DeleteStatusNote removes a note.
func (c *Conn) DeleteStatusNote(ctx context.Context, orgID, id string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteStatusNote */ DELETE FROM engagement_notes WHERE org_id = $1 AND id = $2`, orgID, id))
}

// --- Templates, which belong to a user ---

const templateColumns = `id, user_id, name, description, source, version, created_at, updated_at`

func scanTemplate(row interface{ Scan(...any) error }, extra ...any) (*caio.EngagementTemplate, error) {
	var t caio.EngagementTemplate
	dest := append([]any{&t.ID, &t.UserID, &t.Name, &t.Description, &t.Source, &t.Version, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	t.Parts = []caio.TemplatePartInfo{}
	return &t, nil
}

func templateNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Engagement template not found.") }

// EngagementTemplate returns a template of the user with its content and
// the names and sizes of its parts, or ENOTFOUND (also for another user's).
func (c *Conn) EngagementTemplate(ctx context.Context, userID, id string) (*caio.EngagementTemplate, error) {
	var content string
	t, err := scanTemplate(c.q.QueryRowContext(ctx, `/* Conn.EngagementTemplate */ SELECT `+templateColumns+`, content FROM engagement_templates WHERE user_id = $1 AND id = $2`, userID, id), &content)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, templateNotFound()
	}
	if err != nil {
		return nil, err
	}
	t.Content = []byte(content)
	err = c.eachRow(ctx, `/* Conn.EngagementTemplate */ SELECT name, LENGTH(data) FROM engagement_template_parts WHERE template_id = $1 ORDER BY name`, []any{id},
		func(scan func(...any) error) error {
			var p caio.TemplatePartInfo
			if err := scan(&p.Name, &p.Bytes); err != nil {
				return err
			}
			t.Parts = append(t.Parts, p)
			return nil
		})
	return t, err
}

// EngagementTemplates returns a page of the user's templates, newest
// first, and their total, without content.
func (c *Conn) EngagementTemplates(ctx context.Context, userID string, p caio.Page) ([]*caio.EngagementTemplate, int, error) {
	total, err := c.count(ctx, `/* Conn.EngagementTemplates */ SELECT COUNT(*) FROM engagement_templates WHERE user_id = $1`, []any{userID})
	if err != nil {
		return nil, 0, err
	}
	out := []*caio.EngagementTemplate{}
	err = c.eachRow(ctx, `/* Conn.EngagementTemplates */ SELECT `+templateColumns+` FROM engagement_templates WHERE user_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, []any{userID, p.Limit, p.Offset}, func(scan func(...any) error) error {
		t, err := scanTemplate(engRow(scan))
		if err == nil {
			out = append(out, t)
		}
		return err
	})
	return out, total, err
}

// TemplatePart returns the data of one part of a template, or nil when it has none.
func (c *Conn) TemplatePart(ctx context.Context, templateID, name string) (json.RawMessage, error) {
	var data string
	err := c.q.QueryRowContext(ctx, `/* Conn.TemplatePart */ SELECT data FROM engagement_template_parts WHERE template_id = $1 AND name = $2`, templateID, name).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	return json.RawMessage(data), nil
}

// CreateEngagementTemplate inserts a template of t.UserID with its parts.
func (c *Conn) CreateEngagementTemplate(ctx context.Context, t *caio.EngagementTemplate, parts map[string]json.RawMessage) error {
	t.Version, t.CreatedAt, t.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateEngagementTemplate */ INSERT INTO engagement_templates (`+templateColumns+`, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.ID, t.UserID, t.Name, t.Description, t.Source, t.Version, ts(c.now), ts(c.now), string(t.Content))
	if err != nil {
		return translate(err)
	}
	t.Parts = []caio.TemplatePartInfo{}
	for name, data := range parts {
		if _, err := c.q.ExecContext(ctx, `/* Conn.CreateEngagementTemplate */ INSERT INTO engagement_template_parts (template_id, name, data) VALUES ($1, $2, $3)`,
			t.ID, name, string(data)); err != nil {
			return translate(err)
		}
		t.Parts = append(t.Parts, caio.TemplatePartInfo{Name: name, Bytes: len(data)})
	}
	return nil
}

// DeleteEngagementTemplate removes a template of the user with its parts.
func (c *Conn) DeleteEngagementTemplate(ctx context.Context, userID, id string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteEngagementTemplate */ DELETE FROM engagement_templates WHERE user_id = $1 AND id = $2`, userID, id))
}

// --- What the deliverable checks read ---

// SystemClassCounts returns how many AI systems the organisation has and
// how many of them are not classified yet.
func (c *Conn) SystemClassCounts(ctx context.Context, orgID string) (total, unclassified int, err error) {
	err = c.q.QueryRowContext(ctx, `/* Conn.SystemClassCounts */ SELECT COUNT(*), COALESCE(SUM(CASE WHEN class = '' THEN 1 ELSE 0 END), 0)
		FROM ai_systems WHERE org_id = $1`, orgID).Scan(&total, &unclassified)
	return total, unclassified, translate(err)
}

// LatestSubmitted returns when the organisation last submitted an
// assessment of the definition ("" when never) and how many it submitted.
func (c *Conn) LatestSubmitted(ctx context.Context, orgID, definition string) (last string, n int, err error) {
	err = c.q.QueryRowContext(ctx, `/* Conn.LatestSubmitted */ SELECT COALESCE(MAX(submitted_at), ''), COUNT(*) FROM assessments
		WHERE org_id = $1 AND definition = $2 AND status = 'submitted'`, orgID, definition).Scan(&last, &n)
	return last, n, translate(err)
}

// UseCaseStageRatings returns the stage, intake state and ratings of each
// of the organisation's use cases, with their titles.
func (c *Conn) UseCaseStageRatings(ctx context.Context, orgID string, fn func(title, stage, intake string, r caio.UseCaseRatings) error) error {
	return c.eachRow(ctx, `/* Conn.UseCaseStageRatings */ SELECT title, stage, intake, ratings FROM use_cases WHERE org_id = $1 ORDER BY lower(title), id`,
		[]any{orgID}, func(scan func(...any) error) error {
			var title, stage, intake string
			var r caio.UseCaseRatings
			if err := scan(&title, &stage, &intake, jsonCol{&r}); err != nil {
				return err
			}
			return fn(title, stage, intake, r)
		})
}

// AllSurveyFiles returns every uploaded questionnaire of the organisation
// with its data, oldest first.
func (c *Conn) AllSurveyFiles(ctx context.Context, orgID string) ([]*caio.SurveyFile, error) {
	out := []*caio.SurveyFile{}
	err := c.eachRow(ctx, `/* Conn.AllSurveyFiles */ SELECT id, org_id, name, title, sha256, size, data, created_by, created_at
		FROM survey_files WHERE org_id = $1 ORDER BY created_at, id`, []any{orgID}, func(scan func(...any) error) error {
		f := &caio.SurveyFile{}
		var data string
		if err := scan(&f.ID, &f.OrgID, &f.Name, &f.Title, &f.SHA256, &f.Size, &data, &f.CreatedBy, timeCol{&f.CreatedAt}); err != nil {
			return err
		}
		f.Data = []byte(data)
		out = append(out, f)
		return nil
	})
	return out, err
}

// SurveyFileBySum reports whether the organisation has a questionnaire with the SHA-256.
func (c *Conn) SurveyFileBySum(ctx context.Context, orgID, sum string) (bool, error) {
	n, err := c.count(ctx, `/* Conn.SurveyFileBySum */ SELECT COUNT(*) FROM survey_files WHERE org_id = $1 AND sha256 = $2`, []any{orgID, strings.ToLower(sum)})
	return n > 0, err
}
