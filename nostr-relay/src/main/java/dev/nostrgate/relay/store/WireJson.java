package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Keeps stored events' JSON in the bytes they were imported with, for import tools whose export must give back
 * the very lines they were given (strfry's export/import files; {@code nostr import --db}). The store writes
 * {@link Event#toJson()}, which has NIP-01's field order and escaping; an event signed elsewhere may have another
 * order, other escapes or spaces, and the same id and signature. The text replaces the stored one only if it reads
 * as the same event, so what is served still verifies.
 */
public final class WireJson {
    private static final String UPDATE = "UPDATE " + name(EVENTS) + " SET " + name(EVENTS.JSON) + " = ? WHERE "
            + name(EVENTS.EVENT_KEY) + " = ?";

    private WireJson() {
    }

    /**
     * Replaces the stored JSON of these events (already stored) with their given text; an event whose text is its
     * canonical JSON already is left alone.
     *
     * @return how many rows were changed
     * @throws IllegalArgumentException if a text is not the JSON of its event
     * @throws StoreUnavailableException if the database fails
     */
    public static int keep(DataSource writes, Map<Event, String> texts) {
        try (Connection connection = writes.getConnection();
             PreparedStatement update = connection.prepareStatement(UPDATE)) {
            int batched = 0;
            for (Map.Entry<Event, String> entry : texts.entrySet()) {
                Event event = entry.getKey();
                String text = entry.getValue();
                if (text.equals(event.toJson())) {
                    continue;
                }
                if (!sameEvent(event, text)) {
                    throw new IllegalArgumentException("the text given for " + event.id() + " is another event");
                }
                update.setString(1, text);
                update.setObject(2, EventKeys.of(event.id()));
                update.addBatch();
                batched++;
            }
            if (batched == 0) {
                return 0;
            }
            int changed = 0;
            for (int rows : update.executeBatch()) {
                changed += Math.max(rows, 0);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return changed;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot keep the imported JSON: " + e.getMessage(), e, false);
        }
    }

    private static boolean sameEvent(Event event, String text) {
        try {
            return EventJson.parse(text).equals(event);
        } catch (InvalidEventException e) {
            return false;
        }
    }
}
