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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Everything that runs for the registered relays: per relay its topology, one consumer (its own listener
 * container) and one upstream connector. At start, HTTP serves at once while this re-binds every registered relay
 * in the background ({@link GatewayState} says how far it is).
 */
@Component
public class RelayRuntime implements RelayLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RelayRuntime.class);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(10);

    private record Running(SimpleMessageListenerContainer consumer, Optional<UpstreamConnector> connector,
                           boolean paused) {
    }

    private final RelayRegistry registry;
    private final RelayTopology topology;
    private final SimpleRabbitListenerContainerFactory containers;
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
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "connector-timers"); // publish retries and batch lingers
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    public RelayRuntime(RelayRegistry registry, RelayTopology topology,
                        SimpleRabbitListenerContainerFactory containers, RabbitTemplate rabbit, EventStore store,
                        EventVerifier verifier, RelayCounters counters, CursorBook cursors,
                        ProvenanceWriter provenance, DeadLetters deadLetters, LiveFeed live,
                        GatewayProperties properties, GatewayState state) {
        this.registry = registry;
        this.topology = topology;
        this.containers = containers;
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
    }

    /** Re-binds every registered relay, in the background, so HTTP serves meanwhile. */
    @EventListener(ApplicationReadyEvent.class)
    public void rebindAll() {
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try {
                topology.declareDeadLetters();
                List<RegisteredRelay> relays = registry.all();
                int done = 0;
                for (RegisteredRelay relay : relays) {
                    if (stopping) {
                        return;
                    }
                    start(relay);
                    if (++done % 100 == 0) {
                        log.info("re-bound {} of {} relays", done, relays.size());
                    }
                }
                state.set(GatewayState.Phase.CATCHING_UP);
                log.info("gateway re-bound {} relays in {} ms; catching up", relays.size(),
                        (System.nanoTime() - started) / 1_000_000);
                scheduler.scheduleWithFixedDelay(this::updatePhase, 0, 1, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                log.error("re-binding relays failed: {} (check RabbitMQ at spring.rabbitmq.host/port and the "
                        + "database); registered relays are not running", e.getMessage(), e);
            }
        }, "rebind");
        thread.setDaemon(true);
        thread.start();
    }

    private void updatePhase() {
        boolean allLive = running.values().stream()
                .allMatch(r -> r.paused() || r.connector().map(c -> c.state() == ConnectorState.LIVE).orElse(true));
        state.set(allLive ? GatewayState.Phase.READY : GatewayState.Phase.CATCHING_UP);
    }

    @Override
    public synchronized void start(RegisteredRelay relay) {
        if (running.containsKey(relay.id())) {
            return;
        }
        topology.declare(relay.id());
        SimpleMessageListenerContainer consumer = consumer(relay.id());
        consumer.start();
        Optional<UpstreamConnector> connector = relay.paused() ? Optional.empty() : Optional.of(connect(relay));
        running.put(relay.id(), new Running(consumer, connector, relay.paused()));
        log.info("relay {} ({}) bound: queue {}{}", relay.name(), relay.url(), RelayTopology.queue(relay.id()),
                relay.paused() ? " (paused)" : "");
    }

    private SimpleMessageListenerContainer consumer(UUID relayId) {
        SimpleMessageListenerContainer container = containers.createListenerContainer();
        container.setQueueNames(RelayTopology.queue(relayId));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConsumerBatchEnabled(true);
        // counted in messages, each a batch of up to batchMaxEvents events: the prefetch bounds what a consumer holds
        // to 2 x sinkBatchSize x batchMaxBytes
        container.setBatchSize(properties.sinkBatchSize());
        container.setPrefetchCount(properties.sinkBatchSize() * 2);
        // a batch closes when full or when sinkMaxDelay has passed since its first message (receiveTimeout alone
        // bounds the wait for each next message, so a steady trickle would hold a batch until it is full)
        container.setReceiveTimeout(Math.max(1, properties.sinkMaxDelay().toMillis()));
        container.setBatchReceiveTimeout(Math.max(1, properties.sinkMaxDelay().toMillis()));
        container.setConcurrentConsumers(1);
        container.setMaxConcurrentConsumers(1);
        container.setMessageListener(new RelaySink(relayId, store, recentIds, verifier, futureLimit, counters,
                cursors, provenance, deadLetters, failures, live, () -> stopping));
        return container;
    }

    private UpstreamConnector connect(RegisteredRelay relay) {
        UpstreamConnector connector = new UpstreamConnector(relay, rabbit, scheduler, properties.inFlight(), batching,
                properties.catchUpOverlap(), futureLimit);
        connector.start();
        return connector;
    }

    @Override
    public synchronized void change(RegisteredRelay relay) {
        Running current = running.get(relay.id());
        if (current == null) {
            start(relay);
            return;
        }
        current.connector().ifPresent(UpstreamConnector::close);
        // the cursor as persisted plus what is committed but not flushed yet: flush first
        cursors.flush();
        RegisteredRelay fresh = registry.find(relay.id()).orElse(relay);
        Optional<UpstreamConnector> connector = fresh.paused() ? Optional.empty() : Optional.of(connect(fresh));
        running.put(relay.id(), new Running(current.consumer(), connector, fresh.paused()));
    }

    @Override
    public synchronized void remove(UUID relayId) {
        Running current = running.remove(relayId);
        if (current != null) {
            current.connector().ifPresent(UpstreamConnector::close);
            long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
            while (topology.depth(relayId) > 0 && System.nanoTime() < deadline) {
                try {
                    TimeUnit.MILLISECONDS.sleep(50); // the consumer is draining the queue
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            current.consumer().stop();
        }
        topology.delete(relayId);
        counters.forget(relayId);
        cursors.forget(relayId);
    }

    @Override
    public RelayStatus status(UUID relayId) {
        Running current = running.get(relayId);
        long depth;
        try {
            depth = topology.depth(relayId);
        } catch (RuntimeException brokerDown) {
            depth = -1;
        }
        if (current == null) {
            return new RelayStatus(ConnectorState.CONNECTING, Optional.of("not started yet"), depth);
        }
        if (current.paused() || current.connector().isEmpty()) {
            return new RelayStatus(ConnectorState.PAUSED, Optional.empty(), depth);
        }
        UpstreamConnector connector = current.connector().get();
        return new RelayStatus(connector.state(), connector.lastError(), depth);
    }

    @PreDestroy
    public void stop() {
        stopping = true;
        running.values().forEach(r -> r.connector().ifPresent(UpstreamConnector::close));
        running.values().forEach(r -> r.consumer().stop());
        cursors.flush();
        scheduler.shutdownNow();
    }
}
