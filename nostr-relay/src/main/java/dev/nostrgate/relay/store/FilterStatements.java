package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.store.schema.Tables.EVENTS;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.selectOne;

import dev.nostrgate.relay.store.FilterShape.Driver;
import dev.nostrgate.relay.store.schema.tables.EventTags;
import dev.nostrgate.relay.store.schema.tables.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Record4;
import org.jooq.Select;
import org.jooq.SelectLimitPercentStep;
import org.jooq.SelectOrderByStep;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Builds, with jOOQ over the generated schema, the statement of one {@link FilterShape}: named parameters where a
 * filter's values go, never the values themselves (names of lower-case letters, digits and underscores; one name
 * may occur several times, as the limit does in every branch). {@link FilterSql} renders each shape once and binds a request's
 * values by these names, so jOOQ runs once per shape, not once per query.
 *
 * <p>The statements, and why they have this form (ordered index range scans that stop after {@code limit} rows,
 * one branch per value of the driving field), are described on {@link FilterSql}.
 */
final class FilterStatements {
    // Parameter names: FilterSql binds a filter's values under the same ones.
    static final String NOW = "now";
    static final String LIMIT = "limit";
    static final String SINCE = "since";
    static final String UNTIL = "until";
    static final String EVENT_KEYS = "event_keys";
    static final String IDS = "ids";
    static final String AUTHORS = "authors";
    static final String KINDS = "kinds";
    static final String DRIVING_TAG = "driving_tag";
    /** All values of the driving field, in one {@code = ANY} scan. */
    static final String DRIVING = "driving";

    /** The driving field's value of branch {@code i}. */
    static String driving(int i) {
        return "driving_" + i;
    }

    /** The name of the {@code k}-th tag condition beside the driver. */
    static String tagName(int k) {
        return "tag_" + k + "_name";
    }

    /** The values of the {@code k}-th tag condition beside the driver. */
    static String tagValues(int k) {
        return "tag_" + k + "_values";
    }

    /** The prefix of the names of a COUNT's {@code i}-th filter. */
    static String countPrefix(int i) {
        return "f" + i + "_";
    }

    private static final Events E = EVENTS.as("e");
    private static final EventTags T = EVENT_TAGS.as("t");
    private static final EventTags X = EVENT_TAGS.as("x");
    private static final DataType<byte[][]> BYTES = SQLDataType.VARBINARY.array();
    /** Tag values as text[], the column's type (jOOQ's VARCHAR would cast them to varchar[]). */
    private static final DataType<String[]> TEXTS = SQLDataType.CLOB.array();

    private final String prefix;
    private final FilterShape shape;

    private FilterStatements(String prefix, FilterShape shape) {
        this.prefix = prefix;
        this.shape = shape;
    }

    /** The newest {@code limit} events of the shape: rows of (id, created_at, json, event_key), ordered. */
    static Select<?> newest(FilterShape shape) {
        return new FilterStatements("", shape).newest();
    }

    /** How many events match any of the shapes (a COUNT's filters), each once. */
    static Select<?> count(List<FilterShape> shapes) {
        Select<?> union = null;
        for (int i = 0; i < shapes.size(); i++) {
            Select<?> matched = new FilterStatements(countPrefix(i), shapes.get(i)).matchedKeys();
            union = union == null ? matched : union.union((Select) matched);
        }
        return selectCount().from(union.asTable("matched"));
    }

    /**
     * NIP-77: (created_at, id) of the events the shape matches, in negentropy order, at most {@code limit} rows.
     * The same conditions as a COUNT's; ordered by the id bytes, which sort as negentropy sorts them.
     */
    static Select<?> items(FilterShape shape) {
        FilterStatements statements = new FilterStatements("", shape);
        return DSL.select(E.CREATED_AT, E.ID).from(E).where(statements.conditions(shape.ids()))
                .orderBy(E.CREATED_AT.asc(), E.ID.asc()).limit(statements.param(LIMIT, SQLDataType.INTEGER));
    }

    private Select<?> newest() {
        return switch (shape.driver()) {
            case IDS -> ordered(eventsWhere(conditions(true)));
            case TAG -> merged(this::tagBranch, true);
            case AUTHORS -> merged(i -> ordered(eventsWhere(List.of(drivingCondition(E.PUBKEY, BYTES, i),
                    kindsCondition(), timeAndExpiry()))), false);
            case KINDS -> merged(i -> ordered(eventsWhere(List.of(
                    drivingCondition(E.KIND, SQLDataType.INTEGER.array(), i), timeAndExpiry()))), false);
            case TIME -> ordered(eventsWhere(List.of(timeAndExpiry())));
            case ALL -> throw new IllegalArgumentException("a COUNT shape has no order");
        };
    }

    private Select<?> matchedKeys() {
        return DSL.select(E.EVENT_KEY).from(E).where(conditions(shape.ids()));
    }

    private SelectOrderByStep<Record4<byte[], Long, String, UUID>> eventsWhere(List<Condition> conditions) {
        return DSL.select(E.ID, E.CREATED_AT, E.JSON, E.EVENT_KEY).from(E).where(conditions);
    }

