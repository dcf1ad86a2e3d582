package dev.nostrgate.core.nip19;

import java.util.Arrays;
import java.util.Locale;

/**
 * BIP-173 bech32 (the original checksum, not BIP-350 bech32m) carrying 8-bit bytes, as NIP-19 uses it.
 *
 * <p>One deliberate difference from BIP-173: a string may have up to {@value #MAX_LENGTH} characters instead of
 * 90, because {@code nprofile}, {@code nevent} and {@code naddr} carry relay URLs (nostr-tools allows the same).
 * The checksum still detects any single changed character at that length; BIP-173's stronger guarantees (up to
 * four errors) hold only up to 90 characters.
 *
 * <p>Decoding is strict: mixed case, characters outside the alphabet, a wrong checksum, a bech32m checksum, and
 * padding that is not the minimal run of zero bits are all rejected. Output is lowercase.
 */
final class Bech32 {
    /** The longest string accepted or produced (nostr-tools' limit for NIP-19). */
    static final int MAX_LENGTH = 5000;
    /** BIP-173: the human-readable part has 1 to 83 characters. */
    static final int MAX_HRP_LENGTH = 83;
    static final int CHECKSUM_LENGTH = 6;

    private static final String ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final byte[] VALUES = new byte[128];
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    private static final int BECH32_CONSTANT = 1;
    private static final int BECH32M_CONSTANT = 0x2bc830a3;

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Bech32() {
    }

    /** A decoded string: its human-readable part (lowercase) and its bytes. */
    static final class Decoded {
        private final String hrp;
        private final byte[] bytes;

        Decoded(String hrp, byte[] bytes) {
            this.hrp = hrp;
            this.bytes = bytes;
        }

        String hrp() {
            return hrp;
        }

        /** The payload bytes (this object's own array: callers only read it). */
        byte[] bytes() {
            return bytes;
        }
    }

    /** The length of the string {@link #encode} makes for {@code byteCount} bytes under this prefix. */
    static int encodedLength(String hrp, int byteCount) {
        return hrp.length() + 1 + (byteCount * 8 + 4) / 5 + CHECKSUM_LENGTH;
    }

    /**
     * Encodes bytes under a lowercase human-readable part.
     *
     * @throws IllegalArgumentException if the prefix is not 1..83 lowercase printable US-ASCII characters, or the
     *     result would exceed {@value #MAX_LENGTH} characters
     */
    static String encode(String hrp, byte[] bytes) {
        return encodeGroups(hrp, toFiveBitGroups(bytes));
    }

