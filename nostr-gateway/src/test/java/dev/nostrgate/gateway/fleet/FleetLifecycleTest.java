package dev.nostrgate.gateway.fleet;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.StatsRepository;
import dev.nostrgate.gateway.topology.QueueDepths;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A REST start or change runs the relay with its registration as the registry holds it now, read with its settings
 * version, so that a change saved meanwhile is never recorded as applied while the relay runs without it. The lease
 * table, the registry and what runs here are stand-ins.
 */
class FleetLifecycleTest {
    private static final Instant REGISTERED_AT = Instant.parse("2026-12-06T00:00:00Z");

    private final LeaseTable leases = mock(LeaseTable.class);
    private final RelayRegistry registry = mock(RelayRegistry.class);
    private final LocalRelays local = mock(LocalRelays.class);
    private final FleetProperties properties = new FleetProperties("test", Duration.ofSeconds(15),
            Duration.ofSeconds(2), 4);
    private final LeaseKeeper keeper = new LeaseKeeper(leases, registry, local, mock(StatsRepository.class),
            properties);
    private final FleetLifecycle lifecycle = new FleetLifecycle(keeper, leases, registry, local,
            mock(QueueDepths.class), properties);
    private final UUID id = UUID.randomUUID();
    private final RegisteredRelay asPosted = new RegisteredRelay(id, URI.create("ws://127.0.0.1:1/r"), "r",
            List.of(), false, OptionalLong.empty(), REGISTERED_AT);
    /** As the registry holds it once a change right after the registration was saved (version 2). */
    private final RegisteredRelay changedSince = asPosted.withPaused(true);

    FleetLifecycleTest() {
        when(leases.claim(eq(id), any(), any())).thenReturn(true);
        when(registry.findVersioned(id)).thenReturn(Optional.of(new RelayRegistry.Versioned(changedSince, 2)));
    }

    @Test
    void aStartRunsTheRegistrationAsTheRegistryHoldsItNotTheOneItWasGiven() {
        lifecycle.start(asPosted);

        verify(local).start(changedSince);
    }

    @Test
    void aChangeAppliesTheRegistrationAsTheRegistryHoldsIt() {
        when(local.running()).thenReturn(Set.of(id));

        lifecycle.change(asPosted.withName("renamed"));

        verify(local).change(changedSince);
    }

    @Test
    void aRelayRemovedBeforeItsStartIsNotStarted() {
        when(registry.findVersioned(id)).thenReturn(Optional.empty()); // marked for removal: no longer found

        lifecycle.start(asPosted);

        verify(local, never()).start(any());
    }
}
