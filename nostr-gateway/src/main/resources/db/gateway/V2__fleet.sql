-- Several gateway instances share the registered relays: each relay is owned by one instance at a time, through a
-- lease row that its owner renews (conditional UPDATEs on the database's clock; see fleet.LeaseTable). Kept apart
-- from gateway_relays so that renewals every few seconds never contend with the cursor writes on those rows.

-- The running instances: a row renewed with every lease renewal; the live ones share the relays evenly.
CREATE TABLE gateway_instances (
    id         TEXT        NOT NULL PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- One row per registered relay: owner is NULL (free) or an instance, which holds it until expires_at.
-- state and last_error are what the owner last saw, for the REST API of every other instance.
CREATE TABLE gateway_relay_leases (
    relay_id   UUID        NOT NULL PRIMARY KEY REFERENCES gateway_relays (id) ON DELETE CASCADE,
    owner      TEXT,
    expires_at TIMESTAMPTZ,
    state      TEXT,
    last_error TEXT
);
CREATE INDEX gateway_relay_leases_owner ON gateway_relay_leases (owner);

-- version counts changes of name, filters and paused, so that the owner notices a change made on another instance;
-- a removal is marked first and carried out by the owner (drain the queue, delete it, then the row).
ALTER TABLE gateway_relays ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE gateway_relays ADD COLUMN removing BOOLEAN NOT NULL DEFAULT false;
