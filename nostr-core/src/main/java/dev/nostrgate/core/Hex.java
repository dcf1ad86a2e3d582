package dev.nostrgate.core;

import java.util.Arrays;

/**
 * Lowercase hexadecimal, as NIP-01 requires for ids, keys and signatures. Decoding is strict: an uppercase digit
 * is an error, because a relay must not accept two spellings of one id.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < DIGITS.length; i++) {
            VALUES[DIGITS[i]] = (byte) i;
        }
    }

    private Hex() {
    }

    /** Lowercase hex of the bytes. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes lowercase hex.
     *
     * @throws IllegalArgumentException if the length is odd or a character is not a lowercase hex digit
     */
    public static byte[] decode(CharSequence hex) {
        int length = hex.length();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("hex must have an even number of characters, had " + length);
        }
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            int high = value(hex.charAt(2 * i));
            int low = value(hex.charAt(2 * i + 1));
            if ((high | low) < 0) {
                throw new IllegalArgumentException("not lowercase hex at position " + (high < 0 ? 2 * i : 2 * i + 1));
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /** True if the text is exactly {@code length} lowercase hex digits. */
    public static boolean isLowercaseHex(CharSequence text, int length) {
        if (text == null || text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (value(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }
}
