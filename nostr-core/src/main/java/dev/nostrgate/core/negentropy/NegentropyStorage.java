package dev.nostrgate.core.negentropy;

/**
 * The items one side of a reconciliation holds: (timestamp, 32-byte id) pairs sorted by timestamp, then by id
 * bytes, without duplicates, addressed by index. Timestamps are unsigned 64-bit; {@link Bound#INFINITY} is reserved.
 */
public interface NegentropyStorage {

    /** How many items there are. */
    int size();

    /** The timestamp of item {@code index}, unsigned. */
    long timestamp(int index);

    /** Copies the 32-byte id of item {@code index} into {@code target} at {@code offset}. */
    void copyId(int index, byte[] target, int offset);

    /** The 16-byte fingerprint of items {@code [begin, end)}: see {@link IdSum}. */
    byte[] fingerprint(int begin, int end);

    /** The first index in {@code [begin, end)} whose item is not below {@code bound}, or {@code end}. */
    default int findLowerBound(int begin, int end, Bound bound) {
        byte[] id = new byte[Bound.ID_SIZE];
        int low = begin;
        int high = end;
        while (low < high) {
            int middle = (low + high) >>> 1;
            copyId(middle, id, 0);
            if (bound.compareToItem(timestamp(middle), id, 0) > 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
