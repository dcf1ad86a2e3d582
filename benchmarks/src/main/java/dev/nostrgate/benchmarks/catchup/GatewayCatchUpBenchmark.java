package dev.nostrgate.benchmarks.catchup;

import dev.nostrgate.benchmarks.fleet.GatewayApi;
import dev.nostrgate.benchmarks.fleet.GatewayProcess;
import dev.nostrgate.benchmarks.fleet.ProcessProbe;
import dev.nostrgate.benchmarks.load.CpuMeter;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.relay.Relay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's catch-up as a whole run: the gateway process (its jar) against its own schema holding all but
 * {@code --missing} of our relay's {@code --events} notes, RabbitMQ and the consumers included, until the gateway's
 * store holds every event. The relay is registered while a proxy in front of it refuses connections, paused, given
 * the cursor a real gateway would have (the oldest missing event's created_at plus the overlap, so that
 * {@code since = cursor - overlap} finds them all), and resumed once the proxy lets connections through: with the default {@code gateway.catch-up-window} the connector reconciles by NIP-77; with the window set
 * to one second (the cursor is then older than it) it asks {@code since}. A TCP proxy in front of the relay counts
 * the bytes the gateway really received (NIP-11, WebSocket frames). Time: from the resume to the last event stored;
 * CPU over the same span from /proc: the gateway process, this JVM (the upstream relay), RabbitMQ and PostgreSQL.
 *
 * <pre>./nostr catchup-gateway-bench [--events 100000] [--missing 0.01] [--runs 1] [--jar nostr-gateway/target/nostr-gateway-exec.jar]</pre>
 */
public final class GatewayCatchUpBenchmark {
    private static final Pattern CATCH_UP = Pattern.compile("\"catchUp\":\"([a-z]+)\"");
    private static final Pattern COUNTS = Pattern.compile("\"catchUpCounts\":(\\{[^}]*\\})");
    private static final long OVERLAP_SECONDS = 600; // gateway.catch-up-overlap's default
    private static final ProcessProbe PROBE = new ProcessProbe(Path.of("/proc"));

