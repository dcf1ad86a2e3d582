package dev.nostrgate.relay.ingest;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Kinds;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * NIP-42: whether an {@code AUTH} event proves its author's key to this connection. The event must be kind 22242,
 * carry this connection's challenge, name this relay in its {@code relay} tag, be at most ten minutes from now,
 * and be authentic.
 *
 * <p>This relay's URL is the configured public URL or, without one, the {@code Host} the client connected to.
 * URLs are compared by host, port and path, case-insensitively for the host, ignoring a trailing slash, the default
 * ports 80 and 443, and whether the scheme is {@code ws} or {@code wss} (TLS usually ends at a proxy in front of
 * the relay, which then sees {@code ws}).
 */
final class AuthChecker {
    private static final long WINDOW_SECONDS = 600;

    private final Optional<String> publicUrl;
    private final EventVerifier verifier;

    AuthChecker(Optional<String> publicUrl, EventVerifier verifier) {
        this.publicUrl = publicUrl.map(AuthChecker::normalize);
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
        String expected = publicUrl.orElseGet(() -> normalize("ws://" + connectedHost));
        if (!expected.equals(normalize(relay.get()))) {
            return Optional.of("the relay tag names " + relay.get() + ", not this relay");
        }
        if (Math.abs(event.createdAt() - nowSeconds) > WINDOW_SECONDS) {
            return Optional.of("created_at must be within ten minutes of now");
        }
        return verifier.problem(event);
    }

    /** host[:port]/path, lowercase host, default ports and trailing slashes removed; the input if not a URL. */
    static String normalize(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getHost() == null) {
                return url.trim();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || port == 80 || port == 443; // the scheme is not compared either
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return url.trim();
        }
    }
}
