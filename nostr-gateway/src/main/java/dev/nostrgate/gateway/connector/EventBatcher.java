package dev.nostrgate.gateway.connector;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.amqp.core.Message;

/**
 * Packs a connector's events into messages, since the broker's cost is per message: an event joins the pending
 * batch, which is published when it holds {@code maxEvents} events, when the next event would take it past
 * {@code maxBytes} or is of the other kind (catch-up or live, never mixed), or once the linger has passed since its
 * first event (see {@link BatchLimits}). Every message is published holding a permit of {@link InFlightPermits}.
 *
 * <p>Threads: the subscription listener adds events and publishes full batches, waiting for a permit (the
 * backpressure); the shared scheduler publishes a batch whose linger has passed, but only if a permit is free at
 * once, since every connector shares it; else the next confirm ({@link #permitFreed}) hands the batch back to it,
 * unless the listener closes it first. The pending batch and the linger timer are guarded by this object's
 * monitor, which is never held while waiting or publishing. A batch closed by the scheduler may overtake one closed
 * by the listener at the same moment: the sink does not depend on the order of batches.
 */
final class EventBatcher {
    private final BatchLimits limits;
    private final ScheduledExecutorService scheduler;
    private final InFlightPermits permits;
    private final Consumer<Message> publisher;
    // guarded by this
    private final PendingBatch pending;
    private boolean lingerTimerSet;
    private boolean lingerWaitsForPermit;

    /** @param publisher publishes a message for which a permit is held (see {@link ConfirmedPublisher}) */
    EventBatcher(BatchLimits limits, ScheduledExecutorService scheduler, InFlightPermits permits,
                 Consumer<Message> publisher) {
        this.limits = limits;
        this.scheduler = scheduler;
        this.permits = permits;
        this.publisher = publisher;
        this.pending = new PendingBatch(limits);
    }

    /**
     * Appends the event to the pending batch; publishes the batch if that closes it, on this thread, waiting for a
     * permit. An event that does not fit closes the batch and starts the next one once this one has its permit, so
     * that the two keep their order. Returns at once, the event dropped, if the permits are closed: not confirmed,
     * so the next run asks the relay for it again.
     */
    void add(byte[] eventJson, String eventId, long receivedAtMillis, long receivedNanos, boolean catchUp) {
        while (true) {
            Message closedBatch;
            boolean added;
            synchronized (this) {
                added = pending.accepts(eventJson.length, catchUp);
                if (added) {
                    pending.add(eventJson, eventId, receivedAtMillis, receivedNanos, catchUp);
                    if (!pending.isFull() && pending.nanosUntilDue(receivedNanos) > 0) {
                        setLingerTimer();
                        return;
                    }
                }
                // full, due (the scheduler found no permit for it), or the event does not fit: the batch goes now
                closedBatch = pending.take();
            }
            if (!publishWhenPermitted(closedBatch) || added) {
                return;
            }
        }
    }

    /** Publishes the pending batch now, waiting for a permit; false if the permits were closed first. */
    boolean flush() {
        return flush(null);
    }

    /**
     * Publishes the pending batch now, waiting at most {@code timeout} for a permit; false if none came in time or
     * the permits were closed first (the batch is then given up: the next run asks for it again).
     */
    boolean flush(Duration timeout) {
        Message last;
        synchronized (this) {
            if (pending.isEmpty()) {
                return true;
            }
            last = pending.take();
        }
        if (!(timeout == null ? permits.acquire() : permits.acquire(timeout))) {
            return false;
        }
        publisher.accept(last);
        return true;
    }

    /** Events received and not yet published. */
    synchronized int pendingEvents() {
        return pending.size();
    }

    /**
     * A message was confirmed and its permit freed: if a batch whose linger has passed waits for one, the scheduler
     * tries again. Called on the broker connection's thread, which must not publish (that could wait on the broker).
     */
    void permitFreed() {
        synchronized (this) {
            if (!lingerWaitsForPermit || lingerTimerSet || permits.isClosed()) {
                return;
            }
            lingerWaitsForPermit = false;
            lingerTimerSet = true;
        }
        scheduler.execute(this::lingerPassed);
    }

    private boolean publishWhenPermitted(Message batch) {
        if (!permits.acquire()) {
            return false;
        }
        publisher.accept(batch);
        return true;
    }

    /**
     * Holds the monitor. One linger timer at most ({@code lingerTimerSet} says whether it is out); a timer that
     * finds a younger batch than the one it was set for sets itself again.
     */
    private void setLingerTimer() {
        if (!lingerTimerSet) {
            lingerTimerSet = true;
            scheduler.schedule(this::lingerPassed, limits.linger().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** On the shared scheduler: publishes the pending batch if its linger has passed and a permit is free now. */
    private void lingerPassed() {
        Message due;
        synchronized (this) {
            lingerTimerSet = false;
            lingerWaitsForPermit = false;
            if (pending.isEmpty() || permits.isClosed()) {
                return;
            }
            long wait = pending.nanosUntilDue(System.nanoTime());
            if (wait > 0) {
                lingerTimerSet = true; // the batch that was due went out full; this one is younger
                scheduler.schedule(this::lingerPassed, wait, TimeUnit.NANOSECONDS);
                return;
            }
            if (!permits.tryAcquire()) {
                lingerWaitsForPermit = true;
                return;
            }
            due = pending.take();
        }
        publisher.accept(due);
    }
}
