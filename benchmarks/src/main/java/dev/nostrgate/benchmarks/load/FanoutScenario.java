package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.Reason;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code fanout}: S subscribers hold one subscription each ({@code kinds:[1]}, the run's own {@code #t}, a
 * {@code since}); once every one has its {@code EOSE}, a publisher sends M notes at a steady rate. Each note
 * carries its number in a {@code seq} tag; the publisher notes the time it sends number i, and a subscriber
 * receiving it computes the delivery latency (one process, one clock). Reports that latency over all deliveries,
 * and the deliveries missing from the S × M expected, and duplicates. The first {@code --warmup} notes (numbers
 * below it) go the same way before the M and are not counted: the relay's first seconds of fan-out are spent
 * compiling it.
 */
final class FanoutScenario {
    private final RelayClient client;
    private final LoadOptions options;
    private final Progress progress;
    private final CpuMeter cpu;

    FanoutScenario(RelayClient client, LoadOptions options, Progress progress, CpuMeter cpu) {
        this.client = client;
        this.options = options;
        this.progress = progress;
        this.cpu = cpu;
    }

    Report run() throws InterruptedException {
        long deadline = System.nanoTime() + options.duration().toNanos();
        String runTag = "load-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        long now = System.currentTimeMillis() / 1000;
        long start = System.nanoTime();
        int warmup = options.warmup();
        List<Event> events = new SignedNotes(options.authors(), start).sign(warmup + options.events(), now,
                i -> List.of(Tag.of("t", runTag), Tag.of(EventFrames.SEQUENCE_TAG, Integer.toString(i))));
        progress.say(String.format("fanout: signed %,d notes tagged #%s in %.1f s", events.size(), runTag,
                (System.nanoTime() - start) / 1e9));
        Run run = new Run(events, warmup, cpu, ClientMessages.encode(new ClientMessage.Req("fanout",
                Filter.builder().kinds(1).tag('t', runTag).since(now - 120).build())));

        RelayClient.Opened opened = client.openAll("fanout", options.subscribers(), options.connectRate(),
                i -> run.new Subscriber(), Optional.empty(), deadline, progress);
        if (opened.connections().isEmpty()) {
            throw new IllegalStateException("no connection to " + client.url() + " opened: " + opened.failures());
        }
        run.open = opened.connections().size();
        opened.connections().forEach(connection -> connection.send(run.req));
        progress.awaitUntil(() -> run.subscribed.get() + run.refused.get() + run.lost.get() >= run.open, deadline,
                () -> String.format("fanout: %,d / %,d subscribed", run.subscribed.get(), run.open));
        int subscribed = run.subscribed.get();
        progress.say(String.format("fanout: %,d subscribed (%,d refused); publishing %,d events at %,.0f/s, the "
                + "first %,d to warm up", subscribed, run.refused.get(), events.size(), options.rate(), warmup));

        RelayConnection publisher = openPublisher(run, deadline);
        long periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), (long) (1e9 / options.rate()));
        run.start = System.nanoTime();
        ScheduledFuture<?> ticks = publisher.eventLoop().scheduleAtFixedRate(() -> run.publishDue(publisher, options.rate()), 0,
                periodNanos, TimeUnit.NANOSECONDS);
        progress.restart();
        long[] last = {run.start, 0};
        boolean allSent = progress.awaitUntil(() -> run.sent.get() >= events.size() || !publisher.isOpen(),
                deadline, () -> {
                    long t = System.nanoTime();
                    long delivered = run.deliveries.sum();
                    String line = String.format("fanout: %,d / %,d sent, %,d / %,d delivered (%,.0f/s now)",
                            run.sent.get(), events.size(), delivered, (long) subscribed * run.measuredSent(),
                            (delivered - last[1]) / ((t - last[0]) / 1e9));
                    last[0] = t;
                    last[1] = delivered;
                    return line;
                });
        ticks.cancel(false);
        run.stopping = true;
        long lastSend = System.nanoTime();
        if (!allSent) {
            progress.say("fanout: --duration reached (or the publisher lost); waiting " + LoadOptions.format(options.grace())
                    + " for deliveries");
        }
        progress.awaitUntil(() -> run.deliveries.sum() >= (long) run.subscribed.get() * run.measuredSent()
                        && run.answered.get() >= run.sent.get(), lastSend + options.grace().toNanos(),
                () -> String.format("fanout: %,d / %,d delivered, waiting", run.deliveries.sum(),
                        (long) run.subscribed.get() * run.measuredSent()));
        run.closing = true;
        CpuMeter.Reading cpuEnd = cpu.read(run::measuredSent);
        long measuredStart = warmup < run.sent.get() ? run.sentAt.get(warmup) : lastSend;
        long elapsed = Math.max(run.lastDelivery.get(), lastSend) - measuredStart;
        RelayClient.closeAll(opened.connections(), options.grace());
        RelayClient.closeAll(List.of(publisher), options.grace());

        long expected = (long) subscribed * run.measuredSent();
        long delivered = run.deliveries.sum();
        Report report = new Report("fanout", options.describe());
        report.count("subscribers_open", opened.connections().size())
                .count("connections_failed", opened.failed());
        opened.failures().forEach((reason, n) -> report.count("connections_failed: " + reason, n));
        report.count("subscribed", subscribed)
                .count("refused", run.refused.get());
        run.closedBy.forEach((prefix, n) -> report.count("refused: " + prefix, n.sum()));
        report.count("warmup_events", Math.min(warmup, run.sent.get()))
                .count("events_sent", run.measuredSent())
                .count("accepted", run.accepted.sum())
                .count("rejected", run.rejected.sum())
                .count("deliveries_expected", expected)
                .count("deliveries", delivered)
                .count("missing", Math.max(0, expected - delivered))
                .count("duplicates", run.duplicates.sum())
                .count("foreign_events", run.foreign.sum())
                .count("subscribers_lost", run.lost.get())
                .number("send_rate_per_s", run.measuredSent() / Math.max(1e-9, (lastSend - measuredStart) / 1e9))
                .number("elapsed_s", elapsed / 1e9)
                .number("deliveries_per_s", delivered / Math.max(1e-9, elapsed / 1e9));
        if (run.cpuStart != null) {
            cpu.between(run.cpuStart.join(), cpuEnd).addTo(report, "events");
        }
        report                .latency("delivery (send -> receive)", run.latency)
                .latency("ok (publisher)", run.okLatency)
                .latency("connect + handshake", opened.handshakes());
        return report;
    }

    private RelayConnection openPublisher(Run run, long deadline) throws InterruptedException {
        try {
            return client.connect(run.open, run.new Publisher(), Optional.empty())
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the publisher's connection to " + client.url() + " did not open: "
                    + RelayClient.reason(e instanceof ExecutionException ? e.getCause() : e));
        }
    }

    /** The state of one fanout run. */
    private static final class Run {
        final byte[][] messages;
        final String[] ids;
        /** Events numbered below this warm the relay up and are not counted. */
        final int warmup;
        final String req;
        /** When event i was sent, by {@link System#nanoTime()}; 0 until then. */
        final AtomicLongArray sentAt;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger subscribed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final LongAdder deliveries = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder foreign = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final Map<String, LongAdder> closedBy = new ConcurrentHashMap<>();
        final Latency latency = new Latency();
        final Latency okLatency = new Latency();
        volatile long start;
        final LongAccumulator lastDelivery = new LongAccumulator(Math::max, 0);
        final CpuMeter cpu;
        /** The CPU reading when the first measured event was sent; null until then. */
        volatile CompletableFuture<CpuMeter.Reading> cpuStart;
        volatile int open;
        volatile boolean stopping;
        volatile boolean closing;

        Run(List<Event> events, int warmup, CpuMeter cpu, String req) {
            this.warmup = warmup;
            this.cpu = cpu;
            this.messages = new byte[events.size()][];
            this.ids = new String[events.size()];
            for (int i = 0; i < events.size(); i++) {
                messages[i] = ClientMessages.encode(new ClientMessage.Publish(events.get(i)))
                        .getBytes(StandardCharsets.UTF_8);
                ids[i] = events.get(i).id().hex();
            }
            this.sentAt = new AtomicLongArray(events.size());
            this.req = req;
        }

        /** Events sent past the warm-up. */
        int measuredSent() {
            return Math.max(0, sent.get() - warmup);
        }

        /** On the publisher's event loop: sends every event due by now at the configured rate. */
        void publishDue(RelayConnection publisher, double rate) {
            long due = Math.min(messages.length, 1 + (long) ((System.nanoTime() - start) / 1e9 * rate));
            for (int i = sent.get(); i < due && !stopping && publisher.isOpen(); i = sent.get()) {
                if (i == warmup) {
                    cpuStart = cpu.readAside(this::measuredSent);
                }
                sentAt.set(i, System.nanoTime());
                publisher.send(messages[i]);
                sent.incrementAndGet();
            }
        }

        /** The publisher: counts its OKs. */
        final class Publisher implements RelayListener {
            private final Map<String, Integer> index = new HashMap<>();

            Publisher() {
                for (int i = 0; i < ids.length; i++) {
                    index.put(ids[i], i);
                }
            }

            @Override
            public void onText(RelayConnection connection, String text) {
                long now = System.nanoTime();
                try {
                    if (RelayMessages.parse(text) instanceof RelayMessage.Ok ok) {
                        Integer i = index.get(ok.eventId().hex());
                        boolean measured = i == null || i >= warmup;
                        if (measured && i != null && sentAt.get(i) != 0) {
                            okLatency.recordNanos(now - sentAt.get(i));
                        }
                        if (measured) {
                            (ok.accepted() ? accepted : rejected).increment();
                        }
                        answered.incrementAndGet();
                    }
                } catch (MalformedMessageException e) {
                    // not an answer to count
                }
            }
        }

        /** One subscriber: its subscription's state and which events it has seen. Confined to its event loop. */
        final class Subscriber implements RelayListener {
            private final BitSet seen = new BitSet(messages.length);
            private boolean live;

            @Override
            public void onText(RelayConnection connection, String text) {
                long now = System.nanoTime();
                if (EventFrames.isEvent(text)) {
                    long seq = EventFrames.sequence(text);
                    if (seq < 0 || seq >= messages.length) {
                        foreign.increment();
                    } else if (seen.get((int) seq)) {
                        duplicates.increment();
                    } else {
                        seen.set((int) seq);
                        if (seq >= warmup) {
                            long sentTime = sentAt.get((int) seq);
                            if (sentTime != 0) {
                                latency.recordNanos(now - sentTime);
                            }
                            lastDelivery.accumulate(now);
                            deliveries.increment();
                        }
                    }
                    return;
                }
                try {
                    switch (RelayMessages.parse(text)) {
                        case RelayMessage.Eose eose when !live -> {
                            live = true;
                            subscribed.incrementAndGet();
                        }
                        case RelayMessage.Closed closed -> {
                            if (!live) {
                                refused.incrementAndGet();
                            }
                            String prefix = Reason.parse(closed.message()).prefix();
                            closedBy.computeIfAbsent(prefix.isEmpty() ? "(no prefix)" : prefix,
                                    p -> new LongAdder()).increment();
                        }
                        default -> { }
                    }
                } catch (MalformedMessageException e) {
                    // a frame we cannot read is not a delivery
                }
            }

            @Override
            public void onClosed(RelayConnection connection) {
                if (!closing) {
                    lost.incrementAndGet();
                }
            }
        }
    }
}
