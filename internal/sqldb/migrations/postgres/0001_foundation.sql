-- Foundation: tenants, identity, audit trail, objectives.
-- Times are TEXT in a fixed-width UTC form (2006-01-02T15:04:05.000000Z), the
-- same on both engines, so they sort as text and hash identically.
CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY, -- SHA-256 of the cookie value
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id       TEXT REFERENCES organizations(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE, -- SHA-256 of the secret
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_org_user ON api_tokens(org_id, user_id, created_at, id);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE audit_heads (
    org_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    seq    BIGINT NOT NULL,
    hash   TEXT NOT NULL
);

CREATE TABLE audit_events (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    diff        TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX audit_events_object ON audit_events(org_id, object_type, object_id);

CREATE TABLE objectives (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    kpi         TEXT NOT NULL,
    baseline    DOUBLE PRECISION,
    target      DOUBLE PRECISION,
    unit        TEXT NOT NULL,
    horizon     TEXT NOT NULL,
    owner       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- One index per sort of the objectives list, each ending in id, so a page
-- is read straight from the index and stops after LIMIT.
CREATE INDEX objectives_org_created ON objectives(org_id, created_at, id);
CREATE INDEX objectives_org_updated ON objectives(org_id, updated_at, id);
CREATE INDEX objectives_org_horizon ON objectives(org_id, horizon, id);
CREATE INDEX objectives_org_title ON objectives(org_id, lower(title), id);

-- How many objects of each kind an organisation has, kept in the transaction
-- of every create and delete, so an unfiltered list knows its total without
-- counting thousands of rows on every page. Derived data: a restore
-- recomputes it (Conn.Recount) instead of copying it.
CREATE TABLE org_counters (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
);
