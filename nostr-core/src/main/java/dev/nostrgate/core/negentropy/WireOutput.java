package dev.nostrgate.core.negentropy;

import java.util.Arrays;

/** A growable byte buffer for one message being written. */
final class WireOutput {
    private byte[] bytes = new byte[64];
    private int length;

    int length() {
        return length;
    }

    void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    void writeVarint(long value) {
        ensure(10);
        length = Varint.write(value, bytes, length);
    }

    void write(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    void write(byte[] source) {
        write(source, 0, source.length);
    }

    void write(WireOutput other) {
        write(other.bytes, 0, other.length);
    }

    /** Room for {@code count} more bytes at the end, to be filled by the caller, who then calls it written. */
    int reserve(int count) {
        ensure(count);
        int start = length;
        length += count;
        return start;
    }

    byte[] array() {
        return bytes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
