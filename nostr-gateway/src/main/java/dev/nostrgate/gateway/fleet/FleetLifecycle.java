package dev.nostrgate.gateway.fleet;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.topology.QueueDepths;
import dev.nostrgate.relay.store.Retry;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * What the REST API asks of the relays, on whichever instance it is asked: a new relay starts on the instance that
 * registered it (the lease keeper gives it to another later if this one holds more than its share); a change or a
 * removal is carried out here if the relay runs here, else by its owner, which sees the registry change within a
 * renew interval.
 */
@Component
public class FleetLifecycle implements RelayLifecycle {
    /** How long a removal asked here waits for the owning instance to carry it out. */
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);

    private final LeaseKeeper keeper;
    private final LeaseTable leases;
    private final RelayRegistry registry;
    private final LocalRelays local;
    private final QueueDepths depths;
    private final Duration ttl;
    /** Lease statements meet the keepers' renewals: a serialization failure is routine, and each is idempotent. */
    private final Retry retry = Retry.within(Duration.ofSeconds(5),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)), () -> false).forIdempotentStep();

    public FleetLifecycle(LeaseKeeper keeper, LeaseTable leases, RelayRegistry registry, LocalRelays local,
                          QueueDepths depths, FleetProperties properties) {
        this.keeper = keeper;
        this.leases = leases;
        this.registry = registry;
        this.local = local;
        this.depths = depths;
        this.ttl = properties.leaseTtl();
    }

    @Override
    public void start(RegisteredRelay relay) {
        keeper.runHere(relay.id(), LeaseKeeper.Work.START, () -> {
            if (!claim(relay.id())) {
                return; // another instance holds it and runs it
            }
            current(relay.id()).ifPresent(read -> {
                local.start(read.relay());
                keeper.applied(relay.id(), read.version());
            }); // else removed meanwhile
        });
    }

    /**
     * Applies the relay's settings as the registry holds them now, if it runs here and nothing else is under way for
     * it here; else the lease keeper applies them (see {@link LeaseKeeper#runHere}).
     */
    @Override
    public void change(RegisteredRelay relay) {
        if (!local.running().contains(relay.id())) {
            return; // its owner applies the registry's new version at its next renewal
        }
        keeper.runHere(relay.id(), LeaseKeeper.Work.CHANGE, () -> current(relay.id()).ifPresent(read -> {
            local.change(read.relay());
            keeper.applied(relay.id(), read.version());
        }));
    }

    /**
     * The registration as the registry holds it now, with its version from the same row: a change saved meanwhile
     * (two changes at once, or a change right after the registration) is either in it or has a newer version, which
     * the next tick applies; never recorded as applied while the relay runs without it. Empty if the relay is being
     * removed.
     */
    private Optional<RelayRegistry.Versioned> current(UUID relayId) {
        return retry.call("reading a relay", () -> registry.findVersioned(relayId));
    }

    /**
     * Marks the relay as being removed; carries the removal out here if this instance runs it or can take its lease,
     * else waits for the owner to do it (at most {@link #REMOVAL_WAIT}).
     */
    @Override
    public CompletableFuture<Void> remove(UUID relayId) {
        retry.call("marking a relay for removal", () -> {
            registry.markRemoving(relayId);
            return null;
        });
        if (local.running().contains(relayId) || claim(relayId)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            keeper.submitAfterUnderway(relayId, LeaseKeeper.Work.REMOVE, () -> local.remove(relayId).join())
                    .whenComplete((ok, failure) -> {
                        depths.forget(relayId);
                        if (failure != null) {
                            done.completeExceptionally(failure);
                        } else {
                            done.complete(null);
                        }
                    });
            return done;
        }
        String owner = keeper.fleet().leases().get(relayId) != null
                ? keeper.fleet().leases().get(relayId).owner().orElse("another instance") : "another instance";
        // a virtual thread of its own, not the common pool: the wait sleeps, and a blocked common pool (one thread on
        // two cores) would hold up every WebSocket handshake, which the JDK's client completes there
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + REMOVAL_WAIT.toNanos();
            while (retry.call("looking for the relay", () -> leases.version(relayId)).isPresent()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instance " + owner + ", which runs the relay, has not removed "
                            + "it within " + REMOVAL_WAIT.toSeconds() + " s; it is marked for removal and will be "
                            + "removed when its queue is drained");
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the removal", e);
                }
            }
        }, Thread.ofVirtual().name("relay-removal-wait")::start);
    }

    private boolean claim(UUID relayId) {
        return retry.call("taking a relay's lease", () -> leases.claim(relayId, keeper.instanceId(), ttl));
    }

    @Override
    public RelayStatus status(UUID relayId) {
        return status(relayId, depths.depth(relayId));
    }

    @Override
    public ConnectorState state(UUID relayId) {
        return status(relayId, -1).state();
    }

    private RelayStatus status(UUID relayId, long depth) {
        Optional<RelayStatus> here = local.state(relayId);
        if (here.isPresent()) {
            RelayStatus status = here.get();
            return status.withQueueDepth(depth).ownedBy(keeper.instanceId());
        }
        Lease lease = keeper.fleet().leases().get(relayId);
        if (lease == null || lease.owner().isEmpty()) {
            return new RelayStatus(ConnectorState.CONNECTING, Optional.of("waiting for an instance to take it"),
                    depth);
        }
        ConnectorState state = lease.state().flatMap(ConnectorState::ofApiName).orElse(ConnectorState.CONNECTING);
        return new RelayStatus(state, lease.lastError(), depth).ownedBy(lease.owner().get());
    }
}
