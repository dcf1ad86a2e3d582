package dev.nostrgate.benchmarks.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution, recorded from any thread: an HdrHistogram in microseconds with three significant
 * digits (0.1 % error), growing as needed. Recording costs a few atomic increments, not an allocation.
 */
public final class Latency {
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos / 1_000));
    }

    /** A new distribution holding every value of these. */
    public static Latency merged(Iterable<Latency> parts) {
        Latency all = new Latency();
        for (Latency part : parts) {
            all.histogram.add(part.histogram.copy());
        }
        return all;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Percentiles in milliseconds; all zero when nothing was recorded. */
    public Summary summary() {
        Histogram copy = histogram.copy();
        if (copy.getTotalCount() == 0) {
            return new Summary(0, 0, 0, 0, 0, 0, 0);
        }
        return new Summary(copy.getTotalCount(), ms(copy.getValueAtPercentile(50)),
                ms(copy.getValueAtPercentile(90)), ms(copy.getValueAtPercentile(99)),
                ms(copy.getValueAtPercentile(99.9)), ms(copy.getMaxValue()), copy.getMean() / 1_000);
    }

    /** Milliseconds. */
    public record Summary(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }
}
