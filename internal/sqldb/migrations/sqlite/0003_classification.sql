-- EU AI Act classification: each classification of a system is kept, with
-- the profile it read and the full result (trace included), so history and
-- re-classification can show what changed. ai_systems.class holds the class
-- in effect (a reviewed override, else the engine's), for lists and filters.
CREATE TABLE classifications (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    system_id       TEXT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    profile         TEXT NOT NULL,
    result          TEXT NOT NULL,
    class           TEXT NOT NULL,
    basis           TEXT NOT NULL,
    content_version TEXT NOT NULL,
    timeline        TEXT NOT NULL,
    provisional     INTEGER NOT NULL,
    -- The application dates of the result's obligations, sorted, comma-
    -- separated: the system's next deadline is the first not yet past,
    -- recomputed as days go by without reading the result.
    dates           TEXT NOT NULL,
    note            TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (system_id, seq)
);
CREATE INDEX classifications_org_system ON classifications(org_id, system_id, seq);

-- A reviewed override of the engine's class, e.g. after legal advice. The
-- latest row of a system is in effect; a row with class '' withdraws it.
CREATE TABLE classification_overrides (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    system_id    TEXT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    class        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    reference    TEXT NOT NULL,
    engine_class TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (system_id, seq)
);
CREATE INDEX classification_overrides_org_system ON classification_overrides(org_id, system_id, seq);

-- Settings of the regulatory engine per organisation.
CREATE TABLE org_settings (
    org_id      TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    eu_timeline TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
