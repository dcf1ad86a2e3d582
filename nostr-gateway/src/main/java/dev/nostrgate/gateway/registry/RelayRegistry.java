package dev.nostrgate.gateway.registry;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAYS;
import static org.jooq.impl.DSL.row;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import dev.nostrgate.gateway.schema.tables.records.GatewayRelaysRecord;
import dev.nostrgate.relay.store.Retry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.UpdateSetMoreStep;
import org.jooq.exception.DataAccessException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Repository;

/** The {@code gateway_relays} table: which relays are registered and where each one's cursor stands. */
@Repository
public class RelayRegistry {
    /** PostgreSQL's and CockroachDB's unique_violation: here, the URL's unique index. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final Retry REMOVE_RETRY = Retry.within(Duration.ofSeconds(5),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)), () -> false).forIdempotentStep();

    /** How many distinct filter texts {@link #parsedFilters} keeps before it starts over. */
    private static final int PARSED_FILTERS_KEPT = 4096;
    /** Ids per query of {@link #find(Collection)}: bind values stay far below the drivers' limits. */
    private static final int FIND_CHUNK = 1000;

    private final DSLContext dsl;
    /**
     * Filters already parsed, by their stored JSON: every listing and every relay start reads them, while most
     * relays share a handful of filter sets (filters are immutable values, so one parse serves every row).
     */
    private final Map<String, List<Filter>> parsedFilters = new ConcurrentHashMap<>();

    /** {@code dsl}: the control plane's (its own pool, see {@code StoreConfiguration}). */
    public RelayRegistry(@Qualifier("controlDsl") DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Registers a relay.
     *
     * @throws DuplicateUrlException if the URL is registered already
     */
    public RegisteredRelay add(URI url, String name, List<Filter> filters) {
        RegisteredRelay relay = new RegisteredRelay(UUID.randomUUID(), url, name, filters, false,
                OptionalLong.empty(), Instant.now().truncatedTo(ChronoUnit.MICROS)); // as the database keeps it
        try {
            dsl.insertInto(GATEWAY_RELAYS)
                    .set(GATEWAY_RELAYS.ID, relay.id())
                    .set(GATEWAY_RELAYS.URL, url.toString())
                    .set(GATEWAY_RELAYS.NAME, name)
                    .set(GATEWAY_RELAYS.FILTERS, filtersJson(filters))
                    .set(GATEWAY_RELAYS.PAUSED, false)
                    .set(GATEWAY_RELAYS.CURSOR, (Long) null)
                    .set(GATEWAY_RELAYS.CREATED_AT, relay.createdAt().atOffset(ZoneOffset.UTC))
                    .execute();
        } catch (DataAccessException e) {
            if (!UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw e;
            }
            throw new DuplicateUrlException(url, find(url).map(RegisteredRelay::id).orElse(null));
        }
        return relay;
    }

    /** The registered relays, oldest first; not those being removed. */
    public List<RegisteredRelay> all() {
        return dsl.selectFrom(GATEWAY_RELAYS).where(GATEWAY_RELAYS.REMOVING.isFalse())
                .orderBy(GATEWAY_RELAYS.CREATED_AT, GATEWAY_RELAYS.ID)
                .fetch(this::relay);
    }

    /**
     * Up to {@code limit} registered relays in registration order (as {@link #all}), those after {@code after} if
     * given: one page of a listing that stays consistent while relays are added and removed (a relay added meanwhile
     * comes on the last page; none is listed twice).
     */
    public List<RegisteredRelay> page(Optional<ListPosition> after, int limit) {
        Condition condition = GATEWAY_RELAYS.REMOVING.isFalse();
        if (after.isPresent()) {
            condition = condition.and(row(GATEWAY_RELAYS.CREATED_AT, GATEWAY_RELAYS.ID)
                    .gt(after.get().createdAt().atOffset(ZoneOffset.UTC), after.get().id()));
        }
        return dsl.selectFrom(GATEWAY_RELAYS).where(condition)
                .orderBy(GATEWAY_RELAYS.CREATED_AT, GATEWAY_RELAYS.ID)
                .limit(limit)
                .fetch(this::relay);
    }

    /** A registered relay, unless it is being removed. */
    public Optional<RegisteredRelay> find(UUID id) {
        return findVersioned(id).map(Versioned::relay);
    }

    /** A registration and the settings version ({@code version}) of the same row. */
    public record Versioned(RegisteredRelay relay, long version) {
    }

    /**
     * A registered relay, unless it is being removed, with its settings version, read together: what runs with
     * these settings can be recorded as running this version, and a change saved after the read has a newer one.
     */
    public Optional<Versioned> findVersioned(UUID id) {
        return dsl.selectFrom(GATEWAY_RELAYS).where(GATEWAY_RELAYS.ID.eq(id)).and(GATEWAY_RELAYS.REMOVING.isFalse())
                .fetchOptional(row -> new Versioned(relay(row), row.getVersion()));
    }

    /**
     * The relays registered with these ids (not being removed), by id; one query per {@value #FIND_CHUNK} ids, so
     * that starting a thousand relays reads their registrations in one round trip, not a thousand.
     */
    public Map<UUID, RegisteredRelay> find(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        Map<UUID, RegisteredRelay> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += FIND_CHUNK) {
            dsl.selectFrom(GATEWAY_RELAYS)
                    .where(GATEWAY_RELAYS.ID.in(all.subList(from, Math.min(all.size(), from + FIND_CHUNK))))
                    .and(GATEWAY_RELAYS.REMOVING.isFalse())
                    .fetch(this::relay)
                    .forEach(relay -> found.put(relay.id(), relay));
        }
        return found;
    }

