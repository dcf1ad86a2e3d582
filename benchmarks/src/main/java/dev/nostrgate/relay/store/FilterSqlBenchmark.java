package dev.nostrgate.relay.store;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.FilterShape.Driver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's cost of turning a filter into its SQL statement and values (FilterSql), before the database sees it:
 * per filter, on one thread, cycling through the query mix of {@code ./nostr load query} and the store benchmark
 * (kinds, one author, authors + kind + since, #p, #e + #p, ids). It lives in the store's package because FilterSql is
 * the store's own business, not a public API.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Thread)
public class FilterSqlBenchmark {
    private static final String A = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    private static final String B = "82341f882b6eabcd2ba7f1ef90aad961cf074af15b9ef44a09f9d2a8fbfbe6a2";
    private static final String C = "32e1827635450ebb3c5a7d12c1f8e7b2b514439ac10a67eef3d9fd9c5c68e245";

    private final List<Filter> filters = List.of(
            Filter.builder().kinds(1).build(),
            Filter.builder().authors(A).build(),
            Filter.builder().authors(A, B, C).kinds(1).since(1_700_000_000L).build(),
            Filter.builder().tag('p', A).build(),
            Filter.builder().tag('e', C).tag('p', A, B).build(),
            Filter.builder().ids(A, B, C).build());
    /** The shapes of those filters, in the same order. */
    private final List<FilterShape> shapes = List.of(
            new FilterShape(Driver.KINDS, 1, false, false, false, 0, false, false),
            new FilterShape(Driver.AUTHORS, 1, false, false, false, 0, false, false),
            new FilterShape(Driver.AUTHORS, 3, false, false, true, 0, true, false),
            new FilterShape(Driver.TAG, 1, false, false, false, 0, false, false),
            new FilterShape(Driver.TAG, 1, false, false, false, 1, false, false),
            new FilterShape(Driver.IDS, 0, true, false, false, 0, false, false));
    private int next;

    /** One filter's statement and values, the next filter of the mix each time. */
    @Benchmark
    public Object newest() {
        Filter filter = filters.get(next);
        next = next + 1 == filters.size() ? 0 : next + 1;
        return FilterSql.newest(filter, 100, 1_800_000_000L);
    }

    /**
     * What {@link #newest} would cost without the cache of rendered shapes: the statement built with jOOQ and
     * rendered, for every filter (values not bound).
     */
    @Benchmark
    public Object renderEveryTime() {
        FilterShape shape = shapes.get(next);
        next = next + 1 == shapes.size() ? 0 : next + 1;
        return SchemaNames.sqlWithNamedParameters(FilterStatements.newest(shape));
    }
}
