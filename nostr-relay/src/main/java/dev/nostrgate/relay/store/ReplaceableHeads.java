package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_ADDRESSES;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS_HISTORY;
import static dev.nostrgate.relay.store.schema.Tables.REPLACEABLE_HEADS;
import static dev.nostrgate.relay.store.schema.Tables.VANISHED_PUBKEYS;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.key.PubKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Replaceable and addressable events (NIP-01): only the newest version per (pubkey, kind, d tag) is current, and
 * older ones live in {@code events_history}. Decided against {@code replaceable_heads}, whose rows are locked
 * ({@code FOR UPDATE}) and upserted conditionally: the head table is where two relays writing to one database meet,
 * and a writer that loses the race there rejects its version instead of storing it.
 */
final class ReplaceableHeads {
    /** An address's columns: the key of {@code replaceable_heads} and {@code deleted_addresses}. */
    private static final String HEAD_ADDRESS = name(REPLACEABLE_HEADS.PUBKEY, REPLACEABLE_HEADS.KIND,
            REPLACEABLE_HEADS.D_TAG);
    private static final String DELETED_ADDRESS = name(DELETED_ADDRESSES.PUBKEY, DELETED_ADDRESSES.KIND,
            DELETED_ADDRESSES.D_TAG);
    /** Parameters 1-3 the addresses ({@link #bindAddresses}), as in every statement here. */
    private static final String ADDRESSES = "(SELECT * FROM unnest(?::BYTEA[], ?::INT[], ?::TEXT[]))";
    /**
     * Parameter 4 the addresses' pubkeys: (address, deleted up to) for each deleted address, then (pubkey, NULL,
     * NULL, vanished up to) for each pubkey that asked to vanish (NIP-62), so that neither kind of version becomes
     * a head. ({@link EventInsert} checks the latter again as it inserts: that check is the one that holds against
     * a request committed meanwhile.)
     */
    private static final String SELECT_DELETED_ADDRESSES = "SELECT " + DELETED_ADDRESS + ", "
            + name(DELETED_ADDRESSES.DELETED_UP_TO) + " FROM " + name(DELETED_ADDRESSES) + " WHERE ("
            + DELETED_ADDRESS + ") IN " + ADDRESSES + " UNION ALL SELECT " + name(VANISHED_PUBKEYS.PUBKEY)
            + ", NULL, NULL, " + name(VANISHED_PUBKEYS.VANISHED_UP_TO) + " FROM " + name(VANISHED_PUBKEYS)
            + " WHERE " + name(VANISHED_PUBKEYS.PUBKEY) + " = ANY(?)";
    private static final String LOCK_HEADS = "SELECT " + HEAD_ADDRESS + ", "
            + name(REPLACEABLE_HEADS.CREATED_AT, REPLACEABLE_HEADS.ID) + " FROM " + name(REPLACEABLE_HEADS)
            + " WHERE (" + HEAD_ADDRESS + ") IN " + ADDRESSES + " FOR UPDATE";
    /** Parameters 4-6 the winners' created_at, id and key; a head only moves to a newer version. */
    private static final String UPSERT_HEADS = upsertHeads(name(REPLACEABLE_HEADS),
            name(REPLACEABLE_HEADS.CREATED_AT), name(REPLACEABLE_HEADS.ID), name(REPLACEABLE_HEADS.EVENT_KEY));
    /** The history's columns, in the order of {@link #insertHistory}'s parameters. */
    private static final String HISTORY_COLUMNS = name(EVENTS_HISTORY.EVENT_KEY, EVENTS_HISTORY.PUBKEY,
            EVENTS_HISTORY.KIND, EVENTS_HISTORY.D_TAG, EVENTS_HISTORY.CREATED_AT, EVENTS_HISTORY.SUPERSEDED_AT,
            EVENTS_HISTORY.JSON);
    /**
     * Parameters 4 the key to keep at each address, 5 the time superseded: every other version at the address
     * leaves {@code events} for {@code events_history}; returns {@link RemovedEvents#RETURNED}.
     */
    private static final String MOVE_REPLACED_TO_HISTORY = moveReplacedToHistory(name(EVENTS.PUBKEY),
            name(EVENTS.KIND), name(EVENTS.D_TAG), name(EVENTS.EVENT_KEY), name(EVENTS.CREATED_AT),
            name(EVENTS.JSON));
    private static final String INSERT_HISTORY = "INSERT INTO " + name(EVENTS_HISTORY) + " (" + HISTORY_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + name(EVENTS_HISTORY.EVENT_KEY) + ") DO NOTHING";

    private final Connection connection;
    private final long now;
    private final RemovedEvents removed;

    ReplaceableHeads(Connection connection, long nowSeconds, RemovedEvents removed) {
        this.connection = connection;
        this.now = nowSeconds;
        this.removed = removed;
    }

