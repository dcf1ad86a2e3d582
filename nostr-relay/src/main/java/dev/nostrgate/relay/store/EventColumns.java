package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.SchemaNames.name;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/** The {@code events} rows of some events, column by column, to be bound as arrays (see {@link #UNNEST}). */
final class EventColumns {
    /** The columns of {@code events} these are, in {@link #bind}'s order. */
    static final String NAMES = name(EVENTS.EVENT_KEY, EVENTS.ID, EVENTS.PUBKEY, EVENTS.CREATED_AT,
            EVENTS.KIND, EVENTS.D_TAG, EVENTS.EXPIRES_AT, EVENTS.JSON);

    /** The rows as a table expression of {@link #bind}'s eight array parameters, named like the table. */
    static final String UNNEST = "unnest(?::UUID[], ?::BYTEA[], ?::BYTEA[], ?::BIGINT[], ?::INT[], ?::TEXT[], "
            + "?::BIGINT[], ?::TEXT[]) AS e(" + NAMES + ")";

    private final UUID[] keys;
    private final byte[][] ids;
    private final byte[][] pubkeys;
    private final Long[] createdAts;
    private final Integer[] kinds;
    private final String[] dTags;
    private final Long[] expirations;
    private final String[] json;

    EventColumns(List<Event> events) {
        int n = events.size();
        keys = new UUID[n];
        ids = new byte[n][];
        pubkeys = new byte[n][];
        createdAts = new Long[n];
        kinds = new Integer[n];
        dTags = new String[n];
        expirations = new Long[n];
        json = new String[n];
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            ids[i] = event.id().toBytes();
            keys[i] = EventKeys.of(ids[i]);
            pubkeys[i] = event.pubkey().toBytes();
            createdAts[i] = event.createdAt();
            kinds[i] = event.kind();
            dTags[i] = event.address().map(Address::identifier).orElse(null);
            OptionalLong expiration = event.expiration();
            expirations[i] = expiration.isPresent() ? expiration.getAsLong() : null;
            json[i] = event.toJson();
        }
    }

    /** Binds the eight columns to parameters {@code first} to {@code first + 7}. */
    void bind(PreparedStatement statement, int first) throws SQLException {
        Connection connection = statement.getConnection();
        statement.setArray(first, connection.createArrayOf("uuid", keys));
        statement.setArray(first + 1, connection.createArrayOf("bytea", ids));
        statement.setArray(first + 2, connection.createArrayOf("bytea", pubkeys));
        statement.setArray(first + 3, connection.createArrayOf("int8", createdAts));
        statement.setArray(first + 4, connection.createArrayOf("int4", kinds));
        statement.setArray(first + 5, connection.createArrayOf("text", dTags));
        statement.setArray(first + 6, connection.createArrayOf("int8", expirations));
        statement.setArray(first + 7, connection.createArrayOf("text", json));
    }
}
