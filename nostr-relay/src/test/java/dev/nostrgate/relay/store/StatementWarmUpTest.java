package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up renders the common filter shapes, so the first client's REQ finds its statement cached. */
class StatementWarmUpTest {
    private static final String KEY = "ab".repeat(32);

    @Test
    void rendersTheCommonFilterShapesBeforeAnyClientAsks() {
        FilterSql.forgetRendered();
        // other values than the warm-up's own: the statement is the shape's, whatever the values
        List<Filter> firstRequests = List.of(Filter.builder().kinds(7).build(), Filter.builder().authors(KEY).build(),
                Filter.builder().authors(KEY).kinds(0).build(), Filter.builder().tag('e', KEY).build(),
                Filter.builder().tag('p', KEY).build(), Filter.builder().ids(KEY).build(), Filter.ALL);
        assertThat(firstRequests).noneMatch(filter -> FilterSql.isRendered(filter, 0));

        StatementWarmUp.start().join();

        assertThat(firstRequests).allMatch(filter -> FilterSql.isRendered(filter, 0));
    }
}
