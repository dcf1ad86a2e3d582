package dev.nostrgate.gateway.stats;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAY_STATS;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;

import dev.nostrgate.gateway.schema.tables.GatewayRelayStats;
import dev.nostrgate.gateway.schema.tables.records.GatewayRelayStatsRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The rollup table {@code gateway_relay_stats}: one row per relay per bucket (60 s rows written by
 * {@link StatsFlusher}, 3600 s rows made of old ones by {@link StatsCompactor}). Every read is a range scan of its
 * primary key (relay_id, bucket_seconds, bucket_start); nothing here ever reads the events table.
 *
 * <p>On the writes pool: the writers need one transaction around a read-modify-write.
 */
@Repository
public class StatsRepository {
    private static final GatewayRelayStats STATS = GATEWAY_RELAY_STATS;

    /** A row's key. */
    public record Key(UUID relayId, StatsBucket bucket, long start) {
    }

    /** A row. */
    public record Row(Key key, RollupCounts counts) {
    }

    /** Some work in one transaction, given the transaction's context. */
    @FunctionalInterface
    public interface Work<T> {
        T run(DSLContext transaction);
    }

    private final DSLContext dsl;

    public StatsRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Runs the work in one transaction: committed if it returns, rolled back if it throws.
     *
     * @throws DataAccessException if the work or the commit fails (nothing of it is then written)
     */
    public <T> T inTransaction(Work<T> work) {
        return dsl.transactionResult(configuration -> work.run(configuration.dsl()));
    }

    /**
     * Adds counts to rows, creating the rows that do not exist yet. The counters are added by the database
     * ({@code received = received + excluded.received}); the size histograms are added here, from the rows locked
     * first ({@code FOR UPDATE}), since element-wise array addition is not portable SQL. Call inside
     * {@link #inTransaction}, with its context.
     */
    public void add(DSLContext transaction, StatsBucket bucket, long start, Map<UUID, RollupCounts> byRelay) {
        if (byRelay.isEmpty()) {
            return;
        }
        Map<UUID, SizeHistogram> existing = transaction.select(STATS.RELAY_ID, STATS.SIZE_HISTOGRAM)
                .from(STATS)
                .where(STATS.BUCKET_SECONDS.eq(bucket.seconds()))
                .and(STATS.BUCKET_START.eq(start))
                .and(STATS.RELAY_ID.eq(any(byRelay.keySet().toArray(UUID[]::new))))
                .forUpdate()
                .fetchMap(STATS.RELAY_ID, row -> histogram(row.value2()));
        // One statement, bound once per relay and sent as one JDBC batch; the nulls are its bind placeholders.
        BatchBindStep upsert = transaction.batch(transaction.insertInto(STATS, STATS.RELAY_ID, STATS.BUCKET_SECONDS,
                        STATS.BUCKET_START, STATS.RECEIVED, STATS.STORED, STATS.DUPLICATES, STATS.INVALID, STATS.BYTES,
                        STATS.LAG_SECONDS_SUM, STATS.LAG_SAMPLES, STATS.SIZE_HISTOGRAM)
                .values((UUID) null, null, null, null, null, null, null, null, null, null, null)
                .onConflict(STATS.RELAY_ID, STATS.BUCKET_SECONDS, STATS.BUCKET_START)
                .doUpdate()
                .set(STATS.RECEIVED, STATS.RECEIVED.plus(excluded(STATS.RECEIVED)))
                .set(STATS.STORED, STATS.STORED.plus(excluded(STATS.STORED)))
                .set(STATS.DUPLICATES, STATS.DUPLICATES.plus(excluded(STATS.DUPLICATES)))
                .set(STATS.INVALID, STATS.INVALID.plus(excluded(STATS.INVALID)))
                .set(STATS.BYTES, STATS.BYTES.plus(excluded(STATS.BYTES)))
                .set(STATS.LAG_SECONDS_SUM, STATS.LAG_SECONDS_SUM.plus(excluded(STATS.LAG_SECONDS_SUM)))
                .set(STATS.LAG_SAMPLES, STATS.LAG_SAMPLES.plus(excluded(STATS.LAG_SAMPLES)))
                .set(STATS.SIZE_HISTOGRAM, excluded(STATS.SIZE_HISTOGRAM)));
        for (Map.Entry<UUID, RollupCounts> entry : byRelay.entrySet()) {
            RollupCounts counts = entry.getValue();
            SizeHistogram sizes = existing.getOrDefault(entry.getKey(), SizeHistogram.EMPTY).plus(counts.sizes());
            upsert = upsert.bind(entry.getKey(), bucket.seconds(), start, counts.received(), counts.stored(),
                    counts.duplicates(), counts.invalid(), counts.bytes(), counts.lagSecondsSum(),
                    counts.lagSamples(), boxed(sizes.toArray()));
        }
        upsert.execute();
    }

