package dev.nostrgate.core.client;

/**
 * Why a {@link RelayClient} request did not get its answer. The subclasses say which way it failed; the message
 * names the relay and what the client knew at the time (connected or not, the last connection problem).
 *
 * <p>These exceptions arrive through futures, made on the client's thread: their stack trace would only show that
 * thread, so none is filled. {@code join()} and {@code get()} wrap them in an exception with the caller's stack.
 */
public class RelayClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelayClientException(String message) {
        super(message, null, false, false);
    }
}
