-- CockroachDB only: hash-shard the time-ordered indexes of events that are write hot spots (events_created already
-- is, since V2). A range takes the writes of a contiguous piece of an index; where every new event lands next to
-- the previous one, one range takes them all and load-based splitting cannot help (docs: hash-sharded indexes).
-- USING HASH prefixes the key with a computed bucket (16 by default), so the newest entries spread over 16 ranges;
-- a newest-first read then merges 16 short ordered scans (see Database.readSessionSql for the settings it needs).
--
-- Hot, sharded here:
-- * (kind, created_at DESC, event_key): kind has a handful of common values and kind 1 is most of all traffic, so
--   nearly every insert lands at the newest end of the kind-1 slice: one range.
-- * (expires_at) of events that expire: NIP-40 expirations are mostly "now + a fixed lifetime", so they arrive in
--   time order too, and the sweeper deletes from the low end of the same index.
-- Not hot, left as they are:
-- * (pubkey, kind, created_at ...), (pubkey, created_at ...): the author comes first; authors are many and uniformly
--   spread (pubkeys are hashes), and one author's own rate is bounded by the relay's limits.
-- * primary keys on event_key (events, events_history, deleted_events): uniformly spread by construction.
-- * replaceable_heads, deleted_addresses (pubkey, kind, d_tag): not time-ordered.
--
-- Create first, then drop: no moment without an index, and CockroachDB refuses to drop and re-create an index of
-- the same name in one transaction (cockroachdb/cockroach#98494), hence the new names.
CREATE INDEX events_kind_created_sharded ON events (kind, created_at DESC, event_key) USING HASH;
DROP INDEX events@events_kind_created;

CREATE INDEX events_expires_sharded ON events (expires_at) USING HASH WHERE expires_at IS NOT NULL;
DROP INDEX events@events_expires;
