-- "Everything newest first" ({} or since/until only) reads this index.
CREATE INDEX events_created ON events (created_at DESC, event_key);
