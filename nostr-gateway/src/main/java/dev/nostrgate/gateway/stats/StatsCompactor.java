package dev.nostrgate.gateway.stats;

import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Turns minute rows older than {@code gateway.minute-stats-retention} into hour rows, so the rollup table grows by
 * one row per relay per hour in the long run. Works through the registered relays {@value #RELAYS_PER_CHUNK} at a
 * time (so that finding old rows is a primary-key range scan per relay, never a scan of the table), in chunks of
 * {@value #CHUNK} minute rows, one transaction each: take (delete) the rows, add them up per relay and hour, add the
 * sums to the hour rows. A chunk commits whole or not at all, so counts are moved, never lost or doubled; a minute
 * row written to meanwhile by {@link StatsFlusher} is either locked by it first (and compacted with its new counts)
 * or deleted first (and the flusher starts a new one). Rows of relays no longer registered are left alone (removing
 * a relay deletes its rows).
 */
@Component
public class StatsCompactor implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(StatsCompactor.class);
    static final int CHUNK = 1_000;
    static final int RELAYS_PER_CHUNK = 100;
    /** How often compaction runs. Each run only has the minutes that aged past the retention since the last one. */
    static final Duration INTERVAL = Duration.ofMinutes(5);

    private final StatsRepository rows;
    private final RelayRegistry registry;
    private final Duration retention;

    public StatsCompactor(StatsRepository rows, RelayRegistry registry, GatewayProperties properties) {
        this.rows = rows;
        this.registry = registry;
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
        List<UUID> relays;
        try {
            relays = registry.all().stream().map(RegisteredRelay::id).toList();
        } catch (DataAccessException e) {
            throw new StatsUnavailableException("listing relays to compact statistics failed: " + e.getMessage(), e);
        }
        int compacted = 0;
        for (int from = 0; from < relays.size(); from += RELAYS_PER_CHUNK) {
            compacted += compact(relays.subList(from, Math.min(relays.size(), from + RELAYS_PER_CHUNK)), before,
                    compacted);
        }
        if (compacted > 0) {
            log.info("compacted {} minute rows of statistics of {} relays into hour rows", compacted,
                    relays.size());
        }
        return compacted;
    }

    private int compact(List<UUID> relays, long before, int compactedSoFar) {
        int compacted = 0;
        while (true) {
            int taken;
            try {
                taken = rows.inTransaction(transaction -> {
                    List<StatsRepository.Row> minutes = rows.takeMinuteRows(transaction, relays, before, CHUNK);
                    Map<Long, Map<UUID, RollupCounts>> byHour = new HashMap<>();
                    for (StatsRepository.Row row : minutes) {
                        byHour.computeIfAbsent(StatsBucket.HOUR.startOf(row.key().start()), hour -> new HashMap<>())
                                .merge(row.key().relayId(), row.counts(), RollupCounts::plus);
                    }
                    for (Map.Entry<Long, Map<UUID, RollupCounts>> hour : byHour.entrySet()) {
                        rows.add(transaction, StatsBucket.HOUR, hour.getKey(), hour.getValue());
                    }
                    return minutes.size();
                });
            } catch (DataAccessException e) {
                throw new StatsUnavailableException("compacting minute statistics failed after "
                        + (compactedSoFar + compacted) + " rows: " + e.getMessage(), e);
            }
            compacted += taken;
            if (taken < CHUNK) {
                return compacted;
            }
        }
    }
}
