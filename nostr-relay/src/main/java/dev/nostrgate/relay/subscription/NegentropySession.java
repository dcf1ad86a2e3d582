package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.negentropy.NegentropyServer;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One open NIP-77 reconciliation: its server side once the store has been read, and its steps. A client may send
 * NEG-MSG before the NEG-OPEN's scan has finished; the steps run one after another on the query pool, in arrival
 * order, never two at once, and stop when the session is closed (NEG-CLOSE, replaced, NEG-ERR, disconnect).
 */
final class NegentropySession {
    private final String subscriptionId;
    private final Queue<Runnable> steps = new ArrayDeque<>();
    private boolean running; // guarded by this
    private volatile boolean closed;
    private NegentropyServer server; // set and read by the steps only, which run one at a time

    NegentropySession(String subscriptionId) {
        this.subscriptionId = subscriptionId;
    }

    String subscriptionId() {
        return subscriptionId;
    }

    boolean isOpen() {
        return !closed;
    }

    void close() {
        closed = true;
    }

    NegentropyServer server() {
        return server;
    }

    void started(NegentropyServer value) {
        server = value;
    }

    /**
     * Queues a step; {@code pool} runs it after the ones before. {@code refused} runs instead if the pool is full.
     */
    void step(Runnable step, Pool pool) {
        synchronized (this) {
            if (closed) {
                return;
            }
            steps.add(step);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(() -> runNext(pool));
    }

    private void runNext(Pool pool) {
        Runnable next;
        synchronized (this) {
            next = steps.poll();
        }
        if (next != null && !closed) {
            next.run();
        }
        synchronized (this) {
            if (steps.isEmpty() || closed) {
                steps.clear();
                running = false;
                return;
            }
        }
        pool.execute(() -> runNext(pool));
    }

    /** Where the steps run: the query pool, which may refuse (and then says so to the client). */
    interface Pool {
        void execute(Runnable task);
    }

    @Override
    public String toString() {
        return "negentropy session " + subscriptionId;
    }
}
