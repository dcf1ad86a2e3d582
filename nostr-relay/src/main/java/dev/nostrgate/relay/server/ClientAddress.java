package dev.nostrgate.relay.server;

import dev.nostrgate.relay.config.RelayConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who the client is: the TCP peer, or, when the peer is a trusted proxy ({@code relay.trustedProxies}), the
 * rightmost address in {@code X-Forwarded-For} that is not a trusted proxy itself. Each proxy appends the address
 * it got the request from, so entries to the right of the first untrusted one were written by trusted proxies and
 * that one is the client; anything further left could have been written by the client.
 */
final class ClientAddress {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** The client's address, set on the channel once its first request was read. */
    static final AttributeKey<InetAddress> KEY = AttributeKey.valueOf("nostr.clientAddress");

    private ClientAddress() {
    }

    static InetAddress of(InetAddress peer, HttpHeaders headers, RelayConfig.Proxies proxies) {
        if (!proxies.trusts(peer)) {
            return peer;
        }
        List<String> headerValues = headers.getAll(FORWARDED_FOR);
        if (headerValues.isEmpty()) {
            return peer; // the proxy connected on its own behalf
        }
        String[] entries = String.join(",", headerValues).split(","); // several headers are one list, in order
        for (int i = entries.length - 1; i >= 0; i--) {
            String entry = entries[i].trim();
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(entry); // a literal only: never a lookup
            if (bytes == null) {
                return peer; // unreadable: nothing left of it can be trusted, and the proxy is who we know
            }
            InetAddress address;
            try {
                address = InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                return peer;
            }
            if (!proxies.trusts(address)) {
                return address;
            }
        }
        return peer;
    }
}
