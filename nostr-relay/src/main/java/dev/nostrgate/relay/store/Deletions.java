package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_ADDRESSES;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Kinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * NIP-09 in the writer: a stored deletion request removes the author's own events named by {@code e} (never another
 * deletion request, nor a request to vanish) and every version of an address of the author named by {@code a} up to the request's
 * {@code created_at}; tombstones ({@code deleted_events}, {@code deleted_addresses}) keep them out for good.
 */
final class Deletions {
    /** The OK message of an event a tombstone keeps out. */
    static final String DELETED = "blocked: this event was deleted";

    /**
     * Parameters: the ids (1), the deleter's pubkey as bytes (2) and as hex (3). Never a deletion request nor a
     * request to vanish (NIP-62: a deletion against one has no effect); a gift
     * wrap also when the deleter is its recipient. Returns {@link RemovedEvents#RETURNED} and the author.
     */
    private static final String DELETE_EVENTS = "DELETE FROM " + name(EVENTS) + " WHERE " + name(EVENTS.ID)
            + " = ANY(?) AND " + name(EVENTS.KIND) + " NOT IN (" + Kinds.DELETION + ", " + Kinds.REQUEST_TO_VANISH
            + ") AND (" + name(EVENTS.PUBKEY)
            + " = ? OR (" + name(EVENTS.KIND) + " = " + Kinds.GIFT_WRAP + " AND " + name(EVENTS.EVENT_KEY)
            + " IN (SELECT " + name(EVENT_TAGS.EVENT_KEY) + " FROM " + name(EVENT_TAGS) + " WHERE "
            + name(EVENT_TAGS.NAME) + " = 'p' AND " + name(EVENT_TAGS.VALUE) + " = ?))) "
            + "RETURNING " + RemovedEvents.RETURNED + ", " + name(EVENTS.PUBKEY);
    private static final String INSERT_TOMBSTONE = "INSERT INTO " + name(DELETED_EVENTS) + " ("
            + name(DELETED_EVENTS.EVENT_KEY, DELETED_EVENTS.PUBKEY, DELETED_EVENTS.DELETED_BY)
            + ") VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    /** Parameters: pubkey, kind, d tag, and the deletion request's created_at. */
    private static final String DELETE_ADDRESS = "DELETE FROM " + name(EVENTS) + " WHERE " + name(EVENTS.PUBKEY)
            + " = ? AND " + name(EVENTS.KIND) + " = ? AND " + name(EVENTS.D_TAG) + " = ? AND "
            + name(EVENTS.CREATED_AT) + " <= ? RETURNING " + RemovedEvents.RETURNED;
    private static final String ADDRESS = name(DELETED_ADDRESSES.PUBKEY, DELETED_ADDRESSES.KIND,
            DELETED_ADDRESSES.D_TAG);
    private static final String UP_TO = name(DELETED_ADDRESSES.DELETED_UP_TO);
    /** Parameters as {@link #DELETE_ADDRESS}; a tombstone only ever moves later. */
    private static final String UPSERT_ADDRESS_TOMBSTONE = "INSERT INTO " + name(DELETED_ADDRESSES) + " (" + ADDRESS
            + ", " + UP_TO + ") VALUES (?, ?, ?, ?) ON CONFLICT (" + ADDRESS + ") DO UPDATE SET " + UP_TO
            + " = GREATEST(" + name(DELETED_ADDRESSES) + "." + UP_TO + ", excluded." + UP_TO + ")";

    private final Connection connection;
    private final RemovedEvents removed;

    Deletions(Connection connection, RemovedEvents removed) {
        this.connection = connection;
        this.removed = removed;
    }

    /**
     * True if a deletion request by this pubkey (hex) applies to the event: its author's, or, for a NIP-59 gift
     * wrap, its recipient's (the {@code p} tag; the author is a throwaway key), as strfry allows.
     */
    static boolean mayDelete(String deleter, Event event) {
        return deleter.equals(event.pubkey().hex())
                || (event.kind() == Kinds.GIFT_WRAP && event.tagValues("p").contains(deleter));
    }

    /** Applies a deletion request that was just stored. */
    void apply(Event deletion) throws SQLException {
        byte[] author = deletion.pubkey().toBytes();
        List<String> targetIds = deletion.tagValues("e").stream()
                .filter(id -> Hex.isLowercaseHex(id, 64)).distinct().toList();
        if (!targetIds.isEmpty()) {
            deleteEvents(deletion, author, targetIds);
        }
        for (String coordinate : deletion.tagValues("a")) {
            Address address;
            try {
                address = Address.parse(coordinate);
            } catch (IllegalArgumentException malformed) {
                continue; // not an address: nothing to delete
            }
            KindCategory category = KindCategory.of(address.kind());
            if (!address.pubkey().equals(deletion.pubkey())
                    || (category != KindCategory.REPLACEABLE && category != KindCategory.ADDRESSABLE)) {
                continue; // only an author's own addresses can be deleted
            }
            String identifier = category == KindCategory.REPLACEABLE ? "" : address.identifier();
            deleteAddress(author, address.kind(), identifier, deletion.createdAt());
        }
    }

    private void deleteEvents(Event deletion, byte[] author, List<String> targetIds) throws SQLException {
        List<TagRows.Removed> deleted = new ArrayList<>();
        Map<UUID, byte[]> tombstones = new LinkedHashMap<>();
        for (String id : targetIds) {
            tombstones.put(EventKeys.ofHex(id), author);
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE_EVENTS)) {
            delete.setArray(1, connection.createArrayOf("bytea",
                    targetIds.stream().map(Hex::decode).toArray(byte[][]::new)));
            delete.setBytes(2, author);
            delete.setString(3, deletion.pubkey().hex());
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    TagRows.Removed row = RemovedEvents.fromRow(rows);
                    deleted.add(row);
                    tombstones.put(row.key(), rows.getBytes(4)); // a gift wrap's tombstone names its author
                }
            }
        }
        removed.left(deleted);
        insertTombstones(tombstones, EventKeys.of(deletion.id()), author);
    }

    private void insertTombstones(Map<UUID, byte[]> tombstones, UUID deletionKey, byte[] author) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_TOMBSTONE)) {
            for (Map.Entry<UUID, byte[]> tombstone : tombstones.entrySet()) {
                for (byte[] pubkey : Arrays.equals(tombstone.getValue(), author)
                        ? List.of(author) : List.of(author, tombstone.getValue())) {
                    insert.setObject(1, tombstone.getKey());
                    insert.setBytes(2, pubkey);
                    insert.setObject(3, deletionKey);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private void deleteAddress(byte[] author, int kind, String identifier, long upTo) throws SQLException {
        List<TagRows.Removed> deleted = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ADDRESS)) {
            delete.setBytes(1, author);
            delete.setInt(2, kind);
            delete.setString(3, identifier);
            delete.setLong(4, upTo);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    deleted.add(RemovedEvents.fromRow(rows));
                }
            }
        }
        removed.left(deleted);
        try (PreparedStatement tombstone = connection.prepareStatement(UPSERT_ADDRESS_TOMBSTONE)) {
            tombstone.setBytes(1, author);
            tombstone.setInt(2, kind);
            tombstone.setString(3, identifier);
            tombstone.setLong(4, upTo);
            tombstone.executeUpdate();
        }
    }
}