    /** Encodes 5-bit groups (values 0..31) as they are: no conversion, no padding check. */
    static String encodeGroups(String hrp, byte[] groups) {
        checkEncodableHrp(hrp);
        int length = hrp.length() + 1 + groups.length + CHECKSUM_LENGTH;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "bech32 string would be " + length + " characters, at most " + MAX_LENGTH + " are allowed");
        }
        int checksum = polymod(hrp, groups, CHECKSUM_LENGTH) ^ BECH32_CONSTANT;
        StringBuilder out = new StringBuilder(length).append(hrp).append('1');
        for (byte group : groups) {
            out.append(ALPHABET.charAt(group));
        }
        for (int i = 0; i < CHECKSUM_LENGTH; i++) {
            out.append(ALPHABET.charAt((checksum >>> (5 * (CHECKSUM_LENGTH - 1 - i))) & 31));
        }
        return out.toString();
    }

    /**
     * Decodes a bech32 string carrying bytes.
     *
     * @throws InvalidNip19Exception if the string is not bech32, its checksum is wrong, or its padding is not the
     *     zero bits left over from whole bytes
     */
    static Decoded decode(String text) throws InvalidNip19Exception {
        byte[] groups = decodeGroups(text);
        String hrp = text.substring(0, text.lastIndexOf('1')).toLowerCase(Locale.ROOT);
        return new Decoded(hrp, fromFiveBitGroups(groups));
    }

    /** Decodes a bech32 string to its 5-bit data groups, checksum removed. */
    static byte[] decodeGroups(String text) throws InvalidNip19Exception {
        int length = text.length();
        if (length > MAX_LENGTH) {
            throw new InvalidNip19Exception("too long: " + length + " characters, at most " + MAX_LENGTH);
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new InvalidNip19Exception("character at position " + i + " is not printable US-ASCII");
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new InvalidNip19Exception("mixes upper and lower case");
        }
        int separator = text.lastIndexOf('1');
        if (separator < 0) {
            throw new InvalidNip19Exception("no separator '1'");
        }
        if (separator == 0) {
            throw new InvalidNip19Exception("empty human-readable part before the separator '1'");
        }
        if (separator > MAX_HRP_LENGTH) {
            throw new InvalidNip19Exception(
                    "human-readable part has " + separator + " characters, at most " + MAX_HRP_LENGTH);
        }
        int dataLength = length - separator - 1;
        if (dataLength < CHECKSUM_LENGTH) {
            throw new InvalidNip19Exception("only " + dataLength + " characters after the separator '1', "
                    + "the checksum alone needs " + CHECKSUM_LENGTH);
        }
        String hrp = text.substring(0, separator).toLowerCase(Locale.ROOT);
        byte[] values = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) {
            char c = Character.toLowerCase(text.charAt(separator + 1 + i));
            int value = VALUES[c]; // c is printable ASCII, checked above
            if (value < 0) {
                throw new InvalidNip19Exception("character '" + c + "' at position " + (separator + 1 + i)
                        + " is not in the bech32 alphabet");
            }
            values[i] = (byte) value;
        }
        int residue = polymod(hrp, values, 0);
        if (residue != BECH32_CONSTANT) {
            throw new InvalidNip19Exception(residue == BECH32M_CONSTANT
                    ? "checksum mismatch: this is a bech32m checksum, NIP-19 uses bech32"
                    : "checksum mismatch");
        }
        return Arrays.copyOf(values, dataLength - CHECKSUM_LENGTH);
    }

    /** Bytes as 5-bit groups, the last one padded with zero bits. */
    static byte[] toFiveBitGroups(byte[] bytes) {
        byte[] groups = new byte[(bytes.length * 8 + 4) / 5];
        int accumulator = 0;
        int bits = 0;
        int next = 0;
        for (byte b : bytes) {
            accumulator = ((accumulator << 8) | (b & 0xff)) & 0xfff; // at most 12 bits are pending
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                groups[next++] = (byte) ((accumulator >>> bits) & 31);
            }
        }
        if (bits > 0) {
            groups[next] = (byte) ((accumulator << (5 - bits)) & 31);
        }
        return groups;
    }

    /**
     * 5-bit groups back to bytes. The bits left over must be fewer than five (no whole padding group) and zero,
     * as BIP-173 requires, so that each byte string has exactly one encoding.
     */
    static byte[] fromFiveBitGroups(byte[] groups) throws InvalidNip19Exception {
        byte[] bytes = new byte[groups.length * 5 / 8];
        int accumulator = 0;
        int bits = 0;
        int next = 0;
        for (byte group : groups) {
            accumulator = ((accumulator << 5) | group) & 0xfff; // at most 12 bits are pending
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                bytes[next++] = (byte) (accumulator >>> bits);
            }
        }
        if (bits >= 5) {
            throw new InvalidNip19Exception(bits + " bits of padding, at most 4 are allowed");
        }
        if ((accumulator & ((1 << bits) - 1)) != 0) {
            throw new InvalidNip19Exception("padding bits are not zero");
        }
        return bytes;
    }

    private static void checkEncodableHrp(String hrp) {
        if (hrp.isEmpty() || hrp.length() > MAX_HRP_LENGTH) {
            throw new IllegalArgumentException("a bech32 prefix has 1.." + MAX_HRP_LENGTH + " characters");
        }
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("a bech32 prefix is lowercase printable US-ASCII");
            }
        }
    }

    /**
     * The BCH checksum state over the expanded prefix, the groups, then {@code zeros} zero groups (six when
     * computing a checksum to append, none when verifying one that is already there).
     */
    private static int polymod(String hrp, byte[] groups, int zeros) {
        int checksum = 1;
        for (int i = 0; i < hrp.length(); i++) {
            checksum = step(checksum, hrp.charAt(i) >>> 5);
        }
        checksum = step(checksum, 0);
        for (int i = 0; i < hrp.length(); i++) {
            checksum = step(checksum, hrp.charAt(i) & 31);
        }
        for (byte group : groups) {
            checksum = step(checksum, group);
        }
        for (int i = 0; i < zeros; i++) {
            checksum = step(checksum, 0);
        }
        return checksum;
    }

    private static int step(int checksum, int value) {
        int top = checksum >>> 25;
        checksum = ((checksum & 0x1ffffff) << 5) ^ value;
        for (int i = 0; i < 5; i++) {
            if (((top >>> i) & 1) != 0) {
                checksum ^= GENERATOR[i];
            }
        }
        return checksum;
    }
}
