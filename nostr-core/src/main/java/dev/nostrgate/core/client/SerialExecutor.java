package dev.nostrgate.core.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order they were given, on the shared {@link ClientThreads#TASKS}: what a
 * single-thread executor gives a client (no locks, messages handled in order) without a thread of its own. After
 * {@value #BATCH} tasks in a row it hands its turn back, so one busy client does not hold a carrier thread while
 * others wait.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 64;

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Tasks given and not yet finished; the one that raises it from zero starts a drain. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean shutdown;
    private volatile Thread running;

    /**
     * Queues a task.
     *
     * @throws RejectedExecutionException after {@link #shutdown()}
     */
    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        queue.add(task);
        if (pending.getAndIncrement() == 0) {
            ClientThreads.TASKS.execute(this::drain);
        }
    }

    /** Refuses new tasks; those already queued still run. */
    void shutdown() {
        shutdown = true;
    }

    /** True when called from one of this executor's tasks. */
    boolean inTask() {
        return running == Thread.currentThread();
    }

    private void drain() {
        running = Thread.currentThread();
        try {
            for (int i = 0; i < BATCH; i++) {
                run(queue.poll()); // never null: a task is queued before pending counts it
                if (pending.decrementAndGet() == 0) {
                    return;
                }
            }
        } finally {
            running = null;
        }
        ClientThreads.TASKS.execute(this::drain);
    }

    /** A task that throws must not stop the ones after it: they would never run. */
    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("relay client: a task threw (a bug)", e);
        }
    }
}
