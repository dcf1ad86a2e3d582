package dev.nostrgate.core.client;

/** The {@link RelayClient} was closed before the request was answered, or the request came after it was closed. */
public final class ClientClosedException extends RelayClientException {
    private static final long serialVersionUID = 1L;

    public ClientClosedException(String message) {
        super(message);
    }
}
