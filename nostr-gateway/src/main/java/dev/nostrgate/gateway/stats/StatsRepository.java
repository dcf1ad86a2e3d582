package dev.nostrgate.gateway.stats;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.stereotype.Repository;

/**
 * The rollup table {@code gateway_relay_stats}: one row per relay per bucket (60 s rows written by
 * {@link StatsFlusher}, 3600 s rows made of old ones by {@link StatsCompactor}). Every read is a range scan of its
 * primary key (relay_id, bucket_seconds, bucket_start); nothing here ever reads the events table.
 *
 * <p>Plain JDBC on the writes pool: the writers need one transaction around a read-modify-write, and arrays.
 */
@Repository
public class StatsRepository {
    private static final String COLUMNS = "relay_id, bucket_seconds, bucket_start, received, stored, duplicates, "
            + "invalid, bytes, lag_seconds_sum, lag_samples, size_histogram";

    /** A row's key. */
    public record Key(UUID relayId, StatsBucket bucket, long start) {
    }

    /** A row. */
    public record Row(Key key, RollupCounts counts) {
    }

    /** Some work in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    public StatsRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs the work in one transaction: committed if it returns, rolled back if it throws.
     *
     * @throws SQLException if the work or the commit fails (nothing of it is then written)
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    /**
     * Adds counts to rows, creating the rows that do not exist yet. The counters are added by the database
     * ({@code received = received + excluded.received}); the size histograms are added here, from the rows locked
     * first ({@code FOR UPDATE}), since element-wise array addition is not portable SQL. Call inside
     * {@link #inTransaction}.
     */
    public void add(Connection connection, StatsBucket bucket, long start, Map<UUID, RollupCounts> byRelay)
            throws SQLException {
        if (byRelay.isEmpty()) {
            return;
        }
        Map<UUID, SizeHistogram> existing = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement("SELECT relay_id, size_histogram "
                + "FROM gateway_relay_stats WHERE bucket_seconds = ? AND bucket_start = ? AND relay_id = ANY(?) "
                + "FOR UPDATE")) {
            lock.setInt(1, bucket.seconds());
            lock.setLong(2, start);
            lock.setArray(3, connection.createArrayOf("uuid", byRelay.keySet().toArray(UUID[]::new)));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    existing.put(rows.getObject(1, UUID.class), histogram(rows.getArray(2)));
                }
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO gateway_relay_stats (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (relay_id, bucket_seconds, bucket_start) DO UPDATE SET "
                + "received = gateway_relay_stats.received + excluded.received, "
                + "stored = gateway_relay_stats.stored + excluded.stored, "
                + "duplicates = gateway_relay_stats.duplicates + excluded.duplicates, "
                + "invalid = gateway_relay_stats.invalid + excluded.invalid, "
                + "bytes = gateway_relay_stats.bytes + excluded.bytes, "
                + "lag_seconds_sum = gateway_relay_stats.lag_seconds_sum + excluded.lag_seconds_sum, "
                + "lag_samples = gateway_relay_stats.lag_samples + excluded.lag_samples, "
                + "size_histogram = excluded.size_histogram")) {
            for (Map.Entry<UUID, RollupCounts> entry : byRelay.entrySet()) {
                RollupCounts counts = entry.getValue();
                SizeHistogram sizes = existing.getOrDefault(entry.getKey(), SizeHistogram.EMPTY).plus(counts.sizes());
                upsert.setObject(1, entry.getKey());
                upsert.setInt(2, bucket.seconds());
                upsert.setLong(3, start);
                upsert.setLong(4, counts.received());
                upsert.setLong(5, counts.stored());
                upsert.setLong(6, counts.duplicates());
                upsert.setLong(7, counts.invalid());
                upsert.setLong(8, counts.bytes());
                upsert.setLong(9, counts.lagSecondsSum());
                upsert.setLong(10, counts.lagSamples());
                upsert.setArray(11, connection.createArrayOf("int8", boxed(sizes.toArray())));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Deletes up to {@code max} minute rows of these relays that started before {@code before} and returns them.
     * Call inside {@link #inTransaction}: the rows are gone only if the caller's transaction commits. Keyed by
     * relay, the lookup is a range scan of the primary key per relay, not a scan of the table.
     */
    public List<Row> takeMinuteRows(Connection connection, Collection<UUID> relays, long before, int max)
            throws SQLException {
        List<Row> taken = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM gateway_relay_stats "
                + "WHERE (relay_id, bucket_seconds, bucket_start) IN (SELECT relay_id, bucket_seconds, bucket_start "
                + "FROM gateway_relay_stats WHERE relay_id = ANY(?) AND bucket_seconds = ? AND bucket_start < ? "
                + "LIMIT ?) RETURNING " + COLUMNS)) {
            delete.setArray(1, connection.createArrayOf("uuid", relays.toArray(UUID[]::new)));
            delete.setInt(2, StatsBucket.MINUTE.seconds());
            delete.setLong(3, before);
            delete.setInt(4, max);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    taken.add(row(rows));
                }
            }
        }
        return taken;
    }

    /**
     * A relay's series: one point per bucket that has counts, in time order, for buckets starting in
     * [{@code from}, {@code to}). An hour point adds the hour row (compacted) and the minute rows of that hour not
     * compacted yet; a minute point exists only while its minute row does (see {@code minute-stats-retention}).
     */
    public TreeMap<Long, RollupCounts> series(UUID relayId, StatsBucket bucket, long from, long to) {
        String sql = "SELECT " + COLUMNS + " FROM gateway_relay_stats WHERE relay_id = ? AND bucket_seconds = ? "
                + "AND bucket_start >= ? AND bucket_start < ?";
        List<Row> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (StatsBucket stored : bucket == StatsBucket.HOUR ? List.of(StatsBucket.HOUR, StatsBucket.MINUTE)
                    : List.of(StatsBucket.MINUTE)) {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setObject(1, relayId);
                    select.setInt(2, stored.seconds());
                    select.setLong(3, from);
                    select.setLong(4, to);
                    try (ResultSet result = select.executeQuery()) {
                        while (result.next()) {
                            rows.add(row(result));
                        }
                    }
                }
            }
        } catch (SQLException e) {
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

    /** Deletes a removed relay's rows. */
    public int deleteRelay(UUID relayId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM gateway_relay_stats WHERE relay_id = ?")) {
            delete.setObject(1, relayId);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new StatsUnavailableException("deleting the statistics of relay " + relayId + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static Row row(ResultSet rows) throws SQLException {
        int seconds = rows.getInt("bucket_seconds");
        StatsBucket bucket = seconds == StatsBucket.HOUR.seconds() ? StatsBucket.HOUR : StatsBucket.MINUTE;
        Key key = new Key(rows.getObject("relay_id", UUID.class), bucket, rows.getLong("bucket_start"));
        return new Row(key, new RollupCounts(rows.getLong("received"), rows.getLong("stored"),
                rows.getLong("duplicates"), rows.getLong("invalid"), rows.getLong("bytes"),
                rows.getLong("lag_seconds_sum"), rows.getLong("lag_samples"),
                histogram(rows.getArray("size_histogram"))));
    }

    private static SizeHistogram histogram(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        long[] counts = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            counts[i] = values[i] == null ? 0 : ((Number) values[i]).longValue();
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
