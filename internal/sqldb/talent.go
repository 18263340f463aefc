package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strings"

	"github.com/caio-office/caio"
)

// Talent: the AI team (people and their skill ratings) and the hiring of
// the permanent CAIO (candidates, panel ratings, the scorecard and the
// decisions). See migration 0011.

func init() {
	counted["talent_person"] = "talent_people"
	counted["talent_candidate"] = "talent_candidates"
	backupTables = append(backupTables,
		struct{ name, order string }{"talent_people", "id"},
		struct{ name, order string }{"talent_skill_ratings", "person_id, skill"},
		struct{ name, order string }{"talent_candidates", "id"},
		struct{ name, order string }{"talent_panel_ratings", "candidate_id, interviewer_id"},
		struct{ name, order string }{"talent_scorecards", "org_id"},
		struct{ name, order string }{"talent_decisions", "id"},
	)
}

// --- People ---

const personColumns = `p.id, p.org_id, p.name, p.role, COALESCE(p.user_id, ''), p.notes, p.version, p.created_at, p.updated_at`

func scanPerson(row interface{ Scan(...any) error }, extra ...any) (*caio.Person, error) {
	var p caio.Person
	dest := append([]any{&p.ID, &p.OrgID, &p.Name, &p.Role, &p.UserID, &p.Notes, &p.Version, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// Person returns a person of the organisation with the linked member's
// email, or ENOTFOUND. Inside a write transaction on PostgreSQL it locks
// the row.
func (c *Conn) Person(ctx context.Context, orgID, id string) (*caio.Person, error) {
	var email string
	p, err := scanPerson(c.q.QueryRowContext(ctx, `/* Conn.Person */ SELECT `+personColumns+`, COALESCE((SELECT email FROM users u WHERE u.id = p.user_id), '')
		FROM talent_people p WHERE p.org_id = $1 AND p.id = $2`+c.forUpdate(), orgID, id), &email)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Person not found.")
	}
	if err != nil {
		return nil, err
	}
	p.UserEmail = email
	return p, nil
}

// personOrder maps each sort of the team list to an ORDER BY its indexes serve.
var personOrder = map[string]string{
	"name": "lower(p.name), p.id", "-name": "lower(p.name) DESC, p.id DESC",
	"role": "p.role, lower(p.name), p.id", "created": "p.created_at, p.id", "-created": "p.created_at DESC, p.id DESC",
}

// People returns a page of the organisation's people, each with the email
// of the linked member, and the total that match.
func (c *Conn) People(ctx context.Context, orgID string, f caio.PersonFilter) ([]*caio.Person, int, error) {
	q := &listQuery{name: "People", table: "talent_people p", kind: "talent_person",
		columns: personColumns + `, COALESCE((SELECT email FROM users u WHERE u.id = p.user_id), '')`,
		where:   []string{"p.org_id = $1"}, args: []any{orgID}, page: f.Page}
	q.search(f.Query, "p.name", "p.notes")
	if f.Role != nil {
		q.filter("p.role = ?", *f.Role)
	}
	var ok bool
	if q.order, ok = personOrder[f.Sort]; !ok {
		q.order = personOrder["name"]
	}
	out := make([]*caio.Person, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		var email string
		p, err := scanPerson(row, &email, total)
		if err == nil {
			p.UserEmail = email
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreatePerson inserts a person at version 1.
func (c *Conn) CreatePerson(ctx context.Context, p *caio.Person) error {
	p.Version, p.CreatedAt, p.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreatePerson */ INSERT INTO talent_people (id, org_id, name, role, user_id, notes, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, p.ID, p.OrgID, p.Name, p.Role, nullable(p.UserID), p.Notes, p.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, p.OrgID, "talent_person", 1)
}

// UpdatePerson writes a person's fields at the version read, bumping it.
func (c *Conn) UpdatePerson(ctx context.Context, p *caio.Person) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdatePerson */ UPDATE talent_people SET name = $1, role = $2, user_id = $3, notes = $4, version = $5, updated_at = $6
		WHERE org_id = $7 AND id = $8 AND version = $9`, p.Name, p.Role, nullable(p.UserID), p.Notes, p.Version+1, ts(c.now), p.OrgID, p.ID, p.Version))
	if err == nil {
		p.Version++
		p.UpdatedAt = c.now
	}
	return err
}

// TouchPerson bumps a person's version for a change of their ratings.
func (c *Conn) TouchPerson(ctx context.Context, p *caio.Person) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.TouchPerson */ UPDATE talent_people SET version = $1, updated_at = $2 WHERE org_id = $3 AND id = $4 AND version = $5`,
		p.Version+1, ts(c.now), p.OrgID, p.ID, p.Version))
	if err == nil {
		p.Version++
		p.UpdatedAt = c.now
	}
	return err
}

// DeletePerson removes a person; their ratings go by foreign key.
func (c *Conn) DeletePerson(ctx context.Context, p *caio.Person) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeletePerson */ DELETE FROM talent_people WHERE org_id = $1 AND id = $2 AND version = $3`, p.OrgID, p.ID, p.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, p.OrgID, "talent_person", -1)
}

// SkillRatings returns the ratings of a person, or, with personID "", of
// every person of the organisation, keyed by person id.
func (c *Conn) SkillRatings(ctx context.Context, orgID, personID string) (map[string][]caio.SkillRating, error) {
	query := `/* Conn.SkillRatings */ SELECT person_id, skill, level, rated_by, rated_by_label, rated_at FROM talent_skill_ratings WHERE org_id = $1`
	args := []any{orgID}
	if personID != "" {
		query += ` AND person_id = $2`
		args = append(args, personID)
	}
	rows, err := c.q.QueryContext(ctx, query+` ORDER BY person_id, skill`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string][]caio.SkillRating{}
	for rows.Next() {
		var pid string
		var r caio.SkillRating
		if err := rows.Scan(&pid, &r.Skill, &r.Level, &r.RatedBy, &r.RatedByLabel, timeCol{&r.RatedAt}); err != nil {
			return nil, translate(err)
		}
		out[pid] = append(out[pid], r)
	}
	return out, translate(rows.Err())
}

// PutSkillRating sets a person's level in a skill, or removes it when the
// level is 0.
func (c *Conn) PutSkillRating(ctx context.Context, orgID, personID string, r caio.SkillRating) error {
	if r.Level == 0 {
		_, err := c.q.ExecContext(ctx, `/* Conn.PutSkillRating */ DELETE FROM talent_skill_ratings WHERE org_id = $1 AND person_id = $2 AND skill = $3`, orgID, personID, r.Skill)
		return translate(err)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.PutSkillRating */ INSERT INTO talent_skill_ratings (org_id, person_id, skill, level, rated_by, rated_by_label, rated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (person_id, skill) DO UPDATE SET level = excluded.level, rated_by = excluded.rated_by, rated_by_label = excluded.rated_by_label, rated_at = excluded.rated_at`,
		orgID, personID, r.Skill, r.Level, r.RatedBy, r.RatedByLabel, ts(c.now))
	return translate(err)
}

