package dev.nostrgate.relay.store;

import dev.nostrgate.core.filter.Filter;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the store's statements before the first client needs them. Loading jOOQ and the generated schema classes,
 * building the writer's statements and rendering the first filter shapes costs about a second of CPU in a fresh
 * JVM (measured: 0.6 s for the schema classes alone); without this, the first event or REQ a relay receives would
 * wait for it. Started before the database opens, it runs while PostgreSQL starts and Flyway checks the schema.
 */
public final class StatementWarmUp {
    /** The classes whose static initializers build statements or load the schema classes. */
    private static final List<Class<?>> STATEMENT_HOLDERS = List.of(SchemaNames.class, EventColumns.class,
            EventInsert.class, Deletions.class, ReplaceableHeads.class, TagRows.class, StoredOrDeleted.class,
            RemovedEvents.class, SqlEventStore.class, RecentEvents.class, FilterStatements.class, FilterSql.class);

    /** Filters of the commonest shapes (a kind, authors, a tag, ids, everything), rendered and cached ahead. */
    private static final String HEX = "0".repeat(64);
    private static final List<Filter> COMMON_SHAPES = List.of(Filter.ALL, Filter.builder().kinds(1).build(),
            Filter.builder().authors(HEX).build(), Filter.builder().authors(HEX).kinds(1).build(),
            Filter.builder().tag('e', HEX).build(), Filter.builder().tag('p', HEX).build(),
            Filter.builder().ids(HEX).build());

    private StatementWarmUp() {
    }

    /** Starts building on a thread of its own; the future completes when every statement is built. */
    public static CompletableFuture<Void> start() {
        CompletableFuture<Void> built = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("store-warm-up").start(() -> {
            try {
                build();
                built.complete(null);
            } catch (Throwable e) {
                built.completeExceptionally(e);
            }
        });
        return built;
    }

    private static void build() throws IllegalAccessException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> holder : STATEMENT_HOLDERS) {
            lookup.ensureInitialized(holder);
        }
        for (Filter filter : COMMON_SHAPES) {
            FilterSql.newest(filter, 1, 0);
        }
        FilterSql.count(List.of(Filter.ALL), 0);
    }
}
