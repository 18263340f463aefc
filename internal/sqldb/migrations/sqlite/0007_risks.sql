-- The AI risk register: risks scored likelihood × impact before and after
-- treatment, their links to AI systems, use cases and vendors, their
-- treatments, and each organisation's scale and appetite. Times are TEXT as
-- in 0001; dates are YYYY-MM-DD or ''.
--
-- inherent_score, residual_score and score are derived from the assessment
-- and written with it, so the list sorts and filters breaches of the
-- appetite from an index. score is the residual score when assessed (not
-- 0), otherwise the inherent score.
CREATE TABLE risks (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    category            TEXT NOT NULL,
    likelihood          INTEGER NOT NULL,
    impact              INTEGER NOT NULL,
    residual_likelihood INTEGER NOT NULL,
    residual_impact     INTEGER NOT NULL,
    inherent_score      INTEGER NOT NULL,
    residual_score      INTEGER NOT NULL,
    score               INTEGER NOT NULL,
    owner               TEXT NOT NULL,
    status              TEXT NOT NULL,
    review_date         TEXT NOT NULL,
    version             INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
-- One index per sort of the list, each ending in id; the review orders put
-- risks without a review date last.
CREATE INDEX risks_org_score ON risks(org_id, score, id);
CREATE INDEX risks_org_created ON risks(org_id, created_at, id);
CREATE INDEX risks_org_updated ON risks(org_id, updated_at, id);
CREATE INDEX risks_org_title ON risks(org_id, lower(title), id);
CREATE INDEX risks_org_review ON risks(org_id, (review_date = ''), review_date, id);
CREATE INDEX risks_org_review_desc ON risks(org_id, (review_date <> ''), review_date, id);
-- The filters: status in the default order, the category (a library is a
-- range of categories), the owner, and the heat map's cells.
CREATE INDEX risks_org_status ON risks(org_id, status, score, id);
CREATE INDEX risks_org_category ON risks(org_id, category, score);
CREATE INDEX risks_org_owner ON risks(org_id, owner, score);
CREATE INDEX risks_org_inherent ON risks(org_id, status, likelihood, impact);
CREATE INDEX risks_org_residual ON risks(org_id, status, residual_likelihood, residual_impact);

-- A link from a risk to an AI system, use case or vendor of the same
-- organisation. Exactly one of system_id, use_case_id and vendor_id is set
-- (the same as target_id), so deleting the target deletes the link by
-- foreign key, without the inventory or the portfolio knowing of risks.
CREATE TABLE risk_links (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    risk_id     TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    system_id   TEXT REFERENCES ai_systems(id) ON DELETE CASCADE,
    use_case_id TEXT REFERENCES use_cases(id) ON DELETE CASCADE,
    vendor_id   TEXT REFERENCES vendors(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (risk_id, kind, target_id)
);
CREATE INDEX risk_links_target ON risk_links(org_id, kind, target_id, risk_id);
CREATE INDEX risk_links_system ON risk_links(system_id);
CREATE INDEX risk_links_use_case ON risk_links(use_case_id);
CREATE INDEX risk_links_vendor ON risk_links(vendor_id);

-- What is done about a risk. control_id names a control of the compliance
-- module; deleting the control keeps the treatment without it.
CREATE TABLE risk_treatments (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    risk_id     TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    control_id  TEXT REFERENCES controls(id) ON DELETE SET NULL,
    description TEXT NOT NULL,
    status      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX risk_treatments_risk ON risk_treatments(risk_id, created_at, id);
CREATE INDEX risk_treatments_control ON risk_treatments(control_id);

-- An organisation's scale (likelihood and impact run 1..scale) and
-- appetite (the highest acceptable score); no row means the defaults, 5
-- and 8.
CREATE TABLE risk_settings (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    scale      INTEGER NOT NULL,
    appetite   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
