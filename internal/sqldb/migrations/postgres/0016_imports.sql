-- CSV and XLSX imports: the column mapping each organisation last used for
-- a kind of object, and uploaded files kept between their preview and
-- their import. Times are TEXT as in 0001.
CREATE TABLE import_mappings (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    mapping    TEXT NOT NULL, -- JSON: caio field → the file's column header
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- An uploaded file expires a day after the upload; uploads of the
-- organisation delete its expired ones.
CREATE TABLE import_uploads (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    format     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX import_uploads_org_expires ON import_uploads(org_id, expires_at, id);
