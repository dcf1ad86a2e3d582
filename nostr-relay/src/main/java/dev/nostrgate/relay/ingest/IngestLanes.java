package dev.nostrgate.relay.ingest;


import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The ingest stage's threads: N single-thread lanes named {@code ingest-N}. A connection always uses lane
 * {@code id % N} (strfry's {@code ThreadPool::dispatch}), so its messages are handled one at a time and in order
 * (a {@code CLOSE} never overtakes its {@code REQ}) without locks, and its per-connection state belongs to one
 * thread. The queues are unbounded here because what enters them is bounded upstream: the frame handler stops
 * reading a connection that has too many frames waiting.
 */
public final class IngestLanes implements AutoCloseable {
    private final ExecutorService[] lanes;

    public IngestLanes(int count) {
        lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            String name = "ingest-" + (i + 1);
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    runnable -> {
                        Thread thread = new FastThreadLocalThread(runnable, name);
                        thread.setDaemon(true);
                        return thread;
                    }, new ThreadPoolExecutor.DiscardPolicy()); // after close only: the relay is going away
        }
    }

    /** Runs the task on the connection's lane, after every task given for that connection before. */
    public void execute(ClientSession connection, Runnable task) {
        lanes[(int) Math.floorMod(connection.id(), (long) lanes.length)].execute(task);
    }

    /** Tasks waiting on all lanes (a gauge). */
    public int queued() {
        int total = 0;
        for (ExecutorService lane : lanes) {
            total += ((ThreadPoolExecutor) lane).getQueue().size();
        }
        return total;
    }

    /** Finishes what is queued (waiting at most the timeout), taking nothing new. */
    public void drain(Duration timeout) {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (ExecutorService lane : lanes) {
                lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
