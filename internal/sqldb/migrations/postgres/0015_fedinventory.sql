-- The US federal AI use case inventory (issue 7): for each use case imported
-- from OMB's published inventory, the row as it was read, so an export writes
-- every source field back and a re-import finds the use case again.
--
-- kind is "individual" or "cots" (the two published files). source_key is
-- unique within the file: "AGENCY|ID", with "|n" for the n-th repeat of an
-- id, or "AGENCY|name:USE CASE NAME" for a row without an id (see
-- internal/engine/fedinv). system_id is the AI system made for the row, or ''.
-- row_no is the row's place in the last imported file, so an export keeps
-- the published order. raw is a JSON object of column name to value.
CREATE TABLE fedinventory_rows (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    agency      TEXT NOT NULL,
    source_key  TEXT NOT NULL,
    system_id   TEXT NOT NULL,
    row_no      INTEGER NOT NULL,
    raw         TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, use_case_id),
    UNIQUE (org_id, kind, source_key)
);
