package dev.nostrgate.gateway.connector;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages a connector has published and the broker has not confirmed yet, at most {@code limit}: one permit
 * each, taken before the publish and given back on the confirm. When every permit is taken the subscription
 * listener waits for one, the client's listener queue fills and the client stops reading the socket: the
 * backpressure that keeps memory bounded without dropping anything.
 *
 * <p>Once {@link #close closed}, every wait returns false at once: what was not published is asked for again by the
 * next run, from the cursor. A lock and a condition rather than a {@code Semaphore}, because the caught-up marker
 * and the close must wait for <em>none</em> in flight, which a semaphore can only do by taking them all.
 */
final class InFlightPermits {
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private int taken;
    private boolean closed;

    InFlightPermits(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("gateway.in-flight must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Takes a permit if one is free now; never waits (for the shared scheduler, which must not). */
    boolean tryAcquire() {
        lock.lock();
        try {
            if (closed || taken == limit) {
                return false;
            }
            taken++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a permit; false if closed (or interrupted) first. */
    boolean acquire() {
        return acquire(null);
    }

    /** Waits at most {@code timeout} for a permit; false if none came, or if closed (or interrupted) first. */
    boolean acquire(Duration timeout) {
        lock.lock();
        try {
            if (!awaitUntil(() -> taken < limit, timeout)) {
                return false;
            }
            taken++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every published message is confirmed; false if closed (or interrupted) first. */
    boolean awaitNone() {
        return awaitNone(null);
    }

    /** Waits at most {@code timeout} until every published message is confirmed. */
    boolean awaitNone(Duration timeout) {
        lock.lock();
        try {
            return awaitUntil(() -> taken == 0, timeout);
        } finally {
            lock.unlock();
        }
    }

    /** A message was confirmed (or given up after the close): its permit is free. */
    void release() {
        lock.lock();
        try {
            if (taken == 0) {
                throw new IllegalStateException("a permit was released that was never taken");
            }
            taken--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Messages published and not confirmed yet. */
    int taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** From now on no permit is given and every wait returns false; the waiting ones are woken. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock. Waits until the condition holds (true) or closed, timed out or interrupted (false). */
    private boolean awaitUntil(BooleanSupplier condition, Duration timeout) {
        long left = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        try {
            while (!closed && !condition.getAsBoolean()) {
                if (timeout == null) {
                    changed.await();
                } else if (left <= 0) {
                    return false;
                } else {
                    left = changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }
}
