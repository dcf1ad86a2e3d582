package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gateway relays|add|remove|stats against an HTTP server that answers as the gateway's REST API does
 * (nostr-gateway's RelayController and RelayStatsController: paths, bodies, status codes, problem details).
 */
class GatewayCommandTest {
    private static final String ID = "0b9a3f5e-8c1d-4f6a-9e2b-7d4c1a2b3c4d";
    private static final String RELAY = "{\"id\":\"" + ID + "\",\"url\":\"wss://relay.example.com\",\"name\":"
            + "\"example\",\"state\":\"CONNECTED\",\"counters\":{\"received\":12,\"stored\":10,\"duplicates\":2,"
            + "\"invalid\":0,\"bytes\":3400}}";
    private static final String ID2 = "5c2d7e1f-3a4b-4c5d-8e6f-9a0b1c2d3e4f";
    private static final String RELAY2 = "{\"id\":\"" + ID2 + "\",\"url\":\"wss://two.example.com\",\"name\":"
            + "\"two\",\"state\":\"live\",\"counters\":{\"received\":0,\"stored\":0,\"duplicates\":0,"
            + "\"invalid\":0,\"bytes\":0}}";
    /** The list answers in two pages, the first pointing at the second, as RelayController pages. */
    private static final String NEXT = "c2Vjb25k";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer gateway;
    private String url;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/api/relays", this::answer);
        gateway.start();
        url = "http://127.0.0.1:" + gateway.getAddress().getPort();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI() + (body.isEmpty() ? "" : " "
                + body);
        requests.add(request);
        String path = exchange.getRequestURI().getPath();
        switch (exchange.getRequestMethod() + " " + path) {
            case "GET /api/relays" -> respond(exchange, 200, exchange.getRequestURI().getQuery().contains("cursor="
                    + NEXT) ? "{\"relays\":[" + RELAY2 + "],\"next\":null}"
                    : "{\"relays\":[" + RELAY + "],\"next\":\"" + NEXT + "\"}");
            case "POST /api/relays" -> respond(exchange, 201, RELAY);
            case "DELETE /api/relays/" + ID -> respond(exchange, 204, "");
            case "GET /api/relays/" + ID + "/stats" -> respond(exchange, 200, "{\"bucket\":\"hour\",\"buckets\":[],"
                    + "\"total\":{\"received\":12}}");
            default -> respond(exchange, 404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                    + "\"detail\":\"no relay has the id " + path.substring(path.lastIndexOf('/') + 1) + "\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Test
    void relaysListsOneLinePerRelayFollowingEveryPage() {
        Cli cli = Cli.run("gateway", "relays", "--url", url);

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.outLines()).hasSize(2);
        assertThat(cli.outLines().get(0)).startsWith(ID).contains("CONNECTED", "12 received", "10 stored",
                "wss://relay.example.com", "example");
        assertThat(cli.outLines().get(1)).startsWith(ID2).contains("live", "wss://two.example.com");
        assertThat(requests).containsExactly("GET /api/relays?limit=1000",
                "GET /api/relays?limit=1000&cursor=" + NEXT);
        assertThat(Cli.run("gateway", "relays", "--url", url, "--json").out().strip())
                .isEqualTo("{\"relays\":[" + RELAY + "," + RELAY2 + "]}");
    }

    @Test
    void addPostsTheUrlNameAndFiltersAndPrintsTheNewId() {
        Cli cli = Cli.run("gateway", "add", "wss://relay.example.com", "--name", "example", "-f", "{\"kinds\":[1]}",
                "--url", url);

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out().strip()).isEqualTo(ID);
        assertThat(requests).containsExactly("POST /api/relays {\"url\":\"wss://relay.example.com\",\"name\":"
                + "\"example\",\"filters\":[{\"kinds\":[1]}]}");
    }

    @Test
    void removeTakesAnIdOrTheRelaysUrl() {
        Cli byUrl = Cli.run("gateway", "remove", "wss://relay.example.com/", "--url", url);

        assertThat(byUrl.exitCode()).isZero();
        assertThat(byUrl.out().strip()).isEqualTo("removed " + ID);
        assertThat(requests).containsExactly("GET /api/relays?limit=1000", "GET /api/relays?limit=1000&cursor="
                + NEXT, "DELETE /api/relays/" + ID);
    }

    @Test
    void statsPassesTheRangeAndPrintsTheSeries() {
        Cli cli = Cli.run("gateway", "stats", ID, "--bucket", "hour", "--from", "2026-01-01T00:00:00Z", "--url", url);

        assertThat(cli.exitCode()).isZero();
        assertThat(requests).containsExactly("GET /api/relays/" + ID + "/stats?bucket=hour&from=2026-01-01T00%3A00"
                + "%3A00Z");
        assertThat(cli.out()).contains("\"bucket\" : \"hour\"", "\"received\" : 12");
    }

    @Test
    void theGatewaysProblemDetailIsTheOneLineError() {
        Cli cli = Cli.run("gateway", "remove", "11111111-2222-3333-4444-555555555555", "--url", url);

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err().strip()).isEqualTo("nostr: the gateway answered 404 to api/relays/"
                + "11111111-2222-3333-4444-555555555555: no relay has the id 11111111-2222-3333-4444-555555555555");
    }

    @Test
    void aGatewayThatIsNotRunningIsOneLine() {
        gateway.stop(0);

        Cli cli = Cli.run("gateway", "relays", "--url", url);

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err().lines()).singleElement().asString().startsWith("nostr: cannot reach the gateway at "
                + url + "/");
    }
}
