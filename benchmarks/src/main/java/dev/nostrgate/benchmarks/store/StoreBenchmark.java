package dev.nostrgate.benchmarks.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.DatabaseConfig;
import dev.nostrgate.relay.store.EventWriter;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.WriterConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The store benchmark: fills a database with realistic events through the single writer (group commit), then
 * measures query latency per query type. A program, not a test: run it with {@code ./nostr store-bench}.
 *
 * <pre>
 * ./nostr store-bench [--events 1000000] [--authors 20000] [--queries 300] [--lanes 2]
 *                     [--db jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--schema NAME] [--keep]
 * </pre>
 *
 * Without {@code --schema} a fresh schema is created and dropped at the end (unless {@code --keep}); with it, an
 * existing schema is reused and the insert phase only tops it up to {@code --events}.
 */
public final class StoreBenchmark {
    private final Map<String, String> options;

    private StoreBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + key + " (options start with --)");
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(key.substring(2), flag ? "true" : args[++i]);
        }
        new StoreBenchmark(options).run();
    }

    private long number(String key, long defaultValue) {
        return Long.parseLong(options.getOrDefault(key, String.valueOf(defaultValue)).replace("_", ""));
    }

    private void run() throws Exception {
        long events = number("events", 1_000_000);
        int authors = (int) number("authors", 20_000);
        int queries = (int) number("queries", 300);
        String server = options.getOrDefault("db", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = options.getOrDefault("user", "postgres");
        String password = options.getOrDefault("password", "");
        boolean fresh = !options.containsKey("schema");
        String schema = options.getOrDefault("schema", "bench_" + System.currentTimeMillis());
        execute(server, user, password, "CREATE SCHEMA IF NOT EXISTS " + schema);
        String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        System.out.printf("store benchmark: %,d events, %,d authors, schema %s on %s%n", events, authors, schema,
                server);
        try (Database database = Database.open(DatabaseConfig.DEFAULTS.withUrl(url, user, password),
                Duration.ofSeconds(30))) {
            SqlEventStore store = new SqlEventStore(database, new StoreConfig(500, Duration.ofSeconds(30)));
            SyntheticEvents generator = new SyntheticEvents(42, authors, events);
            long existing = store.count(List.of(Filter.ALL));
            Samples samples = insert(store, generator, events, existing);
            analyze(server, user, password, schema);
            queryPhase(store, generator, samples, queries);
        } finally {
            if (fresh && !options.containsKey("keep")) {
                execute(server, user, password, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** Ids and timestamps seen while inserting, to draw realistic query parameters from. */
    private static final class Samples {
        final List<String> noteIds = new ArrayList<>();
        long newest;
    }

    private Samples insert(SqlEventStore store, SyntheticEvents generator, long total, long existing)
            throws InterruptedException {
        Samples samples = new Samples();
        SplittableRandom random = new SplittableRandom(7);
        // Replaying the generator reproduces the same events, so a reused schema gets its samples back.
        for (long i = 0; i < existing && i < total; i++) {
            sample(samples, generator.next(), random);
        }
        if (existing >= total) {
            System.out.printf("insert: schema already holds %,d events; skipping%n", existing);
            return samples;
        }
        AtomicLong stored = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        Semaphore inFlight = new Semaphore(20_000);
        WriterConfig writerConfig = new WriterConfig((int) number("lanes", WriterConfig.DEFAULTS.lanes()), 2_000,
                Duration.ofMillis(5), 40_000, Duration.ofSeconds(30), 100_000);
        long toInsert = total - existing;
        long start = System.nanoTime();
        long lastReport = start;
        try (EventWriter writer = new EventWriter(store, writerConfig, committed -> { })) {
            for (long i = 0; i < toInsert; i++) {
                Event event = generator.next();
                sample(samples, event, random);
                inFlight.acquire();
                writer.submit(event).thenAccept(outcome -> {
                    (outcome.status() == SaveOutcome.Status.STORED ? stored : rejected).incrementAndGet();
                    inFlight.release();
                });
                long now = System.nanoTime();
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    long done = stored.get() + rejected.get();
                    System.out.printf("insert: %,d / %,d (%.0f events/s, writer queue %,d)%n", done, toInsert,
                            done / ((now - start) / 1e9), writer.queued());
                }
            }
            inFlight.acquire(20_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("insert: %,d events in %.1f s = %,.0f events/s through the writer, %d lanes (%,d stored, "
                        + "%,d refused)%n", toInsert, seconds, toInsert / seconds, writerConfig.lanes(), stored.get(),
                rejected.get());
        return samples;
    }

    private static void sample(Samples samples, Event event, SplittableRandom random) {
        samples.newest = Math.max(samples.newest, event.createdAt());
        if (event.kind() == 1) {
            if (samples.noteIds.size() < 100_000) {
                samples.noteIds.add(event.id().hex());
            } else if (random.nextInt(10) == 0) {
                samples.noteIds.set(random.nextInt(samples.noteIds.size()), event.id().hex());
            }
        }
    }

    private void queryPhase(SqlEventStore store, SyntheticEvents generator, Samples samples, int queries) {
        SplittableRandom random = new SplittableRandom(11);
        List<PubKey> authors = generator.authors();
        Map<String, Supplier<Filter>> types = new LinkedHashMap<>();
        types.put("kinds + limit", () -> Filter.builder().kinds(new int[] {1, 7, 6}[random.nextInt(3)])
                .limit(100).build());
        types.put("one author", () -> Filter.builder().authors(generator.author().hex()).limit(100).build());
        types.put("ten authors + kind + since", () -> {
            List<String> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(authors.get(random.nextInt(authors.size())).hex());
            }
            return Filter.builder().authors(ten).kinds(1).since(samples.newest - 30L * 24 * 3600).limit(100).build();
        });
        types.put("#p", () -> Filter.builder().tag('p', generator.author().hex()).limit(100).build());
        types.put("#e", () -> Filter.builder()
                .tag('e', samples.noteIds.get(random.nextInt(samples.noteIds.size()))).limit(100).build());
        types.put("#t", () -> Filter.builder().tag('t', generator.hashtag(generator.skewed(2_000))).limit(100)
                .build());
        types.put("five ids", () -> {
            List<String> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                five.add(samples.noteIds.get(random.nextInt(samples.noteIds.size())));
            }
            return Filter.builder().ids(five).build();
        });

        System.out.printf("%nquery latency through SqlEventStore.query (JDBC round trip included), %d queries each "
                + "after %d warm-up%n", queries, queries / 5);
        System.out.printf("%-28s %10s %10s %10s %10s %12s%n", "query", "p50 ms", "p99 ms", "max ms", "mean rows",
                "queries/s");
        for (Map.Entry<String, Supplier<Filter>> type : types.entrySet()) {
            for (int i = 0; i < queries / 5; i++) {
                store.query(List.of(type.getValue().get()));
            }
            long[] nanos = new long[queries];
            long rows = 0;
            for (int i = 0; i < queries; i++) {
                Filter filter = type.getValue().get();
                long start = System.nanoTime();
                rows += store.query(List.of(filter)).size();
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double total = Arrays.stream(nanos).sum() / 1e9;
            System.out.printf(Locale.ROOT, "%-28s %10.2f %10.2f %10.2f %10.1f %12.0f%n", type.getKey(),
                    nanos[queries / 2] / 1e6, nanos[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                    nanos[queries - 1] / 1e6, rows / (double) queries, queries / total);
        }
    }

    private static void analyze(String server, String user, String password, String schema) throws SQLException {
        long start = System.nanoTime();
        execute(server, user, password, "ANALYZE " + schema + ".events");
        execute(server, user, password, "ANALYZE " + schema + ".event_tags");
        System.out.printf("analyze: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static void execute(String server, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server, user, password)) {
            connection.createStatement().execute(sql);
        }
    }
}
