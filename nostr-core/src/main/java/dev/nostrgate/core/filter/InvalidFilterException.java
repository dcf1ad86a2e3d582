package dev.nostrgate.core.filter;

/**
 * A filter was rejected. The message is a reason a relay can send after the {@code invalid:} prefix, such as
 * {@code "kinds[2] is out of range (0 to 65535), was 70000"}.
 */
public final class InvalidFilterException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidFilterException(String reason) {
        super(reason, null, false, false); // a rejection is expected input, not a bug: no stack trace to fill
    }
}
