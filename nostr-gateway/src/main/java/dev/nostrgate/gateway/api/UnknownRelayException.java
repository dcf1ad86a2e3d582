package dev.nostrgate.gateway.api;

import java.util.UUID;

/** No relay has this id (404). */
public class UnknownRelayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownRelayException(UUID id) {
        super("no relay with id " + id + " is registered (GET /api/relays lists them)", null, false, false);
    }
}
