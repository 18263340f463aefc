-- The OMB M-25-21 high-impact determination of an AI system (issue 7):
-- '' when not stated, else high_impact, presumed_not_high_impact (presumed
-- high-impact, but determined not) or not_high_impact, the three answers of
-- is_high_impact in the 2025 federal AI use case inventory. A high-impact
-- system gets the memo's minimum practices as controls.
ALTER TABLE ai_systems ADD COLUMN omb_impact TEXT NOT NULL DEFAULT '';

-- Changes of the organisation's frameworks re-sync its high-impact systems.
CREATE INDEX ai_systems_omb_high_impact ON ai_systems(org_id, id) WHERE omb_impact = 'high_impact';

-- Systems made by an earlier import of the inventory take the answer of
-- their row. The row is stored as JSON written by Go's encoding/json
-- (no spaces, sorted keys), so a plain substring finds the answer without
-- parsing JSON (which PostgreSQL's jsonb would refuse for a \u0000 in any
-- value).
UPDATE ai_systems SET omb_impact = COALESCE((
    SELECT CASE
        WHEN instr(r.raw, '"is_high_impact":"High-impact"') > 0 THEN 'high_impact'
        WHEN instr(r.raw, '"is_high_impact":"Presumed High-Impact, but Not High-impact"') > 0 THEN 'presumed_not_high_impact'
        WHEN instr(r.raw, '"is_high_impact":"Not High-impact"') > 0 THEN 'not_high_impact'
        ELSE '' END
    FROM fedinventory_rows r
    WHERE r.org_id = ai_systems.org_id AND r.system_id = ai_systems.id AND r.kind = 'individual'
    LIMIT 1), '')
WHERE id IN (SELECT system_id FROM fedinventory_rows WHERE kind = 'individual' AND system_id <> '');
