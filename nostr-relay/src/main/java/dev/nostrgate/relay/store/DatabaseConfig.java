package dev.nostrgate.relay.store;

import java.nio.file.Path;
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
    public static final DatabaseConfig DEFAULTS =
            new DatabaseConfig(Optional.empty(), "postgres", "", Path.of("data"), 8);

    public DatabaseConfig {
        if (url == null || user == null || password == null || dataDirectory == null) {
            throw new IllegalArgumentException("database settings must not be null");
        }
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
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
}
