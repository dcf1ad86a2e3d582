package dev.nostrgate.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** A fresh schema on the local PostgreSQL for one gateway test class, and its JDBC URL. */
public final class GatewayTestSchema {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";

    private GatewayTestSchema() {
    }

    /** Creates a new schema and returns its URL. */
    public static String create() {
        String schema = "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE SCHEMA " + schema);
        return SERVER + "?currentSchema=" + schema;
    }

    public static void drop(String url) {
        execute("DROP SCHEMA IF EXISTS " + url.substring(url.indexOf("currentSchema=") + 14) + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "")) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("local PostgreSQL at " + SERVER + ": " + e.getMessage(), e);
        }
    }
}
