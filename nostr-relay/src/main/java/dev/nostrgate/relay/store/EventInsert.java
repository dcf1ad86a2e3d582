package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;
import static dev.nostrgate.relay.store.schema.Tables.VANISHED_PUBKEYS;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Kinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Inserts events into {@code events} in one statement that also keeps out those their author deleted (NIP-09
 * tombstones) or asked to forget (NIP-62 requests to vanish), and writes their tag rows: one round trip, and, run outside a transaction, its own commit. With one
 * event in flight per client a batch is a few events, and the four round trips this used to take (lookup, events,
 * tag rows, commit) each cost both processes a wake-up and the database a command.
 *
 * <p>The tombstone check here is the author's ({@code deleted_events.pubkey} is the event's); the other deleter a
 * tombstone may name, a gift wrap's recipient, is checked before ({@link StoredOrDeleted}). A duplicate is a
 * duplicate even if it was deleted since, so an event is blocked only if it is not stored. A request to vanish is
 * never kept out by a tombstone: NIP-62 gives a deletion request against one no effect.
 */
final class EventInsert {
    private static final String KEY = name(EVENTS.EVENT_KEY);
    private static final String DELETED_KEY = name(DELETED_EVENTS.EVENT_KEY);

    /**
     * NIP-62: the events a request to vanish keeps out, by their author (never a request itself) or, for a gift
     * wrap, its recipient (parameters 10 and 11 pair the wraps' keys with their recipients, {@link Recipients}).
     * Each is one primary-key probe of {@code vanished_pubkeys}, a scalar subquery per row: a join would let a plan
     * made while the table was empty scan it, and passing the authors again as an array to probe by would send
     * every batch's pubkeys twice. In the insert statement itself, so that the check
     * and the insert see the same snapshot: a request committed before it (see {@link VanishRequests#lockWrites})
     * is seen.
     */
    private static final String VANISHED_PART = "vanished AS (SELECT b." + KEY + " FROM batch b WHERE b."
            + name(EVENTS.KIND) + " <> " + Kinds.REQUEST_TO_VANISH + " AND b." + name(EVENTS.CREATED_AT) + " <= "
            + vanishedUpTo("b." + name(EVENTS.PUBKEY)) + " UNION SELECT b." + KEY + " FROM unnest(?::UUID[], "
            + "?::BYTEA[]) AS r(" + KEY + ", recipient) JOIN batch b ON b." + KEY + " = r." + KEY + " WHERE b."
            + name(EVENTS.CREATED_AT) + " <= " + vanishedUpTo("r.recipient") + "), ";

    /**
     * Parameters 1-8 the events ({@link EventColumns}), 9 their keys, 10-11 the gift wraps' recipients to check for NIP-62;
     * it answers the keys stored, deleted (NIP-09) and vanished (NIP-62). Written so that no batch scans a table, whatever the statistics said when the plan was cached (a
     * first version, planned while {@code events} was empty, scanned it for every batch: 1,300 events/s instead of
     * 7,500): the tombstones are probed by key, and {@code events} only by the insert's conflict check and, for a
     * tombstoned event, by a per-row EXISTS (which may run as a scan while {@code events} is a few pages, until the
     * next ANALYZE re-plans it; it runs only for an event that was deleted).
     *
     * <p>Within what both databases accept: data-modifying CTEs (CockroachDB allows one {@code INSERT ... ON
     * CONFLICT} per table in a statement; this has one, on {@code events}), multi-argument {@code unnest}, a
     * correlated EXISTS in a select list. Only PostgreSQL is tested here.
     */
    private static final String EVENTS_PART = "WITH batch AS (SELECT * FROM " + EventColumns.UNNEST + "), "
            + "tombstoned AS (SELECT b." + KEY + ", "
            + "EXISTS (SELECT 1 FROM " + name(EVENTS) + " s WHERE s." + KEY + " = b." + KEY + ") AS had "
            + "FROM batch b JOIN " + name(DELETED_EVENTS) + " d ON d." + DELETED_KEY + " = b." + KEY
            + " AND d." + name(DELETED_EVENTS.PUBKEY) + " = b." + name(EVENTS.PUBKEY)
            + " WHERE d." + DELETED_KEY + " = ANY(?) AND b." + name(EVENTS.KIND) + " <> " + Kinds.REQUEST_TO_VANISH
            + "), " + VANISHED_PART
            + "stored AS (INSERT INTO " + name(EVENTS) + " (" + EventColumns.NAMES + ") "
            + "SELECT * FROM batch WHERE " + KEY + " NOT IN (SELECT " + KEY + " FROM tombstoned) AND " + KEY
            + " NOT IN (SELECT " + KEY + " FROM vanished) ON CONFLICT (" + KEY + ") DO NOTHING RETURNING " + KEY
            + "), ";
    private static final String ANSWER = "SELECT " + KEY + ", 'stored' FROM stored UNION ALL SELECT " + KEY
            + ", 'deleted' FROM tombstoned WHERE NOT had UNION ALL SELECT " + KEY + ", 'vanished' FROM vanished "
            + "WHERE " + KEY + " NOT IN (SELECT " + KEY + " FROM tombstoned)";

