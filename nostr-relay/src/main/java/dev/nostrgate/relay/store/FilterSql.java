package dev.nostrgate.relay.store;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.SqlText.SqlArray;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 * <p>The SQL is written here as text, not rendered by a query builder: this is the hottest path of a relay under
 * query load, and building and rendering a jOOQ query for every filter took 45% of the relay's CPU there. Every
 * statement stays within what PostgreSQL and CockroachDB both accept (DESIGN.md, Storage), and every value is a
 * bound parameter.
 */
final class FilterSql {
    static final int MAX_BRANCHES = 32;

    /** The columns every result row has, in this order: id, created_at, json, event_key. */
    private static final String EVENT_COLUMNS = "e.id, e.created_at, e.json, e.event_key";
    private static final String ORDER_BY = " ORDER BY created_at DESC, event_key ASC LIMIT ";

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
    static SqlText newest(Filter filter, int limit, long now) {
        if (filter.ids().isPresent()) {
            SqlText sql = new SqlText().append("SELECT " + EVENT_COLUMNS + " FROM events e WHERE ");
            idsCondition(sql, filter);
            authorsCondition(sql, filter);
            kindsCondition(sql, filter);
            tagConditions(sql, filter, null);
            timeAndExpiry(sql, filter, now);
            return sql.append(ORDER_BY).bind(limit);
        }
        if (!filter.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> driving = filter.tags().entrySet().stream()
                    .min(Comparator.comparingInt(entry -> entry.getValue().size())).orElseThrow();
            String name = String.valueOf(driving.getKey());
            List<String> values = driving.getValue().stream().map(TagRows::indexForm).toList();
            return merged(values, value -> {
                // ordered by the tag row's own created_at (a copy of the event's), so the scan follows
                // event_tags_lookup
                SqlText sql = new SqlText().append("SELECT e.id, t.created_at AS created_at, e.json, "
                        + "t.event_key AS event_key FROM event_tags t JOIN events e ON e.event_key = t.event_key "
                        + "WHERE t.name = ").bind(name);
                if (value.size() == 1) {
                    sql.append(" AND t.value = ").bind(value.get(0));
                } else {
                    sql.append(" AND t.value = ANY(").bind(textArray(value)).append(")");
                }
                // the time bounds again, on the tag row, so they narrow the range scan itself
                filter.since().ifPresent(since -> sql.append(" AND t.created_at >= ").bind(since));
                filter.until().ifPresent(until -> sql.append(" AND t.created_at <= ").bind(until));
                sql.append(" AND ");
                authorsCondition(sql, filter);
                kindsCondition(sql, filter);
                tagConditions(sql, filter, driving.getKey());
                timeAndExpiry(sql, filter, now);
                return sql.append(ORDER_BY).bind(limit);
            }, limit, true);
        }
        if (filter.authors().isPresent()) {
            List<byte[]> authors = filter.authors().get().stream().map(Hex::decode).toList();
            return merged(authors, author -> {
                SqlText sql = new SqlText().append("SELECT " + EVENT_COLUMNS + " FROM events e WHERE ");
                if (author.size() == 1) {
                    sql.append("e.pubkey = ").bind(author.get(0));
                } else {
                    sql.append("e.pubkey = ANY(").bind(bytesArray(author)).append(")");
                }
                sql.append(" AND ");
                kindsCondition(sql, filter);
                timeAndExpiry(sql, filter, now);
                return sql.append(ORDER_BY).bind(limit);
            }, limit, false);
        }
        if (filter.kinds().isPresent()) {
            List<Integer> kinds = List.copyOf(filter.kinds().get());
            return merged(kinds, kind -> {
                SqlText sql = new SqlText().append("SELECT " + EVENT_COLUMNS + " FROM events e WHERE ");
                if (kind.size() == 1) {
                    sql.append("e.kind = ").bind(kind.get(0));
                } else {
                    sql.append("e.kind = ANY(").bind(new SqlArray("int4", kind.toArray(Integer[]::new)))
                            .append(")");
                }
                sql.append(" AND ");
                timeAndExpiry(sql, filter, now);
                return sql.append(ORDER_BY).bind(limit);
            }, limit, false);
        }
        SqlText sql = new SqlText().append("SELECT " + EVENT_COLUMNS + " FROM events e WHERE ");
        timeAndExpiry(sql, filter, now);
        return sql.append(ORDER_BY).bind(limit);
    }

