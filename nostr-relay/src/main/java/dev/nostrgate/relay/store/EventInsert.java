package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;

import dev.nostrgate.core.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Inserts events into {@code events} in one statement that also keeps out those their author deleted (NIP-09
 * tombstones) and writes their tag rows: one round trip, and, run outside a transaction, its own commit. With one
 * event in flight per client a batch is a few events, and the four round trips this used to take (lookup, events,
 * tag rows, commit) each cost both processes a wake-up and the database a command.
 *
 * <p>The tombstone check here is the author's ({@code deleted_events.pubkey} is the event's); the other deleter a
 * tombstone may name, a gift wrap's recipient, is checked before ({@link StoredOrDeleted}). A duplicate is a
 * duplicate even if it was deleted since, so an event is blocked only if it is not stored.
 */
final class EventInsert {
    private static final String KEY = name(EVENTS.EVENT_KEY);
    private static final String DELETED_KEY = name(DELETED_EVENTS.EVENT_KEY);

    /**
     * Parameters 1-8 the events ({@link EventColumns}), 9 their keys; it answers the keys stored (true) and blocked
     * (false). Written so that no batch scans a table, whatever the statistics said when the plan was cached (a
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
            + " WHERE d." + DELETED_KEY + " = ANY(?)), "
            + "stored AS (INSERT INTO " + name(EVENTS) + " (" + EventColumns.NAMES + ") "
            + "SELECT * FROM batch WHERE " + KEY + " NOT IN (SELECT " + KEY + " FROM tombstoned) "
            + "ON CONFLICT (" + KEY + ") DO NOTHING RETURNING " + KEY + "), ";
    private static final String ANSWER = "SELECT " + KEY + ", TRUE FROM stored UNION ALL SELECT " + KEY
            + ", FALSE FROM tombstoned WHERE NOT had";

    /** With the tag rows (parameters 10-14, {@link TagRows.Columns}) of the events it stores. */
    static final String WITH_TAG_ROWS = EVENTS_PART
            + "tags AS (INSERT INTO " + name(EVENT_TAGS) + " (" + TagRows.NAMES + ") "
            + "SELECT * FROM " + TagRows.UNNEST + " WHERE t." + name(EVENT_TAGS.EVENT_KEY)
            + " IN (SELECT " + KEY + " FROM stored)) " + ANSWER;

    /** Without tag rows, for events with more than one INSERT takes: the caller writes them after (COPY). */
    static final String EVENTS_ONLY = EVENTS_PART.substring(0, EVENTS_PART.length() - 2) + " " + ANSWER;

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
     * @return by event key: true for each event inserted, false for each kept out by its author's tombstone; the
     *     others were stored already (or another writer was first): duplicates
     */
    static Map<UUID, Boolean> insert(Connection connection, Database.Vendor vendor, List<Event> events)
            throws SQLException {
        if (events.isEmpty()) {
            return Map.of();
        }
        List<UUID> keys = events.stream().map(event -> EventKeys.of(event.id())).toList();
        boolean tagRowsFit = tagRowsFit(events);
        Map<UUID, Boolean> result = new HashMap<>();
        try (PreparedStatement write = connection.prepareStatement(tagRowsFit ? WITH_TAG_ROWS : EVENTS_ONLY)) {
            new EventColumns(events).bind(write, 1);
            write.setArray(9, EventKeys.array(connection, keys));
            if (tagRowsFit) {
                new TagRows.Columns(events).bind(write, 10);
            }
            try (ResultSet rows = write.executeQuery()) {
                while (rows.next()) {
                    result.put(rows.getObject(1, UUID.class), rows.getBoolean(2));
                }
            }
        }
        if (!tagRowsFit) {
            TagRows.insert(connection, vendor,
                    events.stream().filter(event -> Boolean.TRUE.equals(result.get(EventKeys.of(event.id())))).toList());
        }
        return result;
    }
}
