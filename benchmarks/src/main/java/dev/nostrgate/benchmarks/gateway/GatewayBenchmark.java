package dev.nostrgate.benchmarks.gateway;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayApplication;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway benchmark: N upstream relays → RabbitMQ → PostgreSQL, every signature verified.
 *
 * <pre>
 * ./nostr gateway-bench [--relays 4] [--events 100000] [--shared 0.1] [--live-seconds 20] [--rate N]
 *                       [--db jdbc:postgresql://127.0.0.1:5432/test]
 * </pre>
 *
 * Phase 1 (throughput): each relay holds a backlog of pre-signed events (a fraction shared with another relay);
 * the relays are registered at once and the time until every event is stored gives events/s end to end. Phase 2
 * (lag): live events at {@code --rate} per second (default: half the phase-1 rate), spread over the relays; the
 * lag from receiving an event to committing it is read from the gateway's own {@code nostr.gateway.lag} histogram.
 */
public final class GatewayBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value pairs; got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        int relays = Integer.parseInt(options.getOrDefault("relays", "4"));
        int total = Integer.parseInt(options.getOrDefault("events", "100000").replace("_", ""));
        double shared = Double.parseDouble(options.getOrDefault("shared", "0.1"));
        int liveSeconds = Integer.parseInt(options.getOrDefault("live-seconds", "20"));
        String server = options.getOrDefault("db", "jdbc:postgresql://127.0.0.1:5432/test");

        System.out.printf("gateway benchmark: %d relays, %,d events (%.0f%% on two relays), signatures verified%n",
                relays, total, shared * 100);
        List<SecKey> authors = IntStream.range(0, 200).mapToObj(i -> SecKey.generate()).toList();
        long signStart = System.nanoTime();
        List<List<String>> backlogs = backlogs(authors, relays, total, shared);
        System.out.printf("signed %,d events in %.1f s (before the clock starts)%n", total,
                (System.nanoTime() - signStart) / 1e9);

        String schema = "gwbench_" + System.currentTimeMillis();
        execute(server, "CREATE SCHEMA " + schema);
        List<SyntheticUpstream> upstreams = new ArrayList<>();
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
                .run("--server.port=0", "--gateway.relay-port=0",
                        "--gateway.database.url=" + server + "?currentSchema=" + schema,
                        "--logging.level.root=WARN", "--spring.main.banner-mode=off")) {
            for (List<String> backlog : backlogs) {
                SyntheticUpstream upstream = new SyntheticUpstream(backlog);
                upstream.start();
                upstream.awaitStarted();
                upstreams.add(upstream);
            }
            RelayRegistry registry = gateway.getBean(RelayRegistry.class);
            RelayLifecycle lifecycle = gateway.getBean(RelayLifecycle.class);
            RelayCounters counters = gateway.getBean(RelayCounters.class);

            // phase 1: throughput
            int received = backlogs.stream().mapToInt(List::size).sum();
            List<UUID> ids = new ArrayList<>();
            long start = System.nanoTime();
            for (SyntheticUpstream upstream : upstreams) {
                RegisteredRelay relay = registry.add(upstream.url(), "bench", List.of(Filter.ALL));
                ids.add(relay.id());
                lifecycle.start(relay);
            }
            long lastReport = start;
            while (handled(counters, ids) < received) {
                TimeUnit.MILLISECONDS.sleep(20);
                long now = System.nanoTime();
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    System.out.printf("phase 1: %,d / %,d events handled (%.0f/s)%n", handled(counters, ids),
                            received, handled(counters, ids) / ((now - start) / 1e9));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long stored = ids.stream().mapToLong(id -> counters.totals(id).stored()).sum();
            System.out.printf("phase 1: %,d events received from %d relays in %.1f s = %,.0f events/s end to end "
                    + "(%,d stored, %,.0f stored/s; the rest duplicates across relays)%n", received, relays, seconds,
                    received / seconds, stored, stored / seconds);

            // phase 2: lag at a steady rate
            double rate = Double.parseDouble(options.getOrDefault("rate", String.valueOf(received / seconds / 2)));
            int liveEvents = (int) (rate * liveSeconds);
            List<String> live = new ArrayList<>(liveEvents);
            AtomicInteger counter = new AtomicInteger();
            IntStream.range(0, liveEvents).parallel().mapToObj(i -> note(authors.get(i % authors.size()),
                    "live " + i)).forEachOrdered(live::add);
            HistogramSnapshot before = counters.lag().takeSnapshot();
            long liveStart = System.nanoTime();
            for (String event : live) {
                long due = liveStart + (long) (counter.get() / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                upstreams.get(counter.getAndIncrement() % upstreams.size()).live(event);
            }
            int expected = received + liveEvents;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (handled(counters, ids) < expected && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            HistogramSnapshot after = counters.lag().takeSnapshot();
            System.out.printf(Locale.ROOT, "phase 2: %,d live events at %,.0f/s over %d s: lag p50 <= %.0f ms, p99 <= "
                            + "%.0f ms (receive to commit, histogram bucket bounds)%n", liveEvents, rate, liveSeconds,
                    percentile(before, after, 0.50), percentile(before, after, 0.99));
            // removals drain in parallel; the benchmark's relays are gone from the broker before it returns
            List<CompletableFuture<Void>> removals = new ArrayList<>();
            for (UUID id : ids) {
                removals.add(lifecycle.remove(id));
                registry.remove(id);
            }
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).join();
        } finally {
            upstreams.forEach(upstream -> {
                try {
                    upstream.stop(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            execute(server, "DROP SCHEMA " + schema + " CASCADE");
        }
        System.exit(0);
    }

    private static long handled(RelayCounters counters, List<UUID> ids) {
        return ids.stream().mapToLong(id -> {
            RelayCounters.Totals totals = counters.totals(id);
            return totals.stored() + totals.duplicates() + totals.invalid();
        }).sum();
    }

    /** Each relay's backlog; a shared fraction of the events is also on the next relay. */
    private static List<List<String>> backlogs(List<SecKey> authors, int relays, int total, double shared) {
        int unique = (int) Math.round(total / (1 + shared));
        List<String> events = IntStream.range(0, unique).parallel()
                .mapToObj(i -> note(authors.get(i % authors.size()), "benchmark note " + i)).toList();
        List<List<String>> backlogs = new ArrayList<>();
        for (int r = 0; r < relays; r++) {
            backlogs.add(new ArrayList<>());
        }
        for (int i = 0; i < events.size(); i++) {
            int relay = i % relays;
            backlogs.get(relay).add(events.get(i));
            if (i < unique * shared) {
                backlogs.get((relay + 1) % relays).add(events.get(i));
            }
        }
        return backlogs;
    }

    private static String note(SecKey key, String text) {
        Event event = new UnsignedEvent(key.pubKey(), System.currentTimeMillis() / 1000, 1,
                List.of(dev.nostrgate.core.event.Tag.of("t", "benchmark")),
                text + " — a typical short note of a few hundred bytes, with some words to make it realistic: "
                        + "nostr relays gossip signed events; this one went through RabbitMQ into PostgreSQL.")
                .sign(key);
        return event.toJson();
    }

    /** The upper bound of the bucket holding the given quantile of what was recorded between the snapshots. */
    private static double percentile(HistogramSnapshot before, HistogramSnapshot after, double quantile) {
        CountAtBucket[] start = before.histogramCounts();
        CountAtBucket[] end = after.histogramCounts();
        double total = after.count() - before.count();
        if (total <= 0) {
            return Double.NaN;
        }
        for (int i = 0; i < end.length; i++) {
            double cumulative = end[i].count() - (i < start.length ? start[i].count() : 0);
            if (cumulative >= quantile * total) {
                return end[i].bucket(TimeUnit.MILLISECONDS);
            }
        }
        return after.max(TimeUnit.MILLISECONDS);
    }

    private static void execute(String server, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(server, "postgres", "")) {
            connection.createStatement().execute(sql);
        }
    }
}
