package dev.nostrgate.relay.store.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.relay.store.TestDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** The fault-injecting driver against the local PostgreSQL: what it injects, when, and what really happened. */
class FaultInjectingDriverTest {
    private String schema;

    @BeforeEach
    void createTable() {
        schema = "f_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        TestDatabase.execute("CREATE SCHEMA " + schema);
        TestDatabase.execute("CREATE TABLE " + schema + ".notes (id INT PRIMARY KEY)");
    }

    @AfterEach
    void dropTable() {
        TestDatabase.execute("DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void theSameSeedFailsTheSameOperationsOfAConnection() throws SQLException {
        List<String> first = outcomesOfQueries(settings(42, 0.2, 0.2), 200);
        List<String> again = outcomesOfQueries(settings(42, 0.2, 0.2), 200);
        List<String> otherSeed = outcomesOfQueries(settings(43, 0.2, 0.2), 200);

        assertThat(first).contains("ok", "40001", "40003");
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void eachNewConnectionOfANameDrawsItsOwnSequence() throws SQLException {
        FaultSettings settings = settings(42, 0.2, 0.2);
        InjectedFaults.named(settings.name()).arm();
        try (Connection first = connect(settings); Connection second = connect(settings)) {
            assertThat(outcomesOfQueries(second, 200)).isNotEqualTo(outcomesOfQueries(first, 200));
        }
        assertThat(InjectedFaults.named(settings.name()).connections()).isEqualTo(2);
    }

    @Test
    void anAmbiguousCommitBeforeTheOperationDidNotCommitAndOneAfterItDid() throws SQLException {
        FaultSettings settings = settings(7, 0, 1);
        try (Connection connection = connect(settings)) {
            connection.setAutoCommit(false);
            InjectedFaults.named(settings.name()).arm();

            insert(connection, 1);
            assertThatThrownBy(connection::commit).hasFieldOrPropertyWithValue("SQLState", "40003");
            connection.rollback();
            insert(connection, 2);
            assertThatThrownBy(connection::commit).hasFieldOrPropertyWithValue("SQLState", "40003");
            connection.rollback();
        }
        assertThat(storedIds()).containsExactly(2);
        assertThat(InjectedFaults.named(settings.name()).ambiguousBeforeOperation()).isEqualTo(1);
        assertThat(InjectedFaults.named(settings.name()).ambiguousAfterOperation()).isEqualTo(1);
    }

    @Test
    void anAutocommitStatementIsAmbiguousTheSameWay() throws SQLException {
        FaultSettings settings = settings(7, 0, 1);
        try (Connection connection = connect(settings)) {
            InjectedFaults.named(settings.name()).arm();

            assertThatThrownBy(() -> insert(connection, 1)).hasFieldOrPropertyWithValue("SQLState", "40003")
                    .hasMessageContaining("result is ambiguous");
            assertThatThrownBy(() -> insert(connection, 2)).hasFieldOrPropertyWithValue("SQLState", "40003");
        }
        assertThat(storedIds()).containsExactly(2);
    }

    @Test
    void aSerializationFailureAbortsTheTransactionOnTheServerAsCockroachDbDoes() throws SQLException {
        FaultSettings settings = settings(7, 1, 0);
        try (Connection connection = connect(settings)) {
            connection.setAutoCommit(false);
            insert(connection, 1);
            InjectedFaults.named(settings.name()).arm();

            assertThatThrownBy(() -> insert(connection, 2)).hasFieldOrPropertyWithValue("SQLState", "40001")
                    .hasMessageContaining("restart transaction");
            InjectedFaults.named(settings.name()).disarm();
            assertThatThrownBy(() -> insert(connection, 3)).hasFieldOrPropertyWithValue("SQLState", "25P02");
            connection.rollback();
        }
        assertThat(storedIds()).isEmpty();
        assertThat(InjectedFaults.named(settings.name()).serializationFailures()).isEqualTo(1);
    }

    @Test
    void unwrapsToAPgConnectionWhoseCopyWorksAndIsFaulted() throws Exception {
        FaultSettings clean = settings(7, 0, 0);
        try (Connection connection = connect(clean)) {
            InjectedFaults.named(clean.name()).arm();
            PGConnection postgres = connection.unwrap(PGConnection.class);

            assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
            assertThat(postgres.getBackendPID()).isPositive();
            assertThat(postgres.getCopyAPI().copyIn("COPY " + schema + ".notes FROM STDIN", new StringReader("1\n2\n")))
                    .isEqualTo(2);
        }
        FaultSettings failing = settings(7, 1, 0);
        try (Connection connection = connect(failing)) {
            InjectedFaults.named(failing.name()).arm();
            assertThatThrownBy(() -> connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + schema + ".notes FROM STDIN", new StringReader("3\n")))
                    .hasFieldOrPropertyWithValue("SQLState", "40001");
        }
        assertThat(storedIds()).containsExactly(1, 2);
    }

    @Test
    void fractionsOfZeroInjectNothing() throws SQLException {
        FaultSettings settings = settings(7, 0, 0);
        try (Connection connection = connect(settings)) {
            InjectedFaults.named(settings.name()).arm();
            for (int id = 0; id < 100; id++) {
                insert(connection, id);
            }
            connection.setAutoCommit(false);
            for (int id = 100; id < 200; id++) {
                insert(connection, id);
                connection.commit();
            }
        }
        assertThat(storedIds()).hasSize(200);
        assertThat(InjectedFaults.named(settings.name()).total()).isZero();
    }

    @Test
    void injectsNothingUntilArmedAndNeverIntoSetOrShow() throws SQLException {
        FaultSettings settings = settings(7, 1, 0);
        InjectedFaults faults = InjectedFaults.named(settings.name());
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            insert(connection, 1);
            faults.arm();

            statement.execute("SET statement_timeout = 5000");
            statement.executeQuery("SHOW statement_timeout").close();
            assertThat(faults.total()).isZero();
            assertThatThrownBy(() -> insert(connection, 2)).hasFieldOrPropertyWithValue("SQLState", "40001");
        }
        assertThat(storedIds()).containsExactly(1);
        assertThat(faults.serializationFailures()).isEqualTo(1);
    }

