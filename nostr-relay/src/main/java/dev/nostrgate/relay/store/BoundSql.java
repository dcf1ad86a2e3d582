package dev.nostrgate.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A statement ready to run: SQL text with a {@code ?} for each value, and the values in order. Values are always
 * bound, never spliced into the text, so the text depends only on the filter's shape and the driver's statement
 * cache reuses the server-side plan across requests.
 *
 * @param sql    the text
 * @param values a Long, Integer, String, UUID, byte[] or {@link SqlArray} for each {@code ?}
 */
record BoundSql(String sql, List<Object> values) {
    /** An array bound as one parameter, as {@code = ANY(?)} wants it; {@code type} is the SQL element type. */
    record SqlArray(String type, Object[] elements) {
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
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
