package dev.nostrgate.core.negentropy;

import java.util.Arrays;

/**
 * Items packed in two arrays, a {@code long[]} of timestamps and one {@code byte[]} of 32-byte ids, with no object
 * per item: a million items take 40 MB and sort, search and fingerprint without chasing pointers. Built once by
 * {@link Builder}, then read-only (and safe to share between threads).
 */
public final class SortedVectorStorage implements NegentropyStorage {
    private static final int ID = Bound.ID_SIZE;
    private final long[] timestamps;
    private final byte[] ids;
    private final int size;

    private SortedVectorStorage(long[] timestamps, byte[] ids, int size) {
        this.timestamps = timestamps;
        this.ids = ids;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder(16);
    }

    /** A builder with room for {@code expected} items before it grows. */
    public static Builder builder(int expected) {
        return new Builder(expected);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        return timestamps[index];
    }

    @Override
    public void copyId(int index, byte[] target, int offset) {
        System.arraycopy(ids, index * ID, target, offset, ID);
    }

    @Override
    public byte[] fingerprint(int begin, int end) {
        IdSum sum = new IdSum();
        for (int i = begin; i < end; i++) {
            sum.add(ids, i * ID);
        }
        return sum.fingerprint();
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        int low = begin;
        int high = end;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (bound.compareToItem(timestamps[middle], ids, middle * ID) > 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Collects items in any order; {@link #build()} sorts them and drops repeated (timestamp, id) pairs. */
    public static final class Builder {
        private long[] timestamps;
        private byte[] ids;
        private int size;
        private boolean sorted = true;

        private Builder(int expected) {
            timestamps = new long[Math.max(expected, 1)];
            ids = new byte[Math.max(expected, 1) * ID];
        }

        /** Adds an item; {@code timestamp} is unsigned and must not be {@link Bound#INFINITY}. */
        public Builder add(long timestamp, byte[] id) {
            return add(timestamp, id, 0);
        }

        /** Adds an item whose id is {@code source[offset .. offset + 32]}. */
        public Builder add(long timestamp, byte[] source, int offset) {
            if (timestamp == Bound.INFINITY) {
                throw new IllegalArgumentException("timestamp 2^64-1 is reserved for the end of the range");
            }
            if (source.length - offset < ID) {
                throw new IllegalArgumentException("an id is 32 bytes");
            }
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                ids = Arrays.copyOf(ids, size * 2 * ID);
            }
            timestamps[size] = timestamp;
            System.arraycopy(source, offset, ids, size * ID, ID);
            if (sorted && size > 0 && compare(size - 1, size) > 0) {
                sorted = false; // rows from an ordered query skip the sort
            }
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public SortedVectorStorage build() {
            if (!sorted) {
                permute(sortedOrder());
            }
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (kept > 0 && compare(kept - 1, i) == 0) {
                    continue;
                }
                timestamps[kept] = timestamps[i];
                System.arraycopy(ids, i * ID, ids, kept * ID, ID);
                kept++;
            }
            return new SortedVectorStorage(Arrays.copyOf(timestamps, kept), Arrays.copyOf(ids, kept * ID), kept);
        }

        private int compare(int a, int b) {
            int byTime = Long.compareUnsigned(timestamps[a], timestamps[b]);
            return byTime != 0 ? byTime : Arrays.compareUnsigned(ids, a * ID, a * ID + ID, ids, b * ID, b * ID + ID);
        }

        /** Item indexes in order: a bottom-up merge sort on an int[] (stable, no boxing). */
        private int[] sortedOrder() {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            int[] scratch = new int[size];
            for (int width = 1; width < size; width *= 2) {
                for (int start = 0; start < size; start += 2 * width) {
                    int middle = Math.min(start + width, size);
                    int end = Math.min(start + 2 * width, size);
                    int left = start;
                    int right = middle;
                    for (int k = start; k < end; k++) {
                        if (left < middle && (right >= end || compare(order[left], order[right]) <= 0)) {
                            scratch[k] = order[left++];
                        } else {
                            scratch[k] = order[right++];
                        }
                    }
                }
                int[] swap = order;
                order = scratch;
                scratch = swap;
            }
            return order;
        }

        private void permute(int[] order) {
            long[] newTimestamps = new long[timestamps.length];
            byte[] newIds = new byte[ids.length];
            for (int i = 0; i < size; i++) {
                newTimestamps[i] = timestamps[order[i]];
                System.arraycopy(ids, order[i] * ID, newIds, i * ID, ID);
            }
            timestamps = newTimestamps;
            ids = newIds;
        }
    }
}
