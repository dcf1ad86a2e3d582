package dev.nostrgate.gateway.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An upstream's NIP-11 document, read for one thing: which NIPs it says it supports. {@code GET} on the http(s) form
 * of its URL with {@code Accept: application/nostr+json}, with a short timeout: a relay that does not answer, or
 * answers something else, supports nothing as far as the connector is concerned.
 */
final class RelayInformation {
    /** Connect and answer together: the probe holds back the relay's catch-up, so it must not wait long. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /**
     * HTTP/1.1: the JDK's default first offers an h2c upgrade on plain http, which a WebSocket server can take for a
     * broken WebSocket handshake and leave unanswered until the timeout.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private RelayInformation() {
    }

    /**
     * The relay's {@code supported_nips}.
     *
     * @return completes with them, or exceptionally (with the reason) when there is no usable document
     */
    static CompletableFuture<Set<Integer>> supportedNips(URI relay) {
        HttpRequest request = HttpRequest.newBuilder(httpForm(relay)).timeout(TIMEOUT)
                .header("Accept", "application/nostr+json").GET().build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("NIP-11: HTTP " + response.statusCode());
            }
            return nips(response.body());
        });
    }

    static Set<Integer> nips(String document) {
        JsonNode supported;
        try {
            supported = JSON.readTree(document).path("supported_nips");
        } catch (Exception e) {
            throw new IllegalStateException("NIP-11: not JSON (" + e.getMessage() + ")");
        }
        Set<Integer> nips = new HashSet<>();
        supported.forEach(nip -> {
            if (nip.canConvertToInt()) {
                nips.add(nip.asInt());
            }
        });
        return nips;
    }

    /** ws://host/path to http://host/path, wss to https. */
    static URI httpForm(URI relay) {
        String scheme = "wss".equalsIgnoreCase(relay.getScheme()) ? "https" : "http";
        return URI.create(scheme + relay.toString().substring(relay.getScheme().length()));
    }
}
