-- The advisor: tasks (usually accepted actions), what people did with each
-- action (accepted, snoozed, dismissed), the organisation's own rules in
-- CEL, and the built-in rules it switched off. Times are TEXT as in 0001;
-- dates are YYYY-MM-DD or ''.

-- A piece of work with an owner and a due date. source_key names the
-- action it was accepted from ('' for a task made by hand). owner_id is a
-- member; a deleted user leaves the task without an owner.
CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    owner_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
    due          TEXT NOT NULL,
    status       TEXT NOT NULL,
    source_key   TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    link         TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    completed_at TEXT
);
-- The lists: by status and due date (tasks without a due date last), per
-- owner likewise, by creation, and the tasks of one action.
CREATE INDEX tasks_org_status_due ON tasks(org_id, status, (due = ''), due, id);
CREATE INDEX tasks_org_owner_due ON tasks(org_id, owner_id, status, (due = ''), due, id);
CREATE INDEX tasks_org_created ON tasks(org_id, created_at, id);
CREATE INDEX tasks_org_source ON tasks(org_id, source_key);
CREATE INDEX tasks_owner ON tasks(owner_id);

-- What people did with one action of the advisor, keyed by the action's
-- stable key (rule/object). state is accepted (task_id names the task),
-- snoozed (until the date in until) or dismissed, each with a reason and
-- who did it when. An action without a row is open.
CREATE TABLE advice_states (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    action_key TEXT NOT NULL,
    rule_id    TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    title      TEXT NOT NULL,
    state      TEXT NOT NULL,
    task_id    TEXT REFERENCES tasks(id) ON DELETE SET NULL,
    until      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    by_id      TEXT NOT NULL,
    by_label   TEXT NOT NULL,
    at         TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, action_key)
);
CREATE INDEX advice_states_rule ON advice_states(org_id, rule_id);
CREATE INDEX advice_states_task ON advice_states(task_id);

-- The organisation's own rules. when_expr and due_expr are CEL; refs are
-- the references, one per line. enabled is 0 or 1.
CREATE TABLE advisor_rules (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    statement  TEXT NOT NULL,
    when_expr  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    due_expr   TEXT NOT NULL,
    due_source TEXT NOT NULL,
    refs       TEXT NOT NULL,
    owner_role TEXT NOT NULL,
    link       TEXT NOT NULL,
    impact     INTEGER NOT NULL,
    enabled    INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX advisor_rules_org ON advisor_rules(org_id, created_at, id);

-- A built-in rule the organisation switched off, with why, by whom and when.
CREATE TABLE advisor_builtins_off (
    org_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    rule_id  TEXT NOT NULL,
    reason   TEXT NOT NULL,
    by_id    TEXT NOT NULL,
    by_label TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (org_id, rule_id)
);

-- The version of an organisation's rule set, raised in the transaction of
-- every change to its rules or switches, so a server may keep the compiled
-- rules until it changes. No row is version 0.
CREATE TABLE advisor_settings (
    org_id        TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    rules_version BIGINT NOT NULL,
    updated_at    TEXT NOT NULL
);
