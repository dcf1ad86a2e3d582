package dev.nostrgate.relay.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * How a relay URL in an event's {@code relay} tag is compared with this relay's (NIP-42 authentication, NIP-62
 * requests to vanish): by host, port and path, case-insensitively for the host, ignoring a trailing slash, the
 * default ports 80 and 443, and whether the scheme is {@code ws} or {@code wss} (TLS usually ends at a proxy in
 * front of the relay, which then sees {@code ws}).
 */
public final class RelayUrl {
    private RelayUrl() {
    }

    /** host[:port]/path, lowercase host, default ports and trailing slashes removed; the input if not a URL. */
    public static String normalize(String url) {
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
