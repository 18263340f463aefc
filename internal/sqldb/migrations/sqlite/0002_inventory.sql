-- The AI inventory: AI systems, models, datasets, vendors, and the links
-- from systems to them and to objectives. Lists (countries, roles, special
-- categories) are comma-separated keys; times are TEXT as in 0001.
CREATE TABLE ai_systems (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    description   TEXT NOT NULL,
    owner         TEXT NOT NULL,
    business_unit TEXT NOT NULL,
    stage         TEXT NOT NULL,
    countries     TEXT NOT NULL,
    users         TEXT NOT NULL,
    affected      TEXT NOT NULL,
    autonomy      TEXT NOT NULL,
    oversight     TEXT NOT NULL,
    roles         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Written by the classification service only: '' until classified.
    class         TEXT NOT NULL DEFAULT '',
    basis         TEXT NOT NULL DEFAULT '',
    next_deadline TEXT NOT NULL DEFAULT '',
    classified_at TEXT NOT NULL DEFAULT ''
);
-- One index per sort of the systems list, each ending in id, so a page is
-- read straight from the index. The deadline orders put systems without a
-- deadline last, so their indexes lead with whether there is one.
CREATE INDEX ai_systems_org_created ON ai_systems(org_id, created_at, id);
CREATE INDEX ai_systems_org_updated ON ai_systems(org_id, updated_at, id);
CREATE INDEX ai_systems_org_name ON ai_systems(org_id, lower(name), id);
CREATE INDEX ai_systems_org_deadline ON ai_systems(org_id, (next_deadline = ''), next_deadline, id);
CREATE INDEX ai_systems_org_deadline_desc ON ai_systems(org_id, (next_deadline <> ''), next_deadline, id);
-- The filters: each index leads with one filter and carries the columns of
-- the others, so the total of a filtered list is counted from the index
-- alone, without reading the rows.
CREATE INDEX ai_systems_org_class ON ai_systems(org_id, class, stage, next_deadline);
CREATE INDEX ai_systems_org_stage ON ai_systems(org_id, stage, class, next_deadline);
-- The two filters people use most, in the list's default order (newest
-- first), so a filtered page is read from an index instead of walking every
-- system of the organisation to find the ones that match.
CREATE INDEX ai_systems_org_class_created ON ai_systems(org_id, class, created_at, id);
CREATE INDEX ai_systems_org_stage_created ON ai_systems(org_id, stage, created_at, id);
CREATE INDEX ai_systems_org_owner ON ai_systems(org_id, owner, class, stage, next_deadline);

CREATE TABLE ai_models (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    provider      TEXT NOT NULL,
    model_version TEXT NOT NULL,
    kind          TEXT NOT NULL,
    licence       TEXT NOT NULL,
    description   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX ai_models_org_name ON ai_models(org_id, lower(name), id);
CREATE INDEX ai_models_org_created ON ai_models(org_id, created_at, id);
CREATE INDEX ai_models_org_updated ON ai_models(org_id, updated_at, id);

CREATE TABLE datasets (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    source             TEXT NOT NULL,
    description        TEXT NOT NULL,
    personal_data      INTEGER NOT NULL, -- 0 or 1
    special_categories TEXT NOT NULL,
    version            INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX datasets_org_name ON datasets(org_id, lower(name), id);
CREATE INDEX datasets_org_created ON datasets(org_id, created_at, id);
CREATE INDEX datasets_org_updated ON datasets(org_id, updated_at, id);

CREATE TABLE vendors (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    website     TEXT NOT NULL,
    contact     TEXT NOT NULL,
    country     TEXT NOT NULL,
    description TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- A vendor's name is unique in its organisation, ignoring case; the index
-- also serves the list sorted by name.
CREATE UNIQUE INDEX vendors_org_name ON vendors(org_id, lower(name));
CREATE INDEX vendors_org_created ON vendors(org_id, created_at, id);
CREATE INDEX vendors_org_updated ON vendors(org_id, updated_at, id);

-- A link from a system to a model, dataset, vendor or objective of the same
-- organisation. Targets of several kinds have no foreign key: deleting a
-- target deletes its links in the same transaction.
CREATE TABLE system_links (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    system_id  TEXT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (system_id, kind, target_id)
);
CREATE INDEX system_links_target ON system_links(org_id, kind, target_id, system_id);

-- Searching the inventory (SQLite): a trigram full-text index of each
-- system's name, intended purpose and owner, kept by triggers, so a search
-- of 10,000 systems reads the index instead of matching every system's text
-- (about 50 ms of CPU each). The index's rows are numbered through
-- ai_systems_search_ids, whose explicit INTEGER PRIMARY KEY survives VACUUM,
-- unlike the implicit rowid of ai_systems. Derived data: backups leave it out
-- and the triggers rebuild it on restore. PostgreSQL matches the text itself.
CREATE TABLE ai_systems_search_ids (
    n         INTEGER PRIMARY KEY,
    system_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE ai_systems_search USING fts5(name, purpose, owner, tokenize = 'trigram');
CREATE TRIGGER ai_systems_search_insert AFTER INSERT ON ai_systems BEGIN
    INSERT INTO ai_systems_search_ids (system_id) VALUES (new.id);
    INSERT INTO ai_systems_search (rowid, name, purpose, owner) VALUES (last_insert_rowid(), new.name, new.purpose, new.owner);
END;
CREATE TRIGGER ai_systems_search_update AFTER UPDATE OF name, purpose, owner ON ai_systems BEGIN
    DELETE FROM ai_systems_search WHERE rowid = (SELECT n FROM ai_systems_search_ids WHERE system_id = old.id);
    INSERT INTO ai_systems_search (rowid, name, purpose, owner) VALUES ((SELECT n FROM ai_systems_search_ids WHERE system_id = new.id), new.name, new.purpose, new.owner);
END;
CREATE TRIGGER ai_systems_search_delete AFTER DELETE ON ai_systems BEGIN
    DELETE FROM ai_systems_search WHERE rowid = (SELECT n FROM ai_systems_search_ids WHERE system_id = old.id);
    DELETE FROM ai_systems_search_ids WHERE system_id = old.id;
END;
