package dev.nostrgate.gateway;

import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;

/**
 * Test clean-up: the relays a test registered own a queue and an exchange ({@code nostr.relay.<id>}) on the shared
 * RabbitMQ, which outlive the test's schema and its Spring context unless the relay is removed. A test that removes
 * them at its end leaves them behind when it fails first, so the classes call this after each test as well.
 */
public final class RegisteredRelays {

    private RegisteredRelays() {
    }

    /** Removes every relay still registered: connector, consumer, queue and exchange, then the registry row. */
    public static void removeAll(RelayRegistry registry, RelayLifecycle lifecycle) {
        for (RegisteredRelay relay : registry.all()) {
            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }
}
