package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Kinds;
import java.util.Optional;

/**
 * Which NIP-62 requests to vanish this relay acts on: those whose {@code relay} tags name {@code ALL_RELAYS} or
 * this relay's public URL (compared as {@link RelayUrl} says). Without a public URL only {@code ALL_RELAYS} names
 * it: the store cannot tell which host name a client used, and whether an author's events are deleted must not
 * depend on it. A request that names other relays only is stored like any event, and deletes nothing.
 */
final class VanishScope {
    static final String ALL_RELAYS = "ALL_RELAYS";

    private final Optional<String> publicUrl;

    VanishScope(Optional<String> publicUrl) {
        this.publicUrl = publicUrl.map(RelayUrl::normalize);
    }

    /** True if the event is a request to vanish from this relay. */
    boolean names(Event event) {
        if (event.kind() != Kinds.REQUEST_TO_VANISH) {
            return false;
        }
        for (String relay : event.tagValues("relay")) {
            if (relay.equals(ALL_RELAYS) || publicUrl.map(RelayUrl.normalize(relay)::equals).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}
