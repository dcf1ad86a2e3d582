package dev.nostrgate.gateway.dashboard;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the {@link Overview} that {@code GET /api/overview} serves: one background thread ({@code overview-sampler})
 * reads every {@code interval} and swaps the snapshot in. The readings cost a database query and a RabbitMQ round
 * trip per relay, which is fine every few seconds and not on every request of every open dashboard.
 *
 * <p>The first sample is taken in {@link #start()}, so there is a snapshot as soon as HTTP serves. A sample that
 * fails keeps the last snapshot (its {@code asOf} says how old it is) and is logged once per failure streak.
 */
public class OverviewSampler implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OverviewSampler.class);

    private final Supplier<OverviewReadings> reader;
    private final Duration interval;
    private ScheduledExecutorService thread;
    private OverviewReadings last;
    private volatile Overview current;
    private boolean failing;

    public OverviewSampler(Supplier<OverviewReadings> reader, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("gateway.overview-interval must be positive (such as 5s), was "
                    + interval);
        }
        this.reader = reader;
        this.interval = interval;
    }

    /** The latest snapshot; null only before {@link #start()}. */
    public Overview current() {
        return current;
    }

    /** Takes one sample now (the background thread's work; tests call it to step the sampler by hand). */
    synchronized void sample() {
        try {
            OverviewReadings now = reader.get();
            current = Overview.between(last, now);
            last = now;
            if (failing) {
                log.info("overview sampling works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("overview sampling failed, the dashboard shows the sample of {}: {}",
                        current == null ? "never" : current.asOf(), e.toString());
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
