-- Reminders: each member's reminder settings per organisation, and the log
-- of daily digests sent. Deadlines themselves are not stored: they are read
-- from the objects that carry them (controls, risks, …). Times are TEXT as
-- in 0001; days are YYYY-MM-DD.

-- A member's choice for one organisation. No row means the defaults: the
-- daily digest is on.
CREATE TABLE reminder_preferences (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    digest     INTEGER NOT NULL, -- 1 on, 0 off
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

-- One row per digest of one member, organisation and day (UTC). The
-- primary key is the claim: a server inserts the row before sending, so a
-- second run of the day, or a second server, finds it and sends nothing.
-- status is 'claimed' while the message is being sent and 'sent' after;
-- a claim left by a server that stopped mid-send may be taken over once
-- it is old (see Conn.ClaimDigest). A failed send deletes its claim, so
-- the next run tries again.
CREATE TABLE reminder_digests (
    org_id     TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    email      TEXT NOT NULL,
    deadlines  INTEGER NOT NULL,
    overdue    INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, day)
);
CREATE INDEX reminder_digests_day ON reminder_digests(org_id, day);
CREATE INDEX reminder_digests_user ON reminder_digests(user_id);

-- The deadlines read from other areas' tables, each from a partial index
-- that holds only the rows that can be due, in date order, so a list stops
-- after its page however many controls an organisation has.
CREATE INDEX controls_reminder_due ON controls(org_id, due, id)
    WHERE applicable = 1 AND status IN ('not_started', 'in_progress') AND due <> '';
CREATE INDEX controls_reminder_review ON controls(org_id, review_date, id)
    WHERE applicable = 1 AND status <> 'not_applicable' AND review_date <> '';
CREATE INDEX risks_reminder_review ON risks(org_id, review_date, id)
    WHERE status <> 'closed' AND review_date <> '';
CREATE INDEX risk_treatments_reminder_due ON risk_treatments(org_id, due, id)
    WHERE status IN ('planned', 'in_progress') AND due <> '';
