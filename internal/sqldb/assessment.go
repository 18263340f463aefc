package sqldb

import (
	"context"
	"encoding/json"

	"github.com/caio-office/caio"
)

// --- Assessments ---

const assessmentColumns = `a.id, a.org_id, a.definition, a.definition_version, a.title, a.subject_kind, a.subject_id, a.survey_id,
	COALESCE(s.name, v.name, ''), a.status, a.score, a.level, a.result, a.created_by, a.submitted_by, a.created_at, a.updated_at,
	a.submitted_at, a.version`

const assessmentFrom = `assessments a
	LEFT JOIN ai_systems s ON a.subject_kind = 'system' AND s.id = a.subject_id
	LEFT JOIN vendors v ON a.subject_kind = 'vendor' AND v.id = a.subject_id`

func scanAssessment(row interface{ Scan(...any) error }, extra ...any) (*caio.Assessment, error) {
	var x caio.Assessment
	var result, submitted string
	dest := append([]any{&x.ID, &x.OrgID, &x.Definition, &x.DefinitionVersion, &x.Title, &x.SubjectKind, &x.SubjectID, &x.SurveyID,
		&x.SubjectName, &x.Status, nullFloat{&x.Score}, &x.Level, &result, &x.CreatedBy, &x.SubmittedBy,
		timeCol{&x.CreatedAt}, timeCol{&x.UpdatedAt}, &submitted, &x.Version}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	if result != "" {
		x.Result = json.RawMessage(result)
	}
	if t, ok := parseStoredTime(submitted); ok && submitted != "" {
		x.SubmittedAt = &t
	}
	x.Answers = []caio.AnswerRecord{}
	return &x, nil
}

// Assessment returns an assessment with its answers, or ENOTFOUND. Inside a
// write transaction on PostgreSQL it locks the row.
func (c *Conn) Assessment(ctx context.Context, orgID, id string) (*caio.Assessment, error) {
	lock := ""
	if c.writing && c.d == Postgres {
		lock = " FOR UPDATE OF a"
	}
	x, err := scanAssessment(c.q.QueryRowContext(ctx, `/* Conn.Assessment */ SELECT `+assessmentColumns+` FROM `+assessmentFrom+`
		WHERE a.org_id = $1 AND a.id = $2`+lock, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Assessment not found.")
	}
	if err != nil {
		return nil, err
	}
	err = c.eachRow(ctx, `/* Conn.Assessment */ SELECT r.question_id, r.value, r.answered_by, COALESCE(u.name, ''), r.answered_at
		FROM assessment_answers r LEFT JOIN users u ON u.id = r.answered_by
		WHERE r.org_id = $1 AND r.assessment_id = $2 ORDER BY r.question_id`, []any{orgID, id},
		func(scan func(...any) error) error {
			var r caio.AnswerRecord
			var value string
			if err := scan(&r.Question, &value, &r.By, &r.ByName, timeCol{&r.At}); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(value), &r.Values); err != nil {
				return errorf(caio.EINTERNAL, "assessment %s, answer %s: %v", id, r.Question, err)
			}
			x.Answers = append(x.Answers, r)
			return nil
		})
	return x, err
}

// Assessments returns a page of assessments, newest first, without answers.
func (c *Conn) Assessments(ctx context.Context, orgID string, f caio.AssessmentFilter) ([]*caio.Assessment, int, error) {
	q := &listQuery{name: "Assessments", table: assessmentFrom, columns: assessmentColumns, page: f.Page}
	q.where, q.args = []string{"a.org_id = $1", "1 = 1"}, []any{orgID}
	if f.Definition != nil {
		q.filter("a.definition = ?", *f.Definition)
	}
	if f.SubjectID != nil {
		q.filter("a.subject_id = ?", *f.SubjectID)
	}
	if f.Status != nil {
		q.filter("a.status = ?", *f.Status)
	}
	q.order = "a.created_at DESC, a.id DESC"
	out := make([]*caio.Assessment, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		x, err := scanAssessment(row, total)
		if err == nil {
			out = append(out, x)
		}
		return err
	})
	return out, total, err
}

