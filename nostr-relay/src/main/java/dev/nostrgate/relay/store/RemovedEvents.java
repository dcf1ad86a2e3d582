package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Events a batch took out of {@code events} (replaced or deleted): their tag rows go with them, and their keys are
 * kept for {@link RecentEvents}, which learns of them once the transaction commits.
 */
final class RemovedEvents {
    /** What a {@code DELETE ... RETURNING} of {@code events} returns first, for {@link #fromRow}. */
    static final String RETURNED = name(EVENTS.EVENT_KEY, EVENTS.CREATED_AT, EVENTS.JSON);

    private final Connection connection;
    private final List<UUID> keys = new ArrayList<>();

    RemovedEvents(Connection connection) {
        this.connection = connection;
    }

    /** These rows just left {@code events} on this connection: their tag rows leave too. */
    void left(List<TagRows.Removed> events) throws SQLException {
        TagRows.delete(connection, events);
        events.forEach(event -> keys.add(event.key()));
    }

    List<UUID> keys() {
        return keys;
    }

    /** A row of a {@code DELETE ... RETURNING} that starts with {@link #RETURNED}. */
    static TagRows.Removed fromRow(ResultSet row) throws SQLException {
        return new TagRows.Removed(row.getObject(1, UUID.class), row.getLong(2), row.getString(3));
    }
}