    /** The relay registered with this URL, even one being removed (its URL is not free yet). */
    public Optional<RegisteredRelay> find(URI url) {
        return dsl.selectFrom(GATEWAY_RELAYS).where(GATEWAY_RELAYS.URL.eq(url.toString()))
                .fetchOptional(this::relay);
    }

    /**
     * Saves name, filters and paused (the cursor has its own, forward-only update), and counts the change in
     * {@code version}, by which the instance running the relay notices a change made through another instance.
     *
     * @return the version written; empty if no relay has this id
     */
    public OptionalLong update(RegisteredRelay relay) {
        return settings(relay).where(GATEWAY_RELAYS.ID.eq(relay.id()))
                .returningResult(GATEWAY_RELAYS.VERSION)
                .fetchOptional(GATEWAY_RELAYS.VERSION)
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    /**
     * Puts back the settings a change replaced, unless another change was saved since ({@code version} is no longer
     * the one that change wrote): a change that could not be applied must not take a later one with it.
     *
     * @return true if put back
     */
    public boolean undo(RegisteredRelay before, long version) {
        return settings(before).where(GATEWAY_RELAYS.ID.eq(before.id()))
                .and(GATEWAY_RELAYS.VERSION.eq(version))
                .execute() == 1;
    }

    private UpdateSetMoreStep<GatewayRelaysRecord> settings(RegisteredRelay relay) {
        return dsl.update(GATEWAY_RELAYS)
                .set(GATEWAY_RELAYS.NAME, relay.name())
                .set(GATEWAY_RELAYS.FILTERS, filtersJson(relay.filters()))
                .set(GATEWAY_RELAYS.PAUSED, relay.paused())
                .set(GATEWAY_RELAYS.VERSION, GATEWAY_RELAYS.VERSION.plus(1));
    }

    /**
     * Marks a relay as being removed: it is no longer listed, and the instance running it drains and deletes its
     * queue, then the row ({@link #remove}).
     */
    public void markRemoving(UUID id) {
        dsl.update(GATEWAY_RELAYS)
                .set(GATEWAY_RELAYS.REMOVING, true)
                .set(GATEWAY_RELAYS.VERSION, GATEWAY_RELAYS.VERSION.plus(1))
                .where(GATEWAY_RELAYS.ID.eq(id))
                .execute();
    }

    /** Moves cursors forward, never back. */
    public void advanceCursors(Map<UUID, Long> cursors) {
        for (Map.Entry<UUID, Long> cursor : cursors.entrySet()) {
            dsl.update(GATEWAY_RELAYS)
                    .set(GATEWAY_RELAYS.CURSOR, cursor.getValue())
                    .where(GATEWAY_RELAYS.ID.eq(cursor.getKey()))
                    .and(GATEWAY_RELAYS.CURSOR.isNull().or(GATEWAY_RELAYS.CURSOR.lt(cursor.getValue())))
                    .execute();
        }
    }

    /**
     * Unregisters a relay; false if it was not registered. Its lease row goes too (by cascade), and instances renew
     * leases every second or so: on a SERIALIZABLE database (CockroachDB, the tests' PostgreSQL) the delete then
     * meets a serialization failure now and then. The delete is idempotent, so it is tried again here, for every
     * caller, rather than failing.
     */
    public boolean remove(UUID id) {
        return REMOVE_RETRY.call("removing the relay's registration",
                () -> dsl.deleteFrom(GATEWAY_RELAYS).where(GATEWAY_RELAYS.ID.eq(id)).execute() > 0);
    }

    private RegisteredRelay relay(GatewayRelaysRecord row) {
        Long cursor = row.getCursor();
        return new RegisteredRelay(
                row.getId(),
                URI.create(row.getUrl()),
                row.getName(),
                filters(row.getFilters()),
                row.getPaused(),
                cursor == null ? OptionalLong.empty() : OptionalLong.of(cursor),
                row.getCreatedAt().toInstant());
    }

    /** Filters as the JSON array stored in {@code gateway_relays.filters}. */
    public static String filtersJson(List<Filter> filters) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < filters.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            FilterJson.appendTo(out, filters.get(i));
        }
        return out.append(']').toString();
    }

    private List<Filter> filters(String json) {
        List<Filter> filters = parsedFilters.get(json);
        if (filters == null) {
            filters = List.copyOf(parseFilters(json));
            if (parsedFilters.size() >= PARSED_FILTERS_KEPT) {
                parsedFilters.clear(); // so many distinct filter sets is rare; starting over bounds the memory
            }
            parsedFilters.put(json, filters);
        }
        return filters;
    }

    private static List<Filter> parseFilters(String json) {
        // Written by this class from validated filters: a failure means the row was edited by hand.
        try (JsonParser parser = EventJson.jsonFactory().createParser(json)) {
            List<Filter> filters = new ArrayList<>();
            parser.nextToken();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                filters.add(FilterJson.read(parser));
            }
            return filters;
        } catch (IOException | InvalidFilterException e) {
            throw new DataAccessException("gateway_relays.filters is not a JSON array of filters: " + e.getMessage(),
                    e);
        }
    }
}
