package dev.nostrgate.relay.store;

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
 * deletion request) and every version of an address of the author named by {@code a} up to the request's
 * {@code created_at}; tombstones ({@code deleted_events}, {@code deleted_addresses}) keep them out for good.
 */
final class Deletions {
    /** The OK message of an event a tombstone keeps out. */
    static final String DELETED = "blocked: this event was deleted";

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
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM events WHERE id = ANY(?) AND kind <> " + Kinds.DELETION
                        + " AND (pubkey = ? OR (kind = " + Kinds.GIFT_WRAP + " AND "
                        + "event_key IN (SELECT event_key FROM event_tags WHERE name = 'p' AND value = ?))) "
                        + "RETURNING event_key, created_at, json, pubkey")) {
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
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO deleted_events (event_key, pubkey, deleted_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
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
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM events WHERE pubkey = ? AND kind = ? AND d_tag = ? AND created_at <= ? "
                        + "RETURNING event_key, created_at, json")) {
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
        try (PreparedStatement tombstone = connection.prepareStatement(
                "INSERT INTO deleted_addresses (pubkey, kind, d_tag, deleted_up_to) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (pubkey, kind, d_tag) DO UPDATE SET deleted_up_to = "
                        + "GREATEST(deleted_addresses.deleted_up_to, excluded.deleted_up_to)")) {
            tombstone.setBytes(1, author);
            tombstone.setInt(2, kind);
            tombstone.setString(3, identifier);
            tombstone.setLong(4, upTo);
            tombstone.executeUpdate();
        }
    }
}