// SubmittedAssessments returns the submitted assessments of one
// questionnaire and subject, oldest first, for a trend.
func (c *Conn) SubmittedAssessments(ctx context.Context, orgID, definition, subjectID string, limit int) ([]*caio.Assessment, error) {
	var out []*caio.Assessment
	rows, err := c.q.QueryContext(ctx, `/* Conn.SubmittedAssessments */ SELECT `+assessmentColumns+` FROM `+assessmentFrom+`
		WHERE a.org_id = $1 AND a.definition = $2 AND a.subject_id = $3 AND a.status = 'submitted'
		ORDER BY a.submitted_at DESC, a.id DESC LIMIT $4`, orgID, definition, subjectID, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		x, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	// Oldest first, as a trend reads.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// CreateAssessment inserts a draft assessment at version 1.
func (c *Conn) CreateAssessment(ctx context.Context, x *caio.Assessment) error {
	x.Version, x.CreatedAt, x.UpdatedAt, x.Status = 1, c.now, c.now, caio.AssessmentDraft
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateAssessment */ INSERT INTO assessments (id, org_id, definition, definition_version, title,
		subject_kind, subject_id, survey_id, status, score, level, result, created_by, submitted_by, created_at, updated_at, submitted_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, '', $10, '', $11, $11, '', 1)`,
		x.ID, x.OrgID, x.Definition, x.DefinitionVersion, x.Title, x.SubjectKind, x.SubjectID, x.SurveyID, x.Status, x.CreatedBy, ts(c.now))
	return translate(err)
}

// PutAnswers writes the changed answers of a draft (an empty list deletes
// the answer) and bumps the assessment's version.
func (c *Conn) PutAnswers(ctx context.Context, x *caio.Assessment, by string, changed map[string][]string) error {
	for q, values := range changed {
		if len(values) == 0 {
			if _, err := c.q.ExecContext(ctx, `/* Conn.PutAnswers */ DELETE FROM assessment_answers WHERE org_id = $1 AND assessment_id = $2 AND question_id = $3`,
				x.OrgID, x.ID, q); err != nil {
				return translate(err)
			}
			continue
		}
		b, _ := json.Marshal(values)
		if _, err := c.q.ExecContext(ctx, `/* Conn.PutAnswers */ INSERT INTO assessment_answers (assessment_id, org_id, question_id, value, answered_by, answered_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assessment_id, question_id) DO UPDATE SET value = excluded.value,
			answered_by = excluded.answered_by, answered_at = excluded.answered_at`, x.ID, x.OrgID, q, string(b), by, ts(c.now)); err != nil {
			return translate(err)
		}
	}
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.PutAnswers */ UPDATE assessments SET version = $1, updated_at = $2 WHERE org_id = $3 AND id = $4 AND version = $5`,
		x.Version+1, ts(c.now), x.OrgID, x.ID, x.Version))
	if err == nil {
		x.Version++
		x.UpdatedAt = c.now
	}
	return err
}

