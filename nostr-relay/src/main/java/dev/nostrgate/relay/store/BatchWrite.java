package dev.nostrgate.relay.store;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Kinds;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one batch of events on one connection, inside the caller's transaction, applying every NIP-01 / NIP-09 /
 * NIP-40 rule as if the events had arrived one by one in batch order.
 *
 * <p>The batch is cut into segments at each deletion request (kind 5), so a deletion sees the events before it and
 * the events after it see the deletion; segments are rare, so most batches are a handful of array-valued
 * statements whatever their size. Replaceable and addressable events are decided against {@code replaceable_heads},
 * whose rows are locked ({@code FOR UPDATE}) and upserted conditionally: the head table is where two relays writing
 * to one database meet, and a writer that loses the race there rejects its version instead of storing it.
 */
final class BatchWrite {
    private static final String DELETED = "blocked: this event was deleted";

    /**
     * The statement of {@link #applyInOneStatement}: parameters 1-8 the events ({@link EventColumns}), 9 their keys,
     * 10-14 their tag rows ({@link TagRows.Columns}); it answers the keys stored (true) and blocked (false).
     *
     * <p>Written so that no batch scans a table, whatever the statistics said when the plan was cached (a first
     * version, planned while {@code events} was empty, scanned it for every batch: 1,300 events/s instead of 7,500):
     * the tombstones are probed by key, and {@code events} only by the insert's conflict check and, for a tombstoned
     * event, by a per-row EXISTS (which may run as a scan while {@code events} is a few pages, until the next
     * ANALYZE re-plans it; it runs only for an event that was deleted). A duplicate is a duplicate even if it was
     * deleted since, so an event is blocked only if it is not stored.
     *
     * <p>Within what both databases accept: data-modifying CTEs (CockroachDB allows one {@code INSERT ... ON
     * CONFLICT} per table in a statement; this has one, on {@code events}), multi-argument {@code unnest}, a
     * correlated EXISTS in a select list. Only PostgreSQL is tested here.
     */
    static final String ONE_STATEMENT = "WITH batch AS (SELECT * FROM " + EventColumns.UNNEST + "), "
            + "tombstoned AS (SELECT b.event_key, "
            + "EXISTS (SELECT 1 FROM events s WHERE s.event_key = b.event_key) AS had FROM batch b "
            + "JOIN deleted_events d ON d.event_key = b.event_key AND d.pubkey = b.pubkey "
            + "WHERE d.event_key = ANY(?)), "
            + "stored AS (INSERT INTO events (event_key, id, pubkey, created_at, kind, d_tag, expires_at, json) "
            + "SELECT * FROM batch WHERE event_key NOT IN (SELECT event_key FROM tombstoned) "
            + "ON CONFLICT (event_key) DO NOTHING RETURNING event_key), "
            + "tags AS (INSERT INTO event_tags (name, value, created_at, event_key, kind) "
            + "SELECT * FROM " + TagRows.UNNEST + " WHERE t.event_key IN (SELECT event_key FROM stored)) "
            + "SELECT event_key, TRUE FROM stored UNION ALL SELECT event_key, FALSE FROM tombstoned WHERE NOT had";

    private final Connection connection;
    private final Database.Vendor vendor;
    private final long now;
    /** What this batch changed in {@code events}, for {@link RecentEvents}: valid once the transaction commits. */
    private final List<Event> inserted = new ArrayList<>();
    private final List<UUID> removed = new ArrayList<>();

    /** @param vendor the database on the other end of the connection: how many tag rows are written differs */
    BatchWrite(Connection connection, Database.Vendor vendor, long nowSeconds) {
        this.connection = connection;
        this.vendor = vendor;
        this.now = nowSeconds;
    }

    /** The events this batch inserted into {@code events} (not those it stored in history only). */
    List<Event> inserted() {
        return inserted;
    }

    /** The keys of the events this batch removed from {@code events}: replaced or deleted. */
    List<UUID> removed() {
        return removed;
    }

    /** Removes the tag rows of events that just left {@code events}, and notes that they left. */
    private void removedFromEvents(List<TagRows.Removed> events) throws SQLException {
        TagRows.delete(connection, events);
        events.forEach(event -> removed.add(event.key()));
    }

