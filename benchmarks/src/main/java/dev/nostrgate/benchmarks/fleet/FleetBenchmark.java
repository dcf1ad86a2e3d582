package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.gateway.GatewayBenchmark;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet benchmark: how a gateway starts with many registered relays.
 *
 * <pre>
 * ./nostr fleet-bench [--relays 1000] [--down 100] [--heap 1g] [--timeout-seconds 300] [--steady-seconds 20]
 *                     [--jar nostr-gateway/target/nostr-gateway-exec.jar] [--db jdbc:postgresql://127.0.0.1:5432/test]
 * </pre>
 *
 * One Netty server hosts the synthetic upstreams ({@link FleetUpstreams}, {@code --down} of them refusing). The
 * gateway runs as a JVM of its own on a fresh schema; the relays are registered over REST, then the gateway is
 * stopped and started again, and the clock runs from that second start: until every up relay's event of this
 * phase is stored (connected, subscribed, published, consumed) and every relay's queue has its consumer. Meanwhile
 * {@code GET /api/relays/{id}} and {@code GET /api/relays} are sampled; after it, the gateway's threads, heap
 * after a full GC, AMQP connections and channels, and the CPU of the gateway, RabbitMQ and PostgreSQL over a
 * steady window.
 */
public final class FleetBenchmark {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final Map<String, String> options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long startNanos = System.nanoTime();

    private FleetBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = GatewayBenchmark.options(args);
        new FleetBenchmark(options).run();
        System.exit(0);
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9,
                String.format(Locale.ROOT, format, args));
    }

    private void run() throws Exception {
        int relays = Integer.parseInt(option("relays", "1000"));
        int down = Integer.parseInt(option("down", "100"));
        int up = relays - down;
        Path jar = options.containsKey("jar") ? Path.of(options.get("jar")).toAbsolutePath() : besideThisJar();
        String db = option("db", "jdbc:postgresql://127.0.0.1:5432/test");
        long timeout = Long.parseLong(option("timeout-seconds", "300"));
        int steadySeconds = Integer.parseInt(option("steady-seconds", "20"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: ./mvnw -pl nostr-gateway -am package -DskipTests");
        }
        String run = "fleet" + System.currentTimeMillis();
        Path log = Files.createTempFile(run, ".log");
        log("fleet benchmark: %d relays (%d refusing), gateway %s, heap %s; gateway log %s", relays, down, jar,
                option("heap", "1g"), log);
        sql(db, "CREATE SCHEMA " + run);
        int port = freePort();
        List<String> jvm = List.of("-Xmx" + option("heap", "1g"), "-Xms64m", "--enable-native-access=ALL-UNNAMED");
        List<String> arguments = List.of("--server.port=" + port, "--gateway.relay-port=0",
                "--gateway.database.url=" + db + "?currentSchema=" + run, "--gateway.amqp-connection-name=" + run,
                "--logging.level.root=WARN", "--spring.main.banner-mode=off");
        URI api = URI.create("http://127.0.0.1:" + port + "/api/relays");
        List<UUID> ids = new ArrayList<>();
        try (FleetUpstreams upstreams = new FleetUpstreams(relays, down, run);
             Broker broker = new Broker(run)) {
            upstreams.start();
            try (GatewayProcess first = GatewayProcess.start(jar, jvm, arguments, log)) {
                awaitHttp(first, port, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
                log("gateway up (pid %d); registering %d relays over REST", first.pid(), relays);
                ids.addAll(register(api, upstreams, relays));
                log("registered %d relays; stopping the gateway", ids.size());
            }
            upstreams.nextPhase();

            long t0 = System.nanoTime();
            try (GatewayProcess gateway = GatewayProcess.start(jar, jvm, arguments, log)) {
                long cpuStart = gateway.cpuTicks();
                awaitHttp(gateway, port, t0 + TimeUnit.SECONDS.toNanos(120));
                double httpUp = (System.nanoTime() - t0) / 1e9;
                log("gateway restarted (pid %d), HTTP up after %.1f s", gateway.pid(), httpUp);
                LatencySampler one = new LatencySampler("GET /api/relays/{id}",
                        () -> api.resolve("/api/relays/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))),
                        Duration.ofMillis(50));
                LatencySampler all = new LatencySampler("GET /api/relays", () -> api, Duration.ofMillis(500));
                one.start();
                all.start();

                double subscribedAt = -1;
                double storedAt = -1;
                double consumersAt = -1;
                long deadline = t0 + TimeUnit.SECONDS.toNanos(timeout);
                int subscribed = 0;
                long stored = 0;
                int consumed = 0;
                long nextLine = 0;
                while ((subscribedAt < 0 || storedAt < 0 || consumersAt < 0) && System.nanoTime() < deadline
                        && gateway.isAlive()) {
                    double now = (System.nanoTime() - t0) / 1e9;
                    subscribed = upstreams.subscribed();
                    stored = count(db, run, upstreams.tag());
                    if (consumersAt < 0) {
                        consumed = broker.queuesWithConsumer(ids);
                    }
                    if (subscribedAt < 0 && subscribed >= up) {
                        subscribedAt = now;
                    }
                    if (storedAt < 0 && stored >= up) {
                        storedAt = now;
                    }
                    if (consumersAt < 0 && consumed >= relays) {
                        consumersAt = now;
                    }
                    if (System.nanoTime() >= nextLine) {
                        log("%.0f s after start: %d/%d up relays subscribed, %d/%d events stored, %d/%d queues "
                                + "consumed, %d threads", now, subscribed, up, stored, up, consumed, relays,
                                gateway.threadsByName().values().stream().mapToInt(Integer::intValue).sum());
                        nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                }
                double allAt = subscribedAt < 0 || storedAt < 0 || consumersAt < 0 ? -1
                        : Math.max(storedAt, consumersAt);
                long cpuStartWindow = gateway.cpuTicks() - cpuStart;
                double startWindow = (System.nanoTime() - t0) / 1e9;
                String oneLatency = one.stop();
                String allLatency = all.stop();

                log("measuring a steady window of %d s", steadySeconds);
                long gatewayBefore = gateway.cpuTicks();
                long rabbitBefore = ProcCpu.ticksOf(List.of("beam.smp"));
                long postgresBefore = ProcCpu.ticksOf(List.of("postgres"));
                long windowStart = System.nanoTime();
                TimeUnit.SECONDS.sleep(steadySeconds);
                double window = (System.nanoTime() - windowStart) / 1e9;
                double hz = 100; // USER_HZ on Linux
                double gatewayCores = (gateway.cpuTicks() - gatewayBefore) / hz / window;
                double rabbitCores = (ProcCpu.ticksOf(List.of("beam.smp")) - rabbitBefore) / hz / window;
                double postgresCores = (ProcCpu.ticksOf(List.of("postgres")) - postgresBefore) / hz / window;
                Map<String, Integer> threads = gateway.threadsByName();
                long heap = gateway.heapAfterGcBytes();
                String amqp = broker.connectionsAndChannels();

                System.out.println();
                System.out.printf(Locale.ROOT, "relays                        %d (%d refusing)%n", relays, down);
                System.out.printf(Locale.ROOT, "HTTP up after start           %.1f s%n", httpUp);
                System.out.printf(Locale.ROOT, "all up relays subscribed      %s%n", seconds(subscribedAt));
                System.out.printf(Locale.ROOT, "all up relays' events stored  %s%n", seconds(storedAt));
                System.out.printf(Locale.ROOT, "all queues consumed           %s%n", seconds(consumersAt));
                System.out.printf(Locale.ROOT, "all connected and consuming   %s  (%d/%d subscribed, %d/%d stored, "
                        + "%d/%d consumed at the end)%n", seconds(allAt), subscribed, up, stored, up, consumed, relays);
                System.out.printf(Locale.ROOT, "gateway CPU during the start  %.2f cores over %.0f s%n",
                        cpuStartWindow / hz / startWindow, startWindow);
                System.out.printf(Locale.ROOT, "steady CPU (cores)            gateway %.2f, RabbitMQ %.2f, "
                        + "PostgreSQL %.2f%n", gatewayCores, rabbitCores, postgresCores);
                System.out.printf(Locale.ROOT, "heap after full GC            %.0f MB%n", heap / 1e6);
                System.out.printf(Locale.ROOT, "live threads                  %d%n",
                        threads.values().stream().mapToInt(Integer::intValue).sum());
                threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .forEach(e -> System.out.printf(Locale.ROOT, "  %5d  %s%n", e.getValue(), e.getKey()));
                System.out.printf(Locale.ROOT, "AMQP                          %s%n", amqp);
                System.out.println("REST during the start          " + oneLatency);
                System.out.println("                              " + allLatency);
            }
        } finally {
            try (Broker broker = new Broker(run)) {
                broker.delete(ids);
            }
            sql(db, "DROP SCHEMA " + run + " CASCADE");

        }
    }

    /** The gateway's executable jar of the same checkout: benchmarks/target/../../nostr-gateway/target. */
    private static Path besideThisJar() throws java.net.URISyntaxException {
        Path benchmarks = Path.of(FleetBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return benchmarks.getParent().getParent().getParent().resolve("nostr-gateway/target/nostr-gateway-exec.jar");
    }

    private static String seconds(double value) {
        return value < 0 ? "not reached" : String.format(Locale.ROOT, "%.1f s", value);
    }

    /** Registers the relays over REST, 8 at a time, in order of their number. */
    private List<UUID> register(URI api, FleetUpstreams upstreams, int relays) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<UUID>> created = new ArrayList<>();
            for (int i = 0; i < relays; i++) {
                URI url = upstreams.url(i);
                created.add(pool.submit(() -> create(api, url)));
            }
            for (Future<UUID> id : created) {
                ids.add(id.get());
                if (ids.size() % 100 == 0) {
                    log("registered %d of %d", ids.size(), relays);
                }
            }
        }
        return ids;
    }

    private UUID create(URI api, URI url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IOException("registering " + url + ": " + response.statusCode() + " " + response.body());
        }
        return UUID.fromString(id.group(1));
    }

    private void awaitHttp(GatewayProcess gateway, int port, long deadline) throws Exception {
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness");
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited during its start (see its log)");
            }
            try {
                http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("the gateway's HTTP did not answer in time");
    }

    private static long count(String db, String schema, String tag) throws Exception {
        try (Connection connection = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM " + schema + ".event_tags WHERE name = 't' AND value = ?")) {
            query.setString(1, tag);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException notYet) {
            return 0; // the gateway has not made its tables yet
        }
    }

    private static void sql(String db, String statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(db, "postgres", "")) {
            connection.createStatement().execute(statement);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