// SubmitAssessment freezes a draft with its result.
func (c *Conn) SubmitAssessment(ctx context.Context, x *caio.Assessment) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.SubmitAssessment */ UPDATE assessments SET status = 'submitted', definition_version = $1,
		score = $2, level = $3, result = $4, submitted_by = $5, submitted_at = $6, updated_at = $6, version = $7
		WHERE org_id = $8 AND id = $9 AND version = $10 AND status = 'draft'`,
		x.DefinitionVersion, floatArg(x.Score), x.Level, string(x.Result), x.SubmittedBy, ts(c.now), x.Version+1, x.OrgID, x.ID, x.Version))
	if err == nil {
		now := c.now
		x.Status, x.SubmittedAt, x.UpdatedAt = caio.AssessmentSubmitted, &now, c.now
		x.Version++
	}
	return err
}

// DeleteAssessment removes an assessment and its answers.
func (c *Conn) DeleteAssessment(ctx context.Context, orgID, id string) error {
	return notFoundIfNone(c.q.ExecContext(ctx, `/* Conn.DeleteAssessment */ DELETE FROM assessments WHERE org_id = $1 AND id = $2`, orgID, id))("Assessment not found.")
}

// HasAssessment reports whether the subject has an assessment of the
// questionnaire, draft or submitted, so a proposal is not made twice.
func (c *Conn) HasAssessment(ctx context.Context, orgID, definition, subjectID string) (bool, error) {
	n, err := c.count(ctx, `/* Conn.HasAssessment */ SELECT COUNT(*) FROM assessments WHERE org_id = $1 AND definition = $2 AND subject_id = $3`,
		[]any{orgID, definition, subjectID})
	return n > 0, err
}

// SubjectName names an assessment's subject: an AI system or a vendor of
// the organisation, or ENOTFOUND.
func (c *Conn) SubjectName(ctx context.Context, orgID, kind, id string) (string, error) {
	table := map[string]string{"system": "ai_systems", "vendor": "vendors"}[kind]
	if table == "" {
		return "", errorf(caio.EINTERNAL, "subject kind %q", kind)
	}
	var name string
	err := c.q.QueryRowContext(ctx, `/* Conn.SubjectName */ SELECT name FROM `+table+` WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&name)
	if err != nil {
		if caio.ErrorCode(translate(err)) == caio.ENOTFOUND {
			return "", caio.FieldError("subject_id", "names no "+map[string]string{"system": "AI system", "vendor": "vendor"}[kind]+" of this organisation")
		}
		return "", translate(err)
	}
	return name, nil
}

// --- Uploaded SurveyJS questionnaires ---

// CreateSurveyFile stores an uploaded questionnaire.
func (c *Conn) CreateSurveyFile(ctx context.Context, f *caio.SurveyFile) error {
	f.CreatedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateSurveyFile */ INSERT INTO survey_files (id, org_id, name, title, sha256, size, data, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, f.ID, f.OrgID, f.Name, f.Title, f.SHA256, f.Size, string(f.Data), f.CreatedBy, ts(c.now))
	return translate(err)
}

// SurveyFile returns an uploaded questionnaire with its data, or ENOTFOUND.
func (c *Conn) SurveyFile(ctx context.Context, orgID, id string) (*caio.SurveyFile, error) {
	f := &caio.SurveyFile{}
	var data string
	err := c.q.QueryRowContext(ctx, `/* Conn.SurveyFile */ SELECT id, org_id, name, title, sha256, size, data, created_by, created_at
		FROM survey_files WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&f.ID, &f.OrgID, &f.Name, &f.Title, &f.SHA256, &f.Size, &data, &f.CreatedBy, timeCol{&f.CreatedAt})
	if err != nil {
		if caio.ErrorCode(translate(err)) == caio.ENOTFOUND {
			return nil, caio.Errorf(caio.ENOTFOUND, "Questionnaire file not found.")
		}
		return nil, translate(err)
	}
	f.Data = []byte(data)
	return f, nil
}

// SurveyFiles lists the organisation's uploaded questionnaires, newest
// first, without their data.
func (c *Conn) SurveyFiles(ctx context.Context, orgID string) ([]*caio.SurveyFile, error) {
	out := []*caio.SurveyFile{}
	err := c.eachRow(ctx, `/* Conn.SurveyFiles */ SELECT id, org_id, name, title, sha256, size, created_by, created_at
		FROM survey_files WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200`, []any{orgID}, func(scan func(...any) error) error {
		f := &caio.SurveyFile{}
		if err := scan(&f.ID, &f.OrgID, &f.Name, &f.Title, &f.SHA256, &f.Size, &f.CreatedBy, timeCol{&f.CreatedAt}); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	return out, err
}
