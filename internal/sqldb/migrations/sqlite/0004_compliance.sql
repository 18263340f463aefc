-- Compliance: the frameworks each organisation follows, the control
-- implementations of each AI system, and their evidence. Times are TEXT as
-- in 0001; dates (deadline, due_date, review_date, due) are YYYY-MM-DD or ''.

-- The frameworks an organisation has chosen. No row at all means it has
-- not chosen: the defaults apply (eu-ai-act, nist-ai-rmf, iso-42001). Once
-- chosen, eu-ai-act is always among the rows.
CREATE TABLE org_frameworks (
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (org_id, framework_id)
);

-- One row per system and requirement (framework item) that applies or
-- applied. applicable (0 or 1) and deadline are written by the
-- classification's sync; the rest by people. due is the date that counts,
-- due_date when set and deadline otherwise, kept by every write so the
-- posture queries and the deadline order read it from an index.
CREATE TABLE controls (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    framework   TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    applicable  INTEGER NOT NULL,
    deadline    TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    review_date TEXT NOT NULL,
    notes       TEXT NOT NULL,
    due         TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (system_id, framework, item_id)
);
-- The posture's counts by framework and status, with the overdue ones,
-- read from this index alone.
CREATE INDEX controls_org_posture ON controls(org_id, applicable, framework, status, due);
-- The next deadlines, and the list in deadline order (dated first).
CREATE INDEX controls_org_due ON controls(org_id, applicable, (due = ''), due, id);
-- The other orders of the list, and the owner filter.
CREATE INDEX controls_org_framework ON controls(org_id, applicable, framework, item_id, system_id);
CREATE INDEX controls_org_system ON controls(org_id, applicable, system_id, framework, item_id);
CREATE INDEX controls_org_updated ON controls(org_id, applicable, updated_at, id);
CREATE INDEX controls_org_owner ON controls(org_id, owner);

-- Evidence of a control: a file (its bytes in evidence_blobs) or a link.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    control_id   TEXT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX evidence_control ON evidence(control_id, created_at, id);

-- The bytes of file evidence, apart from its description so lists never read them.
CREATE TABLE evidence_blobs (
    evidence_id TEXT PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    data        BLOB NOT NULL
);
