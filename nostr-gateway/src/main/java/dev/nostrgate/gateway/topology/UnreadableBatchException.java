package dev.nostrgate.gateway.topology;

/** A message that says it is a batch of events but is not a whole one; it goes to the dead letters whole. */
public final class UnreadableBatchException extends Exception {
    public UnreadableBatchException(String message) {
        super(message);
    }
}
