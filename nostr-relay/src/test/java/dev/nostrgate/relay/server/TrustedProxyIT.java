package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.AddressRange;
import dev.nostrgate.relay.config.RelayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * relay.trustedProxies: behind a trusted proxy (here the test itself, on 127.0.0.1) the per-IP limit counts the
 * clients that X-Forwarded-For names, not the proxy.
 */
class TrustedProxyIT {
    private static TestRelay relay;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config
                .withLimits(config.limits().toBuilder().maxConnectionsPerIp(1).build())
                .withProxies(new RelayConfig.Proxies(List.of(AddressRange.parse("127.0.0.1")))));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static WebSocket open(String forwardedFor) throws Exception {
        return http.newWebSocketBuilder().header(ClientAddress.FORWARDED_FOR, forwardedFor)
                .buildAsync(URI.create("ws://127.0.0.1:" + relay.port() + "/"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String forwardedFor) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/"))
                .header(ClientAddress.FORWARDED_FOR, forwardedFor).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsEachForwardedClientOnItsOwn() throws Exception {
        WebSocket first = open("203.0.113.1");
        WebSocket second = open("203.0.113.2"); // same proxy, another client: admitted
        try {
            HttpResponse<String> again = get("198.51.100.50, 203.0.113.1"); // the rightmost untrusted is the client
            assertThat(again.statusCode()).isEqualTo(429);
            assertThat(again.body()).contains("too many connections from your address (at most 1)");
            assertThat(get("203.0.113.3").statusCode()).isNotEqualTo(429);
        } finally {
            first.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            second.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }
}
