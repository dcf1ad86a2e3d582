package dev.nostrgate.core.nip19;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The type-length-value payload of {@code nprofile}, {@code nevent} and {@code naddr}: one byte type, one byte
 * length, then that many bytes. Types 0 to 3 are the ones NIP-19 defines; a reader skips any other.
 */
final class Tlv {
    /** Type 0: the pubkey (nprofile), the event id (nevent) or the {@code d} identifier (naddr). */
    static final int SPECIAL = 0;
    /** Type 1: a relay where the entity may be found; may repeat. */
    static final int RELAY = 1;
    /** Type 2: the 32-byte pubkey of the author (nevent, optional; naddr, required). */
    static final int AUTHOR = 2;
    /** Type 3: the kind, 32-bit unsigned big-endian (nevent, optional; naddr, required). */
    static final int KIND = 3;
    /** A value's length is one byte. */
    static final int MAX_VALUE_LENGTH = 255;

    private Tlv() {
    }

    /** Bytes taken by one TLV with a value of this length. */
    static int size(int valueLength) {
        return 2 + valueLength;
    }

    /** The kind's four bytes, big-endian. */
    static byte[] kindBytes(int kind) {
        return ByteBuffer.allocate(4).putInt(kind).array();
    }

    /**
     * The UTF-8 length of a string, or -1 if it holds a lone surrogate (which has no UTF-8 form, so it could not
     * be read back as written).
     */
    static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Appends TLVs in the order they are written. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer write(int type, byte[] value) {
            if (value.length > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("a TLV value is at most 255 bytes, was " + value.length);
            }
            out.write(type);
            out.write(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer write(int type, String value) {
            return write(type, value.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** The values of a payload's known types, in the order read; unknown types are skipped. */
    static final class Fields {
        private final String hrp;
        private final List<List<byte[]>> byType = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());

        private Fields(String hrp) {
            this.hrp = hrp;
        }

        /**
         * Reads every TLV of the payload, in any order.
         *
         * @throws InvalidNip19Exception if a TLV is cut short
         */
        static Fields read(String hrp, byte[] payload) throws InvalidNip19Exception {
            Fields fields = new Fields(hrp);
            int at = 0;
            while (at < payload.length) {
                int type = payload[at] & 0xff;
                if (at + 1 == payload.length) {
                    throw new InvalidNip19Exception(
                            "truncated TLV: type " + type + " at byte " + at + " has no length byte");
                }
                int length = payload[at + 1] & 0xff;
                int remaining = payload.length - at - 2;
                if (length > remaining) {
                    throw new InvalidNip19Exception("truncated TLV: type " + type + " at byte " + at
                            + " declares " + length + " bytes, only " + remaining + " remain");
                }
                if (type < fields.byType.size()) {
                    byte[] value = new byte[length];
                    System.arraycopy(payload, at + 2, value, 0, length);
                    fields.byType.get(type).add(value);
                }
                at += 2 + length;
            }
            return fields;
        }

        /** Every value of a repeatable type, in order. */
        List<byte[]> all(int type) {
            return byType.get(type);
        }

        /**
         * The value of a type that may appear once. Two are rejected rather than picking one: implementations
         * disagree on which would win (nostr-tools takes the first, go-nostr the last), so such a string means
         * different things to different readers.
         */
        Optional<byte[]> optional(int type, String name) throws InvalidNip19Exception {
            List<byte[]> values = byType.get(type);
            if (values.size() > 1) {
                throw new InvalidNip19Exception(hrp + " has " + values.size() + " " + name + " TLVs (type " + type
                        + "), at most one is allowed");
            }
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** The value of a type that must appear exactly once. */
        byte[] required(int type, String name) throws InvalidNip19Exception {
            Optional<byte[]> value = optional(type, name);
            if (value.isEmpty()) {
                throw new InvalidNip19Exception(hrp + " has no " + describe(type, name));
            }
            return value.get();
        }

        /** The value, checked to have exactly this many bytes. */
        byte[] ofLength(byte[] value, int length, int type, String name) throws InvalidNip19Exception {
            if (value.length != length) {
                throw new InvalidNip19Exception(hrp + " " + describe(type, name) + " must be " + length
                        + " bytes, was " + value.length);
            }
            return value;
        }

        /** The value as a kind: four bytes, big-endian, 0..65535 (the kinds NIP-01 allows). */
        int kind(byte[] value) throws InvalidNip19Exception {
            long kind = Integer.toUnsignedLong(ByteBuffer.wrap(ofLength(value, 4, KIND, "kind")).getInt());
            if (kind > 65_535) {
                throw new InvalidNip19Exception(hrp + " kind must be 0..65535, was " + kind);
            }
            return (int) kind;
        }

        /** The value as strict UTF-8: a malformed sequence is an error, not a replacement character. */
        String utf8(byte[] value, int type, String name) throws InvalidNip19Exception {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new InvalidNip19Exception(hrp + " " + describe(type, name) + " is not valid UTF-8");
            }
        }

        private static String describe(int type, String name) {
            return name + " TLV (type " + type + ")";
        }
    }
}
