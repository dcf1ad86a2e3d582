package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.gateway.GatewayState;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.sink.CursorBook;
import dev.nostrgate.gateway.sink.DeadLetters;
import dev.nostrgate.gateway.sink.FailedMessages;
import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.gateway.sink.LiveFeed;
import dev.nostrgate.gateway.sink.ProvenanceWriter;
import dev.nostrgate.gateway.sink.RelayConsumer;
import dev.nostrgate.gateway.sink.RelayConsumers;
import dev.nostrgate.gateway.sink.RelaySink;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.RecentIds;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Everything that runs in this instance for the relays it owns: per relay its topology, one consumer (a
 * {@link RelayConsumer}: pushed by the broker, batched, nothing running while its queue is empty) and one upstream
 * connector. Which relays those are, the fleet's lease keeper decides; at start, HTTP serves at once while the
 * keeper starts them in the background ({@link GatewayState} says how far it is).
 */
@Component
public class RelayRuntime implements LocalRelays {
    private static final Logger log = LoggerFactory.getLogger(RelayRuntime.class);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(10);

    private final RelayRegistry registry;
    private final RelayTopology topology;
    private final RelayConsumers consumers;
    private final RabbitTemplate rabbit;
    private final EventStore store;
    private final RecentIds recentIds;
    private final EventVerifier verifier;
    private final RelayCounters counters;
    private final CursorBook cursors;
    private final ProvenanceWriter provenance;
    private final DeadLetters deadLetters;
    private final FailedMessages failures;
    private final LiveFeed live;
    private final GatewayProperties properties;
    private final BatchLimits batching;
    private final FutureLimit futureLimit;
    private final GatewayState state;
    private final Map<UUID, BoundRelay> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "connector-timers"); // publish retries and connectors' batch lingers
        thread.setDaemon(true);
        return thread;
    });
    /**
     * Closes relays, each on a thread of its own: a removal waits for its queue to drain, and a stop closes every
     * relay at once, so that it takes about as long as the slowest relay, not the sum of them all. Platform threads:
     * a close may block inside synchronized code of the AMQP client or the listener container, which on Java 21
     * pins a virtual thread to one of the few carriers and would close the relays a few at a time.
     */
    private final ExecutorService closing = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "relay-close");
        thread.setDaemon(true);
        return thread;
    });
    private final ConnectPacer pacer;
    private volatile boolean stopping;
    private volatile boolean deadLettersDeclared;

    public RelayRuntime(RelayRegistry registry, RelayTopology topology,
                        ConnectionFactory connections, RabbitTemplate rabbit, EventStore store,
                        EventVerifier verifier, RelayCounters counters, CursorBook cursors,
                        ProvenanceWriter provenance, DeadLetters deadLetters, LiveFeed live,
                        GatewayProperties properties, GatewayState state) {
        this.registry = registry;
        this.topology = topology;
        this.consumers = new RelayConsumers(connections, properties.sinkBatchSize(), properties.sinkMaxDelay());
        this.rabbit = rabbit;
        this.store = store;
        this.recentIds = new RecentIds(200_000);
        this.verifier = verifier;
        this.counters = counters;
        this.cursors = cursors;
        this.provenance = provenance;
        this.deadLetters = deadLetters;
        this.failures = new FailedMessages(rabbit, deadLetters, properties.sinkMaxAttempts());
        this.live = live;
        this.properties = properties;
        this.batching = BatchLimits.of(properties); // checked here, so that a bad value stops the start
        this.futureLimit = FutureLimit.of(properties.createdAtUpperLimit()); // likewise
        this.state = state;
        this.pacer = new ConnectPacer(properties.connectsPerSecond());
    }

    @Override
    public void started() {
        if (stopping) {
            return;
        }
        state.set(GatewayState.Phase.CATCHING_UP);
        scheduler.scheduleWithFixedDelay(this::updatePhase, 0, 1, TimeUnit.SECONDS);
    }

    private void updatePhase() {
        boolean allLive = running.values().stream().allMatch(BoundRelay::caughtUp);
        state.set(allLive ? GatewayState.Phase.READY : GatewayState.Phase.CATCHING_UP);
    }

    /** Without waiting for other relays' starts, changes or removals: each relay has its own lock. */
    @Override
    public void start(RegisteredRelay relay) {
        if (stopping) {
            throw new IllegalStateException("the gateway is stopping");
        }
        if (!deadLettersDeclared) {
            topology.declareDeadLetters(); // before the first consumer may need it; idempotent, so a race is harmless
            deadLettersDeclared = true;
        }
        BoundRelay bound = new BoundRelay(relay.id(), topology, this::consumer, this::connect);
        if (running.putIfAbsent(relay.id(), bound) != null) {
            return;
        }
        try {
            bound.start(relay);
        } catch (RuntimeException e) {
            running.remove(relay.id(), bound);
            throw e;
        }
        log.info("relay {} ({}) bound: queue {}{}", relay.name(), relay.url(), RelayTopology.queue(relay.id()),
                relay.paused() ? " (paused)" : "");
    }

    private RelayConsumer consumer(UUID relayId) {
        return consumers.create(relayId, new RelaySink(relayId, store, recentIds, verifier, futureLimit, counters,
                cursors, provenance, deadLetters, failures, live, () -> stopping));
    }

    private UpstreamConnector connect(RegisteredRelay relay) {
        UpstreamConnector connector = new UpstreamConnector(relay, rabbit, scheduler, properties.inFlight(), batching,
                new UpstreamConnector.CatchUpSettings(properties.catchUpOverlap(), properties.catchUpWindow(),
                        Optional.of(store)), futureLimit);
        connector.start(pacer.nextDelay());
        return connector;
    }

    @Override
    public void change(RegisteredRelay relay) {
        BoundRelay bound = running.get(relay.id());
        if (bound == null) {
            start(relay);
            return;
        }
        bound.change(() -> {
            // the cursor as persisted plus what is committed but not flushed yet: flush first
            cursors.flush();
            return registry.find(relay.id()).orElse(relay);
        });
    }

    /**
     * Takes the relay out at once (its status is no longer shown) and closes it on a thread of its own, so that
     * starting, changing or removing other relays goes on meanwhile.
     */
    @Override
    public CompletableFuture<Void> remove(UUID relayId) {
        BoundRelay bound = running.remove(relayId);
        return CompletableFuture.runAsync(() -> {
            if (bound != null) {
                bound.drainAndClose(DRAIN_WAIT);
            }
            topology.delete(relayId);
            counters.forget(relayId);
            cursors.forget(relayId);
        }, closing);
    }

    @Override
    public void handOver(UUID relayId) {
        BoundRelay bound = running.remove(relayId);
        if (bound != null) {
            bound.close();
            log.info("relay {} stopped here; its queue {} stays for the instance that takes it over", relayId,
                    RelayTopology.queue(relayId));
        }
    }

    @Override
    public Set<UUID> running() {
        return Set.copyOf(running.keySet());
    }

    @Override
    public Optional<RelayStatus> status(UUID relayId) {
        BoundRelay bound = running.get(relayId);
        if (bound == null) {
            return Optional.empty();
        }
        long depth;
        try {
            depth = topology.depth(relayId);
        } catch (RuntimeException brokerDown) {
            depth = -1;
        }
        return Optional.of(bound.status(depth));
    }

    @Override
    public Optional<RelayStatus> state(UUID relayId) {
        return Optional.ofNullable(running.get(relayId)).map(bound -> bound.status(-1));
    }

    /** Closes every relay in parallel: each connector publishes its pending batch, each consumer stops. */
    @Override
    @PreDestroy
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        long started = System.nanoTime();
        List<BoundRelay> all = List.copyOf(running.values());
        running.clear();
        CompletableFuture.allOf(all.stream().map(bound -> CompletableFuture.runAsync(bound::close, closing)
                .exceptionally(failure -> {
                    log.warn("closing a relay failed: {}", failure.toString());
                    return null;
                })).toArray(CompletableFuture[]::new)).join();
        log.info("stopped {} relays in {} ms", all.size(), (System.nanoTime() - started) / 1_000_000);
        cursors.flush();
        scheduler.shutdownNow();
        consumers.close();
        closing.shutdown();
    }
}
