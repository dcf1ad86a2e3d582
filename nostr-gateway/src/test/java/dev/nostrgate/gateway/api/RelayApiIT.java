package dev.nostrgate.gateway.api;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAYS;
import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAY_STATS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.gateway.GatewayState;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.stats.RelayCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The relays API on a real database, with a recording lifecycle in place of the data path. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ApiTestConfiguration.class)
class RelayApiIT {
    private static final String DATABASE = GatewayTestSchema.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @LocalServerPort
    int port;
    @Autowired
    ApiTestConfiguration.RecordingLifecycle lifecycle;
    @Autowired
    ApiTestConfiguration.PinnedGatewayState state;
    @Autowired
    RelayCounters counters;
    @Autowired
    DSLContext dsl;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
        state.pin(GatewayState.Phase.READY);
    }

    @AfterEach
    void reset() {
        state.pin(null);
        lifecycle.failNext.set(null);
    }

    private static String host() {
        return "relay-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    }

    private JsonNode register(String body) {
        ApiClient.Reply reply = api.post("/api/relays", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void registersARelayWith201AndItsLocation() {
        String host = host();
        ApiClient.Reply reply = api.post("/api/relays", ApiClient.json(Map.of(
                "url", "wss://" + host.toUpperCase() + ":443//", "name", "Example", "filters",
                List.of(Map.of("kinds", List.of(1, 7)), Map.of("#t", List.of("nostr"))))));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode relay = reply.json();
        String id = relay.get("id").asText();
        assertThat(reply.header("Location")).isEqualTo("http://127.0.0.1:" + port + "/api/relays/" + id);
        assertThat(relay.get("url").asText()).isEqualTo("wss://" + host);
        assertThat(relay.get("name").asText()).isEqualTo("Example");
        assertThat(relay.get("filters").toString()).isEqualTo("[{\"kinds\":[1,7]},{\"#t\":[\"nostr\"]}]");
        assertThat(relay.get("paused").asBoolean()).isFalse();
        assertThat(relay.get("state").asText()).isEqualTo("live");
        assertThat(relay.get("cursor").isNull()).isTrue();
        assertThat(relay.get("lastError").isNull()).isTrue();
        assertThat(relay.get("queueDepth").asLong()).isZero();
        assertThat(relay.get("counters").toString())
                .isEqualTo("{\"received\":0,\"stored\":0,\"duplicates\":0,\"invalid\":0,\"bytes\":0}");
        assertThat(relay.get("createdAt").asText()).endsWith("Z");
        assertThat(lifecycle.calls).contains("start " + id);

        ApiClient.Reply fetched = api.get("/api/relays/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(relay);
    }

    @Test
    void defaultsToEveryEventAndTheHostAsName() {
        String host = host();
        JsonNode relay = register("{\"url\":\"ws://" + host + ":7777/\"}");
        assertThat(relay.get("url").asText()).isEqualTo("ws://" + host + ":7777");
        assertThat(relay.get("name").asText()).isEqualTo(host + ":7777");
        assertThat(relay.get("filters").toString()).isEqualTo("[{}]");
    }

    @Test
    void listsEveryRelayOnceInRegistrationOrderPageByPage() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(register("{\"url\":\"wss://" + host() + "\"}").get("id").asText());
        }

        List<String> listed = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            ApiClient.Reply page = api.get("/api/relays?limit=2" + (next == null ? "" : "&cursor=" + next));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("relays").size()).isBetween(1, 2);
            page.json().get("relays").forEach(relay -> listed.add(relay.get("id").asText()));
            next = page.json().get("next").isNull() ? null : page.json().get("next").asText();
            if (pages++ == 0) {
                // registered while the listing pages: comes on the last page, as the newest
                mine.add(register("{\"url\":\"wss://" + host() + "\"}").get("id").asText());
            }
        } while (next != null);

        assertThat(listed).doesNotHaveDuplicates();
        assertThat(listed.stream().filter(mine::contains).toList()).isEqualTo(mine);
        assertThat(listed.get(listed.size() - 1)).isEqualTo(mine.get(mine.size() - 1));
        JsonNode whole = api.get("/api/relays?limit=1000").json();
        assertThat(whole.get("next").isNull()).isTrue();
        List<String> atOnce = new ArrayList<>();
        whole.get("relays").forEach(relay -> atOnce.add(relay.get("id").asText()));
        assertThat(listed).isEqualTo(atOnce);
        assertThat(api.get("/api/relays").json().get("relays").size()).isEqualTo(Math.min(100, atOnce.size()));
    }

    @Test
    void listsRelaysWithTheirStateErrorCursorAndCounters() {
        JsonNode relay = register("{\"url\":\"wss://" + host() + "\"}");
        UUID id = UUID.fromString(relay.get("id").asText());
        lifecycle.statuses.put(id, new RelayStatus(ConnectorState.BACKOFF, Optional.of("connection refused"), 12));
        dsl.update(GATEWAY_RELAYS).set(GATEWAY_RELAYS.CURSOR, 1_700_000_000L).where(GATEWAY_RELAYS.ID.eq(id)).execute();
        counters.received(id, 300);
        counters.received(id, 500);
        counters.stored(id, 20);
        counters.duplicate(id);

        ApiClient.Reply reply = api.get("/api/relays");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode item : reply.json().get("relays")) {
            if (item.get("id").asText().equals(id.toString())) {
                listed = item;
            }
        }
        assertThat(listed).as(reply.toString()).isNotNull();
        assertThat(listed.get("state").asText()).isEqualTo("backoff");
        assertThat(listed.get("lastError").asText()).isEqualTo("connection refused");
        assertThat(listed.get("queueDepth").asLong()).isEqualTo(12);
        assertThat(listed.get("cursor").asLong()).isEqualTo(1_700_000_000L);
        assertThat(listed.get("counters").toString())
                .isEqualTo("{\"received\":2,\"stored\":1,\"duplicates\":1,\"invalid\":0,\"bytes\":800}");
    }

    @Test
    void pausesResumesRefiltersAndRenames() {
        String id = register("{\"url\":\"wss://" + host() + "\"}").get("id").asText();

        ApiClient.Reply paused = api.patch("/api/relays/" + id, "{\"paused\":true}");
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        assertThat(paused.json().get("state").asText()).isEqualTo("paused");
        assertThat(lifecycle.calls).contains("change " + id + " paused=true");

        ApiClient.Reply changed = api.send("PATCH", "/api/relays/" + id,
                "{\"paused\":false,\"filters\":[{\"kinds\":[0]}],\"name\":\"renamed\"}",
                "application/merge-patch+json");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("paused").asBoolean()).isFalse();
        assertThat(changed.json().get("state").asText()).isEqualTo("live");
        assertThat(changed.json().get("filters").toString()).isEqualTo("[{\"kinds\":[0]}]");
        assertThat(changed.json().get("name").asText()).isEqualTo("renamed");
        assertThat(lifecycle.calls).contains("change " + id + " paused=false");
        assertThat(api.get("/api/relays/" + id).json()).isEqualTo(changed.json());
    }

    @Test
    void removesARelayItsRuntimeAndItsStatistics() {
        String id = register("{\"url\":\"wss://" + host() + "\"}").get("id").asText();
        dsl.insertInto(GATEWAY_RELAY_STATS).values(UUID.fromString(id), 60, 0L, 1L, 1L, 0L, 0L, 100L, 0L, 1L,
                new Long[] {1L}).execute();

        ApiClient.Reply deleted = api.delete("/api/relays/" + id);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(lifecycle.calls).contains("remove " + id);
        assertThat(api.get("/api/relays/" + id).status()).isEqualTo(404);
        assertThat(dsl.fetchCount(GATEWAY_RELAY_STATS, GATEWAY_RELAY_STATS.RELAY_ID.eq(UUID.fromString(id)))).isZero();
        assertThat(api.delete("/api/relays/" + id).status()).isEqualTo(404);
    }

    @Test
    void refusesAUrlRegisteredAlreadyWithTheExistingId() {
        String host = host();
        String id = register("{\"url\":\"wss://" + host + "\"}").get("id").asText();

        ApiClient.Reply again = api.post("/api/relays", "{\"url\":\"wss://" + host.toUpperCase() + "/\"}");
        ProblemAssert.problem(again, 409, "is registered already");
        assertThat(again.json().get("existingId").asText()).isEqualTo(id);
    }

    @Test
    void registersNothingWhenTheRuntimeCannotStart() {
        String host = host();
        lifecycle.failNext.set(new AmqpConnectException(new java.net.ConnectException("Connection refused")));

        ApiClient.Reply reply = api.post("/api/relays", "{\"url\":\"wss://" + host + "\"}");
        ProblemAssert.problem(reply, 503, "check RabbitMQ");
        assertThat(dsl.fetchCount(GATEWAY_RELAYS, GATEWAY_RELAYS.URL.eq("wss://" + host))).isZero();
        register("{\"url\":\"wss://" + host + "\"}"); // and the URL is free for a retry
    }

    @Test
    void undoesAChangeTheRuntimeCannotApply() {
        String id = register("{\"url\":\"wss://" + host() + "\"}").get("id").asText();
        lifecycle.failNext.set(new AmqpConnectException(new java.net.ConnectException("Connection refused")));

        ProblemAssert.problem(api.patch("/api/relays/" + id, "{\"paused\":true}"), 503, "undone");
        assertThat(api.get("/api/relays/" + id).json().get("paused").asBoolean()).isFalse();
    }

    @Test
    void refusesABodyOverOneMebibyteAlsoWhenChunked() {
        String huge = "{\"url\":\"wss://" + host() + "\",\"name\":\"" + "n".repeat(1 << 20) + "\"}";
        ProblemAssert.problem(api.postChunked("/api/relays", huge), 413, "the body is larger than 1048576 bytes");
        String small = "{\"url\":\"wss://" + host() + "\"}";
        assertThat(api.postChunked("/api/relays", small).status()).isEqualTo(201);
    }

    @Test
    void everyApiResponseSaysWhereTheGatewayIs() {
        for (GatewayState.Phase phase : GatewayState.Phase.values()) {
            state.pin(phase);
            assertThat(api.get("/api/relays").header("X-Gateway-Status")).isEqualTo(phase.headerValue());
            assertThat(api.get("/api/relays/" + UUID.randomUUID()).header("X-Gateway-Status"))
                    .isEqualTo(phase.headerValue());
            assertThat(api.post("/api/relays", "{").header("X-Gateway-Status")).isEqualTo(phase.headerValue());
            assertThat(api.get("/api/no-such-thing").header("X-Gateway-Status")).isEqualTo(phase.headerValue());
        }
        assertThat(List.of("starting", "catching-up", "ready")).containsExactly(
                GatewayState.Phase.STARTING.headerValue(), GatewayState.Phase.CATCHING_UP.headerValue(),
                GatewayState.Phase.READY.headerValue());
    }

    @Test
    void readinessIsOutOfServiceOnlyWhileStarting() {
        state.pin(GatewayState.Phase.STARTING);
        ApiClient.Reply starting = api.get("/actuator/health/readiness");
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.json().get("status").asText()).isEqualTo("OUT_OF_SERVICE");

        state.pin(GatewayState.Phase.CATCHING_UP);
        ApiClient.Reply catchingUp = api.get("/actuator/health/readiness");
        assertThat(catchingUp.status()).isEqualTo(200);
        assertThat(catchingUp.json().get("status").asText()).isEqualTo("UP");

        state.pin(GatewayState.Phase.READY);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void servesAnOpenApiDocumentDescribingTheEndpoints() {
        ApiClient.Reply reply = api.get("/api/openapi");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode paths = reply.json().get("paths");
        assertThat(paths.has("/api/relays")).isTrue();
        assertThat(paths.get("/api/relays").has("post")).isTrue();
        assertThat(paths.get("/api/relays/{id}").has("patch")).isTrue();
        assertThat(paths.get("/api/relays/{id}").has("delete")).isTrue();
        assertThat(paths.has("/api/relays/{id}/stats")).isTrue();
        assertThat(paths.has("/api/events")).isTrue();
        assertThat(reply.json().at("/info/title").asText()).contains("nostr-gateway");
    }

    /** A bad request: what is sent, the status expected, and words the detail must contain. */
    record Bad(String method, String path, String contentType, String body, int status, String detail) {
        @Override
        public String toString() {
            return method + " " + path + " " + (body == null ? "" : body.length() > 60 ? body.substring(0, 60) : body);
        }
    }

    private static final String JSON = "application/json";
    private static final String URL = "{\"url\":\"wss://bad-input.example.com\"";

    static List<Bad> badRequests() {
        return List.of(
                // the body
                new Bad("POST", "/api/relays", JSON, "{\"url\":", 400, "ends before its JSON is complete"),
                new Bad("POST", "/api/relays", JSON, "{\"url\" \"wss://a.example\"}", 400, "not valid JSON"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss://a.example\",\"url\":\"wss://b.example\"}",
                        400, "Duplicate field 'url'"),
                new Bad("POST", "/api/relays", JSON, "", 400, "a JSON body is required"),
                new Bad("POST", "/api/relays", JSON, "[]", 400, "the body must be an object"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"pause\":true}", 400,
                        "unknown field \"pause\"; the fields are filters, name, url"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":5}", 400, "url must be a string"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"name\":[\"x\"]}", 400, "name must be a string"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":{}}", 400, "filters must be an array"),
                // the URL
                new Bad("POST", "/api/relays", JSON, "{}", 400, "url is required"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"https://relay.example.com\"}", 400,
                        "url must use the ws or wss scheme, was \"https\""),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"relay.example.com\"}", 400,
                        "url must use the ws or wss scheme, was no scheme"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss:///nostr\"}", 400, "url must name a host"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss://relay example.com\"}", 400,
                        "url is not a valid URI"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss://u:p@relay.example.com\"}", 400,
                        "must not contain user information"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss://relay.example.com/#x\"}", 400,
                        "must not have a fragment"),
                new Bad("POST", "/api/relays", JSON, "{\"url\":\"wss://relay.example.com/" + "a".repeat(2_000)
                        + "\"}", 400, "url is 2024 characters long; at most 2000"),
                // the filters
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[{\"kinds\":[1]},{\"kinds\":[70000]}]}",
                        400, "filters[1] is not a valid NIP-01 filter: kinds[0] is out of range (0 to 65535)"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[{\"authors\":[\"abc\"]}]}", 400,
                        "filters[0] is not a valid NIP-01 filter: authors[0] must be 64 lowercase hex"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[{\"since\":\"yesterday\"}]}", 400,
                        "since must be a non-negative integer"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[{\"#ab\":[\"x\"]}]}", 400,
                        "must be # followed by one ASCII letter"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[{\"kinds\":[1],\"kinds\":[2]}]}", 400,
                        "Duplicate field 'kinds'"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[7]}", 400,
                        "filters[0] is not a valid NIP-01 filter: a filter must be a JSON object"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[]}", 400, "at least one NIP-01 filter"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"filters\":[" + "{},".repeat(100) + "{}]}", 400,
                        "filters holds 101 filters; at most 100"),
                // the name
                new Bad("POST", "/api/relays", JSON, URL + ",\"name\":\"  \"}", 400, "name must not be blank"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"name\":\"" + "n".repeat(201) + "\"}", 400,
                        "name is 201 characters long; at most 200"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"name\":\"a\\nb\"}", 400,
                        "must not contain control characters"),
                new Bad("POST", "/api/relays", JSON, URL + ",\"name\":\"" + "n".repeat(1 << 20) + "\"}", 413,
                        "the body is larger than 1048576 bytes"),
                // media types and methods
                new Bad("POST", "/api/relays", "text/plain", URL + "}", 415,
                        "Content-Type text/plain is not accepted here: send application/json"),
                new Bad("POST", "/api/relays", null, URL + "}", 415, "is not accepted here: send application/json"),
                new Bad("PUT", "/api/relays", JSON, URL + "}", 405, "PUT is not allowed here; allowed: GET, POST"),
                new Bad("DELETE", "/api/relays", null, null, 405, "DELETE is not allowed here"),
                new Bad("POST", "/api/relays/{id}", JSON, "{}", 405, "POST is not allowed here"),
                new Bad("PATCH", "/api/relays/{id}", "text/plain", "{}", 415,
                        "send application/json or application/merge-patch+json"),
                // the list's paging
                new Bad("GET", "/api/relays?limit=0", null, null, 400,
                        "limit must be an integer from 1 to 1000, was \"0\""),
                new Bad("GET", "/api/relays?limit=1001", null, null, 400, "limit must be an integer from 1 to 1000"),
                new Bad("GET", "/api/relays?limit=ten", null, null, 400, "limit must be an integer from 1 to 1000"),
                new Bad("GET", "/api/relays?cursor=bm90LWEtY3Vyc29y", null, null, 400,
                        "cursor is not one this API issued"),
                new Bad("GET", "/api/relays?cursor=%25%25", null, null, 400, "cursor is not one this API issued"),
                // ids
                new Bad("GET", "/api/relays/not-a-uuid", null, null, 400, "id must be a UUID"),
                new Bad("PATCH", "/api/relays/123", JSON, "{\"paused\":true}", 400, "id must be a UUID"),
                new Bad("GET", "/api/relays/" + UNKNOWN, null, null, 404, "no relay with id " + UNKNOWN),
                new Bad("PATCH", "/api/relays/" + UNKNOWN, JSON, "{\"paused\":true}", 404, "no relay with id"),
                new Bad("DELETE", "/api/relays/" + UNKNOWN, null, null, 404, "no relay with id"),
                new Bad("GET", "/api/relays/" + UNKNOWN + "/stats", null, null, 404, "no relay with id"),
                new Bad("GET", "/api/nothing-here", null, null, 404, "there is nothing at /api/nothing-here"),
                // PATCH bodies
                new Bad("PATCH", "/api/relays/{id}", JSON, "{}", 400, "nothing to change"),
                new Bad("PATCH", "/api/relays/{id}", JSON, "{\"paused\":\"yes\"}", 400,
                        "paused must be true or false"),
                new Bad("PATCH", "/api/relays/{id}", JSON, "{\"paused\":1}", 400, "paused must be true or false"),
                new Bad("PATCH", "/api/relays/{id}", JSON, "{\"url\":\"wss://other.example\"}", 400,
                        "unknown field \"url\"; the fields are filters, name, paused"),
                new Bad("PATCH", "/api/relays/{id}", JSON, "{\"filters\":[{\"ids\":[1]}]}", 400,
                        "filters[0] is not a valid NIP-01 filter: ids[0] must be a string"),
                new Bad("PATCH", "/api/relays/{id}", JSON, "{\"name\":\"\"}", 400, "name must not be blank"),
                // stats parameters
                new Bad("GET", "/api/relays/{id}/stats?bucket=day", null, null, 400,
                        "bucket must be minute or hour, was \"day\""),
                new Bad("GET", "/api/relays/{id}/stats?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", null,
                        null, 400, "is after to"),
                new Bad("GET", "/api/relays/{id}/stats?from=yesterday", null, null, 400,
                        "from must be an ISO-8601 instant (such as 2025-06-01T12:00:00Z) or unix seconds"),
                new Bad("GET", "/api/relays/{id}/stats?from=0&to=1000000&bucket=minute", null, null, 400,
                        "spans 16667 minute buckets; at most 10000 are returned at once: narrow the range or use "
                                + "bucket=hour"),
                new Bad("GET", "/api/relays/{id}/stats?from=0&to=1700000000&bucket=hour", null, null, 400,
                        "hour buckets; at most 10000"));
    }

    private static final UUID UNKNOWN = UUID.fromString("00000000-0000-4000-8000-000000000001");

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("badRequests")
    void refusesBadInputWithAProblemThatSaysWhatToFix(Bad bad) {
        String id = existing();
        ApiClient.Reply reply = api.send(bad.method(), bad.path().replace("{id}", id), bad.body(),
                bad.contentType());
        JsonNode problem = ProblemAssert.problem(reply, bad.status(), bad.detail());
        assertThat(reply.header("X-Gateway-Status")).isEqualTo("ready");
        assertThat(problem.get("instance").asText()).startsWith("/api/");
    }

    private String existingId;

    private String existing() {
        if (existingId == null) {
            existingId = register("{\"url\":\"wss://" + host() + "\"}").get("id").asText();
        }
        return existingId;
    }
}
