package dev.nostrgate.core.negentropy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The fingerprint of a range: the ids added as 256-bit little-endian numbers mod 2^256, followed by the item count
 * as a varint, hashed with SHA-256 and cut to 16 bytes. The sum is kept in four longs, eight bytes per add step.
 */
public final class IdSum {
    static final int FINGERPRINT_SIZE = 16;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] words = new long[4];
    private long count;

    /** Adds the 32-byte id at {@code ids[offset]}. */
    public void add(byte[] ids, int offset) {
        long carry = 0;
        for (int i = 0; i < 4; i++) {
            carry = addWord(i, (long) LITTLE_ENDIAN_LONG.get(ids, offset + i * 8), carry);
        }
        count++;
    }

    /** Adds every id {@code other} holds: the sums of consecutive ranges add up to the sum of their union. */
    public void add(IdSum other) {
        long carry = 0;
        for (int i = 0; i < 4; i++) {
            carry = addWord(i, other.words[i], carry);
        }
        count += other.count;
    }

    /** Adds {@code word} and the carry in to word {@code i}; returns the carry out. */
    private long addWord(int i, long word, long carry) {
        long partial = words[i] + word;
        long carryOut = Long.compareUnsigned(partial, words[i]) < 0 ? 1 : 0;
        long total = partial + carry;
        if (Long.compareUnsigned(total, partial) < 0) {
            carryOut = 1;
        }
        words[i] = total;
        return carryOut;
    }

    /** The 16-byte fingerprint of the ids added so far. */
    public byte[] fingerprint() {
        byte[] input = new byte[32 + 10];
        for (int i = 0; i < 4; i++) {
            LITTLE_ENDIAN_LONG.set(input, i * 8, words[i]);
        }
        int length = Varint.write(count, input, 32);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(input, 0, length);
            return Arrays.copyOf(sha256.digest(), FINGERPRINT_SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
