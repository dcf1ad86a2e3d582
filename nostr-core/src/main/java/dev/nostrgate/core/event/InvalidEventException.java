package dev.nostrgate.core.event;

/**
 * An event was rejected. The message is a reason a relay can send after the {@code invalid:} prefix, such as
 * {@code "created_at must be an integer"} or {@code "id does not match the event"}.
 */
public final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String reason) {
        super(reason, null, false, false); // a rejection is expected input, not a bug: no stack trace to fill
    }
}
