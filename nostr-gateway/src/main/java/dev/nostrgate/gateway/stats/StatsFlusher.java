package dev.nostrgate.gateway.stats;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.relay.store.FailureClass;
import dev.nostrgate.relay.store.Retry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The one writer of the rollup table's minute rows: every {@code gateway.stats-flush-interval} it takes the
 * in-memory counters ({@link RelayCounters#drain()}) and adds them to the current minute's row of each relay, all
 * relays in one transaction. A transient failure ({@link FailureClass}) is retried for a moment, then the counts are
 * given back ({@link RelayCounters#restore}) and go out with the next flush: a database outage delays statistics, it
 * does not lose them. Counts the database refuses for good are dropped with an error in the log: given back, they
 * would fail every flush after it, and keep every relay's statistics out. After an ambiguous commit (40003) they
 * are not written again, since they may be in already: statistics are counted at most once.
 *
 * <p>Scheduled from the validated {@link GatewayProperties#statsFlushInterval()} (through
 * {@link SchedulingConfigurer}) rather than with {@code @Scheduled(fixedDelayString =
 * "${gateway.stats-flush-interval:10s}")}: the placeholder would parse the text a second time, with its own default
 * and without the record's checks; this way the interval used is the one bound, validated and shown by
 * {@code /actuator/configprops}, and the default lives in one place.
 */
@Component
public class StatsFlusher implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(StatsFlusher.class);

    private final RelayCounters counters;
    private final StatsRepository rows;
    private final Duration interval;
    /** A serialization failure against another writer is retried at once, not a flush later. */
    private final Retry retry = Retry.within(Duration.ofSeconds(2),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)), () -> false);

    public StatsFlusher(RelayCounters counters, StatsRepository rows, GatewayProperties properties) {
        this.counters = counters;
        this.rows = rows;
        this.interval = properties.statsFlushInterval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("gateway.stats-flush-interval must be positive (such as 10s), was "
                    + interval);
        }
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::flush, interval);
    }

    /** Flushes into the current minute. */
    public void flush() {
        flush(Instant.now());
    }

    /** The last counts go out with a graceful stop. */
    @PreDestroy
    void flushOnStop() {
        flush();
    }

    /**
     * Adds everything counted since the last flush to the minute rows of the minute holding {@code now}.
     *
     * @return how many relays' rows were written (0 if there was nothing to write, or if writing failed and the
     *     counts were given back)
     */
    public synchronized int flush(Instant now) {
        Map<UUID, RelayCounters.Snapshot> taken = counters.drain();
        if (taken.isEmpty()) {
            return 0;
        }
        Map<UUID, RollupCounts> counts = new HashMap<>();
        taken.forEach((relay, snapshot) -> counts.put(relay, RollupCounts.of(snapshot)));
        long minute = StatsBucket.MINUTE.startOf(now.getEpochSecond());
        try {
            retry.call("writing the statistics of " + counts.size() + " relays", () -> {
                try {
                    return rows.inTransaction(transaction -> {
                        rows.add(transaction, StatsBucket.MINUTE, minute, counts);
                        return null;
                    });
                } catch (DataAccessException e) {
                    throw new StatsUnavailableException("writing statistics failed: " + e.getMessage(), e);
                }
            });
            return counts.size();
        } catch (RuntimeException e) {
            FailureClass failure = FailureClass.of(e);
            if (failure == FailureClass.PERMANENT) {
                // Given back, they would fail the same way at every flush, and keep every relay's counts out.
                log.error("writing the statistics of {} relays failed for good ({}); these counts are dropped",
                        taken.size(), e.getMessage());
            } else if (failure == FailureClass.AMBIGUOUS) {
                // The counts may be in: given back, they could be added twice. Counted at most once.
                log.warn("writing the statistics of {} relays may or may not have committed ({}); not writing "
                        + "them again", taken.size(), e.getMessage());
            } else {
                taken.forEach(counters::restore);
                log.warn("writing the statistics of {} relays failed ({}); they are kept for the next flush",
                        taken.size(), e.getMessage());
            }
            return 0;
        }
    }
}