    /** How many events match any of the filters, each once (NIP-45 COUNT; limits are ignored). */
    static SqlText count(List<Filter> filters, long now) {
        SqlText sql = new SqlText().append("SELECT count(*) FROM (");
        for (int i = 0; i < filters.size(); i++) {
            if (i > 0) {
                sql.append(" UNION ");
            }
            Filter filter = filters.get(i);
            sql.append("SELECT e.event_key FROM events e WHERE ");
            if (filter.ids().isPresent()) {
                idsCondition(sql, filter);
            }
            authorsCondition(sql, filter);
            kindsCondition(sql, filter);
            tagConditions(sql, filter, null);
            timeAndExpiry(sql, filter, now);
        }
        return sql.append(") AS matched");
    }

    private interface Branch<T> {
        SqlText of(List<T> values);
    }

    /** One branch per value, merged in NIP-01 order; or one branch for all values past {@link #MAX_BRANCHES}. */
    private static <T> SqlText merged(List<T> values, Branch<T> branch, int limit, boolean mayRepeat) {
        if (values.size() == 1 || values.size() > MAX_BRANCHES) {
            SqlText single = branch.of(values);
            if (values.size() == 1 || !mayRepeat) {
                return single;
            }
            // an event with two of the asked tag values is found twice
            return new SqlText().append("SELECT DISTINCT d.id, d.created_at, d.json, d.event_key FROM (")
                    .append(single).append(") AS d ORDER BY d.created_at DESC, d.event_key ASC LIMIT ").bind(limit);
        }
        SqlText sql = new SqlText().append("SELECT m.id, m.created_at, m.json, m.event_key FROM (");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                // an event with two of the asked tag values appears in two branches: UNION (not ALL) removes it
                sql.append(mayRepeat ? " UNION " : " UNION ALL ");
            }
            sql.append("(").append(branch.of(List.of(values.get(i)))).append(")");
        }
        return sql.append(") AS m ORDER BY m.created_at DESC, m.event_key ASC LIMIT ").bind(limit);
    }

    /** Each condition below ends with " AND ", so that {@link #timeAndExpiry}, always last, closes the WHERE. */
    private static void idsCondition(SqlText sql, Filter filter) {
        List<byte[]> ids = filter.ids().orElseThrow().stream().map(Hex::decode).toList();
        sql.append("e.event_key = ANY(").bind(new SqlArray("uuid", ids.stream().map(EventKeys::of)
                        .toArray(UUID[]::new)))
                .append(") AND e.id = ANY(").bind(bytesArray(ids)).append(") AND ");
    }

    private static void authorsCondition(SqlText sql, Filter filter) {
        filter.authors().ifPresent(authors -> sql.append("e.pubkey = ANY(")
                .bind(bytesArray(authors.stream().map(Hex::decode).toList())).append(") AND "));
    }

    private static void kindsCondition(SqlText sql, Filter filter) {
        filter.kinds().ifPresent(kinds -> sql.append("e.kind = ANY(")
                .bind(new SqlArray("int4", kinds.toArray(Integer[]::new))).append(") AND "));
    }

    /** Every tag condition except the driving one, as EXISTS probes of event_tags_lookup on its whole key. */
    private static void tagConditions(SqlText sql, Filter filter, Character except) {
        for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
            if (tag.getKey().equals(except)) {
                continue;
            }
            sql.append("EXISTS (SELECT 1 FROM event_tags x WHERE x.name = ").bind(String.valueOf(tag.getKey()))
                    .append(" AND x.value = ANY(")
                    .bind(textArray(tag.getValue().stream().map(TagRows::indexForm).toList()))
                    .append(") AND x.created_at = e.created_at AND x.event_key = e.event_key) AND ");
        }
    }

    private static void timeAndExpiry(SqlText sql, Filter filter, long now) {
        sql.append("(e.expires_at IS NULL OR e.expires_at > ").bind(now).append(")");
        filter.since().ifPresent(since -> sql.append(" AND e.created_at >= ").bind(since));
        filter.until().ifPresent(until -> sql.append(" AND e.created_at <= ").bind(until));
    }

    private static SqlArray bytesArray(List<byte[]> values) {
        return new SqlArray("bytea", values.toArray(byte[][]::new));
    }

    private static SqlArray textArray(List<String> values) {
        return new SqlArray("text", values.toArray(String[]::new));
    }
}
