package dev.nostrgate.cli.transfer;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.StoreUnavailableException;
import java.time.Duration;

/**
 * A relay's database opened with the relay's own store classes, so that import applies the relay's write rules
 * (NIP-01 replaceable, NIP-09 deletions, NIP-40 expiration) and export reads what the relay serves. Opening
 * migrates the schema, as the relay does at start.
 */
final class DatabaseStore implements AutoCloseable {
    /** A page of an export: large, since there is no relay limit in the way, and each page is one query. */
    static final int PAGE = 10_000;
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

    final Database database;
    final SqlEventStore store;

    private DatabaseStore(Database database) {
        this.database = database;
        this.store = new SqlEventStore(database, new StoreConfig(PAGE, QUERY_TIMEOUT));
    }

    static DatabaseStore open(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new CliException("--db takes a jdbc:postgresql://host:port/db URL (CockroachDB too), was " + jdbcUrl);
        }
        try {
            return new DatabaseStore(Database.open(DatabaseConfig.DEFAULTS.withUrl(jdbcUrl, user, password),
                    QUERY_TIMEOUT));
        } catch (StoreUnavailableException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
