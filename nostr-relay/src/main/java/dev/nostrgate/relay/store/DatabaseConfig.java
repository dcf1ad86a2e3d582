package dev.nostrgate.relay.store;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where the events live.
 *
 * @param url a JDBC URL ({@code jdbc:postgresql://host:5432/db}, CockroachDB included); empty means an embedded
 *     PostgreSQL in {@code dataDirectory}
 * @param user database user (ignored for embedded)
 * @param password database password (ignored for embedded)
 * @param dataDirectory the embedded database's folder, kept between runs
 * @param readPoolSize connections for queries
 */
public record DatabaseConfig(Optional<String> url, String user, String password, Path dataDirectory,
                             int readPoolSize) {
    /**
     * Twice the cores: each query holds its connection for a round trip, so a few more than the cores keep them
     * busy, while more only make the queries (and the database's backends, when it runs on the same machine)
     * take turns. With 8 on 2 cores the query load's EOSE p99.9 was 85-120 ms; with 4, 20-46 ms.
     */
    public static final int DEFAULT_READ_POOL_SIZE = 2 * Math.max(1, Runtime.getRuntime().availableProcessors());
    public static final DatabaseConfig DEFAULTS =
            new DatabaseConfig(Optional.empty(), "postgres", "", Path.of("data"), DEFAULT_READ_POOL_SIZE);

    public DatabaseConfig {
        if (url == null || user == null || password == null || dataDirectory == null) {
            throw new IllegalArgumentException("database settings must not be null");
        }
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:") && !hasDriver(u)) {
                throw new IllegalArgumentException("database.url must be a jdbc:postgresql: URL (CockroachDB speaks "
                        + "the same protocol), was " + u);
            }
        });
        if (readPoolSize < 1 || readPoolSize > 200) {
            throw new IllegalArgumentException("database.readPoolSize must be 1..200, was " + readPoolSize);
        }
    }

    /** The same settings on an external database. */
    public DatabaseConfig withUrl(String jdbcUrl, String user, String password) {
        return new DatabaseConfig(Optional.of(jdbcUrl), user, password, dataDirectory, readPoolSize);
    }

    /**
     * True if a JDBC driver on the class path takes the URL: a wrapping driver in front of PostgreSQL's (statement
     * logging, or the tests' fault injection) is as good as PostgreSQL's own.
     */
    private static boolean hasDriver(String url) {
        try {
            DriverManager.getDriver(url);
            return true;
        } catch (SQLException none) {
            return false;
        }
    }
}
