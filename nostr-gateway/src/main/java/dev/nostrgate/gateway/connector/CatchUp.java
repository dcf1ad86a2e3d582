package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import java.util.function.Consumer;
import org.springframework.amqp.core.Message;

/**
 * The catch-up protocol. A relay sends a {@code REQ}'s stored events newest first, then {@code EOSE}, so the newest
 * of them says nothing of the older ones still to come and must not move the cursor before they are all stored.
 * Events received between a {@code REQ} (the first one, or one the client sends again after a reconnect) and its
 * {@code EOSE} are catch-up: the batcher keeps them in batches of their own
 * ({@value EventBatchCodec#CATCH_UP_HEADER}). At the {@code EOSE}, {@link #end} publishes the pending batch, waits
 * until every message is confirmed, then publishes a caught-up marker carrying the newest {@code created_at} of the
 * catch-up, and waits for its confirm too; only then do live events follow. So the queue holds the whole catch-up
 * before the marker and every later batch after it, and the sink moves the cursor to the marker's
 * {@code created_at} when it reaches it (see {@code RelaySink}).
 *
 * <p>Called on the subscription listener's thread, whose waits in {@link #end} hold live events back (the
 * backpressure); {@link #begin} may also come from the thread that subscribes.
 */
final class CatchUp {
    private final FutureLimit futureLimit;
    private final EventBatcher batcher;
    private final InFlightPermits permits;
    private final Consumer<Message> publisher;
    // guarded by this
    /** Events received now are catch-up: the relay has not said EOSE since the REQ was (re)sent. */
    private boolean catchingUp = true;
    /**
     * How far the catch-up events received since the last marker may move the cursor (the newest created_at, none
     * past its receipt, none of an event the sink will refuse as too far in the future), or -1.
     */
    private long newest = -1;
    private volatile boolean live;

    CatchUp(FutureLimit futureLimit, EventBatcher batcher, InFlightPermits permits, Consumer<Message> publisher) {
        this.futureLimit = futureLimit;
        this.batcher = batcher;
        this.permits = permits;
        this.publisher = publisher;
    }

    /** A REQ was (re)sent: until its EOSE, what comes is catch-up. */
    synchronized void begin() {
        live = false;
        catchingUp = true; // a pending live batch is closed by the first catch-up event, or by its linger
    }

    /**
     * An event arrived: whether it is catch-up. A catch-up event counts toward the marker as {@link FutureLimit}
     * bounds it: one the sink will refuse does not count, and none counts past the time it was received.
     */
    synchronized boolean received(long createdAt, long receivedAtMillis) {
        if (catchingUp) {
            long receivedAt = receivedAtMillis / 1000;
            if (futureLimit.problem(createdAt, receivedAt).isEmpty()) {
                newest = Math.max(newest, FutureLimit.cursorCandidate(createdAt, receivedAt));
            }
        }
        return catchingUp;
    }

    /**
     * The relay's EOSE: publishes the pending catch-up, waits until every message is confirmed, then publishes the
     * caught-up marker and waits for its confirm too. Returns early (no marker) if the permits are closed meanwhile:
     * then nothing moves the cursor, and the next run asks for the catch-up again.
     */
    void end() {
        long upTo;
        synchronized (this) {
            catchingUp = false;
            upTo = newest;
            newest = -1;
        }
        if (!batcher.flush()) {
            return;
        }
        if (upTo >= 0) {
            if (!permits.awaitNone() || !permits.acquire()) {
                return;
            }
            publisher.accept(EventBatchCodec.caughtUp(upTo));
            if (!permits.awaitNone()) {
                return;
            }
        }
        live = true;
    }

    /** After the EOSE, once the catch-up is confirmed: events now are live. */
    boolean isLive() {
        return live;
    }
}
