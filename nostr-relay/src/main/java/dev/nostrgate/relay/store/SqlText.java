package dev.nostrgate.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A statement being written: SQL text with a {@code ?} for each bound value, and the values in order. Values are
 * always bound, never spliced into the text, so the text depends only on the filter's shape and the driver's
 * statement cache reuses the server-side plan across requests.
 */
final class SqlText {
    /** An array bound as one parameter, as {@code = ANY(?)} wants it; {@code type} is the SQL element type. */
    record SqlArray(String type, Object[] elements) {
    }

    private final StringBuilder sql = new StringBuilder(512);
    private final List<Object> values = new ArrayList<>();

    SqlText append(String text) {
        sql.append(text);
        return this;
    }

    /** Appends a {@code ?} bound to the value: a Long, Integer, String, UUID, byte[] or {@link SqlArray}. */
    SqlText bind(Object value) {
        sql.append('?');
        values.add(value);
        return this;
    }

    /** Appends the other statement's text and takes over its values (for unions and subqueries). */
    SqlText append(SqlText other) {
        sql.append(other.sql);
        values.addAll(other.values);
        return this;
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < values.size(); i++) {
                set(connection, statement, i + 1, values.get(i));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void set(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        switch (value) {
            case Long number -> statement.setLong(index, number);
            case Integer number -> statement.setInt(index, number);
            case String text -> statement.setString(index, text);
            case byte[] bytes -> statement.setBytes(index, bytes);
            case UUID uuid -> statement.setObject(index, uuid);
            case SqlArray array -> statement.setArray(index, connection.createArrayOf(array.type(), array.elements()));
            default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
        }
    }
}
