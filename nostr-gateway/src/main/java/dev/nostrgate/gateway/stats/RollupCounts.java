package dev.nostrgate.gateway.stats;

/**
 * What one row of {@code gateway_relay_stats} holds, or the sum of several: counts add up exactly, sizes by class.
 *
 * @param lagSecondsSum the receive-to-commit lag of every stored event, in whole seconds, summed
 * @param lagSamples how many lags were summed (the stored events)
 */
public record RollupCounts(long received, long stored, long duplicates, long invalid, long bytes, long lagSecondsSum,
                           long lagSamples, SizeHistogram sizes) {
    public static final RollupCounts ZERO = new RollupCounts(0, 0, 0, 0, 0, 0, 0, SizeHistogram.EMPTY);

    public RollupCounts {
        if (sizes == null) {
            throw new IllegalArgumentException("sizes must not be null (use SizeHistogram.EMPTY)");
        }
    }

    /** What a flush took from the in-memory counters. */
    public static RollupCounts of(RelayCounters.Snapshot snapshot) {
        return new RollupCounts(snapshot.received(), snapshot.stored(), snapshot.duplicates(), snapshot.invalid(),
                snapshot.bytes(), snapshot.lagSecondsSum(), snapshot.lagSamples(),
                SizeHistogram.of(snapshot.sizeHistogram()));
    }

    public RollupCounts plus(RollupCounts other) {
        return new RollupCounts(received + other.received, stored + other.stored, duplicates + other.duplicates,
                invalid + other.invalid, bytes + other.bytes, lagSecondsSum + other.lagSecondsSum,
                lagSamples + other.lagSamples, sizes.plus(other.sizes));
    }

    /** Bytes per received event; 0 when none was received. */
    public double meanSize() {
        return received == 0 ? 0 : (double) bytes / received;
    }

    /** Seconds from receiving an event to committing it, on average; 0 when none was stored. */
    public double meanLagSeconds() {
        return lagSamples == 0 ? 0 : (double) lagSecondsSum / lagSamples;
    }
}
