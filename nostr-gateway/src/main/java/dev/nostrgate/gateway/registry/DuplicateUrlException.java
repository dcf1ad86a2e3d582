package dev.nostrgate.gateway.registry;

import java.net.URI;
import java.util.UUID;

/** A relay with this URL is registered already. */
public class DuplicateUrlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient UUID existing;

    public DuplicateUrlException(URI url, UUID existing) {
        super("the relay " + url + " is registered already" + (existing == null ? "" : " as " + existing));
        this.existing = existing;
    }

    public UUID existing() {
        return existing;
    }
}
