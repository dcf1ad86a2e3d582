package dev.nostrgate.benchmarks.catchup;

import dev.nostrgate.core.client.Reconciliation;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.Relay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The gateway's catch-up, connector path only: our relay (on PostgreSQL) as the upstream holding {@code --events}
 * notes, a second schema as the gateway's store holding all but {@code --missing} of them, spread over the whole
 * time range (gaps, late arrivals). Then, on the same data, as the gateway's connector does it:
 * <ul>
 *   <li><b>negentropy</b>: the local set read from the gateway's store ({@code SqlEventStore.negentropyItems}),
 *       {@code RelayClient.reconcile} (60,000-byte frames, as the gateway), then {@code REQ {ids}} in chunks of
 *       500 until each chunk's EOSE;</li>
 *   <li><b>since</b>: one {@code REQ} with {@code since} = the oldest missing event's created_at (the latest cursor
 *       minus overlap that still finds every missing event), until EOSE.</li>
 * </ul>
 * Bytes are the text of the relay's messages as the client received them (EVENT, EOSE, NEG-MSG), counted from the
 * messages; time from the first step (the local set's query included) to the last EOSE. The RabbitMQ/consumer half
 * of the gateway is the same for both (it handles the events fetched) and is not run.
 *
 * <pre>./nostr catchup-bench [--events 100000] [--missing 0.01] [--runs 3] [--db jdbc:postgresql://127.0.0.1:5432/test]</pre>
 */
public final class CatchUpBenchmark {
    private static final int IDS_PER_REQ = 500;
    private static final int FRAME_SIZE_LIMIT = 60_000;

    public static void main(String[] args) throws Exception {
        int events = 100_000;
        double missingShare = 0.01;
        int runs = 3;
        String server = "jdbc:postgresql://127.0.0.1:5432/test";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--missing" -> missingShare = Double.parseDouble(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--db" -> server = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--events N --missing F --runs N --db URL)");
            }
        }
        String suffix = Long.toString(System.currentTimeMillis());
        String upstreamSchema = "catchup_up_" + suffix;
        String gatewaySchema = "catchup_gw_" + suffix;
        execute(server, "CREATE SCHEMA " + upstreamSchema);
        execute(server, "CREATE SCHEMA " + gatewaySchema);
        try {
            new CatchUpBenchmark().run(server, upstreamSchema, gatewaySchema, events, missingShare, runs);
        } finally {
            execute(server, "DROP SCHEMA " + upstreamSchema + " CASCADE");
            execute(server, "DROP SCHEMA " + gatewaySchema + " CASCADE");
        }
        System.exit(0);
    }

    private void run(String server, String upstreamSchema, String gatewaySchema, int count, double missingShare,
                     int runs) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        System.out.printf("signing %,d notes...%n", count);
        List<Event> notes = notes(count, now - 6 * 86_400, now - 600);
        SplittableRandom random = new SplittableRandom(42);
        List<Event> held = new ArrayList<>();
        long oldestMissing = Long.MAX_VALUE;
        int missing = 0;
        for (Event note : notes) {
            if (random.nextDouble() < missingShare) {
                missing++;
                oldestMissing = Math.min(oldestMissing, note.createdAt());
            } else {
                held.add(note);
            }
        }
        try (Database upstreamDb = open(server, upstreamSchema); Database gatewayDb = open(server, gatewaySchema)) {
            SqlEventStore upstreamStore = new SqlEventStore(upstreamDb, new StoreConfig(500, Duration.ofMinutes(2)));
            SqlEventStore gatewayStore = new SqlEventStore(gatewayDb, new StoreConfig(500, Duration.ofMinutes(2)));
            System.out.printf("storing %,d upstream, %,d in the gateway's store (%,d missing, oldest missing %d s ago)%n",
                    notes.size(), held.size(), missing, now - oldestMissing);
            save(upstreamStore, notes);
            save(gatewayStore, held);
            execute(server, "ANALYZE " + upstreamSchema + ".events");
            execute(server, "ANALYZE " + gatewaySchema + ".events");
            RelayConfig d = RelayConfig.DEFAULTS;
            RelayConfig config = d.withServer(d.server().withBind("127.0.0.1").withPort(0))
                    .withDatabase(d.database().withUrl(url(server, upstreamSchema), "postgres", ""))
                    .withLimits(d.limits().toBuilder().maxLimit(100_000).maxOutboundBytes(1L << 30).build())
                    .withQuery(new RelayConfig.Query(d.query().threads(), Duration.ofMinutes(2),
                            d.query().expirationSweepEvery(), d.query().recentEventsMegabytes()));
            try (Relay relay = Relay.start(config)) {
                String url = "ws://127.0.0.1:" + relay.port();
                Filter window = Filter.builder().since(now - 7 * 86_400).until(now).build();
                System.out.printf("%nrun | method | events received | bytes received | bytes sent | round trips | time to caught-up%n");
                for (int run = 1; run <= runs; run++) {
                    Result negentropy = negentropy(url, gatewayStore, window);
                    System.out.printf("%d | negentropy | %,d | %,d | %,d | %d | %,d ms%n", run, negentropy.events,
                            negentropy.bytesReceived, negentropy.bytesSent, negentropy.roundTrips, negentropy.millis);
                    if (negentropy.events != missing) {
                        throw new IllegalStateException("negentropy fetched " + negentropy.events + ", " + missing
                                + " were missing");
                    }
                    Result since = since(url, window.toBuilder().since(oldestMissing).build());
                    System.out.printf("%d | since | %,d | %,d | %,d | %d | %,d ms%n", run, since.events,
                            since.bytesReceived, since.bytesSent, since.roundTrips, since.millis);
                    System.out.printf("%d | ratio | | %.2f %% of since's bytes | | | %.2f x faster%n", run,
                            100.0 * negentropy.bytesReceived / since.bytesReceived,
                            (double) since.millis / negentropy.millis);
                }
            }
        }
    }

    private record Result(long events, long bytesReceived, long bytesSent, int roundTrips, long millis) {
    }

    private static Result negentropy(String url, SqlEventStore gatewayStore, Filter window) throws Exception {
        try (RelayClient client = client(url)) {
            client.connect().get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            Reconciliation reconciliation;
            try (BlockStorage local = gatewayStore.negentropyItems(window, 1_000_000, StorageBudget.forClient())
                    .orElseThrow()) {
                reconciliation = client.reconcile(window, local, FRAME_SIZE_LIMIT).get(2, TimeUnit.MINUTES);
            }
            AtomicLong events = new AtomicLong();
            AtomicLong bytes = new AtomicLong(reconciliation.bytesReceived());
            long sent = reconciliation.bytesSent();
            List<EventId> need = reconciliation.need();
            for (int from = 0; from < need.size(); from += IDS_PER_REQ) {
                List<String> chunk = need.subList(from, Math.min(need.size(), from + IDS_PER_REQ)).stream()
                        .map(EventId::hex).toList();
                Filter byIds = Filter.builder().ids(chunk).build();
                sent += ("[\"REQ\",\"sub-00\"," + dev.nostrgate.core.filter.FilterJson.write(byIds) + "]").length();
                fetch(client, byIds, events, bytes);
            }
            return new Result(events.get(), bytes.get(), sent, reconciliation.roundTrips(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static Result since(String url, Filter since) throws Exception {
        try (RelayClient client = client(url)) {
            client.connect().get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            AtomicLong events = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            fetch(client, since, events, bytes);
            long sent = ("[\"REQ\",\"sub-00\"," + dev.nostrgate.core.filter.FilterJson.write(since) + "]").length();
            return new Result(events.get(), bytes.get(), sent, 0, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** One REQ until its EOSE, counting the events and the text of the messages that carried them. */
    private static void fetch(RelayClient client, Filter filter, AtomicLong events, AtomicLong bytes)
            throws Exception {
        CompletableFuture<Void> eose = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        AtomicLong jsonBytes = new AtomicLong();
        Subscription subscription = client.subscribe(filter, new SubscriptionListener() {
            @Override
            public void onEvent(Event event) {
                received.incrementAndGet();
                jsonBytes.addAndGet(event.toJson().getBytes(StandardCharsets.UTF_8).length);
            }

            @Override
            public void onEose() {
                eose.complete(null);
            }

            @Override
            public void onClosed(String reason) {
                eose.completeExceptionally(new IllegalStateException("CLOSED: " + reason));
            }
        });
        eose.get(5, TimeUnit.MINUTES);
        subscription.close();
        String id = subscription.id();
        // ["EVENT","<id>",<event>] per event, ["EOSE","<id>"] once
        bytes.addAndGet(jsonBytes.get() + received.get() * ("[\"EVENT\",\"" + id + "\",]").length()
                + ("[\"EOSE\",\"" + id + "\"]").length());
        events.addAndGet(received.get());
    }

    /** As the gateway's connector: the consumer verifies, so the client does not. */
    private static RelayClient client(String url) {
        return RelayClient.builder().url(url).verifyEvents(false).requestTimeout(Duration.ofMinutes(2))
                .maxUndelivered(100_000).build();
    }

    static List<Event> notes(int count, long from, long to) {
        SecKey[] authors = IntStream.range(0, 100).mapToObj(i -> SecKey.generate()).toArray(SecKey[]::new);
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            SecKey author = authors[i % authors.length];
            long createdAt = from + (to - from) * i / count;
            return new UnsignedEvent(author.pubKey(), createdAt, 1, List.of(),
                    "catch-up benchmark note " + i + " with some text to make it look like a short post").sign(author);
        }).toList();
    }

    static void save(SqlEventStore store, List<Event> events) {
        for (int from = 0; from < events.size(); from += 1_000) {
            store.saveAll(events.subList(from, Math.min(events.size(), from + 1_000)));
        }
    }

    static Database open(String server, String schema) {
        return Database.open(DatabaseConfig.DEFAULTS.withUrl(url(server, schema), "postgres", ""),
                Duration.ofMinutes(2));
    }

    static String url(String server, String schema) {
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    static void execute(String server, String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(server, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