// --- Candidates ---

const candidateColumns = `id, org_id, name, source, status, notes, version, created_at, updated_at`

func scanCandidate(row interface{ Scan(...any) error }, extra ...any) (*caio.Candidate, error) {
	var k caio.Candidate
	dest := append([]any{&k.ID, &k.OrgID, &k.Name, &k.Source, &k.Status, &k.Notes, &k.Version, timeCol{&k.CreatedAt}, timeCol{&k.UpdatedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// Candidate returns a candidate of the organisation, or ENOTFOUND; locked
// inside a write transaction on PostgreSQL.
func (c *Conn) Candidate(ctx context.Context, orgID, id string) (*caio.Candidate, error) {
	k, err := scanCandidate(c.q.QueryRowContext(ctx, `/* Conn.Candidate */ SELECT `+candidateColumns+` FROM talent_candidates WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Candidate not found.")
	}
	return k, err
}

var candidateOrder = map[string]string{
	"name": "lower(name), id", "-name": "lower(name) DESC, id DESC",
	"created": "created_at, id", "-created": "created_at DESC, id DESC",
	"status": "status, lower(name), id",
}

// Candidates returns a page of candidates and the total that match.
func (c *Conn) Candidates(ctx context.Context, orgID string, f caio.CandidateFilter) ([]*caio.Candidate, int, error) {
	q := &listQuery{name: "Candidates", table: "talent_candidates", columns: candidateColumns, kind: "talent_candidate",
		where: []string{"org_id = $1"}, args: []any{orgID}, page: f.Page}
	q.search(f.Query, "name", "source", "notes")
	if f.Status != nil {
		q.filter("status = ?", *f.Status)
	}
	var ok bool
	if q.order, ok = candidateOrder[f.Sort]; !ok {
		q.order = candidateOrder["name"]
	}
	out := make([]*caio.Candidate, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		k, err := scanCandidate(row, total)
		if err == nil {
			out = append(out, k)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateCandidate inserts a candidate at version 1.
func (c *Conn) CreateCandidate(ctx context.Context, k *caio.Candidate) error {
	k.Version, k.CreatedAt, k.UpdatedAt = 1, c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateCandidate */ INSERT INTO talent_candidates (`+candidateColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, k.ID, k.OrgID, k.Name, k.Source, k.Status, k.Notes, k.Version, ts(c.now), ts(c.now))
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, k.OrgID, "talent_candidate", 1)
}

// UpdateCandidate writes a candidate's fields at the version read.
func (c *Conn) UpdateCandidate(ctx context.Context, k *caio.Candidate) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateCandidate */ UPDATE talent_candidates SET name = $1, source = $2, status = $3, notes = $4, version = $5, updated_at = $6
		WHERE org_id = $7 AND id = $8 AND version = $9`, k.Name, k.Source, k.Status, k.Notes, k.Version+1, ts(c.now), k.OrgID, k.ID, k.Version))
	if err == nil {
		k.Version++
		k.UpdatedAt = c.now
	}
	return err
}

// DeleteCandidate removes a candidate with their panel ratings.
func (c *Conn) DeleteCandidate(ctx context.Context, k *caio.Candidate) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteCandidate */ DELETE FROM talent_candidates WHERE org_id = $1 AND id = $2 AND version = $3`, k.OrgID, k.ID, k.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, k.OrgID, "talent_candidate", -1)
}

// AllCandidates returns up to limit candidates of the organisation by name,
// for the comparison.
func (c *Conn) AllCandidates(ctx context.Context, orgID string, limit int) ([]*caio.Candidate, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.AllCandidates */ SELECT `+candidateColumns+` FROM talent_candidates WHERE org_id = $1 ORDER BY lower(name), id LIMIT $2`, orgID, limit)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.Candidate{}
	for rows.Next() {
		k, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, translate(rows.Err())
}

// --- Panel ratings ---

// PanelRatings returns the panel's ratings of one candidate, or with
// candidateID "" of every candidate, keyed by candidate id, oldest first.
func (c *Conn) PanelRatings(ctx context.Context, orgID, candidateID string) (map[string][]caio.PanelRating, error) {
	query := `/* Conn.PanelRatings */ SELECT candidate_id, interviewer_id, interviewer_label, ratings, notes, created_at, updated_at FROM talent_panel_ratings WHERE org_id = $1`
	args := []any{orgID}
	if candidateID != "" {
		query += ` AND candidate_id = $2`
		args = append(args, candidateID)
	}
	rows, err := c.q.QueryContext(ctx, query+` ORDER BY candidate_id, created_at, interviewer_id`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string][]caio.PanelRating{}
	for rows.Next() {
		var p caio.PanelRating
		var ratings string
		if err := rows.Scan(&p.CandidateID, &p.InterviewerID, &p.Interviewer, &ratings, &p.Notes, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}); err != nil {
			return nil, translate(err)
		}
		if err := json.Unmarshal([]byte(ratings), &p.Ratings); err != nil {
			return nil, err
		}
		out[p.CandidateID] = append(out[p.CandidateID], p)
	}
	return out, translate(rows.Err())
}

// PutPanelRating stores one interviewer's set of ratings, replacing theirs.
func (c *Conn) PutPanelRating(ctx context.Context, orgID string, p *caio.PanelRating) error {
	b, err := json.Marshal(p.Ratings)
	if err != nil {
		return err
	}
	p.UpdatedAt = c.now
	if p.CreatedAt.IsZero() {
		p.CreatedAt = c.now
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.PutPanelRating */ INSERT INTO talent_panel_ratings (org_id, candidate_id, interviewer_id, interviewer_label, ratings, notes, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (candidate_id, interviewer_id) DO UPDATE SET interviewer_label = excluded.interviewer_label, ratings = excluded.ratings, notes = excluded.notes, updated_at = excluded.updated_at`,
		orgID, p.CandidateID, p.InterviewerID, p.Interviewer, string(b), p.Notes, ts(p.CreatedAt), ts(c.now))
	return translate(err)
}

// --- Scorecard ---

// Scorecard returns the organisation's saved scorecard, or nil at version
// 0 when it saved none.
func (c *Conn) Scorecard(ctx context.Context, orgID string) (*caio.Scorecard, error) {
	var s caio.Scorecard
	var criteria, at string
	err := c.q.QueryRowContext(ctx, `/* Conn.Scorecard */ SELECT criteria, version, updated_at FROM talent_scorecards WHERE org_id = $1`+c.forUpdate(), orgID).
		Scan(&criteria, &s.Version, &at)
	if err == sql.ErrNoRows {
		return &s, nil
	}
	if err != nil {
		return nil, translate(err)
	}
	if err := json.Unmarshal([]byte(criteria), &s.Criteria); err != nil {
		return nil, err
	}
	t := c.now
	if err := (timeCol{&t}).Scan(at); err != nil {
		return nil, err
	}
	s.UpdatedAt = &t
	return &s, nil
}

// PutScorecard stores the scorecard at the version after the one read.
func (c *Conn) PutScorecard(ctx context.Context, orgID string, s *caio.Scorecard) error {
	b, err := json.Marshal(s.Criteria)
	if err != nil {
		return err
	}
	s.Version++
	now := c.now
	s.UpdatedAt = &now
	if s.Version == 1 {
		_, err := c.q.ExecContext(ctx, `/* Conn.PutScorecard */ INSERT INTO talent_scorecards (org_id, criteria, version, updated_at) VALUES ($1, $2, $3, $4)`,
			orgID, string(b), s.Version, ts(c.now))
		return translate(err)
	}
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.PutScorecard */ UPDATE talent_scorecards SET criteria = $1, version = $2, updated_at = $3 WHERE org_id = $4 AND version = $5`,
		string(b), s.Version, ts(c.now), orgID, s.Version-1))
}

// --- Decisions ---

const decisionColumns = `d.id, d.candidate_id, k.name, d.reason, d.score_centi, d.decided_by, d.decided_by_label, d.decided_at, k.status`

// LatestDecision returns the organisation's latest hiring decision, or
// ENOTFOUND when none is recorded.
func (c *Conn) LatestDecision(ctx context.Context, orgID string) (*caio.HiringDecision, error) {
	var d caio.HiringDecision
	var centi int
	var status string
	err := c.q.QueryRowContext(ctx, `/* Conn.LatestDecision */ SELECT `+decisionColumns+`
		FROM talent_decisions d JOIN talent_candidates k ON k.id = d.candidate_id
		WHERE d.org_id = $1 ORDER BY d.decided_at DESC, d.id DESC LIMIT 1`, orgID).
		Scan(&d.ID, &d.CandidateID, &d.CandidateName, &d.Reason, &centi, &d.DecidedBy, &d.DecidedByLabel, timeCol{&d.DecidedAt}, &status)
	if err == sql.ErrNoRows {
		return nil, caio.Errorf(caio.ENOTFOUND, "No hiring decision is recorded.")
	}
	if err != nil {
		return nil, translate(err)
	}
	d.Score = float64(centi) / 100
	d.Standing = status == "hired"
	return &d, nil
}

// CreateDecision records a hiring decision.
func (c *Conn) CreateDecision(ctx context.Context, orgID string, d *caio.HiringDecision) error {
	d.DecidedAt = c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateDecision */ INSERT INTO talent_decisions (id, org_id, candidate_id, reason, score_centi, decided_by, decided_by_label, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, orgID, d.CandidateID, d.Reason, int(math.Round(d.Score*100)), d.DecidedBy, d.DecidedByLabel, ts(c.now))
	return translate(err)
}

// CandidateDecided reports whether a decision names the candidate.
func (c *Conn) CandidateDecided(ctx context.Context, orgID, candidateID string) (bool, error) {
	n, err := c.count(ctx, `/* Conn.CandidateDecided */ SELECT COUNT(*) FROM talent_decisions WHERE org_id = $1 AND candidate_id = $2`, []any{orgID, candidateID})
	return n > 0, err
}

// HiringDecided reports whether the organisation has recorded the decision
// to hire its permanent CAIO and that decision still stands: the chosen
// candidate is hired (not since declined or withdrawn). For the engagement
// area's handover deliverables.
func (c *Conn) HiringDecided(ctx context.Context, orgID string) (bool, error) {
	n, err := c.count(ctx, `/* Conn.HiringDecided */ SELECT COUNT(*) FROM talent_decisions d JOIN talent_candidates k ON k.id = d.candidate_id
		WHERE d.org_id = $1 AND k.status = 'hired'`, []any{orgID})
	return n > 0, err
}

// MemberEmails returns the emails of the members of the organisation among
// userIDs, keyed by user id.
func (c *Conn) MemberEmails(ctx context.Context, orgID string, userIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	args := []any{orgID}
	marks := make([]string, len(userIDs))
	for i, id := range userIDs {
		args = append(args, id)
		marks[i] = "$" + itoa(i+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.MemberEmails */ SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = $1 AND m.user_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, translate(err)
		}
		out[id] = email
	}
	return out, translate(rows.Err())
}
