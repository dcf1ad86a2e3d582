-- CockroachDB only: an index whose first column is created_at alone sends every new event to the same range (the
-- newest timestamps), a write hot spot. Hash-sharding spreads it over buckets; ordered reads merge the buckets.
CREATE INDEX events_created ON events (created_at DESC, event_key) USING HASH;
