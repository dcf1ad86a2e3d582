package dev.nostrgate.relay.store;

import java.time.Duration;
import java.util.Optional;

/**
 * How the store answers queries, and which relay it is.
 *
 * @param maxLimit the cap on any filter's {@code limit}, and the limit of a filter that has none
 * @param queryTimeout the time budget of one query; a query over it is cancelled by the database
 * @param publicUrl this relay's URL ({@code relay.publicUrl}): a NIP-62 request to vanish that names it is acted
 *     on; without one, only requests to {@code ALL_RELAYS} are (see {@link VanishRequests})
 */
public record StoreConfig(int maxLimit, Duration queryTimeout, Optional<String> publicUrl) {
    public static final StoreConfig DEFAULTS = new StoreConfig(500, Duration.ofSeconds(3));

    public StoreConfig {
        if (maxLimit < 1 || maxLimit > 100_000) {
            throw new IllegalArgumentException("store.maxLimit must be 1..100000, was " + maxLimit);
        }
        if (queryTimeout == null || queryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("store.queryTimeout must be at least 1 ms");
        }
        if (publicUrl == null) {
            throw new IllegalArgumentException("store.publicUrl must not be null (empty for none)");
        }
    }

    /** A store with no URL of its own: it acts only on requests to vanish from {@code ALL_RELAYS}. */
    public StoreConfig(int maxLimit, Duration queryTimeout) {
        this(maxLimit, queryTimeout, Optional.empty());
    }
}