    private SelectLimitPercentStep<?> ordered(SelectOrderByStep<?> select) {
        return select.orderBy(E.CREATED_AT.desc(), E.EVENT_KEY.asc()).limit(param(LIMIT, SQLDataType.INTEGER));
    }

    /** One tag branch: ordered by the tag row's own created_at (a copy of the event's), following event_tags_lookup. */
    private Select<?> tagBranch(int i) {
        List<Condition> conditions = new ArrayList<>();
        conditions.add(T.NAME.eq(param(DRIVING_TAG, SQLDataType.VARCHAR)));
        conditions.add(drivingCondition(T.VALUE, TEXTS, i));
        // the time bounds again, on the tag row, so that they narrow the range scan itself
        if (shape.since()) {
            conditions.add(T.CREATED_AT.ge(param(SINCE, SQLDataType.BIGINT)));
        }
        if (shape.until()) {
            conditions.add(T.CREATED_AT.le(param(UNTIL, SQLDataType.BIGINT)));
        }
        conditions.addAll(conditions(false));
        return DSL.select(E.ID, T.CREATED_AT.as("created_at"), E.JSON, T.EVENT_KEY.as("event_key"))
                .from(T).join(E).on(E.EVENT_KEY.eq(T.EVENT_KEY))
                .where(conditions)
                .orderBy(T.CREATED_AT.desc(), T.EVENT_KEY.asc())
                .limit(param(LIMIT, SQLDataType.INTEGER));
    }

    /** The driving field equal to branch {@code i}'s value, or to any of them in the single-scan shape. */
    private <V> Condition drivingCondition(Field<V> field, DataType<V[]> arrayType, int i) {
        if (shape.branches() == 0) {
            return field.eq(any(param(DRIVING, arrayType)));
        }
        return field.eq(param(driving(i), field.getDataType()));
    }

    /** One branch per value, merged in NIP-01 order; or the one branch of a single value or of all of them. */
    private Select<?> merged(IntFunction<Select<?>> branch, boolean mayRepeat) {
        if (shape.branches() == 1 || (shape.branches() == 0 && !mayRepeat)) {
            return branch.apply(0);
        }
        Select<?> rows = branch.apply(0);
        for (int i = 1; i < shape.branches(); i++) {
            // an event with two of the asked tag values appears in two branches: UNION (not ALL) removes it
            rows = mayRepeat ? rows.union((Select) branch.apply(i)) : rows.unionAll((Select) branch.apply(i));
        }
        Table<?> m = rows.asTable("m");
        Field<Long> createdAt = m.field("created_at", Long.class);
        Field<UUID> eventKey = m.field("event_key", UUID.class);
        // the single scan of several tag values finds an event with two of them twice
        var select = shape.branches() == 0
                ? DSL.selectDistinct(m.field("id"), createdAt, m.field("json"), eventKey)
                : DSL.select(m.field("id"), createdAt, m.field("json"), eventKey);
        return select.from(m).orderBy(createdAt.desc(), eventKey.asc()).limit(param(LIMIT, SQLDataType.INTEGER));
    }

    /** The conditions on the event row beside the driver: ids (if asked), authors, kinds, tags, time and expiry. */
    private List<Condition> conditions(boolean withIds) {
        List<Condition> conditions = new ArrayList<>();
        if (withIds) {
            conditions.add(E.EVENT_KEY.eq(any(param(EVENT_KEYS, SQLDataType.UUID.array()))));
            conditions.add(E.ID.eq(any(param(IDS, BYTES))));
        }
        if (shape.authors()) {
            conditions.add(E.PUBKEY.eq(any(param(AUTHORS, BYTES))));
        }
        if (shape.kinds()) {
            conditions.add(kindsCondition());
        }
        for (int k = 0; k < shape.tags(); k++) {
            // an EXISTS probe of event_tags_lookup on its whole key
            conditions.add(exists(selectOne().from(X).where(
                    X.NAME.eq(param(tagName(k), SQLDataType.VARCHAR)),
                    X.VALUE.eq(any(param(tagValues(k), TEXTS))),
                    X.CREATED_AT.eq(E.CREATED_AT),
                    X.EVENT_KEY.eq(E.EVENT_KEY))));
        }
        conditions.add(timeAndExpiry());
        return conditions;
    }

    private Condition kindsCondition() {
        return shape.kinds() ? E.KIND.eq(any(param(KINDS, SQLDataType.INTEGER.array()))) : DSL.noCondition();
    }

    private Condition timeAndExpiry() {
        Condition condition = E.EXPIRES_AT.isNull().or(E.EXPIRES_AT.gt(param(NOW, SQLDataType.BIGINT)));
        if (shape.since()) {
            condition = condition.and(E.CREATED_AT.ge(param(SINCE, SQLDataType.BIGINT)));
        }
        if (shape.until()) {
            condition = condition.and(E.CREATED_AT.le(param(UNTIL, SQLDataType.BIGINT)));
        }
        return condition;
    }

    private <V> Param<V> param(String name, DataType<V> type) {
        return DSL.param(prefix + name, type);
    }
}
