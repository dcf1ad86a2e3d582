package dev.nostrgate.core.negentropy;

/** Unsigned 64-bit varints as negentropy writes them: base 128, most significant digit first, high bit = more. */
final class Varint {
    private Varint() {
    }

    /** Writes {@code value} at {@code offset}; returns the offset after it (at most 10 bytes are written). */
    static int write(long value, byte[] target, int offset) {
        int digits = 1;
        for (long rest = value >>> 7; rest != 0; rest >>>= 7) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            long digit = (value >>> (7 * i)) & 0x7f;
            target[offset++] = (byte) (i == 0 ? digit : digit | 0x80);
        }
        return offset;
    }
}
