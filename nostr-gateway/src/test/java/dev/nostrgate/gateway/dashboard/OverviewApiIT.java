package dev.nostrgate.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.api.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /api/overview} and the dashboard's files on a whole gateway (real PostgreSQL, RabbitMQ and an upstream
 * relay over WebSocket), sampled every 200 ms.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OverviewApiIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final SecKey ALICE = SecKey.generate();
    private static final AtomicInteger NOTES = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.overview-interval", () -> "200ms");
        registry.add("gateway.stats-flush-interval", () -> "200ms");
        registry.add("gateway.sink-max-delay", () -> "10ms");
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @LocalServerPort
    int port;
    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private JsonNode overview() {
        ApiClient.Reply reply = api.get("/api/overview");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode row(JsonNode overview, String id) {
        for (JsonNode relay : overview.get("relays")) {
            if (relay.get("id").asText().equals(id)) {
                return relay;
            }
        }
        return null;
    }

    private static void publish(FakeRelay upstream) {
        upstream.store(new UnsignedEvent(ALICE.pubKey(), System.currentTimeMillis() / 1000, 1, List.of(),
                "note " + NOTES.incrementAndGet()).sign(ALICE));
    }

    @Test
    void showsARegisteredRelayWithItsStateRateStoredTotalAndTheGatewaysLag() throws Exception {
        try (FakeRelay upstream = FakeRelay.start()) {
            ApiClient.Reply created = api.post("/api/relays", ApiClient.json(java.util.Map.of("url",
                    upstream.url().toString(), "name", "upstream")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").asText();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode relay = row(overview(), id);
                return relay != null && relay.get("state").asText().equals("live");
            });
            // events keep coming while we look: the rate is measured between two samples
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                publish(upstream);
                JsonNode relay = row(overview(), id);
                return relay.get("eventsPerSecond").asDouble() > 0 && relay.get("stored").asLong() >= 3;
            });

            JsonNode overview = overview();
            JsonNode relay = row(overview, id);
            assertThat(relay.get("url").asText()).isEqualTo(upstream.url().toString());
            assertThat(relay.get("name").asText()).isEqualTo("upstream");
            assertThat(relay.get("paused").asBoolean()).isFalse();
            assertThat(relay.get("received").asLong()).isGreaterThanOrEqualTo(relay.get("stored").asLong());
            assertThat(relay.has("owner")).as("no owner where one instance runs every relay").isFalse();
            assertThat(overview.has("instances")).isFalse();
            assertThat(overview.get("phase").asText()).isIn("ready", "catching-up");
            assertThat(overview.get("totals").get("relays").asInt()).isEqualTo(1);
            assertThat(overview.get("totals").get("stored").asLong()).isEqualTo(relay.get("stored").asLong());
            assertThat(overview.get("totals").get("eventsPerSecond").asDouble()).isPositive();
            assertThat(overview.get("lag").get("count").asLong()).isPositive();
            assertThat(overview.get("lag").get("maxMs").asDouble())
                    .isGreaterThanOrEqualTo(overview.get("lag").get("p50Ms").asDouble());
            assertThat(overview.get("deadLetters").isIntegralNumber()).as(overview.toString()).isTrue();
            assertThat(java.time.Instant.parse(overview.get("asOf").asText())).isNotNull();

            assertThat(api.patch("/api/relays/" + id, "{\"paused\":true}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> row(overview(), id).get("state").asText()
                    .equals("paused"));
            assertThat(api.delete("/api/relays/" + id).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> row(overview(), id) == null);
        }
    }

    @Test
    void carriesTheGatewayStatusHeaderLikeTheRestOfTheApi() {
        ApiClient.Reply reply = api.get("/api/overview");
        assertThat(reply.header("X-Gateway-Status")).isIn("starting", "catching-up", "ready");
        assertThat(reply.contentType()).startsWith("application/json");
    }

    @Test
    void theRootLeadsToTheDashboardWhichLoadsOnlyItsOwnScriptsAndStyles() {
        ApiClient.Reply root = api.get("/");
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).endsWith("/dashboard/");

        ApiClient.Reply page = api.get("/dashboard/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; script-src 'self'; "
                + "style-src 'self'; img-src 'self' data:; connect-src 'self'");
        assertThat(page.text()).contains("<script type=\"module\" src=\"dashboard.js\"></script>")
                .doesNotContain("<style", " style=", "onclick");

        ApiClient.Reply chart = api.get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(chart.status()).as("uPlot from its WebJar, the version left out").isEqualTo(200);
        assertThat(chart.contentType()).contains("javascript");
        assertThat(api.get("/dashboard/dashboard.js").status()).isEqualTo(200);
    }
}
