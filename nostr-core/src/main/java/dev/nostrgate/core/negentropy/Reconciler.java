package dev.nostrgate.core.negentropy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One side of a negentropy v1 reconciliation (hoytech/negentropy, {@code docs/negentropy-protocol-v1.md}): reads a
 * message range by range and writes the reply. Client and server share it; they differ in what an IdList means (the
 * client learns have/need from it, the server answers with its own ids) and in how a version mismatch ends.
 * The output is byte-identical to the reference implementations, so the order of every step follows theirs.
 */
final class Reconciler {
    static final int PROTOCOL_VERSION = 0x61;
    private static final int MODE_SKIP = 0;
    private static final int MODE_FINGERPRINT = 1;
    private static final int MODE_ID_LIST = 2;
    private static final int BUCKETS = 16;
    /** The reference keeps this much room below the limit for the range that closes a cut-short message. */
    private static final int FRAME_SLACK = 200;
    private static final int MIN_FRAME_SIZE_LIMIT = 4096;

    private final NegentropyStorage storage;
    private final long frameSizeLimit;
    private final boolean initiator;
    /**
     * Ids the client already reported. With a frame size limit the reference protocol may go over a range twice
     * (a cut-short message covers the rest with one fingerprint that includes ranges already settled), so the
     * client remembers what it told its caller: as many entries as differences, not as items.
     */
    private final Set<IdKey> reported = new HashSet<>();
    private long lastTimestampIn;
    private long lastTimestampOut;

    Reconciler(NegentropyStorage storage, long frameSizeLimit, boolean initiator) {
        if (frameSizeLimit != 0 && frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("frameSizeLimit must be 0 (none) or at least 4096, was "
                    + frameSizeLimit);
        }
        this.storage = storage;
        this.frameSizeLimit = frameSizeLimit;
        this.initiator = initiator;
    }

    /** The client's first message: the whole space, as fingerprints or as one id list. */
    byte[] initiate() {
        lastTimestampOut = 0;
        WireOutput out = new WireOutput();
        out.writeByte(PROTOCOL_VERSION);
        splitRange(0, storage.size(), Bound.END, out);
        return out.toByteArray();
    }

    /**
     * Reads {@code message} and returns the reply. The client gets {@code null} when nothing is left to ask and
     * hears of ids through {@code have} (it has, the server has not) and {@code need}; the server passes no-ops.
     */
    byte[] reconcile(byte[] message, Consumer<byte[]> have, Consumer<byte[]> need) {
        WireInput query = new WireInput(message);
        lastTimestampIn = 0;
        lastTimestampOut = 0;
        WireOutput full = new WireOutput();
        full.writeByte(PROTOCOL_VERSION);

        int version = query.readByte();
        if (version < 0x60 || version > 0x6f) {
            throw new NegentropyException("invalid negentropy protocol version byte " + version);
        }
        if (version != PROTOCOL_VERSION) {
            if (initiator) {
                throw new NegentropyException("unsupported negentropy protocol version " + (version - 0x60));
            }
            return full.toByteArray(); // our highest version, so that the client can downgrade
        }

        int storageSize = storage.size();
        Bound previousBound = new Bound(0, new byte[0]);
        int previousIndex = 0;
        boolean skip = false;
        byte[] id = new byte[Bound.ID_SIZE];

        while (!query.atEnd()) {
            WireOutput out = new WireOutput();
            Bound currentBound = readBound(query);
            long mode = query.readVarint();
            int lower = previousIndex;
            int upper = storage.findLowerBound(previousIndex, storageSize, currentBound);

            if (mode == MODE_SKIP) {
                skip = true;
            } else if (mode == MODE_FINGERPRINT) {
                byte[] theirs = query.readBytes(IdSum.FINGERPRINT_SIZE);
                if (Arrays.equals(theirs, storage.fingerprint(lower, upper))) {
                    skip = true;
                } else {
                    if (skip) {
                        skip = false;
                        writeSkip(previousBound, out);
                    }
                    splitRange(lower, upper, currentBound, out);
                }
            } else if (mode == MODE_ID_LIST) {
                int count = query.readLength(Bound.ID_SIZE);
                int idsAt = query.skip(count * Bound.ID_SIZE);
                if (initiator) {
                    skip = true;
                    compareIds(query.array(), idsAt, count, lower, upper, have, need);
                } else {
                    if (skip) {
                        skip = false;
                        writeSkip(previousBound, out);
                    }
                    WireOutput ids = new WireOutput();
                    int sent = 0;
                    Bound endBound = currentBound;
                    for (int i = lower; i < upper; i++) {
                        if (exceedsFrame(full.length() + ids.length())) {
                            storage.copyId(i, id, 0);
                            endBound = new Bound(storage.timestamp(i), id.clone());
                            upper = i; // the rest of the range goes into the closing fingerprint
                            break;
                        }
                        int at = ids.reserve(Bound.ID_SIZE); // reserve first: it may replace the array
                        storage.copyId(i, ids.array(), at);
                        sent++;
                    }
                    writeBound(endBound, out);
                    out.writeVarint(MODE_ID_LIST);
                    out.writeVarint(sent);
                    out.write(ids);
                    full.write(out);
                    out = new WireOutput();
                }
            } else {
                throw new NegentropyException("unknown range mode " + Long.toUnsignedString(mode));
            }

            if (exceedsFrame(full.length() + out.length())) {
                // over the frame limit: stop here and cover everything after with one fingerprint
                writeBound(Bound.END, full);
                full.writeVarint(MODE_FINGERPRINT);
                full.write(storage.fingerprint(upper, storageSize));
                break;
            }
            full.write(out);
            previousIndex = upper;
            previousBound = currentBound;
        }
        return initiator && full.length() == 1 ? null : full.toByteArray();
    }

