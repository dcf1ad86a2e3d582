package dev.nostrgate.relay.store;

import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.table;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.filter.Filter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.QuantifiedSelect;
import org.jooq.Record1;
import org.jooq.Record4;
import org.jooq.Select;
import org.jooq.SelectConditionStep;
import org.jooq.SelectLimitPercentStep;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

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
 */
final class FilterSql {
    static final int MAX_BRANCHES = 32;

    static final Table<?> EVENTS = table(name("events")).as("e");
    static final Table<?> TAGS = table(name("event_tags")).as("t");
    static final Field<UUID> E_KEY = field(name("e", "event_key"), SQLDataType.UUID);
    static final Field<byte[]> E_ID = field(name("e", "id"), SQLDataType.BLOB);
    static final Field<byte[]> E_PUBKEY = field(name("e", "pubkey"), SQLDataType.BLOB);
    static final Field<Long> E_CREATED = field(name("e", "created_at"), SQLDataType.BIGINT);
    static final Field<Integer> E_KIND = field(name("e", "kind"), SQLDataType.INTEGER);
    static final Field<Long> E_EXPIRES = field(name("e", "expires_at"), SQLDataType.BIGINT);
    // read as bytes: pgjdbc hands over a text column's UTF-8 as it came, and the JSON goes to sockets as bytes
    static final Field<byte[]> E_JSON = field(name("e", "json"), SQLDataType.BLOB);
    private static final Field<UUID> T_KEY = field(name("t", "event_key"), SQLDataType.UUID);
    private static final Field<String> T_NAME = field(name("t", "name"), SQLDataType.VARCHAR);
    private static final Field<String> T_VALUE = field(name("t", "value"), SQLDataType.VARCHAR);

    private final DSLContext sql;

