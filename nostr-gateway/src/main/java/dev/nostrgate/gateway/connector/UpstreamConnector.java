package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * One registered relay's upstream: a WebSocket subscription with the relay's filters (since the cursor minus the
 * overlap), its events packed into batches ({@link EventBatchCodec}) and published to the relay's exchange with
 * publisher confirms.
 *
 * <p>Batching: the broker's cost is per message, so events are appended to a pending batch, which is published
 * when it holds {@code maxEvents} events, when the next event would take it past {@code maxBytes}, or once the
 * linger has passed since its first event (see {@link BatchLimits}). Its {@code x-nostr-received-at} header is
 * when its first event came, so the lag statistic includes the time spent waiting in the batch.
 *
 * <p>No loss, bounded memory: at most {@code inFlight} messages wait for their confirm. A nack, a return (no
 * queue) or a broker outage keeps the permit and publishes the same message again after a backoff; when every
 * permit is taken, the subscription listener waits, the client's listener queue fills and the client stops reading
 * the socket. What the gateway never confirmed when it stops (a pending batch included) is asked for again by its
 * next run, because the cursor only moves with what the database committed.
 *
 * <p>Catch-up: the relay sends a {@code REQ}'s stored events newest first, then {@code EOSE}, so the newest of them
 * says nothing of the older ones still to come, and must not move the cursor before they are all stored. Events
 * received before the {@code EOSE} (of the first {@code REQ}, and of each the client sends again after a
 * reconnect: {@link SubscriptionListener#onResubscribed}) go in batches marked catch-up
 * ({@value EventBatchCodec#CATCH_UP_HEADER}), never mixed with live events. At the {@code EOSE} the listener
 * thread publishes the pending batch, waits until every message is confirmed, then publishes a caught-up marker
 * carrying the newest {@code created_at} of the catch-up (as {@link FutureLimit} bounds it: an event the sink
 * will refuse does not count, and none counts past the time it was received), and waits for its confirm too; only
 * then do live events follow. So the queue holds the whole catch-up before the marker and every later batch after
 * it, and the sink moves the cursor to the marker's {@code created_at} when it reaches it (see {@code RelaySink}).
 *
 * <p>Threads: the client's listener thread appends events and publishes full batches, waiting for a permit; the
 * shared scheduler publishes a batch whose linger has passed, but only if a permit is free at once (it must not
 * wait: every connector shares it), else the next confirm hands the batch back to it; confirms arrive on the
 * broker connection's thread. The pending batch and the linger timer are guarded by {@code lock}, never held
 * while waiting or publishing. Messages are published in the order they were closed, except that one closed by
 * the scheduler may overtake or be overtaken by one closed by the listener at the same moment, and a retried one
 * comes after later ones: the sink does not depend on that order, but for the caught-up marker, which therefore
 * waits for every confirm before it and is confirmed before anything follows.
 */
final class UpstreamConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** How long to wait before subscribing again after the relay refused (CLOSED) the subscription. */
    private static final Duration RESUBSCRIBE_AFTER = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for the pending batch and the unconfirmed messages to be confirmed. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final RegisteredRelay relay;
    private final RabbitTemplate rabbit;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final int inFlightLimit;
    private final RelayClient client;
    private final List<Filter> filters;
    private final BatchLimits batching;
    private final FutureLimit futureLimit;
    private final Object lock = new Object();
    // guarded by lock
    private final PendingBatch pending;
    private boolean lingerTimerSet;
    private boolean lingerWaitsForPermit;
    /** Events received now are catch-up: the relay has not said EOSE since the REQ was (re)sent. */
    private boolean catchingUp = true;
    /**
     * How far the catch-up events received since the last caught-up marker may move the cursor (the newest
     * created_at, none past its receipt, none of an event the sink will refuse as too far in the future), or -1.
     */
    private long newestCatchUp = -1;
    private volatile Subscription subscription;
    private volatile boolean live;
    private volatile boolean closed;
    private volatile boolean everConnected;
    private volatile String lastError;

    /**
     * @param inFlight unconfirmed messages (batches) before the connector stops reading from the relay
     */
    UpstreamConnector(RegisteredRelay relay, RabbitTemplate rabbit, ScheduledExecutorService scheduler,
                      int inFlight, BatchLimits batching, Duration catchUpOverlap, FutureLimit futureLimit) {
        this.relay = relay;
        this.rabbit = rabbit;
        this.scheduler = scheduler;
        this.inFlight = new Semaphore(inFlight);
        this.inFlightLimit = inFlight;
        this.batching = batching;
        this.futureLimit = futureLimit;
        this.pending = new PendingBatch(batching);
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

    void start() {
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
        if (closed) {
            return;
        }
        catchUpBegins();
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
                catchUpBegins();
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

    /** The relay sends stored events (again): until its EOSE, what comes is catch-up. */
    private void catchUpBegins() {
        live = false;
        synchronized (lock) {
            catchingUp = true; // a pending live batch is closed by the first catch-up event, or by its linger
        }
    }

    /**
     * The relay's EOSE: publishes the pending catch-up, waits until every message is confirmed, then publishes the
     * caught-up marker and waits for its confirm too, so that the queue holds it behind the whole catch-up and
     * ahead of every live batch. On the listener thread: live events wait meanwhile (the backpressure).
     */
    private void caughtUp() {
        Message last;
        long newest;
        synchronized (lock) {
            catchingUp = false;
            newest = newestCatchUp;
            newestCatchUp = -1;
            last = pending.isEmpty() ? null : pending.take();
        }
        if (last != null) {
            publishWhenPermitted(last);
        }
        if (newest >= 0 && allConfirmed()) {
            publishWhenPermitted(EventBatchCodec.caughtUp(newest));
            allConfirmed();
        }
        live = true;
        everConnected = true;
        lastError = null;
    }

    /**
     * Appends the event to the pending batch; publishes the batch if that closes it. On the subscription listener
     * thread, which waits here while every permit is taken (the backpressure).
     */
    private void received(Event event) {
        if (closed) {
            return; // not confirmed: the next run asks the relay again from the cursor
        }
        byte[] json = event.toJson().getBytes(StandardCharsets.UTF_8);
        long receivedAtMillis = System.currentTimeMillis();
        long receivedNanos = System.nanoTime();
        while (true) {
            Message closedBatch;
            boolean added;
            synchronized (lock) {
                added = pending.accepts(json.length, catchingUp);
                if (added) {
                    pending.add(json, event.id().hex(), receivedAtMillis, receivedNanos, catchingUp);
                    long receivedAt = receivedAtMillis / 1000;
                    if (catchingUp && futureLimit.problem(event.createdAt(), receivedAt).isEmpty()) {
                        newestCatchUp = Math.max(newestCatchUp, FutureLimit.cursorCandidate(event.createdAt(),
                                receivedAt));
                    }
                    if (!pending.isFull() && pending.nanosUntilDue(receivedNanos) > 0) {
                        setLingerTimer();
                        return;
                    }
                }
                // full, due (the scheduler found no permit for it), or the event does not fit (too big, or live
                // after catch-up and the other way round): the batch goes now; an event that did not fit starts
                // the next one once this one has its permit, so that the two keep their order
                closedBatch = pending.take();
            }
            publishWhenPermitted(closedBatch);
            if (added) {
                return;
            }
        }
    }

    /**
     * Holds the lock. One linger timer per connector at most ({@code lingerTimerSet} says whether it is out); a
     * timer that finds a younger batch than the one it was set for sets itself again.
     */
    private void setLingerTimer() {
        if (!lingerTimerSet) {
            lingerTimerSet = true;
            scheduler.schedule(this::lingerPassed, batching.linger().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * On the shared scheduler: publishes the pending batch if its linger has passed and a permit is free now.
     * Without a permit it leaves the batch pending and asks the next confirm to call again ({@link #confirmed}),
     * since waiting here would stall every connector; meanwhile the listener thread may close the batch itself.
     */
    private void lingerPassed() {
        Message due;
        synchronized (lock) {
            lingerTimerSet = false;
            lingerWaitsForPermit = false;
            if (pending.isEmpty() || closed) {
                return;
            }
            long wait = pending.nanosUntilDue(System.nanoTime());
            if (wait > 0) {
                lingerTimerSet = true; // the batch that was due went out full; this one is younger
                scheduler.schedule(this::lingerPassed, wait, TimeUnit.NANOSECONDS);
                return;
            }
            if (!inFlight.tryAcquire()) {
                lingerWaitsForPermit = true;
                return;
            }
            due = pending.take();
        }
        send(due, RETRY_FIRST);
    }

    /** Waits for a permit (on the listener thread: the backpressure), then publishes. */
    private void publishWhenPermitted(Message batch) {
        if (acquire(1)) {
            send(batch, RETRY_FIRST);
        } // else closed: not confirmed, and the next run asks the relay again from the cursor
    }

    /** Waits until every permit is back: every message published so far is confirmed. False if closed first. */
    private boolean allConfirmed() {
        if (!acquire(inFlightLimit)) {
            return false;
        }
        inFlight.release(inFlightLimit);
        return true;
    }

    /** Waits for permits, on the listener thread; false if the connector is closed (or interrupted) first. */
    private boolean acquire(int permits) {
        try {
            while (!inFlight.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A message was confirmed: its permit is free, for the listener or for a batch whose linger has passed. */
    private void confirmed() {
        inFlight.release();
        boolean publishDue = false;
        synchronized (lock) {
            if (lingerWaitsForPermit && !lingerTimerSet && !closed) {
                lingerWaitsForPermit = false;
                lingerTimerSet = true;
                publishDue = true;
            }
        }
        if (publishDue) {
            // not on this thread: it is the broker connection's, and publishing could wait on the broker
            scheduler.execute(this::lingerPassed);
        }
    }

    private void send(Message message, Duration nextDelay) {
        if (closed) {
            inFlight.release();
            return;
        }
        // a fresh id per attempt: a return is matched to its publish by it (an event id could repeat)
        CorrelationData correlation = new CorrelationData();
        try {
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, message, correlation);
        } catch (AmqpException e) {
            retry(message, nextDelay, "publishing failed: " + e.getMessage());
            return;
        }
        correlation.getFuture().whenComplete((confirm, failure) -> {
            if (failure == null && confirm.isAck() && correlation.getReturned() == null) {
                confirmed();
            } else {
                String why = failure != null ? failure.getMessage()
                        : correlation.getReturned() != null ? "returned: " + correlation.getReturned().getReplyText()
                        : "nacked: " + confirm.getReason();
                retry(message, nextDelay, why);
            }
        });
    }

    private void retry(Message message, Duration delay, String why) {
        lastError = "broker: " + why;
        log.warn("relay {} ({}): {}; publishing again in {} ms", relay.name(), relay.id(), why, delay.toMillis());
        Duration next = delay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay.multipliedBy(2);
        scheduler.schedule(() -> send(message, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    ConnectorState state() {
        if (!client.isConnected()) {
            return everConnected ? ConnectorState.BACKOFF : ConnectorState.CONNECTING;
        }
        return live ? ConnectorState.LIVE : ConnectorState.CATCHING_UP;
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Events received and not yet published (the pending batch). */
    int pendingEvents() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Messages (batches) published and not yet confirmed by the broker. */
    int unconfirmed() {
        return inFlightLimit - inFlight.availablePermits();
    }

    /**
     * Stops reading; publishes the pending batch and waits a little for it and the messages in flight to be
     * confirmed. What is still unconfirmed then is given up: the next run asks the relay for it again, from the
     * cursor.
     */
    @Override
    public void close() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        client.close();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            Message last;
            synchronized (lock) {
                last = pending.isEmpty() ? null : pending.take();
            }
            if (last != null && inFlight.tryAcquire(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                send(last, RETRY_FIRST);
            }
            // every permit back = every message confirmed (or given up by the retries once closed)
            if (inFlight.tryAcquire(inFlightLimit, Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS)) {
                inFlight.release(inFlightLimit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
    }
}
