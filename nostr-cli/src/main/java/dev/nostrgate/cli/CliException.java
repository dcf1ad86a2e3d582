package dev.nostrgate.cli;

/**
 * A failure the user can act on, said in one line: printed as {@code nostr: <message>} with exit code 1, never as
 * a stack trace.
 */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