    /** Outcomes in the order of the events. */
    List<SaveOutcome> apply(List<Event> events) throws SQLException {
        SaveOutcome[] outcomes = new SaveOutcome[events.size()];
        Set<EventId> seen = new HashSet<>();
        List<Integer> segment = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            outcomes[i] = judgedWithoutStore(event, seen);
            if (outcomes[i] != null) {
                continue;
            }
            if (event.kind() == Kinds.DELETION) {
                writeSegment(events, segment, outcomes);
                segment.clear();
                writeSegment(events, List.of(i), outcomes);
            } else {
                segment.add(i);
            }
        }
        writeSegment(events, segment, outcomes);
        return Arrays.asList(outcomes);
    }

    /**
     * True if {@link #applyInOneStatement} can write these events: regular events only (no replaceable or
     * addressable head to decide, no deletion to apply, no gift wrap whose recipient may have deleted it), and tag
     * rows few enough for one {@code INSERT} rather than {@code COPY}. That is what clients mostly send.
     */
    static boolean fitsOneStatement(List<Event> events) {
        int tags = 0;
        for (Event event : events) {
            if (event.category() != KindCategory.REGULAR || event.kind() == Kinds.DELETION
                    || event.kind() == Kinds.GIFT_WRAP) {
                return false;
            }
            tags += event.tags().size(); // each tag makes one row at most
        }
        return tags <= TagRows.INSERT_MAX_ROWS;
    }

    /**
     * Writes a batch that {@link #fitsOneStatement fits} in one statement, to be run outside any transaction: the
     * statement is then its own transaction, and its commit takes no round trip of its own. With one event in
     * flight per client a batch is a few events, and it took four round trips (lookup, events, tag rows, commit),
     * each costing both processes a wake-up and the database a command. The rules are those of {@link #apply}.
     */
    List<SaveOutcome> applyInOneStatement(List<Event> events) throws SQLException {
        SaveOutcome[] outcomes = new SaveOutcome[events.size()];
        Set<EventId> seen = new HashSet<>();
        Map<UUID, Integer> byKey = new HashMap<>();
        List<Event> candidates = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            outcomes[i] = judgedWithoutStore(event, seen);
            if (outcomes[i] == null) {
                byKey.put(EventKeys.of(event.id().toBytes()), i);
                candidates.add(event);
            }
        }
        if (candidates.isEmpty()) {
            return Arrays.asList(outcomes);
        }
        try (PreparedStatement write = connection.prepareStatement(ONE_STATEMENT)) {
            new EventColumns(candidates).bind(write, 1);
            write.setArray(9, uuids(byKey.keySet()));
            new TagRows.Columns(candidates).bind(write, 10);
            try (ResultSet rows = write.executeQuery()) {
                while (rows.next()) {
                    int i = byKey.get(rows.getObject(1, UUID.class));
                    if (rows.getBoolean(2)) {
                        outcomes[i] = SaveOutcome.stored(events.get(i).id());
                        inserted.add(events.get(i));
                    } else {
                        outcomes[i] = SaveOutcome.rejected(events.get(i).id(), DELETED);
                    }
                }
            }
        }
        for (int i : byKey.values()) {
            if (outcomes[i] == null) {
                outcomes[i] = SaveOutcome.duplicate(events.get(i).id()); // stored before, or another writer was first
            }
        }
        return Arrays.asList(outcomes);
    }

    /** The outcome of an event that needs no look at the store (repeated in the batch, ephemeral, expired), or null. */
    private SaveOutcome judgedWithoutStore(Event event, Set<EventId> seen) {
        if (!seen.add(event.id())) {
            return SaveOutcome.duplicate(event.id());
        } else if (event.category() == KindCategory.EPHEMERAL) {
            return SaveOutcome.rejected(event.id(), "invalid: ephemeral events are not stored");
        } else if (isExpired(event)) {
            return SaveOutcome.rejected(event.id(), "invalid: event has expired");
        }
        return null;
    }

    private boolean isExpired(Event event) {
        OptionalLong expiration = event.expiration();
        return expiration.isPresent() && expiration.getAsLong() <= now;
    }

    private void writeSegment(List<Event> events, List<Integer> indexes, SaveOutcome[] outcomes) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        Map<UUID, Integer> byKey = new LinkedHashMap<>();
        for (int i : indexes) {
            byKey.put(EventKeys.of(events.get(i).id().toBytes()), i);
        }
        rejectExistingAndDeleted(events, byKey, outcomes);
        List<Integer> candidates = byKey.values().stream().filter(i -> outcomes[i] == null).toList();
        Set<Integer> supersededInBatch = resolveReplaceables(events, candidates, outcomes);

        List<Event> toInsert = new ArrayList<>();
        for (int i : candidates) {
            if (outcomes[i] == null) {
                outcomes[i] = SaveOutcome.stored(events.get(i).id());
                if (!supersededInBatch.contains(i)) {
                    toInsert.add(events.get(i));
                }
            }
        }
        Set<UUID> inserted = insertEvents(toInsert);
        for (Event event : toInsert) {
            UUID key = EventKeys.of(event.id().toBytes());
            if (!inserted.contains(key)) {
                outcomes[byKey.get(key)] = SaveOutcome.duplicate(event.id()); // another writer was first
            }
        }
        List<Event> insertedEvents = toInsert.stream()
                .filter(e -> inserted.contains(EventKeys.of(e.id().toBytes()))).toList();
        TagRows.insert(connection, vendor, insertedEvents);
        this.inserted.addAll(insertedEvents);
        for (Event event : toInsert) {
            if (event.kind() == Kinds.DELETION && inserted.contains(EventKeys.of(event.id().toBytes()))) {
                applyDeletion(event);
            }
        }
    }

    /**
     * Marks what is stored already (duplicate) and what a deletion request keeps out (blocked), in one round trip:
     * with one event in flight per client, batches are a few events and their round trips count. A duplicate is a
     * duplicate even if it was deleted since.
     */
    private void rejectExistingAndDeleted(List<Event> events, Map<UUID, Integer> byKey, SaveOutcome[] outcomes)
            throws SQLException {
        Array keys = uuids(byKey.keySet());
        List<UUID> existing = new ArrayList<>();
        List<Map.Entry<UUID, byte[]>> deleters = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT event_key, NULL::BYTEA AS deleter FROM events WHERE event_key = ANY(?) "
                        + "UNION ALL SELECT event_key, pubkey FROM deleted_events WHERE event_key = ANY(?)")) {
            select.setArray(1, keys);
            select.setArray(2, keys);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID key = rows.getObject(1, UUID.class);
                    byte[] deleter = rows.getBytes(2);
                    if (deleter == null) {
                        existing.add(key);
                    } else {
                        deleters.add(Map.entry(key, deleter));
                    }
                }
            }
        }
        for (UUID key : existing) {
            int i = byKey.get(key);
            outcomes[i] = SaveOutcome.duplicate(events.get(i).id());
        }
        for (Map.Entry<UUID, byte[]> deleted : deleters) {
            int i = byKey.get(deleted.getKey());
            Event event = events.get(i);
            String deleter = Hex.encode(deleted.getValue());
            boolean byAuthor = deleter.equals(event.pubkey().hex());
            boolean byRecipient = event.kind() == Kinds.GIFT_WRAP && event.tagValues("p").contains(deleter);
            if (outcomes[i] == null && (byAuthor || byRecipient)) {
                outcomes[i] = SaveOutcome.rejected(event.id(), DELETED);
            }
        }
    }

    /**
     * Decides replaceable and addressable candidates in arrival order against the current heads. Sets REJECTED
     * outcomes, upserts the winning heads, moves what they replace to history, and returns the candidates that
     * were accepted but already superseded by a later event of the same batch (they go to history only).
     */
    private Set<Integer> resolveReplaceables(List<Event> events, List<Integer> candidates, SaveOutcome[] outcomes)
            throws SQLException {
        Map<Address, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : candidates) {
            events.get(i).address().ifPresent(address -> groups.computeIfAbsent(address, a -> new ArrayList<>()).add(i));
        }
        if (groups.isEmpty()) {
            return Set.of();
        }
        Map<Address, Long> deletedUpTo = deletedAddresses(groups.keySet());
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
                if (deletedBefore != null && event.createdAt() <= deletedBefore) {
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

    private Map<Address, Long> deletedAddresses(Set<Address> addresses) throws SQLException {
        Map<Address, Long> result = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT pubkey, kind, d_tag, deleted_up_to FROM deleted_addresses WHERE (pubkey, kind, d_tag) IN "
                        + "(SELECT * FROM unnest(?::BYTEA[], ?::INT[], ?::TEXT[]))")) {
            bindAddresses(select, addresses);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    result.put(address(rows), rows.getLong(4));
                }
            }
        }
        return result;
    }

    private Map<Address, Head> lockHeads(Set<Address> addresses) throws SQLException {
        Map<Address, Head> result = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT pubkey, kind, d_tag, created_at, id FROM replaceable_heads WHERE (pubkey, kind, d_tag) IN "
                        + "(SELECT * FROM unnest(?::BYTEA[], ?::INT[], ?::TEXT[])) FOR UPDATE")) {
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
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO replaceable_heads (pubkey, kind, d_tag, created_at, id, event_key) "
                        + "SELECT * FROM unnest(?::BYTEA[], ?::INT[], ?::TEXT[], ?::BIGINT[], ?::BYTEA[], ?::UUID[]) "
                        + "ON CONFLICT (pubkey, kind, d_tag) DO UPDATE SET created_at = excluded.created_at, "
                        + "id = excluded.id, event_key = excluded.event_key "
                        + "WHERE excluded.created_at > replaceable_heads.created_at "
                        + "OR (excluded.created_at = replaceable_heads.created_at AND excluded.id < replaceable_heads.id) "
                        + "RETURNING pubkey, kind, d_tag")) {
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
        try (PreparedStatement move = connection.prepareStatement(
                "WITH replaced AS (DELETE FROM events e USING unnest(?::BYTEA[], ?::INT[], ?::TEXT[], ?::UUID[]) "
                        + "AS w(pubkey, kind, d_tag, keep) WHERE e.pubkey = w.pubkey AND e.kind = w.kind "
                        + "AND e.d_tag = w.d_tag AND e.event_key <> w.keep "
                        + "RETURNING e.event_key, e.pubkey, e.kind, e.d_tag, e.created_at, e.json), "
                        + "kept AS (INSERT INTO events_history "
                        + "(event_key, pubkey, kind, d_tag, created_at, superseded_at, json) "
                        + "SELECT event_key, pubkey, kind, d_tag, created_at, ?, json FROM replaced "
                        + "ON CONFLICT (event_key) DO NOTHING) "
                        + "SELECT event_key, created_at, json FROM replaced")) {
            bindAddresses(move, addresses);
            move.setArray(4, connection.createArrayOf("uuid", keep));
            move.setLong(5, now);
            try (ResultSet rows = move.executeQuery()) {
                while (rows.next()) {
                    replaced.add(removed(rows));
                }
            }
        }
        removedFromEvents(replaced);
    }

    private void insertHistory(List<Event> superseded) throws SQLException {
        if (superseded.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO events_history (event_key, pubkey, kind, d_tag, created_at, superseded_at, json) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING")) {
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

    private Set<UUID> insertEvents(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return Set.of();
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO events (event_key, id, pubkey, created_at, kind, d_tag, expires_at, json) "
                        + "SELECT * FROM " + EventColumns.UNNEST + " ON CONFLICT (event_key) DO NOTHING "
                        + "RETURNING event_key")) {
            new EventColumns(events).bind(insert, 1);
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }

    /**
     * NIP-09: the author's own events named by {@code e} (never another deletion request), and every version of an
     * address of the author named by {@code a} up to the request's created_at. Tombstones keep them out for good.
     */
    private void applyDeletion(Event deletion) throws SQLException {
        byte[] author = deletion.pubkey().toBytes();
        UUID deletionKey = EventKeys.of(deletion.id().toBytes());
        List<String> targetIds = deletion.tagValues("e").stream()
                .filter(id -> Hex.isLowercaseHex(id, 64)).distinct().toList();
        if (!targetIds.isEmpty()) {
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
                        TagRows.Removed removed = removed(rows);
                        deleted.add(removed);
                        tombstones.put(removed.key(), rows.getBytes(4)); // a gift wrap's tombstone names its author
                    }
                }
            }
            removedFromEvents(deleted);
            insertTombstones(tombstones, deletionKey, author);
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
                    deleted.add(removed(rows));
                }
            }
        }
        removedFromEvents(deleted);
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

    /** Binds parameters 1 to 3 to the addresses' pubkeys, kinds and identifiers, in the collection's order. */
    private void bindAddresses(PreparedStatement statement, java.util.Collection<Address> addresses)
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

    /** A row of (event_key, created_at, json, ...) from a DELETE ... RETURNING. */
    static TagRows.Removed removed(ResultSet row) throws SQLException {
        return new TagRows.Removed(row.getObject(1, UUID.class), row.getLong(2), row.getString(3));
    }

    private static Address address(ResultSet row) throws SQLException {
        return new Address(row.getInt(2), dev.nostrgate.core.key.PubKey.of(row.getBytes(1)), row.getString(3));
    }

    private Array uuids(java.util.Collection<UUID> keys) throws SQLException {
        return connection.createArrayOf("uuid", keys.toArray(UUID[]::new));
    }
}
