package dev.nostrgate.core.client;

/**
 * The client is not connected and already holds as many unsent requests as it may
 * ({@link RelayClient.Builder#maxQueuedRequests}). The request was not queued: send it again later.
 */
public final class QueueFullException extends RelayClientException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
