-- "Everything newest first" ({} or since/until only) reads this index.
CREATE INDEX events_created ON events (created_at DESC, event_key);

-- Single-letter tags (the ones NIP-01 filters can ask for), one row per (event, name, value). Values longer than
-- 256 characters are stored as 'sha256:' + hex of their SHA-256, so index entries stay small; queries hash alike.
--
-- One unique index is the whole access path: "newest N with this tag" is a range scan of it, a second tag
-- condition is an equality probe on all four columns, and rows are deleted by those four columns (the writer knows
-- the tags of what it deletes). A primary key on event_key would cost one more index write per tag row, and tag
-- rows outnumber events about four to one. PostgreSQL cannot put DESC in a primary key, hence a unique index.
CREATE TABLE event_tags (
    name       TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    event_key  UUID   NOT NULL,
    kind       INT    NOT NULL
);

CREATE UNIQUE INDEX event_tags_lookup ON event_tags (name, value, created_at DESC, event_key);
