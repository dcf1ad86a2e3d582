package dev.nostrgate.core.message;

import java.util.Optional;

/**
 * The machine-readable prefixes of {@code OK} and {@code CLOSED} messages (NIP-01, NIP-42) and of {@code NEG-ERR}
 * (NIP-77): the word before the colon in {@code "duplicate: already have this event"}.
 */
public enum ReasonPrefix {
    DUPLICATE("duplicate"),
    POW("pow"),
    BLOCKED("blocked"),
    RATE_LIMITED("rate-limited"),
    INVALID("invalid"),
    RESTRICTED("restricted"),
    MUTE("mute"),
    ERROR("error"),
    AUTH_REQUIRED("auth-required"),
    /** NIP-77: the relay closed a negentropy session ({@code NEG-ERR}). */
    CLOSED("closed");

    private final String word;

    ReasonPrefix(String word) {
        this.word = word;
    }

    /** The word as written on the wire, such as {@code rate-limited}. */
    public String word() {
        return word;
    }

    /** {@code "<word>: <message>"}, the text of an {@code OK} or {@code CLOSED} message. */
    public String format(String message) {
        return word + ": " + message;
    }

    /** The prefix written as this word, if it is one NIP-01 defines. */
    public static Optional<ReasonPrefix> ofWord(String word) {
        for (ReasonPrefix prefix : values()) {
            if (prefix.word.equals(word)) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }
}
