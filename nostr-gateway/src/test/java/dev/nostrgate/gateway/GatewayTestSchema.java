package dev.nostrgate.gateway;

import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * A fresh schema on the local PostgreSQL for one gateway test class, and its JDBC URL. The URL comes from the
 * relay's {@link TestDatabase}, so gateway tests run SERIALIZABLE as well, as on CockroachDB.
 */
public final class GatewayTestSchema {

    private GatewayTestSchema() {
    }

    /** Creates a new schema and returns its URL. */
    public static String create() {
        String schema = "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        TestDatabase.execute("CREATE SCHEMA " + schema);
        return TestDatabase.url(schema);
    }

    /**
     * Drops the schema, and first the RabbitMQ queues and exchanges of the relays still registered in it: a relay
     * a test did not remove keeps its durable queue, as in production, and the shared broker would collect one per
     * such test and run.
     */
    public static void drop(String url) {
        List<UUID> relays = registeredRelays(TestDatabase.schemaOf(url));
        if (!relays.isEmpty()) {
            CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
            try {
                RabbitAdmin admin = new RabbitAdmin(broker);
                for (UUID relay : relays) {
                    admin.deleteQueue(RelayTopology.queue(relay));
                    admin.deleteExchange(RelayTopology.exchange(relay));
                }
            } catch (RuntimeException brokerDown) { // a clean-up: it must not hide what the test found
                System.err.println("could not delete the queues of " + relays.size() + " relays: " + brokerDown);
            } finally {
                broker.destroy();
            }
        }
        TestDatabase.execute("DROP SCHEMA IF EXISTS " + TestDatabase.schemaOf(url) + " CASCADE");
    }

    private static List<UUID> registeredRelays(String schema) {
        List<UUID> relays = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(TestDatabase.SERVER, TestDatabase.USER, "");
             Statement statement = connection.createStatement()) {
            // to_regclass: a test that failed before its gateway migrated the schema has no table
            try (ResultSet table = statement.executeQuery("SELECT to_regclass('" + schema + ".gateway_relays')")) {
                if (!table.next() || table.getString(1) == null) {
                    return relays;
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT id FROM " + schema + ".gateway_relays")) {
                while (rows.next()) {
                    relays.add(rows.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the relays of schema " + schema + ": " + e.getMessage(), e);
        }
        return relays;
    }
}