    FilterSql(DSLContext sql) {
        this.sql = sql;
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

    /** The newest {@code limit} matching events: (id, created_at, json, event_key), ordered. */
    Select<Record4<byte[], Long, byte[], UUID>> newest(Filter filter, int limit, long now) {
        Condition common = timeAndExpiry(filter, now);
        if (filter.ids().isPresent()) {
            List<byte[]> ids = filter.ids().get().stream().map(Hex::decode).toList();
            Condition condition = E_KEY.eq(anyUuid(ids.stream().map(EventKeys::of).toList()))
                    .and(E_ID.eq(anyBytes(ids)))
                    .and(authorsCondition(filter)).and(kindsCondition(filter)).and(tagConditions(filter, null))
                    .and(common);
            return ordered(fromEvents().where(condition), limit);
        }
        if (!filter.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> driving = filter.tags().entrySet().stream()
                    .min(Comparator.comparingInt(entry -> entry.getValue().size())).orElseThrow();
            Condition rest = authorsCondition(filter).and(kindsCondition(filter))
                    .and(tagConditions(filter, driving.getKey())).and(common);
            String tagName = String.valueOf(driving.getKey());
            List<String> values = driving.getValue().stream().map(TagRows::indexForm).toList();
            Condition tagTime = tagTime(filter);
            return mergeBranches(values, value -> ordered(fromTag().where(T_NAME.eq(tagName))
                    .and(value.size() == 1 ? T_VALUE.eq(value.get(0)) : T_VALUE.eq(anyText(value)))
                    .and(tagTime).and(rest), limit), limit, true);
        }
        if (filter.authors().isPresent()) {
            Condition rest = kindsCondition(filter).and(common);
            List<byte[]> authors = filter.authors().get().stream().map(Hex::decode).toList();
            return mergeBranches(authors, author -> ordered(fromEvents()
                    .where(author.size() == 1 ? E_PUBKEY.eq(author.get(0)) : E_PUBKEY.eq(anyBytes(author)))
                    .and(rest), limit), limit, false);
        }
        if (filter.kinds().isPresent()) {
            List<Integer> kinds = List.copyOf(filter.kinds().get());
            return mergeBranches(kinds, kind -> ordered(fromEvents()
                    .where(kind.size() == 1 ? E_KIND.eq(kind.get(0)) : E_KIND.eq(anyInt(kind)))
                    .and(common), limit), limit, false);
        }
        return ordered(fromEvents().where(common), limit);
    }

    /** The keys of every matching event (for NIP-45 COUNT; limit is ignored). */
    Select<Record1<UUID>> keys(Filter filter, long now) {
        Condition condition = timeAndExpiry(filter, now)
                .and(authorsCondition(filter)).and(kindsCondition(filter)).and(tagConditions(filter, null));
        if (filter.ids().isPresent()) {
            List<byte[]> ids = filter.ids().get().stream().map(Hex::decode).toList();
            condition = condition.and(E_KEY.eq(anyUuid(ids.stream().map(EventKeys::of).toList())))
                    .and(E_ID.eq(anyBytes(ids)));
        }
        return sql.select(E_KEY).from(EVENTS).where(condition);
    }

    private interface Branch<T> {
        Select<Record4<byte[], Long, byte[], UUID>> of(List<T> values);
    }

    private <T> Select<Record4<byte[], Long, byte[], UUID>> mergeBranches(
            List<T> values, Branch<T> branch, int limit, boolean mayRepeat) {
        if (values.size() == 1 || values.size() > MAX_BRANCHES) {
            Select<Record4<byte[], Long, byte[], UUID>> single = branch.of(values);
            return values.size() > 1 && mayRepeat ? distinct(single, limit) : single;
        }
        List<Select<Record4<byte[], Long, byte[], UUID>>> branches = new ArrayList<>();
        for (T value : values) {
            branches.add(branch.of(List.of(value)));
        }
        Select<Record4<byte[], Long, byte[], UUID>> union = branches.get(0);
        for (int i = 1; i < branches.size(); i++) {
            // an event with two of the asked tag values appears in two branches: UNION (not ALL) removes it
            union = mayRepeat ? union.union(branches.get(i)) : union.unionAll(branches.get(i));
        }
        Table<?> merged = union.asTable("m");
        return sql.select(field(name("m", "id"), SQLDataType.BLOB), field(name("m", "created_at"), SQLDataType.BIGINT),
                        field(name("m", "json"), SQLDataType.BLOB), field(name("m", "event_key"), SQLDataType.UUID))
                .from(merged)
                .orderBy(field(name("m", "created_at")).desc(), field(name("m", "event_key")).asc())
                .limit(limit);
    }

    private Select<Record4<byte[], Long, byte[], UUID>> distinct(Select<Record4<byte[], Long, byte[], UUID>> query,
                                                                 int limit) {
        Table<?> rows = query.asTable("d");
        return sql.selectDistinct(field(name("d", "id"), SQLDataType.BLOB),
                        field(name("d", "created_at"), SQLDataType.BIGINT), field(name("d", "json"), SQLDataType.BLOB),
                        field(name("d", "event_key"), SQLDataType.UUID))
                .from(rows)
                .orderBy(field(name("d", "created_at")).desc(), field(name("d", "event_key")).asc())
                .limit(limit);
    }

    private org.jooq.SelectJoinStep<Record4<byte[], Long, byte[], UUID>> fromEvents() {
        return sql.select(E_ID, E_CREATED, E_JSON, E_KEY).from(EVENTS);
    }

    private org.jooq.SelectJoinStep<Record4<byte[], Long, byte[], UUID>> fromTag() {
        // Ordered by the tag row's own created_at (a copy of the event's), so the scan follows event_tags_lookup.
        return sql.select(E_ID, field(name("t", "created_at"), SQLDataType.BIGINT).as("created_at"), E_JSON,
                        T_KEY.as("event_key"))
                .from(TAGS.join(EVENTS).on(E_KEY.eq(T_KEY)));
    }

    private static SelectLimitPercentStep<Record4<byte[], Long, byte[], UUID>> ordered(
            SelectConditionStep<Record4<byte[], Long, byte[], UUID>> query, int limit) {
        return query.orderBy(field(name("created_at")).desc(), field(name("event_key")).asc()).limit(limit);
    }

    private static Condition timeAndExpiry(Filter filter, long now) {
        Condition condition = E_EXPIRES.isNull().or(E_EXPIRES.gt(now));
        if (filter.since().isPresent()) {
            condition = condition.and(E_CREATED.ge(filter.since().getAsLong()));
        }
        if (filter.until().isPresent()) {
            condition = condition.and(E_CREATED.le(filter.until().getAsLong()));
        }
        return condition;
    }

    /** The time bounds again, on the tag row, so they narrow the event_tags_lookup range scan itself. */
    private static Condition tagTime(Filter filter) {
        Field<Long> created = field(name("t", "created_at"), SQLDataType.BIGINT);
        Condition condition = noCondition();
        if (filter.since().isPresent()) {
            condition = condition.and(created.ge(filter.since().getAsLong()));
        }
        if (filter.until().isPresent()) {
            condition = condition.and(created.le(filter.until().getAsLong()));
        }
        return condition;
    }

    private static Condition authorsCondition(Filter filter) {
        return filter.authors().map(authors -> E_PUBKEY.eq(anyBytes(authors.stream().map(Hex::decode).toList())))
                .orElse(noCondition());
    }

    private static Condition kindsCondition(Filter filter) {
        return filter.kinds().map(kinds -> E_KIND.eq(anyInt(List.copyOf(kinds)))).orElse(noCondition());
    }

    /** Every tag condition except the driving one, as EXISTS probes of event_tags_lookup on its whole key. */
    private static Condition tagConditions(Filter filter, Character except) {
        Condition condition = noCondition();
        for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
            if (tag.getKey().equals(except)) {
                continue;
            }
            Table<?> other = table(name("event_tags")).as("x");
            condition = condition.and(exists(selectOne().from(other)
                    .where(field(name("x", "name"), SQLDataType.VARCHAR).eq(String.valueOf(tag.getKey())))
                    .and(field(name("x", "value"), SQLDataType.VARCHAR)
                            .eq(anyText(tag.getValue().stream().map(TagRows::indexForm).toList())))
                    .and(field(name("x", "created_at"), SQLDataType.BIGINT).eq(E_CREATED))
                    .and(field(name("x", "event_key"), SQLDataType.UUID).eq(E_KEY))));
        }
        return condition;
    }

    private static QuantifiedSelect<Record1<byte[]>> anyBytes(List<byte[]> values) {
        return org.jooq.impl.DSL.any(values.toArray(byte[][]::new));
    }

    private static QuantifiedSelect<Record1<UUID>> anyUuid(List<UUID> values) {
        return org.jooq.impl.DSL.any(values.toArray(UUID[]::new));
    }

    private static QuantifiedSelect<Record1<Integer>> anyInt(List<Integer> values) {
        return org.jooq.impl.DSL.any(values.toArray(Integer[]::new));
    }

    private static QuantifiedSelect<Record1<String>> anyText(List<String> values) {
        return org.jooq.impl.DSL.any(values.toArray(String[]::new));
    }
}
