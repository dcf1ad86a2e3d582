package dev.nostrgate.relay.store;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.BoundSql.SqlArray;
import dev.nostrgate.relay.store.FilterShape.Driver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Select;

/**
 * Turns a NIP-01 filter into SQL whose plan is an ordered index range scan that stops after {@code limit} rows.
 *
 * <p>One field drives the scan, chosen in this order: {@code ids} (primary-key lookups), a tag condition
 * ({@code event_tags_lookup}), {@code authors} ({@code events_pubkey_*}), {@code kinds} ({@code events_kind_created}),
 * else {@code events_created}. When the driving field has several values, each value gets its own
 * {@code ORDER BY created_at DESC, event_key LIMIT n} branch and the branches are merged, the way strfry scans one
 * index range per value: an {@code = ANY(...)} would make the database read every matching row and sort them. Past
 * {@value #MAX_BRANCHES} values the branches would cost more to plan than they save, and one {@code = ANY} query is
 * used instead. Every other field is a condition on the same rows.
 *
 * <p>The statements are built with jOOQ over the schema classes generated from the migrations
 * ({@link FilterStatements}), but not for every query: this is the hottest path of a relay under query load, and
 * building and rendering a jOOQ query per filter once took 45% of the relay's CPU there. A filter is reduced to its
 * {@link FilterShape} and its values; jOOQ renders the statement of a shape the first time it is seen, and every
 * later filter of that shape binds its values by name into the cached text. The text depending only on the shape
 * also lets the driver's statement cache reuse the server-side plan. Every statement stays within what PostgreSQL
 * and CockroachDB both accept (DESIGN.md, Storage), and every value is a bound parameter.
 */
final class FilterSql {
    static final int MAX_BRANCHES = 32;

