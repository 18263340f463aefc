-- Searching the inventory (PostgreSQL): a trigram index over each system's
-- name, intended purpose and owner, when the pg_trgm extension can be had
-- (it ships with PostgreSQL's contrib and is trusted from version 13, so a
-- database owner may create it). Without it, search matches the text of
-- every system, as before: same answers, slower on large inventories.
-- chr(31), the unit separator, keeps a match from running across fields.
-- The extension goes to the public schema (or stays where it already is),
-- and its operator class is named with that schema.
DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): inventory search reads every system', SQLERRM;
    END;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX ai_systems_search_trgm ON ai_systems USING gin ((lower(name) || chr(31) || lower(purpose) || chr(31) || lower(owner)) %I.gin_trgm_ops)', ext_schema);
    END IF;
END $$;