    private GatewayCatchUpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = 100_000;
        double missingShare = 0.01;
        int runs = 1;
        String server = "jdbc:postgresql://127.0.0.1:5432/test";
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("nostr-gateway/target/nostr-gateway-exec.jar");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--missing" -> missingShare = Double.parseDouble(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--db" -> server = args[i + 1];
                case "--jar" -> jar = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--events N --missing F --runs N --db URL --jar PATH)");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " is missing: ./mvnw -pl nostr-gateway -am package, or --jar");
        }
        String upstreamSchema = "gwcatchup_up_" + System.currentTimeMillis();
        CatchUpBenchmark.execute(server, "CREATE SCHEMA " + upstreamSchema);
        try {
            run(server, upstreamSchema, jar, events, missingShare, runs);
        } finally {
            CatchUpBenchmark.execute(server, "DROP SCHEMA " + upstreamSchema + " CASCADE");
        }
        System.exit(0);
    }

    private static void run(String server, String upstreamSchema, Path jar, int count, double missingShare,
                            int runs) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        System.out.printf("signing %,d notes...%n", count);
        List<Event> notes = CatchUpBenchmark.notes(count, now - 6 * 86_400, now - 600);
        SplittableRandom random = new SplittableRandom(42);
        List<Event> held = new ArrayList<>();
        long oldestMissing = Long.MAX_VALUE;
        for (Event note : notes) {
            if (random.nextDouble() < missingShare) {
                oldestMissing = Math.min(oldestMissing, note.createdAt());
            } else {
                held.add(note);
            }
        }
        System.out.printf("%,d upstream, %,d held by the gateway, %,d missing (the oldest %,d s ago)%n", notes.size(),
                held.size(), notes.size() - held.size(), now - oldestMissing);
        try (Database upstreamDb = CatchUpBenchmark.open(server, upstreamSchema)) {
            CatchUpBenchmark.save(new SqlEventStore(upstreamDb, new StoreConfig(500, Duration.ofMinutes(2))), notes);
        }
        CatchUpBenchmark.execute(server, "ANALYZE " + upstreamSchema + ".events");
        RelayConfig d = RelayConfig.DEFAULTS;
        RelayConfig config = d.withServer(d.server().withBind("127.0.0.1").withPort(0))
                .withDatabase(d.database().withUrl(CatchUpBenchmark.url(server, upstreamSchema), "postgres", ""))
                .withLimits(d.limits().toBuilder().maxLimit(100_000).maxOutboundBytes(1L << 30).build());
        try (Relay relay = Relay.start(config); CountingProxy proxy = new CountingProxy(relay.port())) {
            System.out.printf("%nrun | method | events received | bytes received | bytes sent | time to caught-up "
                    + "| CPU s gateway / relay / RabbitMQ / PostgreSQL | gateway's catchUpCounts%n");
            for (int run = 1; run <= runs; run++) {
                for (String method : List.of("negentropy", "since")) {
                    once(server, jar, proxy, held, count, oldestMissing + OVERLAP_SECONDS, method, run);
                }
            }
        }
    }

    private static void once(String server, Path jar, CountingProxy proxy, List<Event> held, int total, long cursor,
                             String method, int run) throws Exception {
        String schema = "gwcatchup_gw_" + System.currentTimeMillis();
        CatchUpBenchmark.execute(server, "CREATE SCHEMA " + schema);
        GatewayProcess gateway = null;
        try {
            try (Database gatewayDb = CatchUpBenchmark.open(server, schema)) {
                CatchUpBenchmark.save(new SqlEventStore(gatewayDb, new StoreConfig(500, Duration.ofMinutes(2))),
                        held);
            }
            CatchUpBenchmark.execute(server, "ANALYZE " + schema + ".events");
            int port = freePort();
            String gatewayUrl = CatchUpBenchmark.url(server, schema);
            List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--gateway.relay-port=0",
                    "--gateway.database.url=" + gatewayUrl, "--gateway.amqp-connection-name=" + schema,
                    "--spring.main.banner-mode=off"));
            if (method.equals("since")) {
                arguments.add("--gateway.catch-up-window=1s"); // the cursor is older: since = cursor - overlap
            }
            Path log = Path.of("benchmarks/target").toAbsolutePath().resolve(schema + "-gateway.log");
            Files.createDirectories(log.getParent());
            gateway = new GatewayProcess(jar, log, arguments);
            gateway.start();
            GatewayApi api = new GatewayApi(port);
            api.awaitLive(Duration.ofMinutes(3), gateway::alive);
            proxy.refusing(true); // registered, its connector starts at once: it must find the relay down
            UUID id = api.registerRelay(URI.create("ws://127.0.0.1:" + proxy.port()), "catch-up-" + method);
            api.paused(id, true);
            CatchUpBenchmark.execute(gatewayUrl, "UPDATE gateway_relays SET cursor = " + cursor + " WHERE id = '"
                    + id + "'");
            proxy.refusing(false);
            proxy.reset();
            long[] cpuBefore = cpuTicks(gateway);
            long start = System.nanoTime();
            api.paused(id, false);
            while (stored(gatewayUrl) < total) {
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("not caught up within 10 minutes: " + stored(gatewayUrl)
                            + " of " + total + " stored; see " + log);
                }
                Thread.sleep(50);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long[] cpuAfter = cpuTicks(gateway);
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < cpuAfter.length; i++) {
                cpu.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f",
                        (cpuAfter[i] - cpuBefore[i]) / (double) CpuMeter.clockTicksPerSecond()));
            }
            String view = api.relay(id);
            System.out.printf("%d | %s | %s | %,d | %,d | %,d ms | %s | %s%n", run, method, field(view,
                            Pattern.compile("\"received\":(\\d+)")), proxy.bytesToClient(), proxy.bytesToUpstream(),
                    millis, cpu, field(view, CATCH_UP) + " " + field(view, COUNTS));
            api.remove(id); // its queue and exchange go too
        } finally {
            if (gateway != null) {
                gateway.stop();
            }
            CatchUpBenchmark.execute(server, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** CPU ticks so far of the gateway, this JVM (the upstream relay), RabbitMQ's node and every PostgreSQL process. */
    private static long[] cpuTicks(GatewayProcess gateway) {
        return new long[] {PROBE.cpuTicks(gateway.pid()), PROBE.cpuTicks(ProcessHandle.current().pid()),
                PROBE.oldestTicks("beam.smp"), PROBE.named("postgres").ticks()};
    }

    private static long stored(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String field(String json, Pattern pattern) {
        Matcher matcher = pattern.matcher(json);
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
