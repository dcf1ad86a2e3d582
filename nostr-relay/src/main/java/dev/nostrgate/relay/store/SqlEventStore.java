package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENTS_HISTORY;
import static org.jooq.impl.DSL.any;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import java.sql.Array;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.Param;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link EventStore} on PostgreSQL or CockroachDB (schema: {@code db/migration}). Thread-safe. */
public final class SqlEventStore implements EventStore {
    private static final Logger log = LoggerFactory.getLogger(SqlEventStore.class);
    private static final String QUERY_CANCELED = "57014";
    /** Which of the keys (1 and 2: the same array) are stored, current or superseded. */
    private static final String STORED = SchemaNames.sql(
            DSL.select(EVENTS.EVENT_KEY).from(EVENTS).where(EVENTS.EVENT_KEY.eq(any(uuids())))
                    .unionAll(DSL.select(EVENTS_HISTORY.EVENT_KEY).from(EVENTS_HISTORY)
                            .where(EVENTS_HISTORY.EVENT_KEY.eq(any(uuids())))));
    /** Removes up to (2) events expired at (1); returns {@link RemovedEvents#RETURNED}. */
    private static final String DELETE_EXPIRED = SchemaNames.sql(
            DSL.deleteFrom(EVENTS).where(EVENTS.EVENT_KEY.in(DSL.select(EVENTS.EVENT_KEY).from(EVENTS)
                            .where(EVENTS.EXPIRES_AT.isNotNull(), EVENTS.EXPIRES_AT.le(DSL.param("now", Long.class)))
                            .limit(DSL.param("max", Integer.class))))
                    .returning(EVENTS.EVENT_KEY, EVENTS.CREATED_AT, EVENTS.JSON));
    /** Between attempts of a read: short, since the query's whole budget is a few seconds. */
    private static final Backoff READ_BACKOFF = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200));

    private final DataSource writes;
    /** Rows of a negentropy scan fetched per round trip: 400 KB of (created_at, id). */
    private static final int ITEMS_FETCH_SIZE = 10_000;
    private final DataSource reads;
    private final Database.Vendor vendor;
    private final StoreConfig config;
    private final VanishScope vanishScope;
    private final Clock clock;
    /**
     * Reads that fail transiently (a serialization failure under SERIALIZABLE, as CockroachDB always is, or a
     * connection lost) are tried again within the query budget: a client's REQ is answered, not closed, when the
     * database only asked to retry. A read changes nothing, so an ambiguous answer is retried the same way.
     */
    private final Retry readRetry;
    /** The newest events in memory, answering what it can before the database is asked; empty: off. */
    private final Optional<RecentEvents> recent;

    /**
     * @param writes connections for writes (the writer uses one at a time)
     * @param reads connections for queries; their statement timeout is the query budget (see {@link Database})
     * @param vendor the database both lead to: some statements differ (see {@link TagRows#insert})
     * @param clock the time NIP-40 expiration is judged by
     */
    public SqlEventStore(DataSource writes, DataSource reads, Database.Vendor vendor, StoreConfig config,
                         Clock clock) {
        this(writes, reads, vendor, config, clock, Optional.empty());
    }

    /**
     * A store that answers from {@code recent} what it can, and keeps it up to date with its commits. Only for a
     * store that is its database's only writer (see {@link RecentEvents}). The index is loaded here, on the
     * caller's thread (a relay's start); if the database fails, it is loaded by the first write that finds it
     * off, and until then every query goes to the database.
     */
    public SqlEventStore(DataSource writes, DataSource reads, Database.Vendor vendor, StoreConfig config,
                         Clock clock, Optional<RecentEvents> recent) {
        this.recent = recent;
        this.writes = writes;
        this.vendor = vendor;
        this.config = config;
        this.vanishScope = new VanishScope(config.publicUrl());
        this.clock = clock;
        this.reads = reads;
        this.readRetry = Retry.within(config.queryTimeout(), READ_BACKOFF, () -> false).forIdempotentStep();
        recent.ifPresent(this::loadIfInvalid);
    }

    /** A store on a database opened with {@link Database}. */
    public SqlEventStore(Database database, StoreConfig config) {
        this(database, config, Clock.systemUTC());
    }

    /** A store on a database opened with {@link Database}, judging expiration by the clock. */
    public SqlEventStore(Database database, StoreConfig config, Clock clock) {
        this(database.writes(), database.reads(), database.vendor(), config, clock);
    }

    @Override
    public List<SaveOutcome> saveAll(List<Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        recent.ifPresent(this::loadIfInvalid);
        try (Connection connection = writes.getConnection()) {
            BatchWrite write = new BatchWrite(connection, vendor, nowSeconds(), vanishScope);
            List<SaveOutcome> outcomes;
            if (BatchWrite.fitsOneStatement(events)) {
                connection.setAutoCommit(true); // the statement is its own transaction
                outcomes = write.apply(events);
            } else {
                connection.setAutoCommit(false);
                try {
                    outcomes = write.apply(events);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            }
            recent.ifPresent(index -> index.committed(write.inserted(), write.removed()));
            return outcomes;
        } catch (SQLException e) {
            recent.filter(index -> mayHaveCommitted(e)).ifPresent(RecentEvents::invalidate);
            throw new StoreUnavailableException("writing " + events.size() + " events failed: " + e.getMessage(), e,
                    false);
        }
    }

    /**
     * True unless the database said the transaction was rolled back: a commit whose answer was lost (a dropped
     * connection, CockroachDB's 40003) may have happened, and then the index no longer knows what is stored.
     */
    private static boolean mayHaveCommitted(SQLException e) {
        Optional<String> state = FailureClass.sqlState(e);
        return state.isEmpty() || state.get().startsWith("08") || FailureClass.of(e) == FailureClass.AMBIGUOUS;
    }

    /** Loads the index if it is not answering; if the database fails, it stays off until the next write. */
    private void loadIfInvalid(RecentEvents index) {
        if (index.isValid()) {
            return;
        }
        try {
            index.loadIfInvalid(writes);
        } catch (SQLException e) {
            log.warn("recent events not loaded, queries go to the database until the next write: {}",
                    e.getMessage());
        }
    }

    @Override
    public List<StoredEvent> query(List<Filter> filters) {
        return readRetry.call("a query", () -> queryOnce(filters));
    }

    private List<StoredEvent> queryOnce(List<Filter> filters) {
        long now = nowSeconds();
        List<StoredEvent> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Filter, Integer> toDatabase = new LinkedHashMap<>();
        for (Filter filter : filters) {
            if (FilterSql.matchesNothing(filter) || filter.search().isPresent() || filter.limit().orElse(1) == 0) {
                continue;
            }
            int limit = Math.min(filter.limit().orElse(config.maxLimit()), config.maxLimit());
            Optional<List<StoredEvent>> answered = recent.flatMap(index -> index.answer(filter, limit, now));
            if (answered.isPresent()) {
                addNew(answered.get(), seen, result);
            } else {
                toDatabase.put(filter, limit);
            }
        }
        if (!toDatabase.isEmpty()) {
            // a connection only when the database is asked: answers from memory never wait for the pool
            try (Connection connection = reads.getConnection()) {
                for (Map.Entry<Filter, Integer> filter : toDatabase.entrySet()) {
                    try (PreparedStatement select = FilterSql.newest(filter.getKey(), filter.getValue(), now)
                            .prepare(connection);
                         ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            String id = Hex.encode(rows.getBytes(1));
                            if (seen.add(id)) {
                                // getBytes on a text column: the UTF-8 as the database sent it, not decoded
                                result.add(new StoredEvent(id, rows.getLong(2), rows.getBytes(3)));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw unavailable("query", e);
            }
        }
        result.sort(StoredEvent.NEWEST_FIRST);
        return result;
    }

    private static void addNew(List<StoredEvent> events, Set<String> seen, List<StoredEvent> result) {
        for (StoredEvent event : events) {
            if (seen.add(event.idHex())) {
                result.add(event);
            }
        }
    }

    @Override
    public long count(List<Filter> filters) {
        return readRetry.call("a count", () -> countOnce(filters));
    }

    private long countOnce(List<Filter> filters) {
        List<Filter> possible = filters.stream()
                .filter(filter -> !FilterSql.matchesNothing(filter) && filter.search().isEmpty())
                .toList();
        if (possible.isEmpty()) {
            return 0;
        }
        try (Connection connection = reads.getConnection();
             PreparedStatement count = FilterSql.count(possible, nowSeconds()).prepare(connection);
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw unavailable("count", e);
        }
    }

    @Override
    public Optional<BlockStorage> negentropyItems(Filter filter, int maxItems, StorageBudget budget) {
        return readRetry.call("a negentropy scan", () -> itemsOnce(filter, maxItems, budget));
    }

    private Optional<BlockStorage> itemsOnce(Filter filter, int maxItems, StorageBudget budget) {
        try (BlockStorage.Writer items = BlockStorage.writer(budget)) {
            if (FilterSql.matchesNothing(filter) || filter.search().isPresent()) {
                return Optional.of(items.build());
            }
            try (Connection connection = reads.getConnection()) {
                // a transaction lets the driver use a cursor: rows come ITEMS_FETCH_SIZE at a time, not all at once
                connection.setAutoCommit(false);
                try (PreparedStatement select = FilterSql.items(filter, maxItems + 1, nowSeconds())
                        .prepare(connection)) {
                    select.setFetchSize(ITEMS_FETCH_SIZE);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            if (items.size() == maxItems) {
                                return Optional.empty();
                            }
                            items.add(rows.getLong(1), rows.getBytes(2), 0);
                        }
                    }
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw unavailable("a negentropy scan", e);
            }
            return Optional.of(items.build());
        }
    }

    @Override
    public Set<EventId> stored(List<EventId> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return readRetry.call("looking up " + ids.size() + " events", () -> {
            Set<EventId> stored = new HashSet<>();
            // the writes pool: it sees what was just committed, and has no query time budget to run over
            // a replaceable version replaced since (even by a later event of the same batch) was stored too
            try (Connection connection = writes.getConnection();
                 PreparedStatement select = connection.prepareStatement(STORED)) {
                Map<UUID, EventId> byKey = new HashMap<>();
                ids.forEach(id -> byKey.put(EventKeys.of(id.toBytes()), id));
                Array keys = connection.createArrayOf("uuid", byKey.keySet().toArray(UUID[]::new));
                select.setArray(1, keys);
                select.setArray(2, keys);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stored.add(byKey.get(rows.getObject(1, UUID.class)));
                    }
                }
            } catch (SQLException e) {
                throw unavailable("looking up events", e);
            }
            return stored;
        });
    }

    @Override
    public int deleteExpired(long nowSeconds, int max) {
        try (Connection connection = writes.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<TagRows.Removed> expired = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(DELETE_EXPIRED)) {
                    select.setLong(1, nowSeconds);
                    select.setInt(2, max);
                    try (var rows = select.executeQuery()) {
                        while (rows.next()) {
                            expired.add(RemovedEvents.fromRow(rows));
                        }
                    }
                }
                TagRows.delete(connection, expired);
                connection.commit();
                recent.ifPresent(index -> index.expired(expired.stream().map(TagRows.Removed::key).toList()));
                return expired.size();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("deleting expired events failed: " + e.getMessage(), e, false);
        }
    }

    private static StoreUnavailableException unavailable(String what, SQLException e) {
        boolean timedOut = QUERY_CANCELED.equals(e.getSQLState());
        String message = timedOut ? what + " ran over its time budget and was cancelled"
                : what + " failed: " + e.getMessage();
        return new StoreUnavailableException(message, e, timedOut);
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }

    private static Param<UUID[]> uuids() {
        return DSL.param("keys", SQLDataType.UUID.array());
    }
}
