package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.load.Latency;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator does while the gateway starts its relays: one request, again and again every period, on a thread
 * of its own, each answer's latency recorded (a request slower than the period delays the next one; the schedule
 * then catches up without waiting). The benchmark runs a few: a relay looked up every 50 ms, the dashboard's
 * overview and the first page of the relay list every 2 s.
 */
final class RestPoller implements AutoCloseable {
    /** One request; true if it was answered as expected (a 200). */
    interface Request {
        boolean send() throws IOException;
    }

    private final String name;
    private final long periodNanos;
    private final Request request;
    private final Latency latency = new Latency();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    RestPoller(String name, long periodMillis, Request request) {
        this.name = name;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.request = request;
        this.thread = Thread.ofPlatform().name("rest-poller " + name).daemon().start(this::poll);
    }

    /** What it asks and how often, as the benchmark's report names it. */
    String name() {
        return name;
    }

    Latency latency() {
        return latency;
    }

    long failures() {
        return failures.get();
    }

    private void poll() {
        long due = System.nanoTime();
        while (running) {
            due += periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            long start = System.nanoTime();
            try {
                if (request.send()) {
                    latency.recordNanos(System.nanoTime() - start);
                } else {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(35));
    }
}
