package dev.nostrgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.fleet.Instance;
import dev.nostrgate.gateway.fleet.Lease;
import dev.nostrgate.gateway.fleet.LeaseKeeper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class InstancePageTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void countsRelaysPerInstanceAndPerStateWithoutReadingAQueueDepth() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        Map<UUID, Lease> leases = new LinkedHashMap<>();
        leases.put(a, lease(a, "one"));
        leases.put(b, lease(b, "two"));
        leases.put(c, lease(c, null));
        LeaseKeeper.Fleet fleet = new LeaseKeeper.Fleet(List.of(new Instance("one", NOW, NOW.plusSeconds(15)),
                new Instance("two", NOW, NOW.plusSeconds(15))), leases);
        RelayLifecycle lifecycle = mock(RelayLifecycle.class);
        when(lifecycle.state(a)).thenReturn(ConnectorState.LIVE);
        when(lifecycle.state(b)).thenReturn(ConnectorState.LIVE);
        when(lifecycle.state(c)).thenReturn(ConnectorState.CONNECTING);

        InstanceController.Page page = InstanceController.Page.of(fleet, "one", lifecycle);

        assertThat(page.self()).isEqualTo("one");
        assertThat(page.instances()).extracting(InstanceController.View::id, InstanceController.View::relays,
                InstanceController.View::self).containsExactly(
                Tuple.tuple("one", 1L, true),
                Tuple.tuple("two", 1L, false));
        assertThat(page.unownedRelays()).isEqualTo(1);
        assertThat(page.relayStates()).containsExactly(Map.entry(ConnectorState.CONNECTING.apiName(), 1L),
                Map.entry(ConnectorState.LIVE.apiName(), 2L));
        verify(lifecycle, never()).status(any()); // a status reads the queue's depth from the broker
    }

    private static Lease lease(UUID relay, String owner) {
        return new Lease(relay, Optional.ofNullable(owner), Optional.empty(), Optional.empty(), 1, false);
    }
}
