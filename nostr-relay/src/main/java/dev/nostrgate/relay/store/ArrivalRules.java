package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.KindCategory;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The rules an event meets before the store is asked anything: once per batch, not ephemeral, and (NIP-40) not
 * expired on arrival. Expired events already stored are the {@link ExpirationSweeper}'s.
 */
final class ArrivalRules {
    private final long now;
    private final Set<EventId> seen = new HashSet<>();

    /** @param nowSeconds the time expiration is judged by */
    ArrivalRules(long nowSeconds) {
        this.now = nowSeconds;
    }

    /** The outcome of an event that needs no look at the store, or empty if the store must decide. */
    Optional<SaveOutcome> judge(Event event) {
        if (!seen.add(event.id())) {
            return Optional.of(SaveOutcome.duplicate(event.id()));
        } else if (event.category() == KindCategory.EPHEMERAL) {
            return Optional.of(SaveOutcome.rejected(event.id(), "invalid: ephemeral events are not stored"));
        } else if (hasExpired(event)) {
            return Optional.of(SaveOutcome.rejected(event.id(), "invalid: event has expired"));
        }
        return Optional.empty();
    }

    private boolean hasExpired(Event event) {
        OptionalLong expiration = event.expiration();
        return expiration.isPresent() && expiration.getAsLong() <= now;
    }
}
