package dev.nostrgate.gateway.registry;

import dev.nostrgate.core.filter.Filter;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A remote relay the operator registered: where it is, what to ask it for, and how far the gateway has read.
 *
 * @param cursor the newest {@code created_at} stored from this relay, if any
 */
public record RegisteredRelay(UUID id, URI url, String name, List<Filter> filters, boolean paused,
                              OptionalLong cursor, Instant createdAt) {
    public RegisteredRelay {
        if (id == null || url == null || name == null || filters == null || cursor == null || createdAt == null) {
            throw new IllegalArgumentException("a registered relay needs every field");
        }
        filters = List.copyOf(filters);
    }

    public RegisteredRelay withPaused(boolean value) {
        return new RegisteredRelay(id, url, name, filters, value, cursor, createdAt);
    }

    public RegisteredRelay withFilters(List<Filter> value) {
        return new RegisteredRelay(id, url, name, value, paused, cursor, createdAt);
    }

    public RegisteredRelay withName(String value) {
        return new RegisteredRelay(id, url, value, filters, paused, cursor, createdAt);
    }
}
