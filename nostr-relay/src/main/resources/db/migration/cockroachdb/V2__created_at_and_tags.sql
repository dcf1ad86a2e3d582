-- CockroachDB only: an index whose first column is created_at alone sends every new event to the same range (the
-- newest timestamps), a write hot spot. Hash-sharding spreads it over buckets; ordered reads merge the buckets.
CREATE INDEX events_created ON events (created_at DESC, event_key) USING HASH;

-- Single-letter tags; see the PostgreSQL migration of the same version for why the lookup key is the only key.
-- CockroachDB allows DESC in a primary key, so the lookup key is the primary key itself (rows clustered by it).
CREATE TABLE event_tags (
    name       TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    event_key  UUID   NOT NULL,
    kind       INT    NOT NULL,
    PRIMARY KEY (name, value, created_at DESC, event_key)
);
