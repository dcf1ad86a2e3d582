package dev.nostrgate.gateway.fleet;

import java.util.Optional;
import java.util.UUID;

/**
 * One relay's lease as the lease table holds it.
 *
 * @param owner the instance holding it, if the lease is held and not expired
 * @param state the connector state its owner last published (the REST API's name), if any
 * @param lastError the last error its owner published, if any
 * @param version the relay's settings version ({@code gateway_relays.version})
 * @param removing the relay is being removed: its owner drains and deletes it
 */
public record Lease(UUID relayId, Optional<String> owner, Optional<String> state, Optional<String> lastError,
                    long version, boolean removing) {
}
