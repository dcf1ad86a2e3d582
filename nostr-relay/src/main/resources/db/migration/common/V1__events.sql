-- The event store. Every statement here runs unchanged on PostgreSQL 15+ and CockroachDB 24+; what differs lives in
-- db/migration/postgresql and db/migration/cockroachdb (Flyway picks one by {vendor}).
--
-- Keys: event_key is the first 16 bytes of the event id as a UUID. It is deterministic (a redelivered event is an
-- idempotent ON CONFLICT DO NOTHING) and uniformly spread (no hot range on CockroachDB). The full id is kept too.
-- Order: NIP-01 wants newest first and, on equal created_at, the lowest id first. Indexes end in
-- (created_at DESC, event_key) so "newest N matching" is one ordered index range scan; event_key orders like the id.

CREATE TABLE events (
    event_key  UUID   NOT NULL PRIMARY KEY,
    id         BYTEA  NOT NULL,
    pubkey     BYTEA  NOT NULL,
    created_at BIGINT NOT NULL,
    kind       INT    NOT NULL,
    -- the address identifier: the d tag for kinds 30000-39999, '' for replaceable kinds, NULL otherwise
    d_tag      TEXT,
    -- NIP-40 expiration (seconds), NULL if none
    expires_at BIGINT,
    -- the wire JSON, served as it is (never re-serialized)
    json       TEXT   NOT NULL
);

CREATE INDEX events_pubkey_kind_created ON events (pubkey, kind, created_at DESC, event_key);
CREATE INDEX events_pubkey_created ON events (pubkey, created_at DESC, event_key);
CREATE INDEX events_kind_created ON events (kind, created_at DESC, event_key);
CREATE INDEX events_expires ON events (expires_at) WHERE expires_at IS NOT NULL;

-- Single-letter tags live in event_tags, whose DDL differs per vendor (see V2 in postgresql/ and cockroachdb/).

-- The current version of every replaceable (d_tag = '') and addressable address. The writer upserts it
-- conditionally; it is the serialization point when several relays write to one database.
CREATE TABLE replaceable_heads (
    pubkey     BYTEA  NOT NULL,
    kind       INT    NOT NULL,
    d_tag      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    id         BYTEA  NOT NULL,
    event_key  UUID   NOT NULL,
    PRIMARY KEY (pubkey, kind, d_tag)
);

-- Superseded versions of replaceable and addressable events: insert-only, never served by queries, kept so that an
-- overwritten contact list can be recovered.
CREATE TABLE events_history (
    event_key     UUID   NOT NULL PRIMARY KEY,
    pubkey        BYTEA  NOT NULL,
    kind          INT    NOT NULL,
    d_tag         TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    superseded_at BIGINT NOT NULL,
    json          TEXT   NOT NULL
);

-- NIP-09 tombstones. An event id deleted by its author can never be stored again by that author...
CREATE TABLE deleted_events (
    event_key  UUID   NOT NULL,
    pubkey     BYTEA  NOT NULL,
    deleted_by UUID   NOT NULL,
    PRIMARY KEY (event_key, pubkey)
);

-- ...and an address deleted up to a time keeps every version up to that time out.
CREATE TABLE deleted_addresses (
    pubkey     BYTEA  NOT NULL,
    kind       INT    NOT NULL,
    d_tag      TEXT   NOT NULL,
    deleted_up_to BIGINT NOT NULL,
    PRIMARY KEY (pubkey, kind, d_tag)
);
