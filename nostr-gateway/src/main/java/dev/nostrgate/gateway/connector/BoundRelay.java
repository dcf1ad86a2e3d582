package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.sink.RelayConsumer;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What runs for one registered relay: its topology, its consumer (a {@link RelayConsumer} of its own) and, unless
 * paused, its upstream connector; started, changed and stopped here. Every relay has its own lock, so that one
 * relay's start, change and removal happen one after the other while other relays' go on: a removal waiting for
 * its queue to drain holds no one else up. Once closed (removed or stopped), it starts and changes nothing more.
 */
final class BoundRelay {
    private final UUID id;
    private final RelayTopology topology;
    private final Function<UUID, RelayConsumer> consumers;
    private final Function<RegisteredRelay, UpstreamConnector> connectors;
    private final ReentrantLock lock = new ReentrantLock();
    // written under lock, volatile for status(), which does not wait for a start or a removal
    private volatile RelayConsumer consumer;
    private volatile Optional<UpstreamConnector> connector = Optional.empty();
    private volatile boolean paused;
    private volatile boolean started;
    private boolean closed; // guarded by lock

    /**
     * @param consumers makes a relay's consumer, not started yet
     * @param connectors makes and starts a relay's upstream connector
     */
    BoundRelay(UUID id, RelayTopology topology, Function<UUID, RelayConsumer> consumers,
               Function<RegisteredRelay, UpstreamConnector> connectors) {
        this.id = id;
        this.topology = topology;
        this.consumers = consumers;
        this.connectors = connectors;
    }

    /** Declares the topology, starts the consumer, then the connector unless paused. */
    void start(RegisteredRelay relay) {
        lock.lock();
        try {
            if (closed || started) {
                return;
            }
            topology.declare(id);
            consumer = consumers.apply(id);
            consumer.start();
            paused = relay.paused();
            connector = paused ? Optional.empty() : Optional.of(connectors.apply(relay));
            started = true;
        } catch (RuntimeException e) {
            stopParts(); // what did start stops again: the caller may try anew
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies changed settings: closes the connector and starts one with the relay as {@code fresh} gives it (read
     * after the close, so that it subscribes from the newest cursor).
     */
    void change(Supplier<RegisteredRelay> fresh) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closeConnector();
            RegisteredRelay relay = fresh.get();
            paused = relay.paused();
            connector = paused ? Optional.empty() : Optional.of(connectors.apply(relay));
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a removal: closes the connector, lets the consumer store what is queued (at most {@code drainWait}), then
     * stops the consumer. Blocks its caller, and this relay's other operations, only.
     */
    void drainAndClose(Duration drainWait) {
        lock.lock();
        try {
            closed = true;
            closeConnector();
            long deadline = System.nanoTime() + drainWait.toNanos();
            while (consumer != null && topology.depth(id) > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50); // the consumer is draining the queue
            }
            stopParts();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopParts();
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the gateway's stop: closes the connector (its pending batch published and confirmed, bounded) and stops
     * the consumer; what is queued stays for the next run.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
            stopParts();
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock. */
    private void closeConnector() {
        connector.ifPresent(UpstreamConnector::close);
        connector = Optional.empty();
    }

    /** Holds the lock. */
    private void stopParts() {
        closeConnector();
        if (consumer != null) {
            consumer.stop();
        }
    }

    /** Live, or paused: nothing left to catch up. */
    boolean caughtUp() {
        return started && (paused || connector.map(c -> c.state() == ConnectorState.LIVE).orElse(true));
    }

    RelayStatus status(long queueDepth) {
        if (!started) {
            return new RelayStatus(ConnectorState.CONNECTING, Optional.of("starting"), queueDepth);
        }
        Optional<UpstreamConnector> current = connector;
        if (paused || current.isEmpty()) {
            return new RelayStatus(ConnectorState.PAUSED, Optional.empty(), queueDepth);
        }
        return new RelayStatus(current.get().state(), current.get().lastError(), queueDepth, Optional.empty(),
                Optional.of(current.get().catchUpReport()));
    }
}
