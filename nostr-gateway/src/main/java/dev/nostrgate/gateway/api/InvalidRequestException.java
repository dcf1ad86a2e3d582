package dev.nostrgate.gateway.api;

import java.util.Optional;

/**
 * A request the API refuses (400): the message says what is wrong and how to fix it; {@link #field()} names the
 * part of the request at fault ({@code url}, {@code filters[1]}, {@code bucket}), when there is one.
 */
public class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message, null, false, false); // the client's mistake: no stack trace
        this.field = field;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
