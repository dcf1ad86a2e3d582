package dev.nostrgate.core.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order given, on virtual threads: a client's own "thread" without a thread of
 * its own. While tasks wait, one virtual thread runs them; when none wait, no thread is held. A task may block
 * (a listener waiting for a permit) and holds up only this executor's later tasks.
 *
 * <p>After {@link #shutdown()} new tasks are refused ({@link RejectedExecutionException}); those already given
 * still run, as with a {@link java.util.concurrent.ThreadPoolExecutor}.
 */
final class SerialExecutor implements Executor {
    private final String name;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object idle = new Object();
    private volatile boolean shutdown;
    private volatile Thread runner;

    SerialExecutor(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException(name + " is shut down");
        }
        tasks.add(task);
        startIfIdle();
    }

    /** True on the thread running this executor's current task. */
    boolean isCurrentThread() {
        return Thread.currentThread() == runner;
    }

    void shutdown() {
        shutdown = true;
    }

    /** Waits until shut down and every task given has run; false if the time ran out first. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (idle) {
            while (!(shutdown && tasks.isEmpty() && !scheduled.get())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    private void startIfIdle() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name).start(this::drain);
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run(); // the callers guard their tasks: an exception here is a bug and ends only this run
            }
        } finally {
            runner = null;
            scheduled.set(false);
            synchronized (idle) {
                idle.notifyAll();
            }
        }
        startIfIdle(); // a task that came between the last poll and the reset
    }
}
