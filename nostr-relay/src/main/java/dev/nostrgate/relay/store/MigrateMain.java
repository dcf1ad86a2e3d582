package dev.nostrgate.relay.store;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the schema of an external database and exits: what a Kubernetes Job runs once before the relays roll
 * out, so that several replicas starting together do not each run the migrations.
 *
 * <p>Reads the relay's own variables: {@code NOSTR_RELAY_DB_URL} (required: migrating an embedded database that
 * nobody else uses has no point), {@code NOSTR_RELAY_DB_USER} and {@code NOSTR_RELAY_DB_PASSWORD}. Exits 0 when
 * the schema is current, 1 when the database cannot be reached or migrated, 2 when the settings are wrong. In the
 * image: {@code java -cp @/app/jib-classpath-file dev.nostrgate.relay.store.MigrateMain}.
 */
public final class MigrateMain {
    private static final Logger log = LoggerFactory.getLogger(MigrateMain.class);

    static final String URL = "NOSTR_RELAY_DB_URL";
    static final String USER = "NOSTR_RELAY_DB_USER";
    static final String PASSWORD = "NOSTR_RELAY_DB_PASSWORD";

    /** Exit statuses. */
    static final int MIGRATED = 0;
    static final int DATABASE_FAILED = 1;
    static final int BAD_SETTINGS = 2;

    private MigrateMain() {
    }

    public static void main(String[] args) {
        int status = run(System.getenv());
        if (status != MIGRATED) {
            System.exit(status);
        }
    }

    /** Migrates the database the variables name; returns the exit status. */
    static int run(Map<String, String> env) {
        Optional<String> url = Optional.ofNullable(env.get(URL)).map(String::strip).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            log.error("{} is not set: give the JDBC URL of the database to migrate "
                    + "(for example jdbc:postgresql://cockroachdb-public:26257/nostr?sslmode=disable)", URL);
            return BAD_SETTINGS;
        }
        DatabaseConfig config;
        try {
            config = DatabaseConfig.DEFAULTS.withUrl(url.get(), env.getOrDefault(USER, DatabaseConfig.DEFAULTS.user()),
                    env.getOrDefault(PASSWORD, DatabaseConfig.DEFAULTS.password()));
        } catch (IllegalArgumentException e) {
            log.error("{}: {}", URL, e.getMessage());
            return BAD_SETTINGS;
        }
        try (Database database = Database.open(config, Duration.ofSeconds(30))) {
            log.info("schema of {} ({}) is current", database.location(), database.vendor());
            return MIGRATED;
        } catch (StoreUnavailableException e) {
            log.error("migration failed: {}", e.getMessage());
            return DATABASE_FAILED;
        }
    }
}
