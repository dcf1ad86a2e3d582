package dev.nostrgate.core.client;

import dev.nostrgate.core.message.Reason;

/** The relay answered a request ({@code COUNT}) with {@code CLOSED}; {@link #reason()} says why. */
public final class RequestRefusedException extends RelayClientException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public RequestRefusedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** The relay's {@code CLOSED} message, split into prefix and text. */
    public Reason reason() {
        return Reason.parse(reason);
    }
}
