package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.ConnectionListener;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>After a lost connection the client resumes the subscription from the newest {@code created_at} it delivered,
 * which cannot see what the relay received meanwhile dated earlier. So on each reconnect, with a relay that
 * advertises NIP-77, the connector also reconciles the window below that resume point ({@link #reconnected}).
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
    /** A negentropy catch-up runs (at start, or after a reconnect): one at a time. */
    private final AtomicBoolean reconciling = new AtomicBoolean();
    /**
     * The newest created_at the current subscription delivered, -1 for none: where the client resumes it after a
     * reconnect (with each filter's own since, if later). Written on the listener thread.
     */
    private volatile long newestReceived = -1;
    /** The latest catch-up's negentropy counts; null when the latest was by since (or none finished yet). */
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
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(boolean reconnected) {
                        if (reconnected) {
                            reconnected();
                        }
                    }

                    @Override
                    public void onDisconnected(String problem) {
                        lastError = problem;
                    }
                })
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
            reconciling.set(true); // before connecting: a reconnect during this catch-up leaves it to this one
            Thread.ofVirtual().name("catch-up-" + relay.id()).start(() -> {
                try {
                    catchUpThenSubscribe();
                } finally {
                    reconciling.set(false);
                }
            });
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
        return notAdvertised();
    }

    /** Why the relay cannot reconcile by NIP-77, as its NIP-11 document says (read again: 6 s at most), if so. */
    private Optional<String> notAdvertised() {
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

    /**
     * On the listener thread, before any callback of the new connection: the client is resuming the subscription
     * from the newest created_at it delivered (its since part, counted as a since catch-up). With a store to
     * reconcile against, what lies below that resume point and within the window is reconciled on a virtual thread,
     * the relay's NIP-11 read again first (it may have changed while away); a relay without 77, a resume point older
     * than the window or a failure leave the since resumption alone, and say why.
     *
     * <p>The two parts do not overlap: the reconciliation ends a second below where the client resumes, so what
     * the relay received during the outage comes once, by the one or the other. An event may still come twice
     * when it was received just before the drop and is not stored yet (then the store keeps it once), or when the
     * connection dropped before the subscription's EOSE (the client then resumes lower than computed here).
     */
    private void reconnected() {
        negentropyReport = null; // the latest catch-up is the client's since resumption, until one replaces it
        fallback = null;
        if (closed || catchUpSettings.store().isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        long windowStart = Math.max(0, now - catchUpSettings.window().toSeconds());
        List<Filter> belowResumption = belowResumption(windowStart);
        if (belowResumption.isEmpty()) {
            log.info("relay {} ({}): reconnected; catching up since where it left off only: it resumes from before "
                    + "the catch-up window", relay.name(), relay.id());
            return;
        }
        if (!reconciling.compareAndSet(false, true)) {
            log.info("relay {} ({}): reconnected during a negentropy catch-up; that one finishes or falls back",
                    relay.name(), relay.id());
            return;
        }
        Thread.ofVirtual().name("reconcile-" + relay.id()).start(() -> {
            try {
                reconcileBelowResumption(belowResumption, windowStart, now);
            } finally {
                reconciling.set(false);
            }
        });
    }

    /**
     * The relay's filters, each ending a second below where the client resumes it (its since as subscribed, or
     * the newest created_at delivered, if later); those that resume at or below the window's start are left out.
     */
    private List<Filter> belowResumption(long windowStart) {
        List<Filter> current = subscribed;
        long newest = newestReceived;
        List<Filter> below = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) { // subscribed holds the relay's filters, in order, with a since
            long resumesAt = Math.max(current.get(i).since().orElse(0), newest);
            if (resumesAt > windowStart) {
                Filter filter = relay.filters().get(i);
                below.add(filter.toBuilder().until(Math.min(filter.until().orElse(Long.MAX_VALUE), resumesAt - 1))
                        .build());
            }
        }
        return below;
    }

    private void reconcileBelowResumption(List<Filter> belowResumption, long windowStart, long now) {
        Optional<String> unusable = notAdvertised();
        if (unusable.isPresent()) {
            log.info("relay {} ({}): reconnected; catching up since where it left off only: {}", relay.name(),
                    relay.id(), unusable.get());
            return;
        }
        try {
            NegentropyCatchUp.Outcome outcome = new NegentropyCatchUp(client, catchUpSettings.store().orElseThrow(),
                    this::fetchedAfterReconnect).run(belowResumption, windowStart, now);
            negentropyReport = new CatchUpReport(CatchUpReport.NEGENTROPY, outcome.fetched(), outcome.skipped(),
                    Optional.empty());
            log.info("relay {} ({}): reconnected; negentropy catch-up below where it resumed: {} held, {} missing, "
                    + "{} fetched, {} bytes reconciling", relay.name(), relay.id(), outcome.skipped(),
                    outcome.needed(), outcome.fetched(), outcome.negentropyBytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                fallback = "negentropy catch-up after a reconnect failed: " + e.getMessage();
                log.warn("relay {} ({}): {}; caught up since where it left off only", relay.name(), relay.id(),
                        fallback);
            }
        }
    }

    /**
     * An event fetched by id after a reconnect, on the listener thread: sent as catch-up, so that it never moves the
     * cursor itself (it is older than where the subscription resumed), and not counted as a since catch-up.
     */
    private void fetchedAfterReconnect(Event event) {
        if (permits.isClosed()) {
            return;
        }
        batcher.add(event.toJson().getBytes(StandardCharsets.UTF_8), event.id().hex(), System.currentTimeMillis(),
                System.nanoTime(), true);
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
        newestReceived = -1;
        subscription = client.subscribe(filters, new SubscriptionListener() {
            @Override
            public void onEvent(Event event) {
                newestReceived = Math.max(newestReceived, event.createdAt());
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
        return catchUp.isLive() && !reconciling.get() ? ConnectorState.LIVE : ConnectorState.CATCHING_UP;
    }

    /**
     * How the connector last caught up: when it started, or after its latest reconnect (the counts are that catch-up's
     * alone, not accumulated). For since, the count so far of the current catch-up. After a reconnect with a relay
     * that supports NIP-77: negentropy, counting what was reconciled below where the subscription resumed (the
     * events the resumption itself brings are not counted, as those of the subscription after a start are not).
     */
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
