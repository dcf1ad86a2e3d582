package dev.nostrgate.relay.store;

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

    /** A row of (event_key, created_at, json, ...) from a {@code DELETE ... RETURNING}. */
    static TagRows.Removed fromRow(ResultSet row) throws SQLException {
        return new TagRows.Removed(row.getObject(1, UUID.class), row.getLong(2), row.getString(3));
    }
}
