package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The migrations Job's program, against a fresh schema on the local PostgreSQL. */
class MigrateMainTest {
    private String schema;

    @BeforeEach
    void createSchema() {
        schema = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        TestDatabase.execute("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void dropSchema() {
        TestDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void migratesAnEmptySchemaAndExitsZero() throws SQLException {
        int status = MigrateMain.run(Map.of(MigrateMain.URL, TestDatabase.url(schema),
                MigrateMain.USER, TestDatabase.USER));

        assertThat(status).isEqualTo(MigrateMain.MIGRATED);
        assertThat(appliedMigrations()).isPositive();
        assertThat(tableExists("events")).isTrue();
    }

    @Test
    void runsAgainOnAMigratedSchemaWithoutChangingIt() throws SQLException {
        Map<String, String> env = Map.of(MigrateMain.URL, TestDatabase.url(schema), MigrateMain.USER,
                TestDatabase.USER);
        assertThat(MigrateMain.run(env)).isEqualTo(MigrateMain.MIGRATED);
        int applied = appliedMigrations();

        assertThat(MigrateMain.run(env)).isEqualTo(MigrateMain.MIGRATED);
        assertThat(appliedMigrations()).isEqualTo(applied);
    }

    @Test
    void refusesToRunWithoutADatabaseUrl() {
        assertThat(MigrateMain.run(Map.of())).isEqualTo(MigrateMain.BAD_SETTINGS);
        assertThat(MigrateMain.run(Map.of(MigrateMain.URL, "  "))).isEqualTo(MigrateMain.BAD_SETTINGS);
    }

    @Test
    void refusesAUrlThatIsNotPostgresql() {
        assertThat(MigrateMain.run(Map.of(MigrateMain.URL, "jdbc:mysql://127.0.0.1/test")))
                .isEqualTo(MigrateMain.BAD_SETTINGS);
    }

    // An unreachable database (exit 1) costs the pool's 10 s start timeout; EmbeddedDatabaseTest covers the message.

    private int appliedMigrations() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestDatabase.SERVER, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestDatabase.SERVER, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM information_schema.tables WHERE "
                     + "table_schema = '" + schema + "' AND table_name = '" + table + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }
}
