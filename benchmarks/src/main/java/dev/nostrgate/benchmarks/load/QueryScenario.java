package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.Reason;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * {@code query}: C connections, each in a loop of {@code REQ} → wait for {@code EOSE} → {@code CLOSE} → next, over
 * a mix of filters: recent notes, one author's notes, a hashtag, five ids. {@code --seed-events} first publishes
 * notes through the ingest path, and the filters draw their authors, hashtags and ids from those notes, so that
 * they find something. Measures REQ/s, the latency from {@code REQ} to {@code EOSE} per filter, events received.
 */
final class QueryScenario {
    /** One kind of query: its name in the report and how to make one from a random source. */
    record QueryType(String name, Function<SplittableRandom, Filter> filter) {
    }

    private final RelayClient client;
    private final LoadOptions options;
    private final Progress progress;
    private final CpuMeter cpu;

    QueryScenario(RelayClient client, LoadOptions options, Progress progress, CpuMeter cpu) {
        this.client = client;
        this.options = options;
        this.progress = progress;
        this.cpu = cpu;
    }

    Report run() {
        long deadline = System.nanoTime() + options.duration().toNanos();
        SignedNotes notes = new SignedNotes(options.authors(), System.nanoTime());
        List<Event> seeded = List.of();
        Publishing.Result seeding = null;
        if (options.seedEvents() > 0) {
            long start = System.nanoTime();
            seeded = notes.sign(options.seedEvents(), System.currentTimeMillis() / 1000, i -> List.of());
            progress.say(String.format("seed: signed %,d notes in %.1f s", seeded.size(),
                    (System.nanoTime() - start) / 1e9));
            seeding = new Publishing(client, options, progress, cpu)
                    .publish("seed", seeded, options.connections(), options.inFlight(), deadline);
            progress.say(String.format("seed: %,d accepted, %,d rejected, %,d unanswered (%,.0f events/s)",
                    seeding.accepted(), seeding.rejectedTotal(), seeding.unanswered(), seeding.acceptedPerSecond()));
        }
        List<QueryType> types = mix(seeded, notes);
        Run run = new Run(types, options.warmup(), options.queries(), cpu);
        RelayClient.Opened opened = client.openAll("query", options.connections(), options.connectRate(),
                i -> run.new Lane(i), Optional.empty(), deadline, progress);
        if (opened.connections().isEmpty()) {
            throw new IllegalStateException("no connection to " + client.url() + " opened: " + opened.failures());
        }
        progress.say(String.format("query: %,d connections open, %,d queries after %,d to warm up, %d types in turn",
                opened.connections().size(), options.queries(), options.warmup(), types.size()));
        run.start = System.nanoTime();
        run.open = opened.connections().size();
        for (RelayConnection connection : opened.connections()) {
            connection.eventLoop().execute(() -> run.lane(connection.index()).next(connection));
        }
        progress.restart();
        long[] last = {run.start, 0};
        boolean finished = progress.awaitUntil(run::finished, deadline, () -> {
            long now = System.nanoTime();
            long done = run.finished.get();
            String line = String.format("query: %,d / %,d done%s (%,.0f REQ/s now), %,d events received", done,
                    run.total, done < options.warmup() ? " (warming up)" : "",
                    (done - last[1]) / ((now - last[0]) / 1e9), run.events.sum());
            last[0] = now;
            last[1] = done;
            return line;
        });
        if (!finished) {
            run.stopping = true;
            progress.say("query: --duration reached; waiting up to " + LoadOptions.format(options.grace()) + " for the queries open");
            progress.awaitUntil(() -> run.finished.get() + run.abandoned.get() >= run.issued.get(),
                    System.nanoTime() + options.grace().toNanos(), () -> "query: waiting for EOSEs");
        }
        run.stopping = true;
        run.closing = true;
        CpuMeter.Reading cpuEnd = cpu.read(run.eoses::sum);
        long measuredFrom = run.measuredFrom.get() == Long.MIN_VALUE ? run.start : run.measuredFrom.get();
        long elapsed = (run.eoses.sum() > 0 ? run.lastAnswer.get() : System.nanoTime()) - measuredFrom;
        RelayClient.closeAll(opened.connections(), options.grace());

        Report report = new Report("query", options.describe());
        if (seeding != null) {
            report.count("seed_accepted", seeding.accepted()).count("seed_rejected", seeding.rejectedTotal());
        }
        report.count("connections_open", opened.connections().size()).count("connections_failed", opened.failed());
        opened.failures().forEach((reason, n) -> report.count("connections_failed: " + reason, n));
        long eoses = run.eoses.sum();
        report.count("warmup_queries", run.warmedUp.get())
                .count("reqs_sent", run.issued.get())
                .count("eose", eoses)
                .count("closed_by_relay", run.closed.sum());
        run.closedBy.forEach((prefix, n) -> report.count("closed: " + prefix, n.sum()));
        report.count("unfinished", run.issued.get() - run.finished.get())
                .count("events_received", run.events.sum())
                .count("notices", run.notices.sum())
                .count("malformed", run.malformed.sum())
                .count("connections_lost", run.lost.get())
                .number("elapsed_s", elapsed / 1e9)
                .number("reqs_per_s", elapsed <= 0 ? 0 : eoses / (elapsed / 1e9));
        if (run.cpuStart != null) {
            cpu.between(run.cpuStart.join(), cpuEnd).addTo(report, "req");
        }
        for (int t = 0; t < types.size(); t++) {
            long count = run.latencies.get(t).count();
            report.number("events_per_req: " + types.get(t).name(),
                    count == 0 ? 0 : run.eventsByType.get(t).sum() / (double) count);
        }
        report.latency("eose (all)", run.all);
        for (int t = 0; t < types.size(); t++) {
            report.latency("eose: " + types.get(t).name(), run.latencies.get(t));
        }
        report.latency("connect + handshake", opened.handshakes());
        return report;
    }

