package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.DELETED_EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which events are stored already (duplicates) and which a deletion request keeps out (blocked), in one round
 * trip, for the events that must be judged before they are inserted: replaceable and addressable ones (a
 * duplicate or a deleted version must not become a head) and gift wraps (whose recipient may delete them too).
 * Other events are judged by {@link EventInsert} itself.
 */
final class StoredOrDeleted {
    /** Parameters 1 and 2 the keys: (key, null) for each stored, (key, deleter) for each tombstone. */
    private static final String LOOKUP = "SELECT " + name(EVENTS.EVENT_KEY) + ", NULL::BYTEA AS deleter "
            + "FROM " + name(EVENTS) + " WHERE " + name(EVENTS.EVENT_KEY) + " = ANY(?) "
            + "UNION ALL SELECT " + name(DELETED_EVENTS.EVENT_KEY, DELETED_EVENTS.PUBKEY) + " FROM "
            + name(DELETED_EVENTS) + " WHERE " + name(DELETED_EVENTS.EVENT_KEY) + " = ANY(?)";

    private StoredOrDeleted() {
    }

    /** Sets the outcome of each event (by index, keyed here by event key) found stored or kept out. */
    static void judge(Connection connection, List<Event> events, Map<UUID, Integer> byKey, SaveOutcome[] outcomes)
            throws SQLException {
        Array keys = EventKeys.array(connection, byKey.keySet());
        List<UUID> existing = new ArrayList<>();
        List<Map.Entry<UUID, byte[]>> deleters = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(LOOKUP)) {
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
            if (outcomes[i] == null && Deletions.mayDelete(Hex.encode(deleted.getValue()), event)) {
                outcomes[i] = SaveOutcome.rejected(event.id(), Deletions.DELETED);
            }
        }
    }
}
