-- AI incidents: what happened, the harm done, the EU AI Act Art 73
-- reporting clock, the AI systems involved and the corrective actions.
-- Times are TEXT as in 0001 (fixed-width UTC), '' when not set; dates of
-- corrective actions are YYYY-MM-DD or ''.
--
-- serious, severity_rank and report_due are derived from the other fields
-- and written with them, so the list filters serious incidents and
-- overdue reports, and sorts by severity and by deadline, from an index.
-- report_due is the binding Art 73 deadline, '' when no report is due.
CREATE TABLE incidents (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    occurred_at    TEXT NOT NULL,
    aware_at       TEXT NOT NULL,
    harms          TEXT NOT NULL,
    severity       TEXT NOT NULL,
    severity_rank  INTEGER NOT NULL,
    serious        INTEGER NOT NULL,
    widespread     INTEGER NOT NULL,
    death          INTEGER NOT NULL,
    report_due     TEXT NOT NULL,
    status         TEXT NOT NULL,
    reported_at    TEXT NOT NULL,
    reported_to    TEXT NOT NULL,
    owner          TEXT NOT NULL,
    lessons_learnt TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- One index per sort of the list, each ending in id; the deadline order
-- puts incidents without a deadline last.
CREATE INDEX incidents_org_aware ON incidents(org_id, aware_at, id);
CREATE INDEX incidents_org_created ON incidents(org_id, created_at, id);
CREATE INDEX incidents_org_updated ON incidents(org_id, updated_at, id);
CREATE INDEX incidents_org_title ON incidents(org_id, lower(title), id);
CREATE INDEX incidents_org_severity ON incidents(org_id, severity_rank, aware_at, id);
CREATE INDEX incidents_org_due ON incidents(org_id, (report_due = ''), report_due, id);
-- The filters: status and seriousness in the default order; overdue
-- reports are those with a deadline, no report and the deadline passed.
CREATE INDEX incidents_org_status ON incidents(org_id, status, aware_at, id);
CREATE INDEX incidents_org_serious ON incidents(org_id, serious, aware_at, id);
CREATE INDEX incidents_org_unreported ON incidents(org_id, reported_at, report_due);

-- The AI systems an incident involves, of the same organisation. Deleting
-- the system deletes the link, without the inventory knowing of incidents.
CREATE TABLE incident_systems (
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (incident_id, system_id)
);
CREATE INDEX incident_systems_system ON incident_systems(org_id, system_id, incident_id);
CREATE INDEX incident_systems_fk ON incident_systems(system_id);

-- What is done so that an incident does not happen again.
CREATE TABLE corrective_actions (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due         TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX corrective_actions_incident ON corrective_actions(incident_id, created_at, id);
