package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.NegentropyServer;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One open NIP-77 reconciliation: its server side once the store has been read, and its steps. A client may send
 * NEG-MSG before the NEG-OPEN's scan has finished; the steps run one after another on the query pool, in arrival
 * order, never two at once, and stop when the session is closed (NEG-CLOSE, replaced, NEG-ERR, disconnect). The
 * items go back to the relay's budget when the session is closed and no step is running, else when that step ends:
 * a step never reads a storage that another thread has closed under it.
 */
final class NegentropySession {
    private final String subscriptionId;
    private final Queue<Runnable> steps = new ArrayDeque<>();
    private boolean running; // guarded by this
    private BlockStorage items; // guarded by this
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
        boolean idle;
        synchronized (this) {
            closed = true;
            idle = !running;
        }
        if (idle) {
            release();
        }
    }

    NegentropyServer server() {
        return server;
    }

    /** The store has been read (by a step): {@code held} stays with the session until it is closed. */
    void started(BlockStorage held, int frameSizeLimit) {
        synchronized (this) {
            items = held;
        }
        server = new NegentropyServer(held, frameSizeLimit);
    }

    /**
     * Queues a step; {@code pool} runs it after the ones before. If the pool refuses, the queued steps are dropped
     * and {@code refused} runs (it is expected to end the session).
     */
    void step(Runnable step, Pool pool, Runnable refused) {
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
        submit(pool, refused);
    }

    private void submit(Pool pool, Runnable refused) {
        pool.execute(() -> runNext(pool, refused), () -> {
            synchronized (this) {
                steps.clear();
                running = false;
            }
            refused.run();
        });
    }

    private void runNext(Pool pool, Runnable refused) {
        Runnable next;
        synchronized (this) {
            next = steps.poll();
        }
        if (next != null && !closed) {
            next.run();
        }
        boolean more;
        boolean closedMeanwhile = false;
        synchronized (this) {
            more = !steps.isEmpty() && !closed;
            if (!more) {
                steps.clear();
                running = false;
                closedMeanwhile = closed;
            }
        }
        if (more) {
            submit(pool, refused);
        } else if (closedMeanwhile) {
            release();
        }
    }

    private void release() {
        BlockStorage held;
        synchronized (this) {
            held = items;
            items = null;
        }
        if (held != null) {
            held.close();
        }
    }

    /** Where the steps run: the query pool, which may refuse a task (and then runs {@code refused} instead). */
    interface Pool {
        void execute(Runnable task, Runnable refused);
    }

    @Override
    public String toString() {
        return "negentropy session " + subscriptionId;
    }
}
