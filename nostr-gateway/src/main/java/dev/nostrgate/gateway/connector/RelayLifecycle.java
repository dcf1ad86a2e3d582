package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.registry.RegisteredRelay;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Starts, changes and stops everything that runs for a registered relay: its RabbitMQ topology, its consumer and
 * its upstream connector. The REST API calls it after changing the registry.
 */
public interface RelayLifecycle {

    /** A relay was registered (or found at start): declare its topology, start its consumer and connector. */
    void start(RegisteredRelay relay);

    /** A relay's settings changed (paused, resumed, other filters): apply them. */
    void change(RegisteredRelay relay);

    /**
     * A relay is being removed: stop its connector, let its consumer drain what is queued (bounded wait), stop the
     * consumer, and delete its queue and exchange. Returns at once; the future completes when all that is done (or
     * fails with why), and meanwhile other relays are started, changed and removed as usual.
     */
    CompletableFuture<Void> remove(UUID relayId);

    /** Its current state, with the depth of its queue. */
    RelayStatus status(UUID relayId);

    /**
     * Its connector state alone: no queue depth is read, so that a summary of every relay costs no broker round
     * trip.
     */
    default ConnectorState state(UUID relayId) {
        return status(relayId).state();
    }
}
