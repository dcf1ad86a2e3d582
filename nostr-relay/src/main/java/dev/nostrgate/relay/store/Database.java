package dev.nostrgate.relay.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database connections of a relay: an external PostgreSQL / CockroachDB, or an embedded PostgreSQL in a
 * folder when no URL is configured. Opening runs the schema migrations (Flyway), so a store on it is ready.
 *
 * <p>Two pools: a small one for the writer and the sweeper, and one for queries whose connections carry the query
 * time budget as {@code statement_timeout}, so the database itself cancels a query that runs over it.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** CockroachDB's opt_split_scan_limit for query connections (see {@link #readSessionSql}). */
    private static final int SPLIT_SCAN_LIMIT = 2_048;

    /** Which server is on the other end: the schema differs slightly between them. */
    public enum Vendor { POSTGRESQL, COCKROACHDB }

    private final HikariDataSource writes;
    private final HikariDataSource reads;
    private final Optional<EmbeddedPostgres> embedded;
    private final Vendor vendor;
    private final String location;

    private Database(HikariDataSource writes, HikariDataSource reads, Optional<EmbeddedPostgres> embedded,
                     Vendor vendor, String location) {
        this.writes = writes;
        this.reads = reads;
        this.embedded = embedded;
        this.vendor = vendor;
        this.location = location;
    }

    /**
     * Connects (starting the embedded database if no URL is configured) and migrates the schema.
     *
     * @throws StoreUnavailableException if the database cannot be reached or migrated; the message says which
     *     URL was tried and what to check
     */
    public static Database open(DatabaseConfig config, Duration queryTimeout) {
        Optional<EmbeddedPostgres> embedded = Optional.empty();
        String url;
        String user;
        String password;
        String location;
        if (config.url().isPresent()) {
            url = config.url().get();
            user = config.user();
            password = config.password();
            location = url.replaceAll("password=[^&]*", "password=***");
        } else {
            EmbeddedPostgres started = startEmbedded(config);
            embedded = Optional.of(started);
            url = started.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
            location = config.dataDirectory().toAbsolutePath() + " (embedded PostgreSQL)";
        }
        HikariDataSource writes = null;
        HikariDataSource reads = null;
        try {
            writes = pool("store-writes", url, user, password, 4, null);
            Vendor vendor = vendorOf(writes);
            reads = pool("store-reads", url, user, password, config.readPoolSize(),
                    readSessionSql(vendor, queryTimeout));
            migrate(writes, vendor);
            return new Database(writes, reads, embedded, vendor, location);
        } catch (RuntimeException | SQLException e) {
            closeQuietly(reads);
            closeQuietly(writes);
            embedded.ifPresent(Database::closeQuietly);
            throw new StoreUnavailableException("cannot open the database at " + location + ": " + e.getMessage()
                    + " (check that the server is running and the URL, user and password are right)", e, false);
        }
    }

    /**
     * The session settings of a query connection: the time budget, and on CockroachDB what its optimizer needs to
     * read a hash-sharded index newest first ({@code ORDER BY created_at DESC, event_key LIMIT n}, alone or after
     * a kind or a tag) as one short ordered scan per shard, merged, instead of reading every matching row and
     * sorting (the rule is SplitLimitedScanIntoUnionScans, cockroachdb/cockroach#50134 and #76893):
     * <ul>
     *   <li>{@code plan_cache_mode = force_custom_plan}: plan each execution with its values. A generic plan
     *       (the {@code auto} default of newer versions may pick one) has a placeholder where the LIMIT is, and
     *       the scan can only be split under a constant limit.</li>
     *   <li>{@code opt_split_scan_limit}: how many limited scans a scan may be split into. One scan per shard
     *       bucket (16 by default) per value of an {@code = ANY(...)}, which FilterSql uses past
     *       {@value FilterSql#MAX_BRANCHES} values. {@value #SPLIT_SCAN_LIMIT} is the default the current session
     *       variable docs list; it is set here so that a lower role or cluster default cannot turn these queries
     *       into sorts without anyone noticing.</li>
     * </ul>
     * PostgreSQL gets the time budget only.
     */
    static String readSessionSql(Vendor vendor, Duration queryTimeout) {
        String budget = "SET statement_timeout = " + queryTimeout.toMillis();
        return switch (vendor) {
            case POSTGRESQL -> budget;
            case COCKROACHDB -> budget + "; SET plan_cache_mode = force_custom_plan; SET opt_split_scan_limit = "
                    + SPLIT_SCAN_LIMIT;
        };
    }

    private static EmbeddedPostgres startEmbedded(DatabaseConfig config) {
        try {
            Files.createDirectories(config.dataDirectory());
            log.info("starting embedded PostgreSQL in {}", config.dataDirectory().toAbsolutePath());
            return EmbeddedPostgres.builder()
                    .setDataDirectory(config.dataDirectory())
                    .setCleanDataDirectory(false)
                    .setPort(0)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // The library's defaults are for tests (fsync and synchronous_commit off): a relay answers
                    // OK only once an event is on disk, whichever database it runs on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot start the embedded PostgreSQL in "
                    + config.dataDirectory().toAbsolutePath() + ": " + e.getMessage()
                    + " (is the folder writable, or held by another running relay?)", e, false);
        }
    }

    private static HikariDataSource pool(String name, String url, String user, String password, int size,
                                         String initSql) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(Math.min(2, size));
        hikari.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        hikari.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
        if (initSql != null) {
            hikari.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(hikari);
    }

    private static Vendor vendorOf(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String version = connection.getMetaData().getDatabaseProductVersion();
            try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT version()")) {
                if (rows.next()) {
                    version = rows.getString(1);
                }
            }
            return version.contains("CockroachDB") ? Vendor.COCKROACHDB : Vendor.POSTGRESQL;
        }
    }

    private static void migrate(DataSource dataSource, Vendor vendor) {
        String vendorFolder = vendor == Vendor.COCKROACHDB ? "cockroachdb" : "postgresql";
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendorFolder)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("schema migrated from version {} to {} ({} migrations, {})",
                    versionOrNone(result.initialSchemaVersion), result.targetSchemaVersion, result.migrationsExecuted,
                    vendorFolder);
        } else {
            log.info("schema up to date at version {} ({})", versionOrNone(result.initialSchemaVersion), vendorFolder);
        }
    }

    private static String versionOrNone(String version) {
        return version == null ? "none" : version;
    }

    /** Connections for writes. */
    public DataSource writes() {
        return writes;
    }

    /**
     * A pool of its own on the same database, as the writes pool connects (embedded or not), for an owner whose
     * statements must not queue behind the store's writes. The caller closes it, before this database.
     */
    public HikariDataSource newPool(String name, int size) {
        return pool(name, writes.getJdbcUrl(), writes.getUsername(), writes.getPassword(), size, null);
    }

    /** Connections for queries, with the query time budget as statement timeout. */
    public DataSource reads() {
        return reads;
    }

    public Vendor vendor() {
        return vendor;
    }

    /** Where the data lives, for the ready line of a server's log (no password). */
    public String location() {
        return location;
    }

    @Override
    public void close() {
        closeQuietly(reads);
        closeQuietly(writes);
        embedded.ifPresent(Database::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            if (e instanceof IOException io) {
                log.warn("closing the database: {}", new UncheckedIOException(io).getMessage());
            } else {
                log.warn("closing the database: {}", e.toString());
            }
        }
    }
}