    /**
     * Decides replaceable and addressable candidates in arrival order against the current heads. Sets REJECTED
     * outcomes, upserts the winning heads, moves what they replace to history, and returns the candidates that
     * were accepted but already superseded by a later event of the same batch (they go to history only).
     */
    Set<Integer> resolve(List<Event> events, List<Integer> candidates, SaveOutcome[] outcomes)
            throws SQLException {
        Map<Address, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : candidates) {
            events.get(i).address().ifPresent(address -> groups.computeIfAbsent(address, a -> new ArrayList<>()).add(i));
        }
        if (groups.isEmpty()) {
            return Set.of();
        }
        Map<Address, Long> deletedUpTo = new HashMap<>();
        Map<PubKey, Long> vanishedUpTo = new HashMap<>();
        deletedAddresses(groups.keySet(), deletedUpTo, vanishedUpTo);
        Map<Address, Head> heads = lockHeads(groups.keySet());

        Set<Integer> superseded = new HashSet<>();
        Map<Address, Integer> winners = new LinkedHashMap<>();
        for (Map.Entry<Address, List<Integer>> group : groups.entrySet()) {
            Address address = group.getKey();
            Head best = heads.get(address);
            Integer bestIndex = null;
            for (int i : group.getValue()) {
                Event event = events.get(i);
                Long deletedBefore = deletedUpTo.get(address);
                Long vanishedBefore = vanishedUpTo.get(address.pubkey());
                if (vanishedBefore != null && event.createdAt() <= vanishedBefore) {
                    outcomes[i] = SaveOutcome.rejected(event.id(), VanishRequests.VANISHED);
                } else if (deletedBefore != null && event.createdAt() <= deletedBefore) {
                    outcomes[i] = SaveOutcome.rejected(event.id(), "blocked: this address was deleted by its author");
                } else if (best == null || isNewer(event, best)) {
                    if (bestIndex != null) {
                        superseded.add(bestIndex);
                    }
                    best = new Head(event.createdAt(), event.id().toBytes());
                    bestIndex = i;
                } else {
                    outcomes[i] = SaveOutcome.rejected(event.id(),
                            "duplicate: a newer version of this replaceable event is stored");
                }
            }
            if (bestIndex != null) {
                winners.put(address, bestIndex);
            }
        }
        Set<Address> lost = upsertHeads(events, winners);
        for (Address address : lost) {
            for (int i : groups.get(address)) {
                if (outcomes[i] == null) {
                    outcomes[i] = SaveOutcome.rejected(events.get(i).id(),
                            "duplicate: a newer version of this replaceable event is stored");
                }
            }
            winners.remove(address);
        }
        moveReplacedToHistory(events, winners);
        List<Event> supersededEvents = superseded.stream().filter(i -> outcomes[i] == null).map(events::get).toList();
        insertHistory(supersededEvents);
        return superseded;
    }

    private record Head(long createdAt, byte[] id) {
    }

    private static boolean isNewer(Event event, Head head) {
        if (event.createdAt() != head.createdAt()) {
            return event.createdAt() > head.createdAt();
        }
        return Arrays.compareUnsigned(event.id().toBytes(), head.id()) < 0; // equal time: lowest id wins
    }

    private void deletedAddresses(Set<Address> addresses, Map<Address, Long> deletedUpTo,
                                  Map<PubKey, Long> vanishedUpTo) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_DELETED_ADDRESSES)) {
            bindAddresses(select, addresses);
            select.setArray(4, connection.createArrayOf("bytea",
                    addresses.stream().map(Address::pubkey).distinct().map(PubKey::toBytes).toArray(byte[][]::new)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (rows.getObject(2) == null) {
                        vanishedUpTo.put(PubKey.of(rows.getBytes(1)), rows.getLong(4));
                    } else {
                        deletedUpTo.put(address(rows), rows.getLong(4));
                    }
                }
            }
        }
    }

    private Map<Address, Head> lockHeads(Set<Address> addresses) throws SQLException {
        Map<Address, Head> result = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(LOCK_HEADS)) {
            bindAddresses(select, addresses);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    result.put(address(rows), new Head(rows.getLong(4), rows.getBytes(5)));
                }
            }
        }
        return result;
    }

    /** Upserts the winners' heads where they are still newest; returns the addresses where another writer won. */
    private Set<Address> upsertHeads(List<Event> events, Map<Address, Integer> winners) throws SQLException {
        if (winners.isEmpty()) {
            return Set.of();
        }
        List<Address> addresses = new ArrayList<>(winners.keySet());
        Long[] createdAts = new Long[addresses.size()];
        byte[][] ids = new byte[addresses.size()][];
        UUID[] keys = new UUID[addresses.size()];
        for (int j = 0; j < addresses.size(); j++) {
            Event event = events.get(winners.get(addresses.get(j)));
            createdAts[j] = event.createdAt();
            ids[j] = event.id().toBytes();
            keys[j] = EventKeys.of(ids[j]);
        }
        Set<Address> applied = new HashSet<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_HEADS)) {
            bindAddresses(upsert, addresses);
            upsert.setArray(4, connection.createArrayOf("int8", createdAts));
            upsert.setArray(5, connection.createArrayOf("bytea", ids));
            upsert.setArray(6, connection.createArrayOf("uuid", keys));
            try (ResultSet rows = upsert.executeQuery()) {
                while (rows.next()) {
                    applied.add(address(rows));
                }
            }
        }
        Set<Address> lost = new HashSet<>(winners.keySet());
        lost.removeAll(applied);
        return lost;
    }

    /** Every other version stored at a winning address leaves {@code events} for {@code events_history}. */
    private void moveReplacedToHistory(List<Event> events, Map<Address, Integer> winners) throws SQLException {
        if (winners.isEmpty()) {
            return;
        }
        List<Address> addresses = new ArrayList<>(winners.keySet());
        UUID[] keep = addresses.stream().map(a -> EventKeys.of(events.get(winners.get(a)).id())).toArray(UUID[]::new);
        List<TagRows.Removed> replaced = new ArrayList<>();
        try (PreparedStatement move = connection.prepareStatement(MOVE_REPLACED_TO_HISTORY)) {
            bindAddresses(move, addresses);
            move.setArray(4, connection.createArrayOf("uuid", keep));
            move.setLong(5, now);
            try (ResultSet rows = move.executeQuery()) {
                while (rows.next()) {
                    replaced.add(RemovedEvents.fromRow(rows));
                }
            }
        }
        removed.left(replaced);
    }

    private void insertHistory(List<Event> superseded) throws SQLException {
        if (superseded.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
            for (Event event : superseded) {
                insert.setObject(1, EventKeys.of(event.id().toBytes()));
                insert.setBytes(2, event.pubkey().toBytes());
                insert.setInt(3, event.kind());
                insert.setString(4, event.address().orElseThrow().identifier());
                insert.setLong(5, event.createdAt());
                insert.setLong(6, now);
                insert.setString(7, event.toJson());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String upsertHeads(String table, String createdAt, String id, String key) {
        return "INSERT INTO " + table + " (" + HEAD_ADDRESS + ", " + createdAt + ", " + id + ", " + key + ") "
                + "SELECT * FROM unnest(?::BYTEA[], ?::INT[], ?::TEXT[], ?::BIGINT[], ?::BYTEA[], ?::UUID[]) "
                + "ON CONFLICT (" + HEAD_ADDRESS + ") DO UPDATE SET " + createdAt + " = excluded." + createdAt + ", "
                + id + " = excluded." + id + ", " + key + " = excluded." + key + " "
                + "WHERE excluded." + createdAt + " > " + table + "." + createdAt + " "
                + "OR (excluded." + createdAt + " = " + table + "." + createdAt + " AND excluded." + id + " < "
                + table + "." + id + ") RETURNING " + HEAD_ADDRESS;
    }

    private static String moveReplacedToHistory(String pubkey, String kind, String dTag, String key,
                                                String createdAt, String json) {
        return "WITH replaced AS (DELETE FROM " + name(EVENTS) + " e USING "
                + "unnest(?::BYTEA[], ?::INT[], ?::TEXT[], ?::UUID[]) AS w(" + pubkey + ", " + kind + ", " + dTag
                + ", keep) WHERE e." + pubkey + " = w." + pubkey + " AND e." + kind + " = w." + kind + " AND e."
                + dTag + " = w." + dTag + " AND e." + key + " <> w.keep RETURNING e." + key + ", e." + pubkey
                + ", e." + kind + ", e." + dTag + ", e." + createdAt + ", e." + json + "), "
                + "kept AS (INSERT INTO " + name(EVENTS_HISTORY) + " (" + HISTORY_COLUMNS + ") "
                + "SELECT " + key + ", " + pubkey + ", " + kind + ", " + dTag + ", " + createdAt + ", ?, " + json
                + " FROM replaced ON CONFLICT (" + name(EVENTS_HISTORY.EVENT_KEY) + ") DO NOTHING) "
                + "SELECT " + RemovedEvents.RETURNED + " FROM replaced";
    }

    /** Binds parameters 1 to 3 to the addresses' pubkeys, kinds and identifiers, in the collection's order. */
    private void bindAddresses(PreparedStatement statement, Collection<Address> addresses)
            throws SQLException {
        byte[][] pubkeys = new byte[addresses.size()][];
        Integer[] kinds = new Integer[addresses.size()];
        String[] dTags = new String[addresses.size()];
        int j = 0;
        for (Address address : addresses) {
            pubkeys[j] = address.pubkey().toBytes();
            kinds[j] = address.kind();
            dTags[j] = address.identifier();
            j++;
        }
        statement.setArray(1, connection.createArrayOf("bytea", pubkeys));
        statement.setArray(2, connection.createArrayOf("int4", kinds));
        statement.setArray(3, connection.createArrayOf("text", dTags));
    }

    private static Address address(ResultSet row) throws SQLException {
        return new Address(row.getInt(2), PubKey.of(row.getBytes(1)), row.getString(3));
    }
}
