package dev.nostrgate.gateway.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Per-relay counters, kept in memory and updated on the hot path without locks; {@code StatsFlusher} takes and
 * resets them into the rollup table. No statistic is ever computed by scanning the events table.
 */
@Component
public class RelayCounters {
    /** Size classes: class i counts events of [2^(i+6), 2^(i+7)) bytes; the first and last are open-ended. */
    public static final int SIZE_CLASSES = 16;

    /** The counters of one relay since the last flush. */
    public static final class Counts {
        final LongAdder received = new LongAdder();
        final LongAdder stored = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder invalid = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder lagSecondsSum = new LongAdder();
        final LongAdder lagSamples = new LongAdder();
        final AtomicLongArray sizes = new AtomicLongArray(SIZE_CLASSES);
        // totals since start, for the REST view (never reset)
        final LongAdder totalReceived = new LongAdder();
        final LongAdder totalStored = new LongAdder();
        final LongAdder totalDuplicates = new LongAdder();
        final LongAdder totalInvalid = new LongAdder();
        final LongAdder totalBytes = new LongAdder();
        final List<Meter> meters = new ArrayList<>();
    }

    /** A flushed (taken and reset) set of counts. */
    public record Snapshot(long received, long stored, long duplicates, long invalid, long bytes,
                           long lagSecondsSum, long lagSamples, long[] sizeHistogram) {
        public boolean isEmpty() {
            return received == 0 && stored == 0 && duplicates == 0 && invalid == 0 && lagSamples == 0;
        }
    }

    /** Totals since the gateway started. */
    public record Totals(long received, long stored, long duplicates, long invalid, long bytes) {
    }

    private final Map<UUID, Counts> byRelay = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer lag;

    /**
     * @param meters where the end-to-end lag timer ({@code nostr.gateway.lag}: from the connector receiving an
     *     event to its commit) is published, with a percentile histogram
     */
    public RelayCounters(MeterRegistry meters) {
        this.meters = meters;
        this.lag = Timer.builder("nostr.gateway.lag")
                .description("time from receiving an event from a relay to committing it to the database")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
    }

    /** The end-to-end lag timer (receive to commit). */
    public Timer lag() {
        return lag;
    }

    private Counts of(UUID relay) {
        return byRelay.computeIfAbsent(relay, this::withMeters);
    }

    /**
     * The counts of a relay seen for the first time, with its totals published as Micrometer counters tagged
     * {@code relay=<id>}: {@code nostr.gateway.relay.events.received}, {@code .stored}, {@code .duplicates},
     * {@code .invalid} and {@code nostr.gateway.relay.received.bytes} (Prometheus: {@code
     * nostr_gateway_relay_events_received_total}, ..., {@code nostr_gateway_relay_received_bytes_total}). They read
     * the totals; nothing more is counted on the hot path.
     */
    private Counts withMeters(UUID relay) {
        Counts counts = new Counts();
        String tag = relay.toString();
        counts.meters.add(eventCounter("received", "events received from the relay", tag, counts.totalReceived));
        counts.meters.add(eventCounter("stored", "events from the relay stored (new to the aggregate)", tag,
                counts.totalStored));
        counts.meters.add(eventCounter("duplicates", "events from the relay the aggregate had already", tag,
                counts.totalDuplicates));
        counts.meters.add(eventCounter("invalid", "events from the relay rejected as invalid", tag,
                counts.totalInvalid));
        counts.meters.add(FunctionCounter.builder("nostr.gateway.relay.received.bytes", counts.totalBytes,
                        LongAdder::sum)
                .description("bytes of events received from the relay").baseUnit("bytes").tag("relay", tag)
                .register(meters));
        return counts;
    }

    private Meter eventCounter(String what, String description, String relay, LongAdder total) {
        return FunctionCounter.builder("nostr.gateway.relay.events." + what, total, LongAdder::sum)
                .description(description).tag("relay", relay).register(meters);
    }

    /** An event arrived from the relay (through its queue), of this many bytes. */
    public void received(UUID relay, int bytes) {
        Counts counts = of(relay);
        counts.received.increment();
        counts.totalReceived.increment();
        counts.bytes.add(bytes);
        counts.totalBytes.add(bytes);
        counts.sizes.incrementAndGet(sizeClass(bytes));
    }

    /** An event from the relay was committed, this long after the gateway received it. */
    public void stored(UUID relay, long lagMillis) {
        Counts counts = of(relay);
        counts.stored.increment();
        counts.totalStored.increment();
        counts.lagSecondsSum.add(Math.max(0, lagMillis) / 1000);
        counts.lagSamples.increment();
        lag.record(Math.max(0, lagMillis), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public void duplicate(UUID relay) {
        Counts counts = of(relay);
        counts.duplicates.increment();
        counts.totalDuplicates.increment();
    }

    public void invalid(UUID relay) {
        Counts counts = of(relay);
        counts.invalid.increment();
        counts.totalInvalid.increment();
    }

    /** Takes the counts since the last call and resets them (totals are kept). */
    public Map<UUID, Snapshot> drain() {
        Map<UUID, Snapshot> snapshots = new java.util.HashMap<>();
        byRelay.forEach((relay, counts) -> {
            long[] sizes = new long[SIZE_CLASSES];
            for (int i = 0; i < SIZE_CLASSES; i++) {
                sizes[i] = counts.sizes.getAndSet(i, 0);
            }
            Snapshot snapshot = new Snapshot(counts.received.sumThenReset(), counts.stored.sumThenReset(),
                    counts.duplicates.sumThenReset(), counts.invalid.sumThenReset(), counts.bytes.sumThenReset(),
                    counts.lagSecondsSum.sumThenReset(), counts.lagSamples.sumThenReset(), sizes);
            if (!snapshot.isEmpty()) {
                snapshots.put(relay, snapshot);
            }
        });
        return snapshots;
    }

    /** Gives counts back after a failed flush, so nothing is lost. */
    public void restore(UUID relay, Snapshot snapshot) {
        Counts counts = of(relay);
        counts.received.add(snapshot.received());
        counts.stored.add(snapshot.stored());
        counts.duplicates.add(snapshot.duplicates());
        counts.invalid.add(snapshot.invalid());
        counts.bytes.add(snapshot.bytes());
        counts.lagSecondsSum.add(snapshot.lagSecondsSum());
        counts.lagSamples.add(snapshot.lagSamples());
        for (int i = 0; i < SIZE_CLASSES; i++) {
            counts.sizes.addAndGet(i, snapshot.sizeHistogram()[i]);
        }
    }

    public Totals totals(UUID relay) {
        Counts counts = byRelay.get(relay);
        if (counts == null) {
            return new Totals(0, 0, 0, 0, 0);
        }
        return new Totals(counts.totalReceived.sum(), counts.totalStored.sum(), counts.totalDuplicates.sum(),
                counts.totalInvalid.sum(), counts.totalBytes.sum());
    }

    /** A relay was removed: its counts and its meters go. */
    public void forget(UUID relay) {
        Counts counts = byRelay.remove(relay);
        if (counts != null) {
            counts.meters.forEach(meters::remove);
        }
    }

    /** The size class of an event of this many bytes. */
    public static int sizeClass(int bytes) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, bytes)); // 2^(bits-1) <= bytes < 2^bits
        return Math.min(SIZE_CLASSES - 1, Math.max(0, bits - 7));
    }
}
