-- The gateway's own tables, beside the relay's event store (same database, own Flyway history table).
-- Statements stay inside what PostgreSQL 15+ and CockroachDB 24+ both accept (see the relay's migrations).

-- The relays an operator registered. filters is the JSON array of NIP-01 filters sent upstream.
CREATE TABLE gateway_relays (
    id         UUID        NOT NULL PRIMARY KEY,
    url        TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    filters    TEXT        NOT NULL,
    paused     BOOLEAN     NOT NULL,
    -- newest created_at stored from this relay; the connector asks for since = cursor - overlap on reconnect
    cursor     BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX gateway_relays_url ON gateway_relays (url);

-- Provenance: which relays carried each event, and when the gateway first saw it there.
CREATE TABLE gateway_event_sources (
    event_key  UUID   NOT NULL,
    relay_id   UUID   NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (event_key, relay_id)
);

-- Per-relay statistics, one row per relay per time bucket (60 s rows, compacted into 3600 s rows later).
-- Never computed from the events table: counters are kept in memory and flushed here by one background writer.
-- size_histogram counts events by size class (class i holds sizes in [2^(i+6), 2^(i+7)) bytes; 16 classes),
-- so that a median can be read from any range of buckets.
CREATE TABLE gateway_relay_stats (
    relay_id       UUID    NOT NULL,
    bucket_seconds INT     NOT NULL,
    bucket_start   BIGINT  NOT NULL,
    received       BIGINT  NOT NULL,
    stored         BIGINT  NOT NULL,
    duplicates     BIGINT  NOT NULL,
    invalid        BIGINT  NOT NULL,
    bytes          BIGINT  NOT NULL,
    lag_seconds_sum BIGINT NOT NULL,
    lag_samples    BIGINT  NOT NULL,
    size_histogram BIGINT[] NOT NULL,
    PRIMARY KEY (relay_id, bucket_seconds, bucket_start)
);
