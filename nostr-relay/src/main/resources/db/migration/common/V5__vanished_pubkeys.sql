-- NIP-62 requests to vanish: one row per pubkey that asked this relay to forget it, with the created_at of its
-- latest such request. Every event of the pubkey up to that time was deleted when the request was stored, and the
-- writer keeps out any event of it (and any gift wrap to it) up to that time for good. The requests themselves stay
-- in events; this row is what the insert statement checks, by primary key.
CREATE TABLE vanished_pubkeys (
    pubkey         BYTEA  NOT NULL PRIMARY KEY,
    vanished_up_to BIGINT NOT NULL
);