    @Test
    void theDriverHandsPgjdbcTheUrlWithoutItsFaultParameters() {
        FaultSettings settings = new FaultSettings("a-name", -3, 0.05, 0.01);
        String url = settings.url(TestDatabase.url("s1"));

        assertThat(url).startsWith("jdbc:faults:postgresql://127.0.0.1:5432/test?");
        assertThat(FaultSettings.of(url)).isEqualTo(settings);
        assertThat(FaultSettings.postgresqlUrl(url)).isEqualTo(TestDatabase.url("s1"));
        assertThatThrownBy(() -> FaultSettings.of(url + "&faults.serialisation=0.1"))
                .hasMessageContaining("faults.serialisation");
    }

    private FaultSettings settings(long seed, double serialization, double ambiguous) {
        return new FaultSettings("test-" + UUID.randomUUID(), seed, serialization, ambiguous);
    }

    private Connection connect(FaultSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.url(TestDatabase.url(schema)), TestDatabase.USER, "");
    }

    /** What each of {@code count} queries on a new connection of these settings got: "ok" or the SQLSTATE. */
    private List<String> outcomesOfQueries(FaultSettings settings, int count) throws SQLException {
        InjectedFaults.named(settings.name()).arm();
        try (Connection connection = connect(settings)) {
            return outcomesOfQueries(connection, count);
        }
    }

    private static List<String> outcomesOfQueries(Connection connection, int count) throws SQLException {
        List<String> outcomes = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < count; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                    outcomes.add(rows.next() ? "ok" : "no row");
                } catch (SQLException e) {
                    outcomes.add(e.getSQLState());
                }
            }
        }
        return outcomes;
    }

    private void insert(Connection connection, int id) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO " + schema + ".notes VALUES (" + id + ")");
        }
    }

    private List<Integer> storedIds() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(TestDatabase.url(schema), TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM notes ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }
}
