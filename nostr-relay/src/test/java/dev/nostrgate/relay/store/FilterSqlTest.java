package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How a filter becomes a statement: jOOQ renders a shape once, every filter of that shape binds its own values into
 * the same text. (What the statements answer is specified by DifferentialQueryTest, against the reference matcher.)
 */
class FilterSqlTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void filtersOfOneShapeShareTheRenderedTextAndBindTheirOwnValues() {
        BoundSql first = FilterSql.newest(Filter.builder().authors(A, B).kinds(1).build(), 10, 1_000);
        BoundSql second = FilterSql.newest(Filter.builder().authors(B, A).kinds(7).build(), 20, 2_000);

        assertThat(second.sql()).isSameAs(first.sql());
        assertThat(first.values()).contains(10, 1_000L).doesNotContain(20, 2_000L);
        assertThat(second.values()).contains(20, 2_000L).doesNotContain(10, 1_000L);
    }

    @Test
    void aDifferentShapeIsADifferentStatement() {
        BoundSql twoAuthors = FilterSql.newest(Filter.builder().authors(A, B).build(), 10, 1_000);
        BoundSql oneAuthor = FilterSql.newest(Filter.builder().authors(A).build(), 10, 1_000);
        BoundSql withSince = FilterSql.newest(Filter.builder().authors(A).since(5).build(), 10, 1_000);

        assertThat(List.of(twoAuthors.sql(), oneAuthor.sql(), withSince.sql())).doesNotHaveDuplicates();
    }

    @Test
    void everyPlaceholderHasItsValueInOrder() {
        List<Filter> filters = List.of(
                Filter.ALL,
                Filter.builder().kinds(1, 6, 7).since(3).until(9).build(),
                Filter.builder().ids(A, B).authors(A).kinds(1).tag('e', A).build(),
                Filter.builder().tag('e', A, B).tag('p', A).tag('t', "nostr").authors(B).kinds(1).since(1).build(),
                Filter.builder().kinds(IntStream.range(0, FilterSql.MAX_BRANCHES + 1).toArray()).build());
        for (Filter filter : filters) {
            BoundSql statement = FilterSql.newest(filter, 50, 1_000);
            assertThat(statement.sql().chars().filter(c -> c == '?').count())
                    .as(statement.sql()).isEqualTo(statement.values().size());
            // the limit is the last value bound: the outer FETCH NEXT ? ROWS ONLY comes last in every statement
            assertThat(statement.values().get(statement.values().size() - 1)).isEqualTo(50);
        }
        BoundSql count = FilterSql.count(filters, 1_000);
        assertThat(count.sql().chars().filter(c -> c == '?').count()).isEqualTo(count.values().size());
    }

    @Test
    void pastMaxBranchesTheDrivingValuesAreOneArrayParameter() {
        BoundSql many = FilterSql.newest(
                Filter.builder().kinds(IntStream.range(0, FilterSql.MAX_BRANCHES + 1).toArray()).build(), 10, 1_000);
        BoundSql few = FilterSql.newest(Filter.builder().kinds(1, 2).build(), 10, 1_000);

        assertThat(many.sql()).doesNotContainIgnoringCase("union");
        assertThat(many.values()).hasSize(3);
        assertThat(few.sql()).containsIgnoringCase("union all");
    }
}
