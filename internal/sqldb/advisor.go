package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// The advisor's storage: tasks, what people did with each action, the
// organisation's own rules and the built-in rules it switched off, and the
// version of its rule set (see migration 0013). The facts the rules read are
// gathered in advisor_facts.go.

func init() {
	counted["task"] = "tasks"
	backupTables = append(backupTables,
		struct{ name, order string }{"tasks", "id"},
		struct{ name, order string }{"advice_states", "org_id, action_key"},
		struct{ name, order string }{"advisor_rules", "id"},
		struct{ name, order string }{"advisor_builtins_off", "org_id, rule_id"},
		struct{ name, order string }{"advisor_settings", "org_id"},
	)
}

// --- Tasks ---

const taskColumns = `t.id, t.org_id, t.title, t.description, COALESCE(t.owner_id, ''), COALESCE(u.name, ''), COALESCE(u.email, ''),
	t.due, t.status, t.source_key, t.rule_id, t.link, t.created_by, t.version, t.created_at, t.updated_at, t.completed_at`

const taskFrom = `tasks t LEFT JOIN users u ON u.id = t.owner_id`

func scanTask(row interface{ Scan(...any) error }, extra ...any) (*caio.Task, error) {
	var t caio.Task
	dest := append([]any{&t.ID, &t.OrgID, &t.Title, &t.Description, &t.OwnerID, &t.OwnerName, &t.OwnerEmail,
		&t.Due, &t.Status, &t.SourceKey, &t.RuleID, &t.Link, &t.CreatedBy, &t.Version, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt},
		nullTimeCol{&t.CompletedAt}}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

func taskNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Task not found.") }

// Task returns a task of the organisation, or ENOTFOUND. Inside a write
// transaction on PostgreSQL it locks the row until commit.
func (c *Conn) Task(ctx context.Context, orgID, id string) (*caio.Task, error) {
	lock := ""
	if c.forUpdate() != "" {
		lock = " FOR UPDATE OF t"
	}
	t, err := scanTask(c.q.QueryRowContext(ctx, `/* Conn.Task */ SELECT `+taskColumns+` FROM `+taskFrom+` WHERE t.org_id = $1 AND t.id = $2`+lock, orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, taskNotFound()
	}
	return t, err
}

// taskOrder maps each sort to an ORDER BY that an index of tasks serves.
var taskOrder = map[string]string{
	"due":      "(t.due = ''), t.due, t.id",
	"-due":     "(t.due <> '') DESC, t.due DESC, t.id DESC",
	"-created": "t.created_at DESC, t.id DESC", "created": "t.created_at, t.id",
	"title":    "lower(t.title), t.id",
	"-updated": "t.updated_at DESC, t.id DESC",
}

// Tasks returns a page of an organisation's tasks and the total that
// match. userID is the asker, for Mine; today (YYYY-MM-DD) is for Overdue.
func (c *Conn) Tasks(ctx context.Context, orgID string, f caio.TaskFilter, userID, today string) ([]*caio.Task, int, error) {
	q := &listQuery{name: "Tasks", table: taskFrom, columns: taskColumns, kind: "task",
		where: []string{"t.org_id = $1"}, args: []any{orgID}, page: f.Page}
	if f.Mine {
		q.filter("t.owner_id = ?", userID)
	}
	if f.OwnerID != nil {
		q.filter("t.owner_id = ?", *f.OwnerID)
	}
	if f.Status != nil {
		q.filter("t.status = ?", *f.Status)
	}
	if f.SourceKey != nil {
		q.filter("t.source_key = ?", *f.SourceKey)
	}
	if f.Overdue != nil {
		if *f.Overdue {
			q.filter("t.status = 'open' AND t.due <> '' AND t.due < ?", today)
		} else {
			q.filter("NOT (t.status = 'open' AND t.due <> '' AND t.due < ?)", today)
		}
	}
	var ok bool
	if q.order, ok = taskOrder[f.Sort]; !ok {
		q.order = taskOrder["due"]
	}
	out := make([]*caio.Task, 0, f.Limit)
	total, err := c.run(ctx, q, func(row interface{ Scan(...any) error }, total *int) error {
		t, err := scanTask(row, total)
		if err == nil {
			out = append(out, t)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// TasksByID returns the tasks of the organisation with the IDs, by ID.
func (c *Conn) TasksByID(ctx context.Context, orgID string, ids []string) (map[string]*caio.Task, error) {
	out := map[string]*caio.Task{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{orgID}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = "$" + itoa(i+2)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.TasksByID */ SELECT `+taskColumns+` FROM `+taskFrom+` WHERE t.org_id = $1 AND t.id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out[t.ID] = t
	}
	return out, translate(rows.Err())
}

// CreateTask inserts a task at version 1.
func (c *Conn) CreateTask(ctx context.Context, t *caio.Task) error {
	t.Version, t.CreatedAt, t.UpdatedAt = 1, c.now, c.now
	var done any
	if t.Status == "done" {
		now := c.now
		t.CompletedAt, done = &now, ts(c.now)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateTask */ INSERT INTO tasks (id, org_id, title, description, owner_id, due, status, source_key, rule_id, link, created_by, version, created_at, updated_at, completed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		t.ID, t.OrgID, t.Title, t.Description, nullable(t.OwnerID), t.Due, t.Status, t.SourceKey, t.RuleID, t.Link, t.CreatedBy,
		t.Version, ts(c.now), ts(c.now), done)
	if err != nil {
		return translate(err)
	}
	return c.bumpCounter(ctx, t.OrgID, "task", 1)
}

// UpdateTask writes the task's fields, bumping its version, if it still
// has the version that was read (otherwise the transaction is retried).
// Moving to done sets completed_at; leaving done clears it.
func (c *Conn) UpdateTask(ctx context.Context, t *caio.Task) error {
	var done any
	switch {
	case t.Status == "done" && t.CompletedAt == nil:
		now := c.now
		t.CompletedAt = &now
		done = ts(now)
	case t.Status == "done":
		done = ts(*t.CompletedAt)
	default:
		t.CompletedAt = nil
	}
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateTask */ UPDATE tasks SET title = $1, description = $2, owner_id = $3, due = $4,
		status = $5, link = $6, version = $7, updated_at = $8, completed_at = $9 WHERE org_id = $10 AND id = $11 AND version = $12`,
		t.Title, t.Description, nullable(t.OwnerID), t.Due, t.Status, t.Link, t.Version+1, ts(c.now), done, t.OrgID, t.ID, t.Version))
	if err != nil {
		return err
	}
	t.Version++
	t.UpdatedAt = c.now
	return nil
}

// DeleteTask removes a task at the version that was read; an accepted
// action that pointed at it keeps its state without the task.
func (c *Conn) DeleteTask(ctx context.Context, t *caio.Task) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteTask */ DELETE FROM tasks WHERE org_id = $1 AND id = $2 AND version = $3`, t.OrgID, t.ID, t.Version)); err != nil {
		return err
	}
	return c.bumpCounter(ctx, t.OrgID, "task", -1)
}

// --- What people did with actions ---

const adviceStateColumns = `org_id, action_key, rule_id, object_id, title, state, COALESCE(task_id, ''), until, reason, by_id, by_label, at, created_at`

func scanAdviceState(row interface{ Scan(...any) error }) (*caio.AdviceState, error) {
	var s caio.AdviceState
	if err := row.Scan(&s.OrgID, &s.Key, &s.RuleID, &s.ObjectID, &s.Title, &s.State, &s.TaskID, &s.Until, &s.Reason,
		&s.ByID, &s.By, timeCol{&s.At}, timeCol{&s.CreatedAt}); err != nil {
		return nil, translate(err)
	}
	return &s, nil
}

// AdviceStates returns what people did with the organisation's actions, by key.
func (c *Conn) AdviceStates(ctx context.Context, orgID string) (map[string]*caio.AdviceState, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.AdviceStates */ SELECT `+adviceStateColumns+` FROM advice_states WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]*caio.AdviceState{}
	for rows.Next() {
		s, err := scanAdviceState(rows)
		if err != nil {
			return nil, err
		}
		out[s.Key] = s
	}
	return out, translate(rows.Err())
}

// AdviceState returns what was done with one action, or ENOTFOUND. Inside
// a write transaction on PostgreSQL it locks the row until commit.
func (c *Conn) AdviceState(ctx context.Context, orgID, key string) (*caio.AdviceState, error) {
	s, err := scanAdviceState(c.q.QueryRowContext(ctx, `/* Conn.AdviceState */ SELECT `+adviceStateColumns+` FROM advice_states WHERE org_id = $1 AND action_key = $2`+c.forUpdate(), orgID, key))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Nothing was done with this action.")
	}
	return s, err
}

// PutAdviceState stores what was done with an action, replacing what was
// done before; s.At is set to the transaction's time.
func (c *Conn) PutAdviceState(ctx context.Context, s *caio.AdviceState) error {
	s.At, s.CreatedAt = c.now, c.now
	_, err := c.q.ExecContext(ctx, `/* Conn.PutAdviceState */ INSERT INTO advice_states (`+strings.ReplaceAll(adviceStateColumns, "COALESCE(task_id, '')", "task_id")+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (org_id, action_key) DO UPDATE SET rule_id = excluded.rule_id, object_id = excluded.object_id, title = excluded.title,
			state = excluded.state, task_id = excluded.task_id, until = excluded.until, reason = excluded.reason,
			by_id = excluded.by_id, by_label = excluded.by_label, at = excluded.at`,
		s.OrgID, s.Key, s.RuleID, s.ObjectID, s.Title, s.State, nullable(s.TaskID), s.Until, s.Reason, s.ByID, s.By, ts(c.now), ts(c.now))
	return translate(err)
}

// DeleteAdviceState forgets what was done with an action.
func (c *Conn) DeleteAdviceState(ctx context.Context, orgID, key string) error {
	return rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteAdviceState */ DELETE FROM advice_states WHERE org_id = $1 AND action_key = $2`, orgID, key))
}

// --- The organisation's rules ---

const advisorRuleColumns = `id, kind, title, statement, when_expr, reason, due_expr, due_source, refs, owner_role, link, impact, enabled, version, created_by, updated_by, created_at, updated_at`

func scanAdvisorRule(row interface{ Scan(...any) error }) (*caio.AdvisorRule, error) {
	var r caio.AdvisorRule
	var refs string
	var enabled int
	var created, updated time.Time
	if err := row.Scan(&r.ID, &r.Kind, &r.Title, &r.Statement, &r.When, &r.Reason, &r.Due, &r.DueSource, &refs, &r.OwnerRole, &r.Link, &r.Impact,
		&enabled, &r.Version, &r.CreatedBy, &r.UpdatedBy, timeCol{&created}, timeCol{&updated}); err != nil {
		return nil, translate(err)
	}
	r.Enabled = enabled != 0
	r.References = []string{}
	if refs != "" {
		r.References = strings.Split(refs, "\n")
	}
	r.CreatedAt, r.UpdatedAt = &created, &updated
	return &r, nil
}

// AdvisorRules returns the organisation's own rules, oldest first.
func (c *Conn) AdvisorRules(ctx context.Context, orgID string) ([]*caio.AdvisorRule, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.AdvisorRules */ SELECT `+advisorRuleColumns+` FROM advisor_rules WHERE org_id = $1 ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*caio.AdvisorRule{}
	for rows.Next() {
		r, err := scanAdvisorRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// AdvisorRule returns one of the organisation's rules, or ENOTFOUND.
func (c *Conn) AdvisorRule(ctx context.Context, orgID, id string) (*caio.AdvisorRule, error) {
	r, err := scanAdvisorRule(c.q.QueryRowContext(ctx, `/* Conn.AdvisorRule */ SELECT `+advisorRuleColumns+` FROM advisor_rules WHERE org_id = $1 AND id = $2`+c.forUpdate(), orgID, id))
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.ENOTFOUND, "Rule not found.")
	}
	return r, err
}

// CreateAdvisorRule inserts a rule of orgID at version 1.
func (c *Conn) CreateAdvisorRule(ctx context.Context, orgID string, r *caio.AdvisorRule) error {
	now := c.now
	r.Version, r.CreatedAt, r.UpdatedAt = 1, &now, &now
	r.UpdatedBy = r.CreatedBy
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateAdvisorRule */ INSERT INTO advisor_rules (org_id, `+advisorRuleColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		orgID, r.ID, r.Kind, r.Title, r.Statement, r.When, r.Reason, r.Due, r.DueSource, strings.Join(r.References, "\n"), r.OwnerRole, r.Link, r.Impact,
		boolInt(r.Enabled), r.Version, r.CreatedBy, r.UpdatedBy, ts(now), ts(now))
	return translate(err)
}

// UpdateAdvisorRule writes a rule's fields at the version after the one read.
func (c *Conn) UpdateAdvisorRule(ctx context.Context, orgID string, r *caio.AdvisorRule) error {
	err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.UpdateAdvisorRule */ UPDATE advisor_rules SET kind = $1, title = $2, when_expr = $3, reason = $4,
		due_expr = $5, due_source = $6, refs = $7, owner_role = $8, link = $9, impact = $10, enabled = $11, version = $12, updated_by = $13, updated_at = $14,
		statement = $18 WHERE org_id = $15 AND id = $16 AND version = $17`,
		r.Kind, r.Title, r.When, r.Reason, r.Due, r.DueSource, strings.Join(r.References, "\n"), r.OwnerRole, r.Link, r.Impact,
		boolInt(r.Enabled), r.Version+1, r.UpdatedBy, ts(c.now), orgID, r.ID, r.Version, r.Statement))
	if err != nil {
		return err
	}
	now := c.now
	r.Version++
	r.UpdatedAt = &now
	return nil
}

// DeleteAdvisorRule removes a rule and what people did with its actions.
func (c *Conn) DeleteAdvisorRule(ctx context.Context, orgID string, r *caio.AdvisorRule) error {
	if err := rowsChanged(c.q.ExecContext(ctx, `/* Conn.DeleteAdvisorRule */ DELETE FROM advisor_rules WHERE org_id = $1 AND id = $2 AND version = $3`, orgID, r.ID, r.Version)); err != nil {
		return err
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.DeleteAdvisorRule */ DELETE FROM advice_states WHERE org_id = $1 AND rule_id = $2`, orgID, r.ID)
	return translate(err)
}

// --- Built-in rules switched off ---

// BuiltinsOff returns the built-in rules the organisation switched off, by
// rule ID, each as a rule carrying only ID, OffReason, OffBy and OffAt.
func (c *Conn) BuiltinsOff(ctx context.Context, orgID string) (map[string]*caio.AdvisorRule, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.BuiltinsOff */ SELECT rule_id, reason, by_label, at FROM advisor_builtins_off WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]*caio.AdvisorRule{}
	for rows.Next() {
		var r caio.AdvisorRule
		if err := rows.Scan(&r.ID, &r.OffReason, &r.OffBy, nullTimeCol{&r.OffAt}); err != nil {
			return nil, translate(err)
		}
		out[r.ID] = &r
	}
	return out, translate(rows.Err())
}

// PutBuiltinOff switches a built-in rule off for the organisation, or
// changes the reason of a switch that is off.
func (c *Conn) PutBuiltinOff(ctx context.Context, orgID, ruleID, reason, byID, by string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.PutBuiltinOff */ INSERT INTO advisor_builtins_off (org_id, rule_id, reason, by_id, by_label, at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (org_id, rule_id) DO UPDATE SET reason = excluded.reason, by_id = excluded.by_id, by_label = excluded.by_label, at = excluded.at`,
		orgID, ruleID, reason, byID, by, ts(c.now))
	return translate(err)
}

// DeleteBuiltinOff switches a built-in rule on again; errStale when it was on.
func (c *Conn) DeleteBuiltinOff(ctx context.Context, orgID, ruleID string) (bool, error) {
	res, err := c.q.ExecContext(ctx, `/* Conn.DeleteBuiltinOff */ DELETE FROM advisor_builtins_off WHERE org_id = $1 AND rule_id = $2`, orgID, ruleID)
	if err != nil {
		return false, translate(err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// --- The version of the rule set ---

// AdvisorRulesVersion returns the version of the organisation's rule set:
// 0 until its rules or switches first change.
func (c *Conn) AdvisorRulesVersion(ctx context.Context, orgID string) (int64, error) {
	var v int64
	err := c.q.QueryRowContext(ctx, `/* Conn.AdvisorRulesVersion */ SELECT rules_version FROM advisor_settings WHERE org_id = $1`, orgID).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, translate(err)
}

// BumpAdvisorRules raises the version of the organisation's rule set, in
// the transaction of the change to its rules or switches.
func (c *Conn) BumpAdvisorRules(ctx context.Context, orgID string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.BumpAdvisorRules */ INSERT INTO advisor_settings (org_id, rules_version, updated_at) VALUES ($1, 1, $2)
		ON CONFLICT (org_id) DO UPDATE SET rules_version = advisor_settings.rules_version + 1, updated_at = excluded.updated_at`, orgID, ts(c.now))
	return translate(err)
}
