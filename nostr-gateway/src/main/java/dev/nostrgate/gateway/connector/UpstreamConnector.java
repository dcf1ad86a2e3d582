package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.relay.store.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
    private final CatchUpSettings catchUpSettings;
    /** Stored events received before an EOSE since the last REQ: what a since catch-up fetched. */
    private final AtomicLong sinceFetched = new AtomicLong();
    private volatile CatchUpReport negentropyReport;
    private volatile String fallback;
    private volatile Subscription subscription;
    /** The filters last subscribed with: after a negentropy catch-up, since its start, not since the cursor. */
    private volatile List<Filter> subscribed;
    private volatile boolean everConnected;
    private volatile String lastError;
    private volatile boolean closed;

    /**
     * @param inFlight unconfirmed messages (batches) before the connector stops reading from the relay
     */
    UpstreamConnector(RegisteredRelay relay, RabbitTemplate rabbit, ScheduledExecutorService scheduler,
                      int inFlight, BatchLimits batching, CatchUpSettings catchUpSettings, FutureLimit futureLimit) {
        this.relay = relay;
        this.catchUpSettings = catchUpSettings;
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
        this.filters = sinceCursor(relay, catchUpSettings.overlap());
        this.subscribed = filters;
    }

    /**
     * How a connector catches up.
     *
     * @param overlap how far before the cursor (or before the reconciliation) the subscription starts
     * @param window how far back a negentropy catch-up reconciles
     * @param store the gateway's store, to reconcile against; empty: always the since cursor
     */
    record CatchUpSettings(Duration overlap, Duration window, Optional<EventStore> store) {
        static CatchUpSettings sinceOnly(Duration overlap) {
            return new CatchUpSettings(overlap, Duration.ZERO, Optional.empty());
        }
    }

    /** The relay's filters, each starting at the cursor minus the overlap (or at its own since, if later). */
    static List<Filter> sinceCursor(RegisteredRelay relay, Duration overlap) {
        if (relay.cursor().isEmpty()) {
            return relay.filters();
        }
        return sinceCursor(relay.filters(), relay.cursor().getAsLong() - overlap.toSeconds());
    }

    /** The filters, each starting at {@code since} (or at its own since, if later). */
    static List<Filter> sinceCursor(List<Filter> filters, long sinceSeconds) {
        long since = Math.max(0, sinceSeconds);
        return filters.stream().map(filter -> {
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
        if (catchUpSettings.store().isPresent()) {
            Thread.ofVirtual().name("catch-up-" + relay.id()).start(this::catchUpThenSubscribe);
        } else {
            subscribeTo(filters);
        }
        client.connect().whenComplete((ignored, failure) -> {
            if (failure == null) {
                everConnected = true;
            } else {
                lastError = failure.getMessage();
            }
        });
    }

    /**
     * Negentropy when the relay advertises NIP-77 and the cursor lies within the window; the since cursor otherwise,
     * and when the reconciliation fails (the reason stays visible in the report).
     */
    private void catchUpThenSubscribe() {
        long start = System.currentTimeMillis() / 1000;
        long windowStart = Math.max(0, start - catchUpSettings.window().toSeconds());
        Optional<String> unusable = negentropyUnusable(windowStart);
        if (unusable.isPresent()) {
            log.debug("relay {} ({}): catching up since the cursor: {}", relay.name(), relay.id(), unusable.get());
            subscribeTo(filters);
            return;
        }
        try {
            catchUp.begin();
            NegentropyCatchUp.Outcome outcome = new NegentropyCatchUp(client, catchUpSettings.store().orElseThrow(),
                    this::received).run(relay.filters(), windowStart, start);
            negentropyReport = new CatchUpReport(CatchUpReport.NEGENTROPY, outcome.fetched(), outcome.skipped(),
                    Optional.empty());
            log.info("relay {} ({}): negentropy catch-up: {} held, {} missing, {} fetched, {} bytes reconciling",
                    relay.name(), relay.id(), outcome.skipped(), outcome.needed(), outcome.fetched(),
                    outcome.negentropyBytes());
            subscribeTo(sinceCursor(relay.filters(), start - catchUpSettings.overlap().toSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            fallback = "negentropy catch-up failed: " + e.getMessage();
            log.warn("relay {} ({}): {}; catching up since the cursor instead", relay.name(), relay.id(), fallback);
            subscribeTo(filters);
        }
    }

    /** Why this start cannot catch up by negentropy, if it cannot. */
    private Optional<String> negentropyUnusable(long windowStart) {
        if (relay.cursor().isPresent()
                && relay.cursor().getAsLong() - catchUpSettings.overlap().toSeconds() < windowStart) {
            return Optional.of("the cursor is older than the catch-up window");
        }
        try {
            Set<Integer> nips = RelayInformation.supportedNips(relay.url())
                    .get(RelayInformation.TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return nips.contains(77) ? Optional.empty() : Optional.of("its NIP-11 does not list 77");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of("no NIP-11 document (" + (e.getCause() != null ? e.getCause() : e) + ")");
        }
    }

    private void subscribe() {
        subscribeTo(subscribed);
    }

    private void subscribeTo(List<Filter> filters) {
        if (permits.isClosed() || closed) {
            return;
        }
        catchUp.begin();
        sinceFetched.set(0);
        subscribed = filters;
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
                sinceFetched.set(0);
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
        if (catchingUp) {
            sinceFetched.incrementAndGet();
        }
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

    /** How the connector caught up when it started; for since, the count so far of the current catch-up. */
    CatchUpReport catchUpReport() {
        CatchUpReport negentropy = negentropyReport;
        if (negentropy != null) {
            return negentropy;
        }
        return new CatchUpReport(CatchUpReport.SINCE, sinceFetched.get(), 0, Optional.ofNullable(fallback));
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
