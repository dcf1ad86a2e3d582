package dev.nostrgate.relay.ingest;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.relay.store.RelayUrl;
import java.util.Optional;

/**
 * NIP-42: whether an {@code AUTH} event proves its author's key to this connection. The event must be kind 22242,
 * carry this connection's challenge, name this relay in its {@code relay} tag, be at most ten minutes from now,
 * and be authentic.
 *
 * <p>This relay's URL is the configured public URL or, without one, the {@code Host} the client connected to.
 * URLs are compared as {@link RelayUrl} says.
 */
final class AuthChecker {
    private static final long WINDOW_SECONDS = 600;

    private final Optional<String> publicUrl;
    private final EventVerifier verifier;

    AuthChecker(Optional<String> publicUrl, EventVerifier verifier) {
        this.publicUrl = publicUrl.map(RelayUrl::normalize);
        this.verifier = verifier;
    }

    /** Why the event does not authenticate (text after {@code invalid:}), or empty if it does. */
    Optional<String> problem(Event event, String challenge, String connectedHost, long nowSeconds) {
        if (event.kind() != Kinds.CLIENT_AUTH) {
            return Optional.of("AUTH takes an event of kind " + Kinds.CLIENT_AUTH + ", was kind " + event.kind());
        }
        if (!event.firstTagValue("challenge").map(challenge::equals).orElse(false)) {
            return Optional.of("the challenge tag does not match this connection's challenge");
        }
        Optional<String> relay = event.firstTagValue("relay");
        if (relay.isEmpty()) {
            return Optional.of("the event needs a relay tag naming this relay");
        }
        String expected = publicUrl.orElseGet(() -> RelayUrl.normalize("ws://" + connectedHost));
        if (!expected.equals(RelayUrl.normalize(relay.get()))) {
            return Optional.of("the relay tag names " + relay.get() + ", not this relay");
        }
        if (Math.abs(event.createdAt() - nowSeconds) > WINDOW_SECONDS) {
            return Optional.of("created_at must be within ten minutes of now");
        }
        return verifier.problem(event);
    }
}
