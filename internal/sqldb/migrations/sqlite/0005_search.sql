-- Searching the inventory: SQLite's trigram index came with 0002; this
-- number holds PostgreSQL's (see postgres/0005_search.sql).
SELECT 1;
