package dev.nostrgate.gateway.api;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_EVENT_SOURCES;
import static org.jooq.impl.DSL.any;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.schema.tables.GatewayEventSources;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * Pages through the aggregate in NIP-01 order (newest first, on equal created_at lowest id first), with the relays
 * each event was seen on.
 *
 * <p>A page after a cursor (created_at {@code t}, id {@code x}) is made of two store queries: the events of second
 * {@code t} with an id above {@code x}, then the newest events older than {@code t} ({@code until = t - 1}). NIP-01
 * filters cannot say "id above x", so the first query fetches second {@code t} from its top and drops what the
 * earlier pages returned: its window is {@code skip + limit} events, where the cursor's {@code skip} says how many of
 * that second were passed already; if events were added to that second meanwhile, the window doubles until it holds
 * a full page or the whole second. This pages correctly through any number of events sharing one second, up to
 * {@value #MAX_WINDOW} per second (past that the request is refused: narrow the filter); the cost of a page inside
 * such a second grows with how far into it the page is.
 *
 * <p>Provenance is one query per page on {@code gateway_event_sources} ({@code event_key = ANY(?)}), built with
 * jOOQ's DSL for each page. Rendering it is not worth caching: measured at 5 to 8 us of client CPU, beside about
 * 90 us for the store's query of a 100-event page and 90 to 110 us for running this one (70 us as plain JDBC; the
 * difference is jOOQ's binding and records, which a statement rendered once would keep).
 */
@Component
public class EventPages {
    /** The most events of one second a page may have to read past (the store's largest limit). */
    static final int MAX_WINDOW = 100_000;

    private static final GatewayEventSources SOURCES = GATEWAY_EVENT_SOURCES;

    private final SqlEventStore store;
    /** Provenance is read on the reads pool, beside the store's queries, not on the writers' pool. */
    private final DSLContext reads;

    public EventPages(Database database, GatewayProperties properties) {
        // The store with the gateway's settings caps every limit at max-limit; paging inside one busy second may
        // need a larger window, so it gets a store of its own on the same database.
        this.store = new SqlEventStore(database, new StoreConfig(MAX_WINDOW, properties.database().queryTimeout()));
        this.reads = DSL.using(database.reads(), SQLDialect.POSTGRES);
    }

    /** One page. */
    public EventPage page(EventQuery query) {
        Filter filter = query.filter();
        int limit = query.limit();
        List<StoredEvent> page = new ArrayList<>(limit);
        int skip = 0; // events of the last second returned that this and earlier pages passed
        OptionalLong olderThan = OptionalLong.empty();
        if (query.after().isPresent()) {
            PageCursor after = query.after().get();
            List<StoredEvent> second = sameSecond(filter, after, limit);
            int passed = 0;
            for (StoredEvent event : second) {
                if (event.idHex().compareTo(after.idHex()) <= 0) {
                    passed++;
                } else if (page.size() < limit) {
                    page.add(event);
                }
            }
            skip = passed + page.size();
            olderThan = OptionalLong.of(after.createdAt());
        }
        if (page.size() < limit) {
            Optional<Filter> older = older(filter, olderThan, limit - page.size());
            if (older.isPresent()) {
                List<StoredEvent> events = store.query(List.of(older.get()));
                page.addAll(events);
            }
        }
        String next = null;
        if (page.size() == limit) {
            StoredEvent last = page.get(page.size() - 1);
            boolean sameSecondAsCursor = query.after().isPresent()
                    && last.createdAt() == query.after().get().createdAt();
            int passedAtLast = sameSecondAsCursor ? skip
                    : (int) page.stream().filter(e -> e.createdAt() == last.createdAt()).count();
            next = new PageCursor(last.createdAt(), last.idHex(), passedAtLast).encode();
        }
        Map<UUID, List<EventPage.Sighting>> seen = provenance(page);
        List<EventPage.Item> items = page.stream()
                .map(e -> new EventPage.Item(e.json(), seen.getOrDefault(key(e.idHex()), List.of())))
                .toList();
        return new EventPage(items, next);
    }

    /** The events of the cursor's second, from its top, enough to hold a page after the cursor (or all of them). */
    private List<StoredEvent> sameSecond(Filter filter, PageCursor after, int limit) {
        long t = after.createdAt();
        if (filter.since().orElse(0) > t || filter.until().orElse(Long.MAX_VALUE) < t) {
            return List.of();
        }
        long window = Math.min((long) after.skip() + limit, MAX_WINDOW);
        while (true) {
            List<StoredEvent> events = store.query(List.of(filter.toBuilder().since(t).until(t)
                    .limit((int) window).build()));
            long beyond = events.stream().filter(e -> e.idHex().compareTo(after.idHex()) > 0).count();
            if (beyond >= limit || events.size() < window) {
                return events; // a full page after the cursor, or the whole second
            }
            if (window == MAX_WINDOW) {
                throw new InvalidRequestException("cursor", "more than " + MAX_WINDOW + " events matching the "
                        + "filter share created_at " + t + "; paging cannot go further inside that second: narrow "
                        + "the filter (authors, kinds, tags) or continue with until=" + (t - 1));
            }
            window = Math.min(window * 2, MAX_WINDOW);
        }
    }

    /** The filter for events older than the cursor's second (all of them without a cursor), if any can match. */
    private static Optional<Filter> older(Filter filter, OptionalLong olderThan, int limit) {
        Filter.Builder builder = filter.toBuilder().limit(limit);
        if (olderThan.isPresent()) {
            long until = olderThan.getAsLong() - 1;
            if (until < 0) {
                return Optional.empty();
            }
            builder.until(Math.min(until, filter.until().orElse(Long.MAX_VALUE)));
        }
        Filter older = builder.build();
        if (older.since().orElse(0) > older.until().orElse(Long.MAX_VALUE)) {
            return Optional.empty();
        }
        return Optional.of(older);
    }

    /** The sightings of each event of the page, by event key, in one query. */
    private Map<UUID, List<EventPage.Sighting>> provenance(List<StoredEvent> page) {
        Map<UUID, List<EventPage.Sighting>> seen = new HashMap<>();
        if (page.isEmpty()) {
            return seen;
        }
        UUID[] keys = new LinkedHashSet<>(page.stream().map(e -> key(e.idHex())).toList()).toArray(UUID[]::new);
        try {
            reads.select(SOURCES.EVENT_KEY, SOURCES.RELAY_ID, SOURCES.FIRST_SEEN)
                    .from(SOURCES)
                    .where(SOURCES.EVENT_KEY.eq(any(keys)))
                    .orderBy(SOURCES.FIRST_SEEN, SOURCES.RELAY_ID)
                    .fetch()
                    .forEach(row -> seen.computeIfAbsent(row.value1(), k -> new ArrayList<>())
                            .add(new EventPage.Sighting(row.value2(), Instant.ofEpochSecond(row.value3()))));
        } catch (DataAccessException e) {
            throw new StoreUnavailableException("reading provenance failed: " + e.getMessage(), e, false);
        }
        return seen;
    }

    /** The event key (first 16 bytes of the id as a UUID) of a hex id, as the store and provenance use it. */
    static UUID key(String idHex) {
        return new UUID(Long.parseUnsignedLong(idHex, 0, 16, 16), Long.parseUnsignedLong(idHex, 16, 32, 16));
    }
}
