package dev.nostrgate.benchmarks.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The gateway's REST API as the benchmark uses it (nostr-gateway/README.md, "REST API"): register and remove relays,
 * read one or all of them. Read with Jackson's streaming parser: the benchmark needs two fields, not the views.
 */
public final class GatewayApi {
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public GatewayApi(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** True when the gateway answers HTTP: its liveness probe says UP. */
    public boolean live() {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/actuator/health/liveness")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Registers a relay (every event: no filters) and returns its id. */
    UUID register(URI url, String name) throws IOException {
        String body = "{\"url\":\"" + url + "\",\"name\":\"" + name + "\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/relays"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        expect(response, 201, "POST /api/relays " + url);
        try (JsonParser parser = JSON.createParser(response.body())) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("id")) {
                    return UUID.fromString(parser.getText());
                }
                parser.skipChildren();
            }
        }
        throw new IOException("POST /api/relays answered without an id: " + response.body());
    }

    /**
     * Waits until {@link #live()}; fails when {@code processAlive} says the gateway's process ended, or at the
     * deadline.
     */
    public void awaitLive(Duration timeout, BooleanSupplier processAlive) throws InterruptedException,
            TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!live()) {
            if (!processAlive.getAsBoolean()) {
                throw new IllegalStateException("the gateway stopped while starting: see its log");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the gateway did not answer HTTP within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Registers a relay (every event: no filters) and returns its id. */
    public UUID registerRelay(URI url, String name) throws IOException {
        return register(url, name);
    }

    /** PATCH {"paused": ...}: false starts the relay's connector from its cursor, true stops it. */
    public void paused(UUID id, boolean paused) throws IOException {
        expect(send(HttpRequest.newBuilder(base.resolve("/api/relays/" + id))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"paused\":" + paused + "}"))), 200,
                "PATCH /api/relays/" + id);
    }

    /** GET /api/relays/{id}, the JSON as it is. */
    public String relay(UUID id) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/relays/" + id)).GET());
        expect(response, 200, "GET /api/relays/" + id);
        return response.body();
    }

    public void remove(UUID id) throws IOException {
        expect(send(HttpRequest.newBuilder(base.resolve("/api/relays/" + id)).DELETE()), 204,
                "DELETE /api/relays/" + id);
    }

    /** GET {@code path}; the status it was answered with (the body is read and dropped). */
    int status(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET()).statusCode();
    }

    /**
     * How many relays are in each connector state ({@code live}, {@code backoff}, ...): the {@code relayStates} of
     * GET /api/instances, a summary the gateway keeps; from a gateway without it (before paging came), the states
     * of every relay of GET /api/relays.
     */
    Map<String, Integer> states() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/instances")).GET());
        expect(response, 200, "GET /api/instances");
        Optional<Map<String, Integer>> summary = relayStatesOf(response.body());
        if (summary.isPresent()) {
            return summary.get();
        }
        response = send(HttpRequest.newBuilder(base.resolve("/api/relays")).GET());
        expect(response, 200, "GET /api/relays");
        return statesOf(response.body());
    }

    /** The {@code relayStates} object of an instance list, if it has one. */
    static Optional<Map<String, Integer>> relayStatesOf(String instances) throws IOException {
        try (JsonParser parser = JSON.createParser(instances)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!field.equals("relayStates")) {
                    parser.skipChildren();
                    continue;
                }
                Map<String, Integer> states = new TreeMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String state = parser.currentName();
                    parser.nextToken();
                    states.put(state, parser.getIntValue());
                }
                return Optional.of(states);
            }
        }
        return Optional.empty();
    }

    /** Counts the values of every {@code state} field of the relay list (states of a relay view, not nested). */
    static Map<String, Integer> statesOf(String list) throws IOException {
        Map<String, Integer> states = new TreeMap<>();
        try (JsonParser parser = JSON.createParser(list)) {
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if (token == JsonToken.FIELD_NAME && depth == 3 && parser.currentName().equals("state")) {
                    // {"relays": [ {"state": ...} ]}: a relay's own fields are at depth 3
                    parser.nextToken();
                    states.merge(parser.getText(), 1, Integer::sum);
                }
            }
        }
        return states;
    }

    /** The gateway's Prometheus text: its own view of request latency among the rest. */
    String metrics() throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).GET());
        expect(response, 200, "GET /actuator/prometheus");
        return response.body();
    }

    /**
     * The requests of {@code method uri} the gateway counted at or under each bucket bound (seconds, ascending; the
     * last is +Inf), all statuses together, from {@code http_server_requests_seconds_bucket} lines.
     */
    static SortedMap<Double, Long> serverLatencyBuckets(String metrics, String method, String uri) {
        SortedMap<Double, Long> buckets = new TreeMap<>();
        String methodLabel = "method=\"" + method + "\"";
        String uriLabel = "uri=\"" + uri + "\"";
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("http_server_requests_seconds_bucket{") || !line.contains(methodLabel)
                    || !line.contains(uriLabel)) {
                continue;
            }
            int le = line.indexOf("le=\"") + 4;
            String bound = line.substring(le, line.indexOf('"', le));
            double seconds = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            long count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            buckets.merge(seconds, count, Long::sum);
        }
        return buckets;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
