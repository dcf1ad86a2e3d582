package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.registry.RegisteredRelay;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The relays that run in this instance: for each, its topology, consumer and upstream connector. Which relays run
 * here is decided elsewhere (the fleet's leases); this only starts, changes and stops them.
 */
public interface LocalRelays {

    /** Declares the relay's topology, starts its consumer and, unless paused, its connector; blocks until done. */
    void start(RegisteredRelay relay);

    /** Applies changed settings (paused, resumed, other filters) to a relay that runs here. */
    void change(RegisteredRelay relay);

    /**
     * For a removal: stops the connector, lets the consumer store what is queued (bounded wait), stops it, and
     * deletes the queue and exchange, whether or not the relay ran here. Returns at once.
     */
    CompletableFuture<Void> remove(UUID relayId);

    /** Stops the relay here and keeps its queue, for the instance that takes it over. Blocks until stopped. */
    void handOver(UUID relayId);

    /** The relays running here. */
    Set<UUID> running();

    /** A relay's state if it runs here, with its queue depth. */
    Optional<RelayStatus> status(UUID relayId);

    /** A relay's state if it runs here, without asking the broker for its queue depth (-1). */
    Optional<RelayStatus> state(UUID relayId);

    /** The relays this instance owns at start are started: from now on, the gateway's phase follows them. */
    void started();

    /** Stops every relay here, keeping their queues. */
    void stop();
}
