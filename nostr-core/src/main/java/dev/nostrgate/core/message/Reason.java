package dev.nostrgate.core.message;

import java.util.Optional;

/**
 * The text of an {@code OK}, {@code CLOSED} or {@code NEG-ERR} message, split into its machine-readable prefix and
 * the human-readable rest: {@code "blocked: you are banned"} is prefix {@code blocked}, message
 * {@code you are banned}.
 *
 * @param prefix the single word before the colon (lowercase ASCII letters, digits and {@code -}), or the empty
 *     string when the text has none; it need not be one of {@link ReasonPrefix}
 * @param message the rest, after the colon and any spaces following it
 */
public record Reason(String prefix, String message) {
    public Reason {
        if (prefix == null || message == null) {
            throw new IllegalArgumentException("a reason has a prefix (may be empty) and a message (may be empty)");
        }
        if (!prefix.isEmpty() && !isWord(prefix, prefix.length())) {
            throw new IllegalArgumentException("a reason prefix is one word of a-z, 0-9 and -, was \"" + prefix + "\"");
        }
    }

    /** A reason with a prefix NIP-01 defines. */
    public static Reason of(ReasonPrefix prefix, String message) {
        return new Reason(prefix.word(), message);
    }

    /**
     * Splits a message text. The text before the first colon is the prefix if it is a single word; otherwise the
     * whole text is the message.
     */
    public static Reason parse(String text) {
        int colon = text.indexOf(':');
        if (colon > 0 && isWord(text, colon)) {
            return new Reason(text.substring(0, colon), text.substring(colon + 1).stripLeading());
        }
        return new Reason("", text);
    }

    /** The prefix, if it is one NIP-01 defines. */
    public Optional<ReasonPrefix> knownPrefix() {
        return ReasonPrefix.ofWord(prefix);
    }

    /** True if the prefix is this one. */
    public boolean is(ReasonPrefix expected) {
        return prefix.equals(expected.word());
    }

    /** The wire text: {@code "<prefix>: <message>"}, or the message alone when there is no prefix. */
    @Override
    public String toString() {
        return prefix.isEmpty() ? message : prefix + ": " + message;
    }

    private static boolean isWord(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
