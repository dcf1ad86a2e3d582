package dev.nostrgate.core.negentropy;

import dev.nostrgate.core.Hex;
import java.util.Arrays;

/**
 * A point in the (timestamp, id) space: a timestamp and an id prefix of 0–32 bytes, the missing bytes being zero.
 * Ranges in a message are given by their exclusive upper bound.
 */
public record Bound(long timestamp, byte[] idPrefix) {
    /** The reserved timestamp 2^64 - 1 that ends the last range. */
    public static final long INFINITY = -1L;
    static final int ID_SIZE = 32;
    static final Bound END = new Bound(INFINITY, new byte[0]);

    public Bound {
        if (idPrefix.length > ID_SIZE) {
            throw new NegentropyException("bound id prefix is " + idPrefix.length + " bytes, at most 32");
        }
    }

    /** Compares this bound with an item whose id is {@code ids[offset .. offset + 32]}. */
    int compareToItem(long itemTimestamp, byte[] ids, int offset) {
        int byTime = Long.compareUnsigned(timestamp, itemTimestamp);
        if (byTime != 0) {
            return byTime;
        }
        for (int i = 0; i < ID_SIZE; i++) {
            int ours = i < idPrefix.length ? idPrefix[i] & 0xff : 0;
            int theirs = ids[offset + i] & 0xff;
            if (ours != theirs) {
                return ours < theirs ? -1 : 1;
            }
        }
        return 0;
    }

    /**
     * The shortest bound that separates {@code previous} from {@code current}, the next item in order: the
     * timestamp alone if they differ, else the common id prefix plus one byte.
     */
    static Bound between(long previousTimestamp, byte[] previousId, long currentTimestamp, byte[] currentId) {
        if (previousTimestamp != currentTimestamp) {
            return new Bound(currentTimestamp, new byte[0]);
        }
        int shared = Arrays.mismatch(previousId, currentId);
        return new Bound(currentTimestamp, Arrays.copyOf(currentId, shared < 0 ? ID_SIZE : shared + 1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bound that && timestamp == that.timestamp && Arrays.equals(idPrefix, that.idPrefix);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Arrays.hashCode(idPrefix);
    }

    @Override
    public String toString() {
        return "Bound[" + Long.toUnsignedString(timestamp) + ", " + Hex.encode(idPrefix) + "]";
    }
}
