package dev.nostrgate.gateway.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.api.ApiClient;
import dev.nostrgate.relay.store.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes (the executable jar, as deployed) share thirty publishing relays through the lease table:
 * one is killed with SIGKILL mid-stream and another restarted; at the end every event is stored exactly once and
 * every relay is owned by exactly one live instance. Changes and removals made through one instance are carried out
 * by the instance that owns the relay.
 */
class FleetIT {
    private static final int RELAYS = 30;
    private static final Duration TTL = Duration.ofSeconds(6);
    private static final Duration RENEW = Duration.ofSeconds(1);
    private static final Path JAR = Path.of("target", "nostr-gateway-exec.jar");
    private static final Path LOGS = Path.of("target", "fleet-it");

    private final List<FakeRelay> upstreams = new ArrayList<>();
    private final Map<String, GatewayProcess> gateways = new HashMap<>();
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private String database;
    private Thread publisher;

    /** One gateway process, its REST port and its log file. */
    private record GatewayProcess(String id, Process process, ApiClient api, Path log) {
    }

    @BeforeEach
    void start() throws IOException {
        assertThat(JAR).as("the executable jar is built at package, before the ITs run").exists();
        Files.createDirectories(LOGS);
        database = GatewayTestSchema.create();
        for (int i = 0; i < RELAYS; i++) {
            upstreams.add(FakeRelay.start());
        }
    }

    @AfterEach
    void stop() throws Exception {
        publishing.set(false);
        if (publisher != null) {
            publisher.join(5_000);
        }
        for (GatewayProcess gateway : gateways.values()) {
            gateway.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (FakeRelay upstream : upstreams) {
            upstream.close();
        }
        GatewayTestSchema.drop(database);
    }

    private GatewayProcess launch(String id) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = LOGS.resolve(id + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toString(),
                "--server.port=" + port,
                "--gateway.relay-port=0",
                "--gateway.database.url=" + database,
                "--gateway.amqp-connection-name=fleet-it-" + id,
                "--gateway.fleet.instance-id=" + id,
                "--gateway.fleet.lease-ttl=" + TTL.toMillis() + "ms",
                "--gateway.fleet.renew-interval=" + RENEW.toMillis() + "ms",
                "--gateway.cursor-flush-interval=200ms",
                "--gateway.sink-max-delay=10ms")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        GatewayProcess gateway = new GatewayProcess(id, process, new ApiClient(port), log);
        gateways.put(id, gateway);
        return gateway;
    }

