package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ClientMessages;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.Reason;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes pre-signed events over C connections with W events in flight on each, and counts the relay's
 * {@code OK}s: the ingest scenario, and the seeding of the query scenario. The events are encoded before the clock
 * starts; a connection sends its next event when an {@code OK} frees a slot, so the relay sets the pace.
 */
final class Publishing {
    /** What one publishing run saw. Latency is from the send to the {@code OK}, per event. */
    record Result(int events, long sent, long accepted, SortedMap<String, Long> rejected, long unanswered,
            long unexpectedMessages, long notices, long malformed, long connectionsLost, long elapsedNanos,
            double meanMessageBytes, Latency okLatency, RelayClient.Opened opened, CpuUsage cpu) {
        long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        double acceptedPerSecond() {
            return elapsedNanos == 0 ? 0 : accepted / (elapsedNanos / 1e9);
        }
    }

    private final RelayClient client;
    private final LoadOptions options;
    private final Progress progress;
    private final CpuMeter cpu;

    Publishing(RelayClient client, LoadOptions options, Progress progress, CpuMeter cpu) {
        this.client = client;
        this.options = options;
        this.progress = progress;
        this.cpu = cpu;
    }

    Result publish(String label, List<Event> events, int connections, int inFlight, long deadlineNanos) {
        Run run = new Run(events, inFlight);
        RelayClient.Opened opened = client.openAll(label, connections, options.connectRate(), i -> run.new Lane(i),
                Optional.empty(), deadlineNanos, progress);
        if (opened.connections().isEmpty()) {
            throw new IllegalStateException("no connection to " + client.url() + " opened: " + opened.failures());
        }
        progress.say(String.format("%s: %,d connections open, publishing %,d events (%,.0f bytes each on average),"
                + " %d in flight per connection", label, opened.connections().size(), events.size(),
                run.meanBytes, inFlight));
        run.open = opened.connections().size();
        CpuMeter.Reading cpuStart = cpu.read(run.accepted::sum); // before the first send: nothing is in flight
        run.start = System.nanoTime();
        for (RelayConnection connection : opened.connections()) {
            connection.eventLoop().execute(() -> run.lanes.get(connection.index()).fill(connection));
        }
        progress.restart();
        long[] last = {run.start, 0};
        boolean finished = progress.awaitUntil(run::finished, deadlineNanos, () -> {
            long now = System.nanoTime();
            long answered = run.answered.get();
            String line = String.format("%s: %,d / %,d answered (%,.0f/s now), %,d rejected, %,d in flight", label,
                    answered, events.size(), (answered - last[1]) / ((now - last[0]) / 1e9), run.rejected.sum(),
                    run.sent.get() - answered - run.abandoned.get());
            last[0] = now;
            last[1] = answered;
            return line;
        });
        if (!finished) {
            run.stopping = true;
            progress.say(String.format("%s: --duration reached; waiting up to %s for the answers in flight", label,
                    LoadOptions.format(options.grace())));
            progress.awaitUntil(() -> run.answered.get() + run.abandoned.get() >= run.sent.get(),
                    System.nanoTime() + options.grace().toNanos(), () -> label + ": waiting for answers");
        }
        run.stopping = true;
        run.closing = true;
        CpuUsage cpuUsage = cpu.between(cpuStart, cpu.read(run.accepted::sum));
        long elapsed = (run.answered.get() > 0 ? run.lastAnswer.get() : System.nanoTime()) - run.start;
        SortedMap<String, Long> rejected = new TreeMap<>();
        run.rejectedBy.forEach((prefix, n) -> rejected.put(prefix, n.sum()));
        Result result = new Result(events.size(), run.sent.get(), run.accepted.sum(), rejected,
                run.sent.get() - run.answered.get(), run.unexpected.sum(), run.notices.sum(), run.malformed.sum(),
                run.lost.get(), elapsed, run.meanBytes, run.latency, opened, cpuUsage);
        RelayClient.closeAll(opened.connections(), options.grace());
        return result;
    }

    /** The state of one publishing run, shared by its lanes. */
    private static final class Run {
        final byte[][] messages;
        final String[] ids;
        final double meanBytes;
        final int inFlight;
        final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
        final AtomicInteger cursor = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        final AtomicInteger lost = new AtomicInteger();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder unexpected = new LongAdder();
        final LongAdder notices = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final Map<String, LongAdder> rejectedBy = new ConcurrentHashMap<>();
        final LongAccumulator lastAnswer = new LongAccumulator(Math::max, Long.MIN_VALUE);
        final Latency latency = new Latency();
        volatile boolean stopping;
        volatile boolean closing;
        volatile long start;
        volatile int open;

        Run(List<Event> events, int inFlight) {
            this.inFlight = inFlight;
            this.messages = new byte[events.size()][];
            this.ids = new String[events.size()];
            long bytes = 0;
            for (int i = 0; i < events.size(); i++) {
                messages[i] = ClientMessages.encode(new ClientMessage.Publish(events.get(i)))
                        .getBytes(StandardCharsets.UTF_8);
                ids[i] = events.get(i).id().hex();
                bytes += messages[i].length;
            }
            this.meanBytes = events.isEmpty() ? 0 : bytes / (double) events.size();
        }

        /** Every event answered (or lost with its connection), or no connection left. */
        boolean finished() {
            return answered.get() + abandoned.get() >= messages.length || lost.get() >= open;
        }

        /** One connection: its events in flight, by id, with their send times. Confined to its event loop. */
        final class Lane implements RelayListener {
            private final Map<String, Long> pending = new HashMap<>();

            Lane(int index) {
                lanes.put(index, this);
            }

            void fill(RelayConnection connection) {
                while (pending.size() < inFlight && !stopping && connection.isOpen()) {
                    int i = cursor.getAndIncrement();
                    if (i >= messages.length) {
                        return;
                    }
                    sent.incrementAndGet();
                    pending.put(ids[i], System.nanoTime());
                    connection.send(messages[i]);
                }
            }

            @Override
            public void onText(RelayConnection connection, String text) {
                long now = System.nanoTime();
                RelayMessage message;
                try {
                    message = RelayMessages.parse(text);
                } catch (MalformedMessageException e) {
                    malformed.increment();
                    return;
                }
                switch (message) {
                    case RelayMessage.Ok ok -> {
                        Long sentAt = pending.remove(ok.eventId().hex());
                        if (sentAt == null) {
                            unexpected.increment();
                            return;
                        }
                        latency.recordNanos(now - sentAt);
                        if (ok.accepted()) {
                            accepted.increment();
                        } else {
                            rejected.increment();
                            String prefix = Reason.parse(ok.message()).prefix();
                            rejectedBy.computeIfAbsent(prefix.isEmpty() ? "(no prefix)" : prefix,
                                    p -> new LongAdder()).increment();
                        }
                        lastAnswer.accumulate(now);
                        answered.incrementAndGet(); // last: the driver reads it as "this answer is counted"
                        fill(connection);
                    }
                    case RelayMessage.Notice notice -> notices.increment();
                    case RelayMessage.AuthChallenge greeting -> { } // NIP-42 greeting: publishing here needs no AUTH
                    default -> unexpected.increment();
                }
            }

            @Override
            public void onClosed(RelayConnection connection) {
                if (!closing) {
                    abandoned.addAndGet(pending.size());
                    pending.clear();
                    lost.incrementAndGet();
                }
            }
        }
    }
}
