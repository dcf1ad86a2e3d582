package dev.nostrgate.relay.store;

import dev.nostrgate.core.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-40: deletes expired events in the background, in small chunks (one short transaction each), so writers are
 * never blocked for long. Queries already hide expired events, so the sweeper only reclaims space.
 */
public final class ExpirationSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExpirationSweeper.class);
    private static final int CHUNK = 500;

    private final EventStore store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;
    private volatile boolean closed;

    public ExpirationSweeper(EventStore store, Clock clock, Duration every) {
        this.store = store;
        this.clock = clock;
        this.retry = Retry.within(Duration.ofSeconds(10), new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)),
                () -> closed).forIdempotentStep();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sweeper");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes every expired event, chunk by chunk; returns how many. A chunk that fails transiently (a serialization
     * failure against a writer, a connection lost) is tried again for a while; one that fails otherwise ends this
     * sweep, and the next sweep starts over.
     */
    public int sweep() {
        int total = 0;
        try {
            long now = clock.millis() / 1000;
            for (int deleted; (deleted = retry.call("sweeper: deleting expired events",
                    () -> store.deleteExpired(now, CHUNK))) > 0; ) {
                total += deleted;
                if (deleted < CHUNK) {
                    break;
                }
            }
            if (total > 0) {
                log.info("sweeper: deleted {} expired events", total);
            }
        } catch (StoreUnavailableException e) {
            log.warn("sweeper: {} ({} failure; {} deleted before it)", e.getMessage(),
                    FailureClass.of(e).name().toLowerCase(Locale.ROOT), total);
        }
        return total;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }
}
