package dev.nostrgate.gateway.api;

/** What runs for a relay could not be started or changed (RabbitMQ down, say): 503, and nothing was changed. */
public class RelayStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
