package dev.nostrgate.gateway.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Records which relay carried which event ({@code gateway_event_sources}); the first sighting per relay wins. */
@Component
public class ProvenanceWriter {
    private final DataSource dataSource;

    public ProvenanceWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One statement for the whole batch; rows already there are kept as they are. */
    public void seen(UUID relayId, List<UUID> eventKeys, long firstSeen) throws SQLException {
        if (eventKeys.isEmpty()) {
            return;
        }
        UUID[] relays = new UUID[eventKeys.size()];
        Long[] times = new Long[eventKeys.size()];
        java.util.Arrays.fill(relays, relayId);
        java.util.Arrays.fill(times, firstSeen);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO gateway_event_sources (event_key, relay_id, first_seen) "
                             + "SELECT * FROM unnest(?::UUID[], ?::UUID[], ?::BIGINT[]) ON CONFLICT DO NOTHING")) {
            insert.setArray(1, connection.createArrayOf("uuid", eventKeys.toArray(UUID[]::new)));
            insert.setArray(2, connection.createArrayOf("uuid", relays));
            insert.setArray(3, connection.createArrayOf("int8", times));
            insert.executeUpdate();
        }
    }
}
