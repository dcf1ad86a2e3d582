package dev.nostrgate.gateway.fleet;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.StatsRepository;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatcher;

/**
 * The relays a tick finds held here and not running are started after one read of their registrations; when that
 * read fails, only those starts wait for the next tick: the rest of the tick (a removal, the end of the first
 * start) goes on. The lease table, the registry and what runs here are stand-ins; the keeper ticks when told.
 */
class LeaseKeeperStartsTest {
    private static final String ME = "test";
    private static final long VERSION = 1;
    private static final Instant REGISTERED_AT = Instant.parse("2026-12-06T00:00:00Z");

    private final LeaseTable leases = mock(LeaseTable.class);
    private final RelayRegistry registry = mock(RelayRegistry.class);
    private final LocalRelays local = mock(LocalRelays.class);
    private final LeaseKeeper keeper = new LeaseKeeper(leases, registry, local, mock(StatsRepository.class),
            new FleetProperties(ME, Duration.ofSeconds(15), Duration.ofSeconds(2), 4));
    private final UUID first = UUID.randomUUID();
    private final UUID second = UUID.randomUUID();
    private final UUID removed = UUID.randomUUID();

    LeaseKeeperStartsTest() {
        when(leases.liveInstances())
                .thenReturn(List.of(new Instance(ME, Instant.now(), Instant.now().plusSeconds(15))));
        when(leases.renew(eq(ME), any())).thenReturn(new HashSet<>(Set.of(first, second, removed)));
        when(leases.take(eq(ME), any(), anyInt())).thenReturn(Set.of());
        when(leases.all()).thenReturn(List.of(lease(first, false), lease(second, false), lease(removed, true)));
        when(local.running()).thenReturn(Set.of());
        when(local.remove(removed)).thenReturn(CompletableFuture.completedFuture(null));
    }

    private static Lease lease(UUID relay, boolean removing) {
        return new Lease(relay, Optional.of(ME), Optional.empty(), Optional.empty(), VERSION, removing);
    }

    private static RegisteredRelay registered(UUID relay) {
        return new RegisteredRelay(relay, URI.create("ws://127.0.0.1:1/" + relay), "test", List.of(), false,
                OptionalLong.empty(), REGISTERED_AT);
    }

    @Test
    void startsTheRelaysItHoldsAfterReadingTheirRegistrationsInOneQuery() {
        when(registry.find(anyCollection())).thenReturn(Map.of(first, registered(first), second, registered(second)));

        keeper.tick();

        verify(registry).find(relays(first, second));
        verify(registry, never()).find(any(UUID.class)); // not one query per relay
        verify(local, timeout(10_000)).start(registered(first));
        verify(local, timeout(10_000)).start(registered(second));
        verify(local).started();
    }

    @Test
    void aFailedReadOfTheRegistrationsSkipsOnlyTheStartsAndTheNextTickMakesThem() {
        when(registry.find(anyCollection()))
                .thenThrow(new IllegalStateException("test: the registry could not be read"))
                .thenReturn(Map.of(first, registered(first), second, registered(second)));

        keeper.tick();

        verify(local, never()).start(any());
        verify(local, timeout(10_000)).remove(removed); // the tick's other work went on
        verify(local).started(); // the first start is over: the phase follows what runs

        keeper.tick();

        verify(local, timeout(10_000)).start(registered(first));
        verify(local, timeout(10_000)).start(registered(second));
    }

    @Test
    void aRelayRunningWithAnOlderSettingsVersionThanItsLeaseIsChangedByTheNextTick() {
        // a change saved while the relay's start was under way here (LeaseKeeperWorkTest) or through another instance
        when(registry.find(anyCollection())).thenReturn(Map.of(first, registered(first), second, registered(second)));
        keeper.tick(); // the first tick returns once its starts are done: both run with version 1
        verify(local).start(registered(first));

        RegisteredRelay paused = registered(first).withPaused(true);
        when(registry.find(first)).thenReturn(Optional.of(paused));
        when(leases.all()).thenReturn(List.of(new Lease(first, Optional.of(ME), Optional.empty(), Optional.empty(),
                VERSION + 1, false), lease(second, false), lease(removed, true)));
        when(local.running()).thenReturn(Set.of(first, second));
        keeper.tick();

        verify(local, timeout(10_000)).change(paused);
    }

    /** Matches a collection of exactly these relays, in any order. */
    private static Collection<UUID> relays(UUID... relays) {
        ArgumentMatcher<Collection<UUID>> these = ids -> ids.size() == relays.length
                && Set.copyOf(ids).equals(Set.of(relays));
        return argThat(these);
    }
}
