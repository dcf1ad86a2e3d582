package dev.nostrgate.core.client;

/**
 * A connection attempt failed, or the connection was lost while the request waited and the client does not
 * reconnect. With reconnection on (the default), only {@link RelayClient#connect()} fails this way: requests wait
 * for the next connection within their timeout.
 */
public final class ConnectionFailedException extends RelayClientException {
    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(String message) {
        super(message);
    }
}
