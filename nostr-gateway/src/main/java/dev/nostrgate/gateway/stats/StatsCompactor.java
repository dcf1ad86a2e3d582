package dev.nostrgate.gateway.stats;

import dev.nostrgate.gateway.config.GatewayProperties;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Turns minute rows older than {@code gateway.minute-stats-retention} into hour rows, so the rollup table grows by
 * one row per relay per hour in the long run. Works in chunks of {@value #CHUNK} minute rows, one transaction each:
 * take (delete) the rows, add them up per relay and hour, add the sums to the hour rows. A chunk commits whole or not
 * at all, so counts are moved, never lost or doubled; a minute row written to meanwhile by {@link StatsFlusher} is
 * either locked by it first (and compacted with its new counts) or deleted first (and the flusher starts a new one).
 */
@Component
public class StatsCompactor implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(StatsCompactor.class);
    static final int CHUNK = 1_000;
    /** How often compaction runs. Each run only has the minutes that aged past the retention since the last one. */
    static final Duration INTERVAL = Duration.ofMinutes(5);

    private final StatsRepository rows;
    private final Duration retention;

    public StatsCompactor(StatsRepository rows, GatewayProperties properties) {
        this.rows = rows;
        this.retention = properties.minuteStatsRetention();
        if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("gateway.minute-stats-retention must be at least 1m (such as 48h), was "
                    + retention);
        }
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::compact, INTERVAL, Duration.ofMinutes(1)));
    }

    /** Compacts what is older than the retention now. */
    public void compact() {
        try {
            compact(Instant.now());
        } catch (StatsUnavailableException e) {
            log.warn("{}; will retry in {}", e.getMessage(), INTERVAL);
        }
    }

    /**
     * Compacts every minute row that ended {@code retention} or longer before {@code now}.
     *
     * @return how many minute rows were compacted
     * @throws StatsUnavailableException if a chunk fails (chunks committed before it stay compacted)
     */
    public synchronized int compact(Instant now) {
        long before = now.minus(retention).getEpochSecond() - StatsBucket.MINUTE.seconds() + 1;
        int compacted = 0;
        int hours = 0;
        while (true) {
            int[] chunk;
            try {
                chunk = rows.inTransaction(connection -> {
                    List<StatsRepository.Row> minutes = rows.takeMinuteRows(connection, before, CHUNK);
                    Map<Long, Map<UUID, RollupCounts>> byHour = new HashMap<>();
                    for (StatsRepository.Row row : minutes) {
                        byHour.computeIfAbsent(StatsBucket.HOUR.startOf(row.key().start()), hour -> new HashMap<>())
                                .merge(row.key().relayId(), row.counts(), RollupCounts::plus);
                    }
                    int hourRows = 0;
                    for (Map.Entry<Long, Map<UUID, RollupCounts>> hour : byHour.entrySet()) {
                        rows.add(connection, StatsBucket.HOUR, hour.getKey(), hour.getValue());
                        hourRows += hour.getValue().size();
                    }
                    return new int[] {minutes.size(), hourRows};
                });
            } catch (SQLException e) {
                throw new StatsUnavailableException("compacting minute statistics failed after " + compacted
                        + " rows: " + e.getMessage(), e);
            }
            compacted += chunk[0];
            hours += chunk[1];
            if (chunk[0] < CHUNK) {
                break;
            }
        }
        if (compacted > 0) {
            log.info("compacted {} minute rows of statistics into {} hour rows", compacted, hours);
        }
        return compacted;
    }
}
