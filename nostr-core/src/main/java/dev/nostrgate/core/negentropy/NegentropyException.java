package dev.nostrgate.core.negentropy;

/** A negentropy message that cannot be read, or a protocol version this side does not speak. */
public final class NegentropyException extends RuntimeException {
    public NegentropyException(String message) {
        super(message);
    }
}
