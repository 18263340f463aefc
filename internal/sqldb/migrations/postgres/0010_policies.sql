-- The policy library: policies, their numbered versions (Markdown) and the
-- members' acknowledgements of approved versions. Times are TEXT as in
-- 0001; dates are YYYY-MM-DD or ''.
--
-- A policy's status is stored; while a version waits for approval
-- (status in_review) approval_id names the request, and a request
-- rejected or withdrawn since is read as the status before it (draft, or
-- approved when an earlier version is in force) until the next write
-- stores that status.
CREATE TABLE policies (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    owner           TEXT NOT NULL,
    review_months   INTEGER NOT NULL,
    next_review     TEXT NOT NULL,
    status          TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    latest_version  INTEGER NOT NULL,
    ack_days        INTEGER NOT NULL,
    ack_due         TEXT NOT NULL,
    review_version  INTEGER NOT NULL,
    approval_id     TEXT NOT NULL,
    starter         TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- One index per sort of the list, and the filters.
CREATE INDEX policies_org_title ON policies(org_id, lower(title), id);
CREATE INDEX policies_org_updated ON policies(org_id, updated_at, id);
CREATE INDEX policies_org_created ON policies(org_id, created_at, id);
CREATE INDEX policies_org_review ON policies(org_id, (next_review = ''), next_review, id);
CREATE INDEX policies_org_status ON policies(org_id, status, kind);

-- The versions of a policy, numbered from 1. A draft is rewritten in place
-- until it is approved; approved versions never change.
CREATE TABLE policy_versions (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    policy_id   TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    approval_id TEXT NOT NULL,
    PRIMARY KEY (policy_id, number)
);

-- A member's acknowledgement of an approved version. Removing the member
-- removes their acknowledgements.
CREATE TABLE policy_acks (
    org_id    TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    PRIMARY KEY (policy_id, version, user_id)
);
CREATE INDEX policy_acks_user ON policy_acks(org_id, user_id, policy_id, version);
