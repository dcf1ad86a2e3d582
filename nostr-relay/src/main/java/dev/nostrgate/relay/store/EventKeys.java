package dev.nostrgate.relay.store;

import dev.nostrgate.core.Hex;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/** The primary key of an event row: the first 16 bytes of its id, as a UUID (uniform, deterministic). */
public final class EventKeys {
    private EventKeys() {
    }

    /** The key of an event id. */
    public static UUID of(dev.nostrgate.core.event.EventId id) {
        return of(id.toBytes());
    }

    static UUID of(byte[] id) {
        ByteBuffer buffer = ByteBuffer.wrap(id, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    static UUID ofHex(String idHex) {
        return of(Hex.decode(idHex.substring(0, 32)));
    }

    /** Keys as a {@code UUID[]} parameter of a statement on this connection. */
    static Array array(Connection connection, Collection<UUID> keys) throws SQLException {
        return connection.createArrayOf("uuid", keys.toArray(UUID[]::new));
    }
}
