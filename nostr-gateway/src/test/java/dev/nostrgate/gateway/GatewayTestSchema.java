package dev.nostrgate.gateway;

import dev.nostrgate.relay.store.TestDatabase;
import java.util.UUID;

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

    public static void drop(String url) {
        TestDatabase.execute("DROP SCHEMA IF EXISTS " + TestDatabase.schemaOf(url) + " CASCADE");
    }
}
