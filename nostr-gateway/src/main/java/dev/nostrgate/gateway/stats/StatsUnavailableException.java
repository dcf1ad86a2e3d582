package dev.nostrgate.gateway.stats;

/** The statistics could not be read or written: the database failed. */
public class StatsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