    /**
     * At most this many rendered statements are kept. Real traffic has a few dozen shapes; a client that makes up
     * new ones only makes the cache start over, never grow.
     */
    private static final int MAX_STATEMENTS = 2_048;
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":([a-z][a-z0-9_]*)");
    private static final Map<Object, RenderedStatement> STATEMENTS = new ConcurrentHashMap<>();
    private FilterSql() {
    }

    /** True if no stored event can match: an empty list in a field, or since after until. */
    static boolean matchesNothing(Filter filter) {
        return filter.ids().map(Set::isEmpty).orElse(false)
                || filter.authors().map(Set::isEmpty).orElse(false)
                || filter.kinds().map(Set::isEmpty).orElse(false)
                || filter.tags().values().stream().anyMatch(Set::isEmpty)
                || (filter.since().isPresent() && filter.until().isPresent()
                        && filter.since().getAsLong() > filter.until().getAsLong());
    }

    /** The newest {@code limit} matching events: rows of (id, created_at, json, event_key), ordered. */
    static BoundSql newest(Filter filter, int limit, long now) {
        Map<String, Object> values = new HashMap<>();
        values.put(FilterStatements.LIMIT, limit);
        FilterShape shape = newestShape(filter, now, "", values);
        return statement(shape, () -> FilterStatements.newest(shape)).bind(values);
    }

    /** How many events match any of the filters, each once (NIP-45 COUNT; limits are ignored). */
    static BoundSql count(List<Filter> filters, long now) {
        Map<String, Object> values = new HashMap<>();
        List<FilterShape> shapes = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            Filter filter = filters.get(i);
            String prefix = FilterStatements.countPrefix(i);
            boolean ids = filter.ids().isPresent();
            if (ids) {
                idsValues(filter, prefix, values);
            }
            shapes.add(conditionValues(filter, now, prefix, values, Driver.ALL, 0, ids, null));
        }
        return statement(List.copyOf(shapes), () -> FilterStatements.count(shapes)).bind(values);
    }

    /** NIP-77: (created_at, id) of the first {@code limit} matching events, oldest first, ties by id. */
    static BoundSql items(Filter filter, int limit, long now) {
        Map<String, Object> values = new HashMap<>();
        values.put(FilterStatements.LIMIT, limit);
        boolean ids = filter.ids().isPresent();
        if (ids) {
            idsValues(filter, "", values);
        }
        FilterShape shape = conditionValues(filter, now, "", values, Driver.ALL, 0, ids, null);
        return statement(new ItemsShape(shape), () -> FilterStatements.items(shape)).bind(values);
    }

    /** The cache key of an items statement: the same shape as a COUNT filter's, another statement. */
    private record ItemsShape(FilterShape shape) {
    }

    /**
     * Chooses the driving field (ids, a tag, authors, kinds, else time), puts the filter's values under the names
     * the statement of its shape binds, and returns that shape.
     */
    private static FilterShape newestShape(Filter filter, long now, String prefix, Map<String, Object> values) {
        if (filter.ids().isPresent()) {
            idsValues(filter, prefix, values);
            return conditionValues(filter, now, prefix, values, Driver.IDS, 0, true, null);
        }
        if (!filter.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> driving = filter.tags().entrySet().stream()
                    .min(Comparator.comparingInt(entry -> entry.getValue().size())).orElseThrow();
            values.put(prefix + FilterStatements.DRIVING_TAG, String.valueOf(driving.getKey()));
            List<String> tagValues = driving.getValue().stream().map(TagRows::indexForm).toList();
            int branches = drivingValues(tagValues, prefix, values, FilterSql::textArray);
            return conditionValues(filter, now, prefix, values, Driver.TAG, branches, false, driving.getKey());
        }
        if (filter.authors().isPresent()) {
            List<byte[]> authors = filter.authors().get().stream().map(Hex::decode).toList();
            int branches = drivingValues(authors, prefix, values, FilterSql::bytesArray);
            filter.kinds().ifPresent(kinds -> values.put(prefix + FilterStatements.KINDS, intArray(kinds)));
            return new FilterShape(Driver.AUTHORS, branches, false, false, filter.kinds().isPresent(), 0,
                    timeValues(filter, now, prefix, values), filter.until().isPresent());
        }
        if (filter.kinds().isPresent()) {
            int branches = drivingValues(List.copyOf(filter.kinds().get()), prefix, values, FilterSql::intArray);
            return new FilterShape(Driver.KINDS, branches, false, false, false, 0,
                    timeValues(filter, now, prefix, values), filter.until().isPresent());
        }
        return new FilterShape(Driver.TIME, 1, false, false, false, 0, timeValues(filter, now, prefix, values),
                filter.until().isPresent());
    }

    /** The driving field's values: one per branch, or all in one array past {@link #MAX_BRANCHES}. */
    private static <T> int drivingValues(List<T> driving, String prefix, Map<String, Object> values,
                                         Function<List<T>, SqlArray> array) {
        if (driving.size() > MAX_BRANCHES) {
            values.put(prefix + FilterStatements.DRIVING, array.apply(driving));
            return 0;
        }
        for (int i = 0; i < driving.size(); i++) {
            values.put(prefix + FilterStatements.driving(i), driving.get(i));
        }
        return driving.size();
    }

    private static void idsValues(Filter filter, String prefix, Map<String, Object> values) {
        List<byte[]> ids = filter.ids().orElseThrow().stream().map(Hex::decode).toList();
        values.put(prefix + FilterStatements.EVENT_KEYS,
                new SqlArray("uuid", ids.stream().map(EventKeys::of).toArray(UUID[]::new)));
        values.put(prefix + FilterStatements.IDS, bytesArray(ids));
    }

    /** The values of the conditions beside the driver (authors, kinds, tags but {@code except}, time). */
    private static FilterShape conditionValues(Filter filter, long now, String prefix, Map<String, Object> values,
                                               Driver driver, int branches, boolean ids, Character except) {
        filter.authors().ifPresent(authors -> values.put(prefix + FilterStatements.AUTHORS,
                bytesArray(authors.stream().map(Hex::decode).toList())));
        filter.kinds().ifPresent(kinds -> values.put(prefix + FilterStatements.KINDS, intArray(kinds)));
        int tags = 0;
        for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
            if (tag.getKey().equals(except)) {
                continue;
            }
            values.put(prefix + FilterStatements.tagName(tags), String.valueOf(tag.getKey()));
            values.put(prefix + FilterStatements.tagValues(tags),
                    textArray(tag.getValue().stream().map(TagRows::indexForm).toList()));
            tags++;
        }
        boolean since = timeValues(filter, now, prefix, values);
        return new FilterShape(driver, branches, ids, filter.authors().isPresent(), filter.kinds().isPresent(),
                tags, since, filter.until().isPresent());
    }

    /** Puts now, since and until; true if there is a since. */
    private static boolean timeValues(Filter filter, long now, String prefix, Map<String, Object> values) {
        values.put(prefix + FilterStatements.NOW, now);
        filter.since().ifPresent(since -> values.put(prefix + FilterStatements.SINCE, since));
        filter.until().ifPresent(until -> values.put(prefix + FilterStatements.UNTIL, until));
        return filter.since().isPresent();
    }

    /** Whether the statement of this filter's shape is rendered and cached already (for tests). */
    static boolean isRendered(Filter filter, long now) {
        return STATEMENTS.containsKey(newestShape(filter, now, "", new HashMap<>()));
    }

    /** Forgets every rendered statement (for tests that check what renders them). */
    static void forgetRendered() {
        STATEMENTS.clear();
    }

    /** The statement of a shape, rendered by jOOQ the first time the shape is seen. */
    private static RenderedStatement statement(Object shape, Supplier<Select<?>> build) {
        RenderedStatement statement = STATEMENTS.get(shape);
        if (statement == null) {
            if (STATEMENTS.size() >= MAX_STATEMENTS) {
                STATEMENTS.clear();
            }
            statement = STATEMENTS.computeIfAbsent(shape, key -> RenderedStatement.of(build.get()));
        }
        return statement;
    }

    /** The SQL jOOQ rendered for one shape, and the names of its parameters in the order they are bound. */
    private record RenderedStatement(String sql, List<String> parameters) {
        static RenderedStatement of(Select<?> select) {
            // rendered with each parameter's name in its place (:name), which is then replaced by ? in the order
            // the names occur: that order is the binding order, whatever jOOQ's traversal does
            String named = SchemaNames.sqlWithNamedParameters(select);
            if (named.indexOf('\'') >= 0) {
                throw new IllegalStateException("a filter statement has a literal: " + named);
            }
            List<String> parameters = new ArrayList<>();
            Matcher parameter = NAMED_PARAMETER.matcher(named);
            StringBuilder sql = new StringBuilder(named.length());
            while (parameter.find()) {
                parameters.add(parameter.group(1));
                parameter.appendReplacement(sql, "?");
            }
            parameter.appendTail(sql);
            return new RenderedStatement(sql.toString(), List.copyOf(parameters));
        }

        BoundSql bind(Map<String, Object> values) {
            Object[] bound = new Object[parameters.size()];
            for (int i = 0; i < bound.length; i++) {
                bound[i] = values.get(parameters.get(i));
                if (bound[i] == null) {
                    throw new IllegalStateException("no value for parameter " + parameters.get(i) + " of " + sql);
                }
            }
            return new BoundSql(sql, List.of(bound));
        }
    }

    private static SqlArray bytesArray(List<byte[]> values) {
        return new SqlArray("bytea", values.toArray(byte[][]::new));
    }

    private static SqlArray intArray(Collection<Integer> values) {
        return new SqlArray("int4", values.toArray(Integer[]::new));
    }

    private static SqlArray textArray(List<String> values) {
        return new SqlArray("text", values.toArray(String[]::new));
    }
}
