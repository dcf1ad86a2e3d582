-- CockroachDB only: hash-shard the key of event_tags, (name, value, created_at DESC, event_key). Most tag values are
-- written rarely, but a popular one is a time-ordered stream (a hashtag such as t=nostr, the p tag of a much-followed
-- account, the e tag of a note being replied to): all its new rows land at the newest end of its slice, one range.
-- With the key sharded they spread over 16 ranges; "newest N with this tag" merges 16 short scans.
--
-- A migration of its own: a primary key change is finalized asynchronously and restricts further schema changes on
-- the table until it completes. CockroachDB keeps no copy of the old key as a secondary index when the new key has
-- the same columns and directions and differs only by the hash sharding.
ALTER TABLE event_tags ALTER PRIMARY KEY USING COLUMNS (name, value, created_at DESC, event_key) USING HASH;
