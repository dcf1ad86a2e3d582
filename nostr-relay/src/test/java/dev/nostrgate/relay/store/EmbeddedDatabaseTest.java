package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no database URL the store runs on an embedded PostgreSQL whose folder survives a restart. */
class EmbeddedDatabaseTest {

    @Test
    void keepsEventsInItsFolderAcrossRestarts(@TempDir Path folder) {
        DatabaseConfig config = new DatabaseConfig(Optional.empty(), "ignored", "", folder.resolve("data"), 2);
        SecKey key = SecKey.generate();
        Event event = new UnsignedEvent(key.pubKey(), 1_700_000_000L, 1, List.of(), "kept").sign(key);

        try (Database database = Database.open(config, Duration.ofSeconds(5))) {
            assertThat(database.location()).contains(folder.toString()).contains("embedded");
            SqlEventStore store = new SqlEventStore(database, StoreConfig.DEFAULTS);
            assertThat(store.saveAll(List.of(event)).get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
            // OK true means on disk: not the embedded library's test defaults (fsync and synchronous_commit off)
            assertThat(setting(database, "fsync")).isEqualTo("on");
            assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(database, "full_page_writes")).isEqualTo("on");
        }
        try (Database reopened = Database.open(config, Duration.ofSeconds(5))) {
            SqlEventStore store = new SqlEventStore(reopened, StoreConfig.DEFAULTS);
            assertThat(store.query(List.of(Filter.ALL))).extracting(StoredEvent::idHex)
                    .containsExactly(event.id().hex());
        }
    }

    private static String setting(Database database, String name) {
        try (java.sql.Connection connection = database.writes().getConnection();
             java.sql.ResultSet rows = connection.createStatement().executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void saysWhichDatabaseItCouldNotOpenAndWhatToCheck() {
        DatabaseConfig config = DatabaseConfig.DEFAULTS.withUrl("jdbc:postgresql://127.0.0.1:1/none", "x", "y");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.open(config, Duration.ofSeconds(1)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageContaining("check that the server is running");
    }
}
