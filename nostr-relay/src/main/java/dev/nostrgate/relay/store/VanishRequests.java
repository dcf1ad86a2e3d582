package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS_HISTORY;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;
import static dev.nostrgate.relay.store.schema.Tables.REPLACEABLE_HEADS;
import static dev.nostrgate.relay.store.schema.Tables.VANISHED_PUBKEYS;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Kinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * NIP-62 in the writer: a stored request to vanish from this relay ({@link VanishScope}) deletes every event of its
 * author up to its {@code created_at} (deletion requests, replaceable and addressable versions and their history
 * included; requests to vanish are kept) and the gift wraps to the author up to then, and records the time in
 * {@code vanished_pubkeys}, which {@link EventInsert} checks so that none of them is ever taken again.
 *
 * <p>Race with concurrent writes (several replicas on one database, or a gift wrap to the author on another writer
 * lane): on CockroachDB (and PostgreSQL under SERIALIZABLE) the request's deletes read what a concurrent insert
 * writes and the insert reads the row the request writes, so one of the two fails with 40001 and is retried, and
 * then sees the other. PostgreSQL's default, READ COMMITTED, would let both commit; there the request's transaction
 * first takes a table lock that excludes every other writer of {@code events} until it commits ({@link
 * #lockWrites}), and an insert that waited for it checks {@code vanished_pubkeys} with a snapshot taken after.
 * Requests are rare; the lock lasts one author's deletes.
 */
final class VanishRequests {
    /** The OK message of an event a request to vanish keeps out. */
    static final String VANISHED = "blocked: its author (or, for a gift wrap, its recipient) asked this relay to "
            + "delete their events up to a time after this one (NIP-62)";

    private static final String UP_TO = name(VANISHED_PUBKEYS.VANISHED_UP_TO);
    /** Parameters: pubkey, the request's created_at; the time only ever moves later. */
    private static final String UPSERT_VANISHED = "INSERT INTO " + name(VANISHED_PUBKEYS) + " ("
            + name(VANISHED_PUBKEYS.PUBKEY) + ", " + UP_TO + ") VALUES (?, ?) ON CONFLICT ("
            + name(VANISHED_PUBKEYS.PUBKEY) + ") DO UPDATE SET " + UP_TO + " = GREATEST(" + name(VANISHED_PUBKEYS)
            + "." + UP_TO + ", excluded." + UP_TO + ")";
    /** Parameters: pubkey, up to; returns {@link RemovedEvents#RETURNED}. */
    private static final String DELETE_AUTHORED = "DELETE FROM " + name(EVENTS) + " WHERE " + name(EVENTS.PUBKEY)
            + " = ? AND " + name(EVENTS.CREATED_AT) + " <= ? AND " + name(EVENTS.KIND) + " <> "
            + Kinds.REQUEST_TO_VANISH + " RETURNING " + RemovedEvents.RETURNED;
    /** Parameters: pubkey as hex, up to; found by the wraps' p tag rows, which carry the kind and time. */
    private static final String DELETE_GIFT_WRAPS = "DELETE FROM " + name(EVENTS) + " WHERE " + name(EVENTS.KIND)
            + " = " + Kinds.GIFT_WRAP + " AND " + name(EVENTS.EVENT_KEY) + " IN (SELECT "
            + name(EVENT_TAGS.EVENT_KEY) + " FROM " + name(EVENT_TAGS) + " WHERE " + name(EVENT_TAGS.NAME)
            + " = 'p' AND " + name(EVENT_TAGS.VALUE) + " = ? AND " + name(EVENT_TAGS.CREATED_AT) + " <= ? AND "
            + name(EVENT_TAGS.KIND) + " = " + Kinds.GIFT_WRAP + ") RETURNING " + RemovedEvents.RETURNED;
    /** Parameters: pubkey, up to. Superseded versions are the author's events too. */
    private static final String DELETE_HISTORY = "DELETE FROM " + name(EVENTS_HISTORY) + " WHERE "
            + name(EVENTS_HISTORY.PUBKEY) + " = ? AND " + name(EVENTS_HISTORY.CREATED_AT) + " <= ?";
    /** Parameters: pubkey, up to. A head must not name an event that is gone. */
    private static final String DELETE_HEADS = "DELETE FROM " + name(REPLACEABLE_HEADS) + " WHERE "
            + name(REPLACEABLE_HEADS.PUBKEY) + " = ? AND " + name(REPLACEABLE_HEADS.CREATED_AT) + " <= ?";
    /** PostgreSQL only (CockroachDB has no LOCK TABLE, and is always SERIALIZABLE): see the class comment. */
    static final String LOCK_WRITES = "LOCK TABLE " + name(EVENTS) + " IN SHARE ROW EXCLUSIVE MODE";

    private final Connection connection;
    private final Database.Vendor vendor;
    private final RemovedEvents removed;

    VanishRequests(Connection connection, Database.Vendor vendor, RemovedEvents removed) {
        this.connection = connection;
        this.vendor = vendor;
        this.removed = removed;
    }

    /**
     * Before anything else in a transaction that stores a request to vanish: on PostgreSQL, waits for the writes
     * in progress and keeps new ones out until this transaction ends. The mode conflicts with itself, so two
     * requests take turns instead of deadlocking; queries are not blocked.
     */
    void lockWrites() throws SQLException {
        if (vendor == Database.Vendor.POSTGRESQL) {
            try (Statement lock = connection.createStatement()) {
                lock.execute(LOCK_WRITES);
            }
        }
    }

    /** Applies a request to vanish from this relay that was just stored. */
    void apply(Event request) throws SQLException {
        byte[] author = request.pubkey().toBytes();
        long upTo = request.createdAt();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_VANISHED)) {
            upsert.setBytes(1, author);
            upsert.setLong(2, upTo);
            upsert.executeUpdate();
        }
        List<TagRows.Removed> deleted = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement(DELETE_AUTHORED)) {
            delete.setBytes(1, author);
            delete.setLong(2, upTo);
            collect(delete, deleted);
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_GIFT_WRAPS)) {
            delete.setString(1, request.pubkey().hex());
            delete.setLong(2, upTo);
            collect(delete, deleted);
        }
        removed.left(deleted);
        for (String sql : List.of(DELETE_HISTORY, DELETE_HEADS)) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setBytes(1, author);
                delete.setLong(2, upTo);
                delete.executeUpdate();
            }
        }
    }

    private static void collect(PreparedStatement delete, List<TagRows.Removed> into) throws SQLException {
        try (ResultSet rows = delete.executeQuery()) {
            while (rows.next()) {
                into.add(RemovedEvents.fromRow(rows));
            }
        }
    }
}
