package dev.nostrgate.gateway.dashboard;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the {@link Overview} that {@code GET /api/overview} serves: one background thread ({@code overview-sampler})
 * reads every {@code interval}, writes the snapshot as JSON and swaps both in. The readings cost a database query
 * and a RabbitMQ round trip per relay, and the JSON is some 300 KB at a thousand relays: fine every few seconds on
 * one thread, not on every request of every open dashboard (while a thousand relays start, that request waited for a
 * core with everything else).
 *
 * <p>The first sample is taken in {@link #start()}, so there is a snapshot as soon as HTTP serves. A sample that
 * fails keeps the last snapshot (its {@code asOf} says how old it is) and is logged once per failure streak.
 */
public class OverviewSampler implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OverviewSampler.class);

    private final Supplier<OverviewReadings> reader;
    private final Duration interval;
    private final Function<Overview, byte[]> json;
    private ScheduledExecutorService thread;
    private OverviewReadings last;
    private volatile Snapshot current;
    private boolean failing;

    /** A sample and its JSON. */
    private record Snapshot(Overview overview, byte[] json) {
    }

    /** {@code json} writes a sample as the API answers it (with the application's ObjectMapper). */
    public OverviewSampler(Supplier<OverviewReadings> reader, Duration interval, Function<Overview, byte[]> json) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("gateway.overview-interval must be positive (such as 5s), was "
                    + interval);
        }
        this.reader = reader;
        this.interval = interval;
        this.json = json;
    }

    /** The latest snapshot; null only before {@link #start()}. */
    public Overview current() {
        Snapshot snapshot = current;
        return snapshot == null ? null : snapshot.overview();
    }

    /** The latest snapshot as JSON, written once when it was taken; null only before {@link #start()}. */
    public byte[] currentJson() {
        Snapshot snapshot = current;
        return snapshot == null ? null : snapshot.json();
    }

    /** Takes one sample now (the background thread's work; tests call it to step the sampler by hand). */
    synchronized void sample() {
        try {
            OverviewReadings now = reader.get();
            Overview overview = Overview.between(last, now);
            current = new Snapshot(overview, json.apply(overview));
            last = now;
            if (failing) {
                log.info("overview sampling works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("overview sampling failed, the dashboard shows the sample of {}: {}",
                        current == null ? "never" : current.overview().asOf(), e.toString());
                failing = true;
            }
        }
    }

    @Override
    public synchronized void start() {
        sample();
        thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("overview-sampler").daemon()
                .factory());
        thread.scheduleWithFixedDelay(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = thread;
            thread = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** Before the web server: the first request already finds a snapshot. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 2048;
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
