package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain HTTP on the relay's port: NIP-11 with CORS, /metrics, /health/*, and 404 for the rest. */
class HttpRoutesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withLimits(config.limits().toBuilder().maxFilters(7)
                .maxSubscriptions(9).maxLimit(321).maxEventTags(99).maxContentLength(4_321).build())
                .withNegentropy(new RelayConfig.Negentropy(3, 12_345, 8_192, 5_000_000, 7_000_000,
                        System.getProperty("java.io.tmpdir"))));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheNip11DocumentWithCorsAndTheEnforcedLimits() throws Exception {
        HttpResponse<String> response = get("/", "text/html;q=0.9, application/nostr+json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/nostr+json");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-allow-headers")).isPresent();
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
                methods -> assertThat(methods).contains("GET"));

        JsonNode info = new ObjectMapper().readTree(response.body());
        RelayConfig.Limits limits = relay.relay().config().limits();
        assertThat(info.path("name").asText()).isEqualTo(relay.relay().config().info().name());
        List<Integer> nips = new ArrayList<>();
        info.path("supported_nips").forEach(nip -> nips.add(nip.asInt()));
        assertThat(nips).contains(1, 11, 42, 45, 62, 77).doesNotContain(50);
        JsonNode limitation = info.path("limitation");
        assertThat(limitation.path("max_message_length").asInt()).isEqualTo(limits.maxMessageBytes());
        assertThat(limitation.path("max_subscriptions").asInt()).isEqualTo(9);
        assertThat(limitation.path("max_filters").asInt()).isEqualTo(7);
        assertThat(limitation.path("max_limit").asInt()).isEqualTo(321);
        assertThat(limitation.path("default_limit").asInt()).isEqualTo(321);
        assertThat(limitation.path("max_subid_length").asInt()).isEqualTo(limits.maxSubidLength());
        assertThat(limitation.path("max_event_tags").asInt()).isEqualTo(99);
        assertThat(limitation.path("max_content_length").asInt()).isEqualTo(4_321);
        assertThat(limitation.path("created_at_lower_limit").asLong()).isEqualTo(limits.createdAtLowerLimit());
        assertThat(limitation.path("created_at_upper_limit").asLong()).isEqualTo(limits.createdAtUpperLimit());
        assertThat(limitation.path("auth_required").asBoolean()).isFalse();
        assertThat(limitation.path("restricted_writes").asBoolean()).isFalse();
        assertThat(limitation.path("max_connections_per_ip").asInt()).isEqualTo(limits.maxConnectionsPerIp());
        assertThat(limitation.path("events_per_second").asInt()).isEqualTo(limits.eventsPerSecond());
        assertThat(limitation.path("negentropy_max_sessions").asInt()).isEqualTo(3);
        assertThat(limitation.path("negentropy_max_items").asInt()).isEqualTo(12_345);
        assertThat(limitation.path("negentropy_frame_size_limit").asInt()).isEqualTo(8_192);
        assertThat(limitation.path("negentropy_memory_budget").asLong()).isEqualTo(5_000_000);
        assertThat(limitation.path("negentropy_disk_budget").asLong()).isEqualTo(7_000_000);
    }

    @Test
    void answersACorsPreflight() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + relay.port() + "/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://client.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "accept").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-allow-methods").orElse("")).contains("GET");
    }

    @Test
    void answersABrowserOnTheRootWithAShortText() throws Exception {
        HttpResponse<String> response = get("/", "text/html");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Nostr relay");
    }

    @Test
    void servesPrometheusMetrics() throws Exception {
        try (TestClient client = relay.connect()) {
            client.req("m", Filter.builder().kinds(1).limit(0).build());
            HttpResponse<String> response = get("/metrics", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
            assertThat(response.body()).contains("nostr_relay_connections ", "nostr_relay_reqs_total",
                    "nostr_relay_events_received_total", "nostr_relay_writer_queued",
                    "nostr_relay_query_latency_seconds");
        }
    }

    @Test
    void answersHealthProbes() throws Exception {
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }

    @Test
    void answersAnythingElseWith404() throws Exception {
        HttpResponse<String> response = get("/favicon.ico", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).startsWith("not found");
    }
}
