-- Talent: the AI team's skills matrix and the hiring of the permanent
-- Chief AI Officer. Times are TEXT as in 0001. Roles and skills are ids of
-- the skill framework (internal/engine/talent), which ships as data and is
-- not stored.

-- A person of the AI team, with a role of the framework and an optional
-- link to a member of the organisation.
CREATE TABLE talent_people (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    user_id    TEXT REFERENCES users(id),
    notes      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX talent_people_org_name ON talent_people(org_id, lower(name), id);
CREATE INDEX talent_people_org_role ON talent_people(org_id, role, lower(name), id);
CREATE INDEX talent_people_org_created ON talent_people(org_id, created_at, id);
CREATE INDEX talent_people_user ON talent_people(user_id);

-- A person's current level in one skill, with who rated it and when
-- (earlier levels are in the audit trail). rated_by is '' for the system.
CREATE TABLE talent_skill_ratings (
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id      TEXT NOT NULL REFERENCES talent_people(id) ON DELETE CASCADE,
    skill          TEXT NOT NULL,
    level          INTEGER NOT NULL,
    rated_by       TEXT NOT NULL,
    rated_by_label TEXT NOT NULL,
    rated_at       TEXT NOT NULL,
    PRIMARY KEY (person_id, skill)
);
CREATE INDEX talent_skill_ratings_org ON talent_skill_ratings(org_id, person_id);

-- A candidate for the permanent CAIO.
CREATE TABLE talent_candidates (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    source     TEXT NOT NULL,
    status     TEXT NOT NULL,
    notes      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX talent_candidates_org_name ON talent_candidates(org_id, lower(name), id);
CREATE INDEX talent_candidates_org_status ON talent_candidates(org_id, status, lower(name), id);
CREATE INDEX talent_candidates_org_created ON talent_candidates(org_id, created_at, id);

-- One interviewer's ratings of one candidate: ratings is a JSON object of
-- criterion key → 1..5; the set is replaced whole when edited.
CREATE TABLE talent_panel_ratings (
    org_id            TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    candidate_id      TEXT NOT NULL REFERENCES talent_candidates(id) ON DELETE CASCADE,
    interviewer_id    TEXT NOT NULL REFERENCES users(id),
    interviewer_label TEXT NOT NULL,
    ratings           TEXT NOT NULL,
    notes             TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (candidate_id, interviewer_id)
);
CREATE INDEX talent_panel_ratings_org ON talent_panel_ratings(org_id, candidate_id);
CREATE INDEX talent_panel_ratings_interviewer ON talent_panel_ratings(interviewer_id);

-- The organisation's scorecard: criteria is a JSON array of {key, name,
-- description, weight, reason}, weights adding up to 100. No row means the
-- default from the framework's CAIO profile.
CREATE TABLE talent_scorecards (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    criteria   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Recorded hiring decisions, the latest last. A decision stands while its
-- candidate is hired; the candidate it names cannot be deleted. score_centi
-- is the weighted score out of 5 at the time, in hundredths.
CREATE TABLE talent_decisions (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    candidate_id     TEXT NOT NULL REFERENCES talent_candidates(id),
    reason           TEXT NOT NULL,
    score_centi      INTEGER NOT NULL,
    decided_by       TEXT NOT NULL,
    decided_by_label TEXT NOT NULL,
    decided_at       TEXT NOT NULL
);
CREATE INDEX talent_decisions_org ON talent_decisions(org_id, decided_at, id);
CREATE INDEX talent_decisions_candidate ON talent_decisions(candidate_id);