    /** Client side of an IdList: ours not in theirs is "have", theirs not in ours is "need" (in their order). */
    private void compareIds(byte[] message, int idsAt, int count, int lower, int upper,
                            Consumer<byte[]> have, Consumer<byte[]> need) {
        Set<IdKey> theirs = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            theirs.add(new IdKey(Arrays.copyOfRange(message, idsAt + i * Bound.ID_SIZE,
                    idsAt + (i + 1) * Bound.ID_SIZE)));
        }
        for (int i = lower; i < upper; i++) {
            byte[] ours = new byte[Bound.ID_SIZE];
            storage.copyId(i, ours, 0);
            IdKey key = new IdKey(ours);
            if (!theirs.remove(key) && reported.add(key)) {
                have.accept(ours);
            }
        }
        for (IdKey key : theirs) {
            if (reported.add(key)) {
                need.accept(key.bytes());
            }
        }
    }

    private void splitRange(int lower, int upper, Bound upperBound, WireOutput out) {
        int count = upper - lower;
        if (count < BUCKETS * 2) {
            writeBound(upperBound, out);
            out.writeVarint(MODE_ID_LIST);
            out.writeVarint(count);
            for (int i = lower; i < upper; i++) {
                int at = out.reserve(Bound.ID_SIZE); // reserve first: it may replace the array
                storage.copyId(i, out.array(), at);
            }
            return;
        }
        int perBucket = count / BUCKETS;
        int withExtra = count % BUCKETS;
        int current = lower;
        byte[] previousId = new byte[Bound.ID_SIZE];
        byte[] currentId = new byte[Bound.ID_SIZE];
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            int size = perBucket + (bucket < withExtra ? 1 : 0);
            byte[] fingerprint = storage.fingerprint(current, current + size);
            current += size;
            Bound next;
            if (current == upper) {
                next = upperBound;
            } else {
                storage.copyId(current - 1, previousId, 0);
                storage.copyId(current, currentId, 0);
                next = Bound.between(storage.timestamp(current - 1), previousId, storage.timestamp(current),
                        currentId);
            }
            writeBound(next, out);
            out.writeVarint(MODE_FINGERPRINT);
            out.write(fingerprint);
        }
    }

    private void writeSkip(Bound bound, WireOutput out) {
        writeBound(bound, out);
        out.writeVarint(MODE_SKIP);
    }

    private boolean exceedsFrame(long length) {
        return frameSizeLimit != 0 && length > frameSizeLimit - FRAME_SLACK;
    }

    private Bound readBound(WireInput in) {
        long encoded = in.readVarint();
        long timestamp = encoded == 0 ? Bound.INFINITY : encoded - 1;
        if (lastTimestampIn == Bound.INFINITY || timestamp == Bound.INFINITY) {
            lastTimestampIn = Bound.INFINITY;
            timestamp = Bound.INFINITY;
        } else {
            long sum = timestamp + lastTimestampIn;
            if (Long.compareUnsigned(sum, lastTimestampIn) < 0 || sum == Bound.INFINITY) {
                throw new NegentropyException("bound timestamp overflows 64 bits");
            }
            timestamp = sum;
            lastTimestampIn = timestamp;
        }
        long length = in.readVarint();
        if (Long.compareUnsigned(length, Bound.ID_SIZE) > 0) {
            throw new NegentropyException("bound id prefix is " + Long.toUnsignedString(length)
                    + " bytes, at most 32");
        }
        return new Bound(timestamp, in.readBytes((int) length));
    }

    private void writeBound(Bound bound, WireOutput out) {
        if (bound.timestamp() == Bound.INFINITY) {
            lastTimestampOut = Bound.INFINITY;
            out.writeVarint(0);
        } else {
            long delta = bound.timestamp() - lastTimestampOut;
            lastTimestampOut = bound.timestamp();
            out.writeVarint(delta + 1);
        }
        out.writeVarint(bound.idPrefix().length);
        out.write(bound.idPrefix());
    }

    /** An id as a hash key. */
    private record IdKey(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdKey that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
