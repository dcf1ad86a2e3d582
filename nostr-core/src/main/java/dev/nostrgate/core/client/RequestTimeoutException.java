package dev.nostrgate.core.client;

/** The relay did not answer within the client's request timeout (or the client could not send in that time). */
public final class RequestTimeoutException extends RelayClientException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }
}
