package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.GatewayState;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The API tested alone: a lifecycle that records what the API asks of it (instead of connecting to relays), and a
 * gateway state the test sets (the real runtime's phase updates are ignored while it is pinned).
 */
@TestConfiguration(proxyBeanMethods = false)
public class ApiTestConfiguration {

    /** Records calls; answers {@link #status} with what the test put there, else live (or paused). */
    public static final class RecordingLifecycle implements RelayLifecycle {
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public final Map<UUID, RelayStatus> statuses = new ConcurrentHashMap<>();
        private final Map<UUID, Boolean> paused = new ConcurrentHashMap<>();
        /** When set, the next call fails with it (then it is cleared). */
        public final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

        @Override
        public void start(RegisteredRelay relay) {
            record("start " + relay.id());
            paused.put(relay.id(), relay.paused());
        }

        @Override
        public void change(RegisteredRelay relay) {
            record("change " + relay.id() + " paused=" + relay.paused());
            paused.put(relay.id(), relay.paused());
        }

        @Override
        public CompletableFuture<Void> remove(UUID relayId) {
            record("remove " + relayId);
            paused.remove(relayId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public RelayStatus status(UUID relayId) {
            RelayStatus status = statuses.get(relayId);
            if (status != null) {
                return status;
            }
            return new RelayStatus(Boolean.TRUE.equals(paused.get(relayId)) ? ConnectorState.PAUSED
                    : ConnectorState.LIVE, Optional.empty(), 0);
        }

        private void record(String call) {
            RuntimeException failure = failNext.getAndSet(null);
            if (failure != null) {
                calls.add("failed " + call);
                throw failure;
            }
            calls.add(call);
        }
    }

    /**
     * Runs nothing: the lease keeper still takes the registered relays' leases, and what it would start here is only
     * remembered, so that the API is tested without connecting to the made-up relays it registers.
     */
    public static final class IdleRelays implements LocalRelays {
        private final Set<UUID> running = ConcurrentHashMap.newKeySet();

        @Override
        public void start(RegisteredRelay relay) {
            running.add(relay.id());
        }

        @Override
        public void change(RegisteredRelay relay) {
        }

        @Override
        public CompletableFuture<Void> remove(UUID relayId) {
            running.remove(relayId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void handOver(UUID relayId) {
            running.remove(relayId);
        }

        @Override
        public Set<UUID> running() {
            return Set.copyOf(running);
        }

        @Override
        public Optional<RelayStatus> status(UUID relayId) {
            return state(relayId);
        }

        @Override
        public Optional<RelayStatus> state(UUID relayId) {
            return running.contains(relayId)
                    ? Optional.of(new RelayStatus(ConnectorState.LIVE, Optional.empty(), 0)) : Optional.empty();
        }

        @Override
        public void started() {
        }

        @Override
        public void stop() {
            running.clear();
        }
    }

    /** A gateway state the test can pin to a phase. */
    public static final class PinnedGatewayState extends GatewayState {
        private volatile Phase pinned;

        public void pin(Phase phase) {
            pinned = phase;
        }

        @Override
        public Phase phase() {
            Phase phase = pinned;
            return phase != null ? phase : super.phase();
        }
    }

    @Bean
    @Primary
    IdleRelays idleRelays() {
        return new IdleRelays();
    }

    @Bean
    @Primary
    RecordingLifecycle recordingLifecycle() {
        return new RecordingLifecycle();
    }

    @Bean
    @Primary
    PinnedGatewayState pinnedGatewayState() {
        return new PinnedGatewayState();
    }
}