    /**
     * Deletes up to {@code max} minute rows of these relays that started before {@code before} and returns them.
     * Call inside {@link #inTransaction}, with its context: the rows are gone only if the caller's transaction
     * commits. Keyed by relay, the lookup is a range scan of the primary key per relay, not a scan of the table.
     */
    public List<Row> takeMinuteRows(DSLContext transaction, Collection<UUID> relays, long before, int max) {
        return transaction.deleteFrom(STATS)
                .where(row(STATS.RELAY_ID, STATS.BUCKET_SECONDS, STATS.BUCKET_START).in(
                        select(STATS.RELAY_ID, STATS.BUCKET_SECONDS, STATS.BUCKET_START)
                                .from(STATS)
                                .where(STATS.RELAY_ID.eq(any(relays.toArray(UUID[]::new))))
                                .and(STATS.BUCKET_SECONDS.eq(StatsBucket.MINUTE.seconds()))
                                .and(STATS.BUCKET_START.lt(before))
                                .limit(max)))
                .returning()
                .fetch(StatsRepository::read);
    }

    /**
     * A relay's series: one point per bucket that has counts, in time order, for buckets starting in
     * [{@code from}, {@code to}). An hour point adds the hour row (compacted) and the minute rows of that hour not
     * compacted yet; a minute point exists only while its minute row does (see {@code minute-stats-retention}).
     */
    public TreeMap<Long, RollupCounts> series(UUID relayId, StatsBucket bucket, long from, long to) {
        List<Row> rows = new ArrayList<>();
        try {
            for (StatsBucket stored : bucket == StatsBucket.HOUR ? List.of(StatsBucket.HOUR, StatsBucket.MINUTE)
                    : List.of(StatsBucket.MINUTE)) {
                rows.addAll(dsl.selectFrom(STATS)
                        .where(STATS.RELAY_ID.eq(relayId))
                        .and(STATS.BUCKET_SECONDS.eq(stored.seconds()))
                        .and(STATS.BUCKET_START.ge(from))
                        .and(STATS.BUCKET_START.lt(to))
                        .fetch(StatsRepository::read));
            }
        } catch (DataAccessException e) {
            throw new StatsUnavailableException("reading the statistics of relay " + relayId + " failed: "
                    + e.getMessage(), e);
        }
        return sum(rows, bucket);
    }

    /** Rows added up into buckets of the given width, keyed by bucket start. */
    public static TreeMap<Long, RollupCounts> sum(Collection<Row> rows, StatsBucket bucket) {
        TreeMap<Long, RollupCounts> points = new TreeMap<>();
        for (Row row : rows) {
            points.merge(bucket.startOf(row.key().start()), row.counts(), RollupCounts::plus);
        }
        return points;
    }

    /**
     * Every relay's events stored all time (minute and hour rows added up): one grouped scan of the table, for the
     * dashboard's sampler, which runs it every few seconds rather than per request.
     */
    public Map<UUID, Long> storedTotals() {
        try {
            return dsl.select(STATS.RELAY_ID, DSL.sum(STATS.STORED)).from(STATS).groupBy(STATS.RELAY_ID)
                    .fetchMap(r -> r.value1(), r -> r.value2() == null ? 0L : r.value2().longValue());
        } catch (DataAccessException e) {
            throw new StatsUnavailableException("reading the stored totals failed: " + e.getMessage(), e);
        }
    }

    /** Deletes a removed relay's rows. */
    public int deleteRelay(UUID relayId) {
        try {
            return dsl.deleteFrom(STATS).where(STATS.RELAY_ID.eq(relayId)).execute();
        } catch (DataAccessException e) {
            throw new StatsUnavailableException("deleting the statistics of relay " + relayId + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static Row read(GatewayRelayStatsRecord row) {
        StatsBucket bucket = row.getBucketSeconds() == StatsBucket.HOUR.seconds() ? StatsBucket.HOUR
                : StatsBucket.MINUTE;
        Key key = new Key(row.getRelayId(), bucket, row.getBucketStart());
        return new Row(key, new RollupCounts(row.getReceived(), row.getStored(), row.getDuplicates(),
                row.getInvalid(), row.getBytes(), row.getLagSecondsSum(), row.getLagSamples(),
                histogram(row.getSizeHistogram())));
    }

    private static SizeHistogram histogram(Long[] values) {
        long[] counts = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            counts[i] = values[i] == null ? 0 : values[i];
        }
        return SizeHistogram.of(counts);
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
