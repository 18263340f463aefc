-- Strategy and portfolio: use cases from intake to retirement, their links,
-- business cases, stage history, general approvals, KPIs and realised
-- benefits, the strategy, portfolio settings and roadmap capacity. Times are
-- TEXT as in 0001; dates are YYYY-MM-DD; quarters are written 2027Q1.

-- A use case: its canvas, lifecycle stage, triage state, the team's ratings
-- (JSON, read whole by the scoring engine) and its roadmap placement.
-- links repeats use_case_links as text ("objective:obj_…,system:sys_…"),
-- written in the same statements, so ranking every use case reads one row
-- each instead of one per link.
CREATE TABLE use_cases (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    problem        TEXT NOT NULL,
    process        TEXT NOT NULL,
    users          TEXT NOT NULL,
    volume         TEXT NOT NULL,
    data_needed    TEXT NOT NULL,
    data_available TEXT NOT NULL,
    approach       TEXT NOT NULL,
    sourcing       TEXT NOT NULL,
    benefits       TEXT NOT NULL,
    costs          TEXT NOT NULL,
    risks          TEXT NOT NULL,
    dependencies   TEXT NOT NULL,
    owner          TEXT NOT NULL,
    sponsor        TEXT NOT NULL,
    stage          TEXT NOT NULL,
    held_from      TEXT NOT NULL,
    stage_since    TEXT NOT NULL,
    intake         TEXT NOT NULL,
    intake_note    TEXT NOT NULL,
    merged_into    TEXT NOT NULL,
    ratings        TEXT NOT NULL,
    road_start     TEXT NOT NULL,
    road_end       TEXT NOT NULL,
    road_people    DOUBLE PRECISION NOT NULL,
    road_budget    DOUBLE PRECISION NOT NULL,
    links          TEXT NOT NULL,
    submitted_by   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX use_cases_org_created ON use_cases(org_id, created_at, id);
CREATE INDEX use_cases_org_updated ON use_cases(org_id, updated_at, id);
CREATE INDEX use_cases_org_title ON use_cases(org_id, lower(title), id);
CREATE INDEX use_cases_org_stage ON use_cases(org_id, stage, id);
CREATE INDEX use_cases_org_intake ON use_cases(org_id, intake, created_at, id);

-- Links from a use case to objectives, AI systems and the use cases it
-- depends on. Targets have no foreign key (several kinds): deleting a
-- target deletes its links in the same transaction.
CREATE TABLE use_case_links (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (use_case_id, kind, target_id)
);
CREATE INDEX use_case_links_target ON use_case_links(org_id, kind, target_id, use_case_id);

-- A use case's business case: the input as JSON, the simulation's result as
-- JSON, and the figures lists and the roll-up read without decoding it.
CREATE TABLE business_cases (
    use_case_id   TEXT PRIMARY KEY REFERENCES use_cases(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    input         TEXT NOT NULL,
    result        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    npv           DOUBLE PRECISION NOT NULL,
    npv_p10       DOUBLE PRECISION NOT NULL,
    npv_p50       DOUBLE PRECISION NOT NULL,
    npv_p90       DOUBLE PRECISION NOT NULL,
    npv_mean      DOUBLE PRECISION NOT NULL,
    prob_loss     DOUBLE PRECISION NOT NULL,
    total_cost    DOUBLE PRECISION NOT NULL,
    total_benefit DOUBLE PRECISION NOT NULL,
    version       INTEGER NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX business_cases_org ON business_cases(org_id, use_case_id);

-- Every stage a use case entered, in order.
CREATE TABLE stage_changes (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    at          TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    approval_id TEXT NOT NULL,
    UNIQUE (use_case_id, seq)
);
CREATE INDEX stage_changes_org ON stage_changes(org_id, to_stage, at);

-- Approval requests of any kind (a use case's stage gate, later policies)
-- and the votes on them.
CREATE TABLE approvals (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    subject_kind  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    subject_title TEXT NOT NULL,
    action        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    summary       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,
    quorum        INTEGER NOT NULL,
    requested_by  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    decided_at    TEXT NOT NULL
);
CREATE INDEX approvals_org_status ON approvals(org_id, status, created_at, id);
CREATE INDEX approvals_org_subject ON approvals(org_id, subject_id, created_at, id);

CREATE TABLE approval_votes (
    approval_id TEXT NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    decision    TEXT NOT NULL,
    comment     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (approval_id, user_id)
);

-- KPIs of use cases and their measured values.
CREATE TABLE kpis (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    direction   TEXT NOT NULL,
    baseline    DOUBLE PRECISION,
    target      DOUBLE PRECISION,
    created_at  TEXT NOT NULL
);
CREATE INDEX kpis_use_case ON kpis(use_case_id, created_at, id);
CREATE INDEX kpis_org ON kpis(org_id, use_case_id);

CREATE TABLE kpi_actuals (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kpi_id     TEXT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
    on_date    TEXT NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    note       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX kpi_actuals_kpi ON kpi_actuals(kpi_id, on_date, id);

-- Benefits realised per year of a use case's business case.
CREATE TABLE benefit_actuals (
    use_case_id TEXT NOT NULL REFERENCES use_cases(id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    amount      DOUBLE PRECISION NOT NULL,
    note        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (use_case_id, year)
);

-- The AI strategy and the portfolio settings of an organisation, as JSON
-- documents with a version for optimistic locking.
CREATE TABLE strategies (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    content    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE portfolio_settings (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    content    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- What the organisation can give AI work per quarter.
CREATE TABLE roadmap_capacity (
    org_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    quarter TEXT NOT NULL,
    people  DOUBLE PRECISION NOT NULL,
    budget  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (org_id, quarter)
);
