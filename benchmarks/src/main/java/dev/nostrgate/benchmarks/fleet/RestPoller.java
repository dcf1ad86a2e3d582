package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.load.Latency;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator's dashboard does while the gateway starts its relays: GET /api/relays/{id} of a random relay
 * every 50 ms, on a thread of its own, each answer's latency recorded (a request slower than the period delays the
 * next one; the schedule then catches up without waiting).
 */
final class RestPoller implements AutoCloseable {
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final GatewayApi api;
    private final List<UUID> ids;
    private final Latency latency = new Latency();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    RestPoller(GatewayApi api, List<UUID> ids) {
        this.api = api;
        this.ids = List.copyOf(ids);
        this.thread = Thread.ofPlatform().name("rest-poller").daemon().start(this::poll);
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
            due += PERIOD_NANOS;
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
                if (api.get(ids.get(ThreadLocalRandom.current().nextInt(ids.size())))) {
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
