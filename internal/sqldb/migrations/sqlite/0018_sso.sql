-- Single sign-on through OpenID Connect, per organisation. Times are TEXT
-- as in 0001; flags are 0 or 1.
CREATE TABLE sso_configs (
    org_id        TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    enabled       INTEGER NOT NULL,
    issuer        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL, -- used to redeem codes; never shown back
    scopes        TEXT NOT NULL, -- space-separated, besides openid
    groups_claim  TEXT NOT NULL,
    group_roles   TEXT NOT NULL, -- JSON: [{"group": ..., "role": ...}, ...]
    default_role  TEXT NOT NULL, -- '' refuses people in no mapped group
    jit           INTEGER NOT NULL,
    local_login   INTEGER NOT NULL,
    tested_issuer TEXT NOT NULL, -- the issuer whose discovery last worked
    tested_at     TEXT,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- The email domains an organisation's single sign-on accepts, also how the
-- sign-in page finds the organisation from an email address.
CREATE TABLE sso_domains (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    PRIMARY KEY (org_id, domain)
);
CREATE INDEX sso_domains_domain ON sso_domains(domain);

-- A sign-in under way: created when the browser leaves for the provider,
-- deleted when it comes back (single use) or after ten minutes.
CREATE TABLE sso_attempts (
    state_hash   TEXT PRIMARY KEY, -- SHA-256 of the state parameter
    org_id       TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,    -- SHA-256 of the cookie that ties it to one browser
    nonce        TEXT NOT NULL,
    verifier     TEXT NOT NULL,    -- PKCE code verifier
    redirect_uri TEXT NOT NULL,
    next         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sso_attempts_expires ON sso_attempts(expires_at);

-- A session started by single sign-on is tied to the organisation whose
-- provider vouched for the person, and may act nowhere else.
ALTER TABLE sessions ADD COLUMN sso_org_id TEXT REFERENCES organizations(id) ON DELETE CASCADE;
