-- The interim engagement: an interim CAIO's mandate per organisation with
-- its 30/60/90-day plan, manual confirmations of deliverables and weekly
-- status notes; and the engagement templates consultants save, which belong
-- to a user rather than an organisation. Times are TEXT as in 0001; dates
-- are YYYY-MM-DD.

-- goals and phases are JSON arrays; final is the deliverables checklist as
-- it stood at closing (JSON), '' while active; closed_at is '' while active.
CREATE TABLE engagements (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    sponsor    TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    goals      TEXT NOT NULL,
    phases     TEXT NOT NULL,
    status     TEXT NOT NULL,
    template   TEXT NOT NULL,
    final      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at  TEXT NOT NULL
);
-- At most one active engagement per organisation.
CREATE UNIQUE INDEX engagements_one_active ON engagements(org_id) WHERE status = 'active';
CREATE INDEX engagements_org_created ON engagements(org_id, created_at, id);

-- The plan. window_key is the window (0-30, 31-60, 61-90, later); position
-- orders the items of the plan, completed_at is '' until done.
CREATE TABLE engagement_plan_items (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    phase         TEXT NOT NULL,
    window_key    TEXT NOT NULL,
    due           TEXT NOT NULL,
    owner         TEXT NOT NULL,
    status        TEXT NOT NULL,
    link          TEXT NOT NULL,
    completed_at  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX engagement_plan_items_plan ON engagement_plan_items(engagement_id, position, id);

-- A person's confirmation of a deliverable caio cannot detect.
CREATE TABLE engagement_deliverables (
    engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    deliverable   TEXT NOT NULL,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    done          INTEGER NOT NULL,
    note          TEXT NOT NULL,
    confirmed_by  TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    PRIMARY KEY (engagement_id, deliverable)
);

-- Weekly status notes, one per week (the Monday) of an engagement.
CREATE TABLE engagement_notes (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    engagement_id TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    week          TEXT NOT NULL,
    rag           TEXT NOT NULL,
    summary       TEXT NOT NULL,
    achievements  TEXT NOT NULL,
    next_steps    TEXT NOT NULL,
    risks         TEXT NOT NULL,
    author        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX engagement_notes_week ON engagement_notes(engagement_id, week);

-- Templates belong to the user who saved them. content is the plan
-- template as JSON; parts carry what other areas export (questionnaires,
-- policies, rules), each as JSON.
CREATE TABLE engagement_templates (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL,
    content     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX engagement_templates_user ON engagement_templates(user_id, created_at, id);

CREATE TABLE engagement_template_parts (
    template_id TEXT NOT NULL REFERENCES engagement_templates(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (template_id, name)
);
