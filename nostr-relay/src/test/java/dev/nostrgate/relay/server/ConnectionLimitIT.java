package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** limits.maxConnectionsPerIp: the connection over the limit learns why (HTTP 429), and a slot frees on close. */
class ConnectionLimitIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withLimits(config.limits().toBuilder().maxConnectionsPerIp(3).build()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void refusesConnectionsOverThePerIpLimitWithTheReason() throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(relay.connect());
            }
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("too many connections from your address (at most 3)");

            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (TestClient again = relay.connect()) {
                    assertThat(again.req("in", Filter.builder().limit(0).build())).isEmpty();
                }
            });
            for (TestClient client : clients) {
                assertThat(client.req("still", Filter.builder().limit(0).build())).isEmpty();
            }
        } finally {
            clients.forEach(TestClient::close);
        }
    }
}
