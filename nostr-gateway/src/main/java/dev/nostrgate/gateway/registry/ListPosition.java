package dev.nostrgate.gateway.registry;

import java.time.Instant;
import java.util.UUID;

/**
 * A relay's place in registration order, (created_at, id): where a page of {@link RelayRegistry#page} ended and the
 * next one starts.
 */
public record ListPosition(Instant createdAt, UUID id) {
    public ListPosition {
        if (createdAt == null || id == null) {
            throw new IllegalArgumentException("a list position needs created_at and id");
        }
    }

    /** The position of this relay: the next page starts after it. */
    public static ListPosition of(RegisteredRelay relay) {
        return new ListPosition(relay.createdAt(), relay.id());
    }
}
