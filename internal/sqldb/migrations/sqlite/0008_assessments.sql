-- Assessments: runs of a questionnaire about the organisation, an AI system
-- or a vendor, with one row per answered question (who answered, when).
-- A submitted assessment keeps the result it gave and the definition version
-- it was answered against.
CREATE TABLE assessments (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    definition         TEXT NOT NULL,
    definition_version TEXT NOT NULL,
    title              TEXT NOT NULL,
    subject_kind       TEXT NOT NULL,
    subject_id         TEXT NOT NULL,
    survey_id          TEXT NOT NULL,
    status             TEXT NOT NULL,
    score              REAL,
    level              INTEGER NOT NULL,
    result             TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    submitted_by       TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    submitted_at       TEXT NOT NULL,
    version            INTEGER NOT NULL
);
CREATE INDEX assessments_org_created ON assessments(org_id, created_at, id);
CREATE INDEX assessments_org_subject ON assessments(org_id, definition, subject_id, status, submitted_at, id);

CREATE TABLE assessment_answers (
    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    value         TEXT NOT NULL,
    answered_by   TEXT NOT NULL,
    answered_at   TEXT NOT NULL,
    PRIMARY KEY (assessment_id, question_id)
);

-- SurveyJS questionnaires that people bring (such as Canada's Algorithmic
-- Impact Assessment): kept as uploaded, because their text is their authors'
-- and caio ships none of it. An assessment made with one names it in
-- assessments.survey_id, with its SHA-256 as the definition version.
CREATE TABLE survey_files (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    title      TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    data       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_files_org ON survey_files(org_id, created_at, id);