    /** With the tag rows (parameters 12-16, {@link TagRows.Columns}) of the events it stores. */
    static final String WITH_TAG_ROWS = EVENTS_PART
            + "tags AS (INSERT INTO " + name(EVENT_TAGS) + " (" + TagRows.NAMES + ") "
            + "SELECT * FROM " + TagRows.UNNEST + " WHERE t." + name(EVENT_TAGS.EVENT_KEY)
            + " IN (SELECT " + KEY + " FROM stored)) " + ANSWER;

    /** Without tag rows, for events with more than one INSERT takes: the caller writes them after (COPY). */
    static final String EVENTS_ONLY = EVENTS_PART.substring(0, EVENTS_PART.length() - 2) + " " + ANSWER;

    /** What the statement did with an event it answers for. */
    enum Written {
        STORED,
        /** Kept out by its author's NIP-09 tombstone. */
        DELETED,
        /** Kept out by a NIP-62 request to vanish of its author or, for a gift wrap, its recipient. */
        VANISHED
    }

    /**
     * The gift wraps' recipients, paired with the wraps' keys (parameters 10 and 11): a recipient who vanished
     * keeps wraps to them out as their author would. Only lowercase hex pubkeys can match a stored one.
     */
    private record Recipients(List<UUID> keys, List<byte[]> pubkeys) {
        Recipients(List<Event> events) {
            this(new ArrayList<>(), new ArrayList<>());
            for (Event event : events) {
                if (event.kind() == Kinds.GIFT_WRAP) {
                    for (String recipient : event.tagValues("p")) {
                        if (Hex.isLowercaseHex(recipient, 64)) {
                            keys.add(EventKeys.of(event.id()));
                            pubkeys.add(Hex.decode(recipient));
                        }
                    }
                }
            }
        }

        void bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
            statement.setArray(first, connection.createArrayOf("uuid", keys.toArray(UUID[]::new)));
            statement.setArray(first + 1, connection.createArrayOf("bytea", pubkeys.toArray(byte[][]::new)));
        }
    }

    /** The time up to which this pubkey (an SQL expression) asked to vanish, or NULL: one key probe. */
    private static String vanishedUpTo(String pubkey) {
        return "(SELECT v." + name(VANISHED_PUBKEYS.VANISHED_UP_TO) + " FROM " + name(VANISHED_PUBKEYS) + " v WHERE v."
                + name(VANISHED_PUBKEYS.PUBKEY) + " = " + pubkey + ")";
    }

    private EventInsert() {
    }

    /** True if the tag rows of these events fit in the statement (else they go through COPY or chunks). */
    static boolean tagRowsFit(List<Event> events) {
        int tags = 0;
        for (Event event : events) {
            tags += event.tags().size(); // each tag makes one row at most
        }
        return tags <= TagRows.INSERT_MAX_ROWS;
    }

    /**
     * Inserts the events (distinct ids) with their tag rows.
     *
     * @return by event key: what became of each event inserted or kept out; the others were stored already (or
     *     another writer was first): duplicates
     */
    static Map<UUID, Written> insert(Connection connection, Database.Vendor vendor, List<Event> events)
            throws SQLException {
        if (events.isEmpty()) {
            return Map.of();
        }
        List<UUID> keys = events.stream().map(event -> EventKeys.of(event.id())).toList();
        boolean tagRowsFit = tagRowsFit(events);
        Map<UUID, Written> result = new HashMap<>();
        try (PreparedStatement write = connection.prepareStatement(tagRowsFit ? WITH_TAG_ROWS : EVENTS_ONLY)) {
            new EventColumns(events).bind(write, 1);
            write.setArray(9, EventKeys.array(connection, keys));
            new Recipients(events).bind(connection, write, 10);
            if (tagRowsFit) {
                new TagRows.Columns(events).bind(write, 12);
            }
            try (ResultSet rows = write.executeQuery()) {
                while (rows.next()) {
                    result.put(rows.getObject(1, UUID.class), Written.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)));
                }
            }
        }
        if (!tagRowsFit) {
            TagRows.insert(connection, vendor, events.stream()
                    .filter(event -> result.get(EventKeys.of(event.id())) == Written.STORED).toList());
        }
        return result;
    }
}
