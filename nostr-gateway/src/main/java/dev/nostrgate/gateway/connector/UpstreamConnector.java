package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.sink.FutureLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * One registered relay's upstream: a WebSocket subscription with the relay's filters (since the cursor minus the
 * overlap), its events packed into messages by an {@link EventBatcher}, published with confirms by a
 * {@link ConfirmedPublisher} while at most {@code inFlight} wait for theirs ({@link InFlightPermits}), and the
 * stored events before each {@code EOSE} handled by the {@link CatchUp} protocol. This class only wires them to
 * the subscription and says where the connection stands.
 *
 * <p>No loss: nothing moves the cursor but what the database committed, so whatever the gateway never had
 * confirmed when it stops (a pending batch included) is asked for again by its next run.
 */
final class UpstreamConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);
    /** How long to wait before subscribing again after the relay refused (CLOSED) the subscription. */
    private static final Duration RESUBSCRIBE_AFTER = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for the pending batch and the unconfirmed messages to be confirmed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final RegisteredRelay relay;
    private final ScheduledExecutorService scheduler;
    private final RelayClient client;
    private final List<Filter> filters;
    private final InFlightPermits permits;
    private final EventBatcher batcher;
    private final CatchUp catchUp;
    private volatile Subscription subscription;
    private volatile boolean everConnected;
    private volatile String lastError;
    private volatile boolean closed;

    /**
     * @param inFlight unconfirmed messages (batches) before the connector stops reading from the relay
     */
    UpstreamConnector(RegisteredRelay relay, RabbitTemplate rabbit, ScheduledExecutorService scheduler,
                      int inFlight, BatchLimits batching, Duration catchUpOverlap, FutureLimit futureLimit) {
        this.relay = relay;
        this.scheduler = scheduler;
        this.permits = new InFlightPermits(inFlight);
        ConfirmedPublisher publisher = new ConfirmedPublisher(relay, rabbit, scheduler, permits, this::confirmed,
                error -> lastError = error);
        this.batcher = new EventBatcher(batching, scheduler, permits, publisher::publish);
        this.catchUp = new CatchUp(futureLimit, batcher, permits, publisher::publish);
        this.client = RelayClient.builder()
                .url(relay.url())
                // while the listener waits for a permit, the client reads ahead about one more batch, then stops
                .maxUndelivered(batching.maxEvents())
                // the consumer verifies every event before storing it (anything may be put on a queue): checking
                // here too would only double the cost of the most expensive step
                .verifyEvents(false)
                .noticeListener(notice -> log.info("relay {} ({}) says: {}", relay.name(), relay.id(), notice))
                .build();
        this.filters = sinceCursor(relay, catchUpOverlap);
    }

    /** The relay's filters, each starting at the cursor minus the overlap (or at its own since, if later). */
    static List<Filter> sinceCursor(RegisteredRelay relay, Duration overlap) {
        if (relay.cursor().isEmpty()) {
            return relay.filters();
        }
        long since = Math.max(0, relay.cursor().getAsLong() - overlap.toSeconds());
        return relay.filters().stream().map(filter -> {
            if (filter.since().isPresent() && filter.since().getAsLong() >= since) {
                return filter;
            }
            return filter.toBuilder().since(since).build();
        }).toList();
    }

    /**
     * Subscribes and connects after the delay (the {@link ConnectPacer}'s), on the scheduler; at once when zero.
     * Closing before then cancels it.
     */
    void start(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            connectNow();
            return;
        }
        scheduler.schedule(() -> {
            if (!closed) {
                connectNow();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void connectNow() {
        subscribe();
        client.connect().whenComplete((ignored, failure) -> {
            if (failure == null) {
                everConnected = true;
            } else {
                lastError = failure.getMessage();
            }
        });
    }

    private void subscribe() {
        if (permits.isClosed()) {
            return;
        }
        catchUp.begin();
        subscription = client.subscribe(filters, new SubscriptionListener() {
            @Override
            public void onEvent(Event event) {
                received(event);
            }

            @Override
            public void onEose() {
                caughtUp();
            }

            @Override
            public void onResubscribed() {
                catchUp.begin();
            }

            @Override
            public void onEoseAgain() {
                caughtUp();
            }

            @Override
            public void onClosed(String reason) {
                lastError = "the relay closed the subscription: " + reason;
                log.warn("relay {} ({}): {}; subscribing again in {}", relay.name(), relay.id(), lastError,
                        RESUBSCRIBE_AFTER);
                scheduler.schedule(UpstreamConnector.this::subscribe, RESUBSCRIBE_AFTER.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** On the subscription listener thread, which waits in the batcher while every permit is taken. */
    private void received(Event event) {
        if (permits.isClosed()) {
            return; // not confirmed: the next run asks the relay again from the cursor
        }
        long receivedAtMillis = System.currentTimeMillis();
        long receivedNanos = System.nanoTime();
        boolean catchingUp = catchUp.received(event.createdAt(), receivedAtMillis);
        batcher.add(event.toJson().getBytes(StandardCharsets.UTF_8), event.id().hex(), receivedAtMillis,
                receivedNanos, catchingUp);
    }

    /** A confirm freed a permit: a batch whose linger passed without one may go now. */
    private void confirmed() {
        batcher.permitFreed();
    }

    private void caughtUp() {
        catchUp.end();
        everConnected = true;
        lastError = null;
    }

    ConnectorState state() {
        if (!client.isConnected()) {
            return everConnected ? ConnectorState.BACKOFF : ConnectorState.CONNECTING;
        }
        return catchUp.isLive() ? ConnectorState.LIVE : ConnectorState.CATCHING_UP;
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Events received and not yet published (the pending batch). */
    int pendingEvents() {
        return batcher.pendingEvents();
    }

    /** Messages (batches) published and not yet confirmed by the broker. */
    int unconfirmed() {
        return permits.taken();
    }

    /**
     * Stops reading; publishes the pending batch and waits a little (5 s in all) for it and the messages in flight
     * to be confirmed. What is still unconfirmed then is given up: the next run asks the relay for it again, from
     * the cursor. Blocks its caller only, so that connectors close in parallel.
     */
    @Override
    public void close() {
        closed = true;
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        client.close();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        if (batcher.flush(CLOSE_WAIT)) {
            permits.awaitNone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        permits.close();
    }
}
