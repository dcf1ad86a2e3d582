package dev.nostrgate.relay.store;

/** The database could not do what was asked: unreachable, failing, or over the time budget of a query. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    public StoreUnavailableException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** True if a query was cancelled for running over its time budget (the database itself is fine). */
    public boolean timedOut() {
        return timedOut;
    }
}
