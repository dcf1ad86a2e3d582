-- Nothing to do on PostgreSQL: this version hash-shards event_tags' key on CockroachDB (see db/migration/cockroachdb).
-- The version exists on both sides for the reason given in V3.
SELECT 1;
