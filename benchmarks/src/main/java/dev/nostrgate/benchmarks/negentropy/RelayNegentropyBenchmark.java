package dev.nostrgate.benchmarks.negentropy;

import com.sun.management.OperatingSystemMXBean;
import dev.nostrgate.core.client.Reconciliation;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.relay.Relay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NIP-77 against the relay over a real socket and PostgreSQL, at the size the issue names: {@code --events} stored
 * events (1,000,000 by default; synthetic rows inserted by one SQL statement, since negentropy reads only created_at
 * and id), one filter matching all of them, and {@code --sessions} clients reconciling it at once, each holding all
 * but 1% of the set. Prints per run the time of every session (the NEG-OPEN's scan included), the round trips, and
 * the most the relay's sessions held together in the heap and in spill files (its
 * {@code nostr_relay_negentropy_*_bytes} gauges, sampled every 20 ms), against {@code --memory-budget}.
 *
 * <pre>
 * ./nostr neg-relay-bench                                 # 1,000,000 events, 2 sessions, 64 MiB heap budget
 * ./nostr neg-relay-bench --memory-budget 0               # every session spills
 * ./nostr neg-relay-bench --events 200000 --sessions 4 --runs 3
 * </pre>
 */
public final class RelayNegentropyBenchmark {
    private static final long NEWEST = 1_760_000_000L;
    private static final int FRAME_SIZE_LIMIT = 60_000;

    private RelayNegentropyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int sessions = 2;
        int runs = 3;
        long memoryBudget = RelayConfig.Negentropy.DEFAULT_MEMORY_BUDGET;
        String server = "jdbc:postgresql://127.0.0.1:5432/test";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1].replace("_", "") : "";
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--sessions" -> sessions = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--memory-budget" -> memoryBudget = Long.parseLong(value);
                case "--db" -> server = args[i + 1];
                default -> {
                    System.err.println("usage: neg-relay-bench [--events N] [--sessions N] [--runs N] "
                            + "[--memory-budget BYTES] [--db JDBC-URL]");
                    System.exit(2);
                }
            }
        }
        String schema = "neg_relay_" + System.currentTimeMillis();
        execute(server, "CREATE SCHEMA " + schema);
        try {
            run(server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema, events, sessions, runs,
                    memoryBudget);
        } finally {
            execute(server, "DROP SCHEMA " + schema + " CASCADE");
        }
        System.exit(0);
    }

    private static void run(String url, int events, int sessions, int runs, long memoryBudget) throws Exception {
        Database.open(DatabaseConfig.DEFAULTS.withUrl(url, "postgres", ""), Duration.ofMinutes(1)).close();
        long start = System.nanoTime();
        System.out.printf("inserting %,d synthetic events (only created_at and id matter here)...%n", events);
        execute(url, "INSERT INTO events (event_key, id, pubkey, created_at, kind, json) "
                + "SELECT gen_random_uuid(), sha256(('neg-relay-bench ' || i)::bytea), decode(repeat('ab', 32), 'hex'), "
                + NEWEST + " - i * 7, 1, '{}' FROM generate_series(1, " + events + ") AS i");
        execute(url, "ANALYZE events");
        System.out.printf("inserted in %,d ms%n", (System.nanoTime() - start) / 1_000_000);
        SortedVectorStorage local = localItems(url);
        System.out.printf("each client holds %,d of them (every 100th left out)%n", local.size());

        RelayConfig d = RelayConfig.DEFAULTS;
        RelayConfig config = d.withServer(d.server().withBind("127.0.0.1").withPort(0))
                .withDatabase(d.database().withUrl(url, "postgres", ""))
                .withQuery(new RelayConfig.Query(d.query().threads(), Duration.ofMinutes(5),
                        d.query().expirationSweepEvery(), 0)) // the synthetic rows' JSON is no event
                .withNegentropy(new RelayConfig.Negentropy(8, Math.max(events, 1), 0, memoryBudget, 8L << 30,
                        System.getProperty("java.io.tmpdir")));
        try (Relay relay = Relay.start(config)) {
            String relayUrl = "ws://127.0.0.1:" + relay.port();
            Filter all = Filter.builder().kinds(1).build();
            System.out.printf("%,d events, %d sessions at once, memory budget %,d bytes; JVM max heap %,d MB%n",
                    events, sessions, memoryBudget, Runtime.getRuntime().maxMemory() >> 20);
            for (int run = 1; run <= runs; run++) {
                runOnce(relay, relayUrl, all, local, sessions, run);
            }
        }
    }

    private static void runOnce(Relay relay, String url, Filter filter, SortedVectorStorage local, int sessions,
                                int run) throws Exception {
        AtomicLong heapPeak = new AtomicLong();
        AtomicLong diskPeak = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            heapPeak.accumulateAndGet(gauge(relay, "nostr.relay.negentropy.heap.bytes"), Math::max);
            diskPeak.accumulateAndGet(gauge(relay, "nostr.relay.negentropy.disk.bytes"), Math::max);
        }, 0, 20, TimeUnit.MILLISECONDS);
        List<RelayClient> clients = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < sessions; i++) {
                RelayClient client = RelayClient.builder().url(url).requestTimeout(Duration.ofMinutes(5)).build();
                clients.add(client);
                client.connect().get(30, TimeUnit.SECONDS);
                long sessionStart = System.nanoTime();
                results.add(client.reconcile(filter, local, FRAME_SIZE_LIMIT).thenApply((Reconciliation r) ->
                        String.format("%,d ms (need %,d, have %,d, %d round trips)",
                                (System.nanoTime() - sessionStart) / 1_000_000, r.need().size(), r.have().size(),
                                r.roundTrips())));
            }
            List<String> lines = new ArrayList<>();
            for (CompletableFuture<String> result : results) {
                lines.add(result.get(10, TimeUnit.MINUTES));
            }
            System.out.printf("run %d: %d sessions done in %,d ms (process CPU %,d ms, the database's not counted); "
                            + "sessions: %s; the relay's sessions held at most %,d bytes in the heap and %,d in "
                            + "spill files%n", run, sessions, (System.nanoTime() - start) / 1_000_000,
                    (processCpuNanos() - cpuBefore) / 1_000_000, String.join("; ", lines), heapPeak.get(),
                    diskPeak.get());
        } finally {
            clients.forEach(RelayClient::close);
            sampler.shutdownNow();
        }
    }

    private static long gauge(Relay relay, String name) {
        return (long) relay.registry().get(name).gauge().value();
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The stored items in order, all but every 100th: the clients' side. */
    private static SortedVectorStorage localItems(String url) throws SQLException {
        SortedVectorStorage.Builder local = SortedVectorStorage.builder(1 << 20);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT created_at, id FROM events ORDER BY created_at, id")) {
                select.setFetchSize(10_000);
                try (ResultSet rows = select.executeQuery()) {
                    int row = 0;
                    while (rows.next()) {
                        if (row++ % 100 != 0) {
                            local.add(rows.getLong(1), rows.getBytes(2));
                        }
                    }
                }
            }
        }
        return local.build();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
