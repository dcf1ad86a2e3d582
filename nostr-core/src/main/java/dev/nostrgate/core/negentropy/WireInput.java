package dev.nostrgate.core.negentropy;

import java.util.Arrays;

/** Reads one received message; every read past its end or out of range is a {@link NegentropyException}. */
final class WireInput {
    private final byte[] bytes;
    private int position;

    WireInput(byte[] bytes) {
        this.bytes = bytes;
    }

    boolean atEnd() {
        return position == bytes.length;
    }

    int readByte() {
        require(1);
        return bytes[position++] & 0xff;
    }

    byte[] readBytes(int length) {
        require(length);
        byte[] out = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return out;
    }

    /** The offset of the next {@code length} bytes, which are skipped; read them from {@link #array()}. */
    int skip(int length) {
        require(length);
        int start = position;
        position += length;
        return start;
    }

    byte[] array() {
        return bytes;
    }

    long readVarint() {
        long value = 0;
        while (true) {
            if ((value >>> 57) != 0) {
                throw new NegentropyException("varint longer than 64 bits");
            }
            int digit = readByte();
            value = (value << 7) | (digit & 0x7f);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
    }

    /** A varint used as a length or count: it must fit what is left of the message. */
    int readLength(int bytesPerUnit) {
        long value = readVarint();
        if (value < 0 || value > (bytes.length - position) / bytesPerUnit) {
            throw new NegentropyException("length " + Long.toUnsignedString(value) + " runs past the message end");
        }
        return (int) value;
    }

    private void require(int length) {
        if (length > bytes.length - position) {
            throw new NegentropyException("message ends early at byte " + position);
        }
    }
}
