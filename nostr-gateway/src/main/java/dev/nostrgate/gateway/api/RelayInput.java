package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks and normalizes what an operator sends about a relay. Every refusal is an {@link InvalidRequestException}
 * naming the field and the fix.
 */
final class RelayInput {
    static final int MAX_URL_LENGTH = 2_000;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_FILTERS = 100;

    private RelayInput() {
    }

    /**
     * A relay URL, normalized the way nostr-tools' {@code normalizeURL} does (so that one relay is registered once
     * however it is spelled): scheme and host in lowercase, the default port (80 for ws, 443 for wss) dropped,
     * repeated slashes collapsed and a trailing slash removed. {@code wss://Relay.Example.com:443/} becomes
     * {@code wss://relay.example.com}.
     */
    static URI url(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("url", "url is required: the relay's WebSocket address, such as "
                    + "wss://relay.example.com");
        }
        if (text.length() > MAX_URL_LENGTH) {
            throw new InvalidRequestException("url", "url is " + text.length() + " characters long; at most "
                    + MAX_URL_LENGTH + " are accepted");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url", "url is not a valid URI (" + e.getMessage()
                    + "); use a WebSocket address such as wss://relay.example.com");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new InvalidRequestException("url", "url must use the ws or wss scheme, was "
                    + (scheme == null ? "no scheme" : "\"" + uri.getScheme() + "\"")
                    + ": such as wss://relay.example.com");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidRequestException("url", "url must name a host (ASCII or punycode), such as "
                    + "wss://relay.example.com; was \"" + text + "\"");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException("url", "url must not contain user information (user@ or "
                    + "user:password@): WebSocket URLs have none");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidRequestException("url", "url must not have a fragment (#...): WebSocket URLs have none");
        }
        int port = uri.getPort();
        if (("ws".equals(scheme) && port == 80) || ("wss".equals(scheme) && port == 443)) {
            port = -1;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+", "/");
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder normalized = new StringBuilder(scheme).append("://")
                .append(uri.getHost().toLowerCase(Locale.ROOT));
        if (port != -1) {
            normalized.append(':').append(port);
        }
        normalized.append(path);
        if (uri.getRawQuery() != null) {
            normalized.append('?').append(uri.getRawQuery());
        }
        return URI.create(normalized.toString());
    }

    /** The name given, or the host (and port) of the URL when none is given. */
    static String name(String name, URI url) {
        if (name == null) {
            return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
        }
        if (name.isBlank()) {
            throw new InvalidRequestException("name", "name must not be blank (omit it to use the relay's host "
                    + "name)");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "name is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are accepted");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("name", "name must not contain control characters (line breaks, "
                    + "tabs, ...)");
        }
        return name.strip();
    }

    /**
     * The NIP-01 filters to send upstream, read strictly with nostr-core's {@link FilterJson}: absent means
     * everything ({@code [{}]}).
     */
    static List<Filter> filters(List<JsonNode> filters, ObjectMapper json) {
        if (filters == null) {
            return List.of(Filter.ALL);
        }
        if (filters.isEmpty()) {
            throw new InvalidRequestException("filters", "filters must hold at least one NIP-01 filter (omit "
                    + "filters, or give [{}], to receive every event)");
        }
        if (filters.size() > MAX_FILTERS) {
            throw new InvalidRequestException("filters", "filters holds " + filters.size() + " filters; at most "
                    + MAX_FILTERS + " are accepted");
        }
        List<Filter> parsed = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            String field = "filters[" + i + "]";
            try {
                parsed.add(FilterJson.parse(json.writeValueAsString(filters.get(i))));
            } catch (InvalidFilterException e) {
                throw new InvalidRequestException(field, field + " is not a valid NIP-01 filter: " + e.getMessage());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("re-serializing a parsed JSON tree failed", e);
            }
        }
        return parsed;
    }
}
