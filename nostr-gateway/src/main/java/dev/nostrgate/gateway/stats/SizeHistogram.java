package dev.nostrgate.gateway.stats;

import java.util.Arrays;

/**
 * Event sizes counted by class: class i counts events of [2^(i+6), 2^(i+7)) bytes, the first class everything below
 * 128 bytes and the last everything from 2 MiB up (see {@link RelayCounters#sizeClass}). Sixteen numbers per bucket
 * are enough to add buckets together and still read a median from any range of them, without keeping sizes.
 */
public final class SizeHistogram {
    public static final SizeHistogram EMPTY = new SizeHistogram(new long[RelayCounters.SIZE_CLASSES]);

    private final long[] counts;

    private SizeHistogram(long[] counts) {
        this.counts = counts;
    }

    /**
     * A histogram of these counts (copied). A shorter array (a row written before a class was added) is padded
     * with zeros.
     */
    public static SizeHistogram of(long[] counts) {
        if (counts.length > RelayCounters.SIZE_CLASSES) {
            throw new IllegalArgumentException("a size histogram has " + RelayCounters.SIZE_CLASSES
                    + " classes, was given " + counts.length);
        }
        long[] copy = Arrays.copyOf(counts, RelayCounters.SIZE_CLASSES);
        for (long count : copy) {
            if (count < 0) {
                throw new IllegalArgumentException("size class counts must not be negative: "
                        + Arrays.toString(counts));
            }
        }
        return new SizeHistogram(copy);
    }

    public SizeHistogram plus(SizeHistogram other) {
        long[] sum = new long[counts.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = counts[i] + other.counts[i];
        }
        return new SizeHistogram(sum);
    }

    /** How many events were counted. */
    public long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    public long count(int sizeClass) {
        return counts[sizeClass];
    }

    /** A copy of the counts, class 0 first. */
    public long[] toArray() {
        return counts.clone();
    }

    /**
     * The median size in bytes, estimated: the class holding the middle event is found exactly, and the position
     * inside it is interpolated linearly between the class bounds (so the estimate is off by less than the width of
     * that class, at worst a factor of two). 0 when nothing was counted.
     */
    public long median() {
        long total = total();
        if (total == 0) {
            return 0;
        }
        long rank = (total + 1) / 2; // the lower middle, 1-based
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (before + counts[i] >= rank) {
                double within = (rank - before - 0.5) / counts[i];
                return Math.round(lowerBound(i) + within * (upperBound(i) - lowerBound(i)));
            }
            before += counts[i];
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }

    /** The smallest size counted in a class, in bytes. */
    public static long lowerBound(int sizeClass) {
        return sizeClass == 0 ? 0 : 1L << (sizeClass + 6);
    }

    /** The first size above a class, in bytes (for the open-ended last class: twice its lower bound). */
    public static long upperBound(int sizeClass) {
        return 1L << (sizeClass + 7);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SizeHistogram histogram && Arrays.equals(counts, histogram.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return Arrays.toString(counts);
    }
}
