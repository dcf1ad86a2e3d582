package dev.nostrgate.core.client;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.key.SecKey;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@link RelayClient.Builder} collected, checked once: a settings value that exists is valid.
 *
 * @param reconnect empty when the client does not reconnect by itself
 * @param maxUndelivered messages received but not yet handed to the listeners beyond which the client stops
 *     reading from the socket
 * @param verifyEvents whether events from the relay are verified (id and signature) before delivery
 * @param pingInterval silence after which the client pings the relay (twice that: the connection is given up)
 * @param tls the TLS context for {@code wss://}; empty: the JVM's default
 * @param connectionListener hears the connection open and drop; empty: nobody listens
 */
record ClientSettings(URI url, Optional<SecKey> authKey, Duration connectTimeout, Duration requestTimeout,
        Optional<Backoff> reconnect, int maxQueuedRequests, Optional<Consumer<String>> noticeListener,
        int maxUndelivered, boolean verifyEvents, Duration pingInterval, Optional<SSLContext> tls,
        Optional<ConnectionListener> connectionListener) {

    ClientSettings {
        if (url == null) {
            throw new IllegalArgumentException("the relay URL is required: RelayClient.builder().url(\"wss://...\")");
        }
        checkUrl(url);
        if (authKey == null || reconnect == null || noticeListener == null || tls == null
                || connectionListener == null) {
            throw new IllegalArgumentException("settings must not be null (Optional.empty() when absent)");
        }
        checkPositive(connectTimeout, "connectTimeout");
        checkPositive(requestTimeout, "requestTimeout");
        checkPositive(pingInterval, "pingInterval");
        if (maxQueuedRequests < 1) {
            throw new IllegalArgumentException("maxQueuedRequests must be at least 1, was " + maxQueuedRequests);
        }
        if (maxUndelivered < 1) {
            throw new IllegalArgumentException("maxUndelivered must be at least 1, was " + maxUndelivered);
        }
    }

    /**
     * Returns the URL if it can name a relay: {@code ws://} or {@code wss://} with a host.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static URI checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("a relay URL starts with ws:// or wss://, was \"" + url + "\"");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("a relay URL needs a host, was \"" + url + "\"");
        }
        return url;
    }

    private static void checkPositive(Duration value, String name) {
        if (value == null || value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
        }
    }
}
