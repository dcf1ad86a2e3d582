package dev.nostrgate.core.nip19;

/**
 * A string is not a NIP-19 entity. The message says precisely what is wrong, such as {@code "checksum mismatch"}
 * or {@code "npub payload must be 32 bytes, was 31"}. It never repeats the input, which may be an {@code nsec}.
 */
public final class InvalidNip19Exception extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidNip19Exception(String reason) {
        super(reason, null, false, false); // a rejection is expected input, not a bug: no stack trace to fill
    }
}
