package dev.nostrgate.relay.store;

import java.time.Duration;

/**
 * How the store answers queries.
 *
 * @param maxLimit the cap on any filter's {@code limit}, and the limit of a filter that has none
 * @param queryTimeout the time budget of one query; a query over it is cancelled by the database
 */
public record StoreConfig(int maxLimit, Duration queryTimeout) {
    public static final StoreConfig DEFAULTS = new StoreConfig(500, Duration.ofSeconds(3));

    public StoreConfig {
        if (maxLimit < 1 || maxLimit > 100_000) {
            throw new IllegalArgumentException("store.maxLimit must be 1..100000, was " + maxLimit);
        }
        if (queryTimeout == null || queryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("store.queryTimeout must be at least 1 ms");
        }
    }
}