    private void awaitServing(GatewayProcess gateway) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(gateway.process().isAlive()).as("%s is running (see %s)", gateway.id(), gateway.log())
                    .isTrue();
            try {
                return gateway.api().get("/api/instances").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /** Lease rows per owner, expired or not ("(none)" for free ones). */
    private Map<String, Integer> owners() throws SQLException {
        Map<String, Integer> owners = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(owner, '(none)'), count(*) "
                     + "FROM gateway_relay_leases GROUP BY 1")) {
            while (rows.next()) {
                owners.put(rows.getString(1), rows.getInt(2));
            }
        }
        return owners;
    }

    /**
     * Relays per instance with a live lease; an expired lease counts as nobody's. The test reads SERIALIZABLE while the
     * instances renew their leases, so PostgreSQL (as CockroachDB) may cancel the read with 40001: it is read again.
     */
    private Map<String, Integer> liveOwners() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return readLiveOwners();
            } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private Map<String, Integer> readLiveOwners() throws SQLException {
        Map<String, Integer> owners = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT CASE WHEN owner IS NOT NULL AND expires_at > now() "
                     + "THEN owner ELSE '(none)' END, count(*) FROM gateway_relay_leases GROUP BY 1")) {
            while (rows.next()) {
                owners.put(rows.getString(1), rows.getInt(2));
            }
        }
        return owners;
    }

    private void awaitShares(Map<String, Integer> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> liveOwners().equals(expected));
    }

    private void startPublishing() {
        SecKey author = SecKey.generate();
        publisher = new Thread(() -> {
            long clock = System.currentTimeMillis() / 1000;
            while (publishing.get()) {
                for (int i = 0; i < RELAYS; i++) {
                    Event event = new UnsignedEvent(author.pubKey(), clock, 1, List.of(),
                            "relay " + i + " event " + published.size()).sign(author);
                    published.add(event);
                    upstreams.get(i).store(event);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(200); // the pace of the stream, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fleet-it-publisher");
        publisher.start();
    }

    private Set<String> storedIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT encode(id, 'hex') FROM events")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private long storedRows() throws SQLException {
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void threeInstancesShareThirtyRelaysThroughAKillAndARestartAndStoreEveryEventOnce() throws Exception {
        GatewayProcess a = launch("gw-a");
        awaitServing(a);
        List<String> relayIds = new ArrayList<>();
        for (int i = 0; i < RELAYS; i++) {
            ApiClient.Reply created = a.api().post("/api/relays",
                    "{\"url\":\"" + upstreams.get(i).url() + "\",\"name\":\"upstream " + i + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            relayIds.add(created.json().get("id").asText());
        }
        assertThat(liveOwners()).isEqualTo(Map.of("gw-a", RELAYS));
        startPublishing();

        GatewayProcess b = launch("gw-b");
        GatewayProcess c = launch("gw-c");
        awaitServing(b);
        awaitServing(c);
        awaitShares(Map.of("gw-a", 10, "gw-b", 10, "gw-c", 10));

        // a change made through one instance is carried out by the relay's owner
        String onB = ownedBy("gw-b", relayIds);
        assertThat(a.api().patch("/api/relays/" + onB, "{\"paused\":true}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "paused".equals(b.api().get("/api/relays/" + onB).json().get("state").asText()));
        assertThat(c.api().patch("/api/relays/" + onB, "{\"paused\":false}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "live".equals(b.api().get("/api/relays/" + onB).json().get("state").asText()));

        // SIGKILL: the others take its relays once its leases expire
        b.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killed = System.nanoTime();
        awaitShares(Map.of("gw-a", 15, "gw-c", 15));
        System.out.printf("failover: the killed instance's relays were running elsewhere %d ms after the kill "
                + "(lease ttl %d ms, renew interval %d ms)%n", (System.nanoTime() - killed) / 1_000_000,
                TTL.toMillis(), RENEW.toMillis());

        // a graceful restart gives its leases back at once and takes its share again when it is back
        c.process().destroy();
        assertThat(c.process().waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        long stopped = System.nanoTime();
        awaitShares(Map.of("gw-a", 30));
        System.out.printf("hand-over after a graceful stop: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
        GatewayProcess restarted = launch("gw-c-restarted");
        awaitServing(restarted);
        awaitShares(Map.of("gw-a", 15, "gw-c-restarted", 15));

        publishing.set(false);
        publisher.join(10_000);
        Set<String> expected = new HashSet<>();
        published.forEach(event -> expected.add(event.id().hex()));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedIds().containsAll(expected));
        assertThat(storedRows()).as("every event stored exactly once, nothing else").isEqualTo(expected.size());
        assertThat(storedIds()).isEqualTo(expected);

        // every relay owned by exactly one live instance, and each instance's REST API says which
        assertThat(liveOwners()).isEqualTo(Map.of("gw-a", 15, "gw-c-restarted", 15));
        for (String relayId : relayIds) {
            JsonNode relay = restarted.api().get("/api/relays/" + relayId).json();
            assertThat(relay.get("owner").asText()).isIn("gw-a", "gw-c-restarted");
        }
        JsonNode instances = a.api().get("/api/instances").json();
        assertThat(instances.get("instances")).hasSize(2);
        assertThat(instances.get("unownedRelays").asLong()).isZero();
        JsonNode states = instances.get("relayStates");
        long counted = 0;
        for (Iterator<Map.Entry<String, JsonNode>> state = states.fields(); state.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = state.next();
            assertThat(entry.getKey()).isIn("connecting", "catching-up", "live", "backoff");
            counted += entry.getValue().asLong();
        }
        assertThat(counted).as(states.toString()).isEqualTo(RELAYS);
        // the dashboard's overview names each relay's owner and the instances, from any instance
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode overview = restarted.api().get("/api/overview").json();
            JsonNode shown = overview.get("instances");
            if (shown == null || shown.size() != 2) {
                return false;
            }
            for (JsonNode relay : overview.get("relays")) {
                if (relay.get("owner") == null || !Set.of("gw-a", "gw-c-restarted").contains(relay.get("owner")
                        .asText())) {
                    return false;
                }
            }
            return overview.get("relays").size() == RELAYS;
        });

        // removals asked through one instance are carried out by each relay's owner
        for (String relayId : relayIds) {
            ApiClient.Reply removed = a.api().delete("/api/relays/" + relayId);
            assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        }
        assertThat(owners()).isEmpty();
        assertThat(a.api().get("/api/relays").json().get("relays")).isEmpty();
    }

    private String ownedBy(String instance, List<String> relayIds) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT relay_id FROM gateway_relay_leases WHERE owner = '"
                     + instance + "' LIMIT 1")) {
            assertThat(rows.next()).as("%s owns a relay", instance).isTrue();
            String id = rows.getString(1);
            assertThat(relayIds).contains(id);
            return id;
        }
    }
}