    /** The query mix, with parameters drawn from the seeded notes (or from the key pool when nothing was seeded). */
    static List<QueryType> mix(List<Event> seeded, SignedNotes notes) {
        List<String> authors = new ArrayList<>();
        List<String> hashtags = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Event event : seeded) {
            authors.add(event.pubkey().hex());
            ids.add(event.id().hex());
            for (Tag tag : event.tags()) {
                if (tag.name().equals("t") && tag.values().size() >= 2) {
                    hashtags.add(tag.value());
                }
            }
        }
        if (authors.isEmpty()) {
            notes.authors().forEach(author -> authors.add(author.hex()));
        }
        if (hashtags.isEmpty()) {
            hashtags.addAll(notes.hashtags());
        }
        return List.of(
                new QueryType("kinds 1, limit 50", random -> Filter.builder().kinds(1).limit(50).build()),
                new QueryType("one author, limit 50", random -> Filter.builder()
                        .authors(authors.get(random.nextInt(authors.size()))).limit(50).build()),
                new QueryType("#t, limit 50", random -> Filter.builder()
                        .tag('t', hashtags.get(random.nextInt(hashtags.size()))).limit(50).build()),
                new QueryType("5 ids", random -> {
                    List<String> five = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        five.add(ids.isEmpty() ? randomId(random) : ids.get(random.nextInt(ids.size())));
                    }
                    return Filter.builder().ids(five).build();
                }));
    }

    private static String randomId(SplittableRandom random) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return Hex.encode(bytes);
    }

    /** The state of one query run, shared by its lanes. */
    private static final class Run {
        final List<QueryType> types;
        final int warmup;
        final int total;
        final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
        final AtomicLong issued = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong warmedUp = new AtomicLong();
        /** When the first measured query was sent; before it, queries warm up both sides and are not counted. */
        final AtomicLong measuredFrom = new AtomicLong(Long.MIN_VALUE);
        final LongAdder eoses = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder events = new LongAdder();
        final LongAdder notices = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final Map<String, LongAdder> closedBy = new ConcurrentHashMap<>();
        final List<Latency> latencies = new ArrayList<>();
        final List<LongAdder> eventsByType = new ArrayList<>();
        final Latency all = new Latency();
        final LongAccumulator lastAnswer = new LongAccumulator(Math::max, Long.MIN_VALUE);
        final CpuMeter cpu;
        /** The CPU reading when the first measured query was sent; null until then. */
        volatile CompletableFuture<CpuMeter.Reading> cpuStart;
        volatile boolean stopping;
        volatile boolean closing;
        volatile long start;
        volatile int open;

        Run(List<QueryType> types, int warmup, int queries, CpuMeter cpu) {
            this.types = types;
            this.cpu = cpu;
            this.warmup = warmup;
            this.total = warmup + queries;
            for (int i = 0; i < types.size(); i++) {
                latencies.add(new Latency());
                eventsByType.add(new LongAdder());
            }
        }

        Lane lane(int index) {
            return lanes.get(index);
        }

        boolean finished() {
            return finished.get() + abandoned.get() >= total || lost.get() >= open;
        }

        /** One connection: at most one query open at a time. Confined to its event loop. */
        final class Lane implements RelayListener {
            private final SplittableRandom random;
            private int number;
            private String subscriptionId;
            private String eventPrefix;
            private int type;
            private long sentAt;
            private long received;
            private boolean measured;

            Lane(int index) {
                this.random = new SplittableRandom(index * 7919L + 17);
                lanes.put(index, this);
            }

            void next(RelayConnection connection) {
                subscriptionId = null;
                if (stopping || !connection.isOpen()) {
                    return;
                }
                long n = issued.getAndIncrement();
                if (n >= total) {
                    issued.decrementAndGet();
                    return;
                }
                type = (int) (n % types.size());
                measured = n >= warmup;
                subscriptionId = "q" + connection.index() + "-" + number++;
                eventPrefix = "[\"EVENT\",\"" + subscriptionId + "\",";
                received = 0;
                String req = ClientMessages.encode(
                        new ClientMessage.Req(subscriptionId, types.get(type).filter().apply(random)));
                sentAt = System.nanoTime();
                if (n == warmup) {
                    measuredFrom.set(sentAt);
                    cpuStart = cpu.readAside(eoses::sum);
                }
                connection.send(req);
            }

            @Override
            public void onText(RelayConnection connection, String text) {
                long now = System.nanoTime();
                if (subscriptionId == null) {
                    return; // late frames of a closed subscription
                }
                if (text.startsWith(eventPrefix)) {
                    received++;
                    return;
                }
                if (EventFrames.isEvent(text)) {
                    if (EventFrames.subscriptionId(text).filter(subscriptionId::equals).isPresent()) {
                        received++;
                    }
                    return;
                }
                RelayMessage message;
                try {
                    message = RelayMessages.parse(text);
                } catch (MalformedMessageException e) {
                    malformed.increment();
                    return;
                }
                switch (message) {
                    case RelayMessage.Eose eose when eose.subscriptionId().equals(subscriptionId) -> {
                        if (measured) {
                            latencies.get(type).recordNanos(now - sentAt);
                            all.recordNanos(now - sentAt);
                            eventsByType.get(type).add(received);
                            events.add(received);
                            eoses.increment();
                        } else {
                            warmedUp.incrementAndGet();
                        }
                        connection.send(ClientMessages.encode(new ClientMessage.Close(subscriptionId)));
                        done(connection, now);
                    }
                    case RelayMessage.Closed refused when refused.subscriptionId().equals(subscriptionId) -> {
                        closed.increment();
                        String prefix = Reason.parse(refused.message()).prefix();
                        closedBy.computeIfAbsent(prefix.isEmpty() ? "(no prefix)" : prefix, p -> new LongAdder())
                                .increment();
                        done(connection, now);
                    }
                    case RelayMessage.Notice notice -> notices.increment();
                    default -> { }
                }
            }

            private void done(RelayConnection connection, long now) {
                lastAnswer.accumulate(now);
                finished.incrementAndGet();
                next(connection);
            }

            @Override
            public void onClosed(RelayConnection connection) {
                if (!closing) {
                    if (subscriptionId != null) {
                        abandoned.incrementAndGet();
                        subscriptionId = null;
                    }
                    lost.incrementAndGet();
                }
            }
        }
    }
}
