-- Nothing to do on PostgreSQL: this version hash-shards indexes on CockroachDB (see db/migration/cockroachdb), and
-- PostgreSQL has no ranges to make hot. The version exists on both sides so that version N means the same schema
-- step whichever database runs it, and a later common migration cannot take a number one vendor already used.
SELECT 1;
