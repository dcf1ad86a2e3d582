package dev.nostrgate.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * A fresh schema on the local PostgreSQL server (127.0.0.1:5432, database {@code test}, trust auth) for one test
 * class, migrated by the real migrations and dropped on close.
 *
 * <p>Every test connection to that server is built here (the gateway's tests use it too) and runs SERIALIZABLE,
 * as CockroachDB always does: a transaction that would see an anomaly fails with SQLSTATE 40001 instead of
 * committing, so code that does not expect serialization failures fails here as it would in production.
 */
public final class TestDatabase implements AutoCloseable {
    /** The server, every transaction SERIALIZABLE ({@code options=-c default_transaction_isolation=serializable}). */
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test"
            + "?options=-c%20default_transaction_isolation%3Dserializable";
    public static final String USER = "postgres";
    private static final String SCHEMA_PARAMETER = "&currentSchema=";

    private final String schema;
    private final Database database;

    private TestDatabase(String schema, Database database) {
        this.schema = schema;
        this.database = database;
    }

    public static TestDatabase create() {
        return create(Duration.ofSeconds(3));
    }

    public static TestDatabase create(Duration queryTimeout) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        Database database = Database.open(DatabaseConfig.DEFAULTS.withUrl(url(schema), USER, ""), queryTimeout);
        return new TestDatabase(schema, database);
    }

    /** The server with {@code schema} as the current schema. */
    public static String url(String schema) {
        return SERVER + SCHEMA_PARAMETER + schema;
    }

    /** The schema of a URL made by {@link #url(String)}. */
    public static String schemaOf(String url) {
        int start = url.indexOf(SCHEMA_PARAMETER);
        if (start < 0) {
            throw new IllegalArgumentException("no currentSchema in " + url);
        }
        int end = url.indexOf('&', start + 1);
        return url.substring(start + SCHEMA_PARAMETER.length(), end < 0 ? url.length() : end);
    }

    public Database database() {
        return database;
    }

    public String schema() {
        return schema;
    }

    public String url() {
        return url(schema);
    }

    /** Empties every table (between cases of one class). */
    public void truncate() {
        execute("TRUNCATE " + schema + ".events, " + schema + ".event_tags, " + schema + ".replaceable_heads, "
                + schema + ".events_history, " + schema + ".deleted_events, " + schema + ".deleted_addresses, "
                + schema + ".vanished_pubkeys");
    }

    /** The rows in one table of this schema. */
    public int rowCount(String table) {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting " + table + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.close();
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    public static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("local PostgreSQL at " + SERVER + " (start it: pg_ctlcluster "
                    + "--skip-systemctl-redirect <version> main start): " + e.getMessage(), e);
        }
    }
}
