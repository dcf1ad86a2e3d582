package dev.nostrgate.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FilterJsonPropertiesTest {

    @Property(tries = 1_000)
    void readingWhatWasWrittenGivesTheSameFilter(@ForAll("filters") Filter filter) throws InvalidFilterException {
        String json = FilterJson.write(filter);

        Filter read = FilterJson.parse(json);

        assertThat(read).isEqualTo(filter);
        assertThat(FilterJson.write(read)).isEqualTo(json); // order is kept too
    }

    @Provide
    Arbitrary<Filter> filters() {
        Arbitrary<Set<String>> hexes = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
                .set().ofMaxSize(4);
        Arbitrary<Set<Integer>> kinds = Arbitraries.integers().between(0, 65_535).set().ofMaxSize(4);
        Arbitrary<Set<String>> values = Arbitraries.strings().all().ofMaxLength(12).set().ofMaxSize(3);
        Arbitrary<Character> letters = Arbitraries.chars().range('a', 'z').range('A', 'Z');
        Arbitrary<Map<Character, Set<String>>> tags = Arbitraries.maps(letters, values).ofMaxSize(3);
        Arbitrary<Long> timestamps = Arbitraries.oneOf(Arbitraries.longs().between(0, 4_000_000_000L),
                Arbitraries.of(0L, Long.MAX_VALUE));
        Arbitrary<Integer> limits = Arbitraries.oneOf(Arbitraries.integers().between(0, 5_000),
                Arbitraries.of(Integer.MAX_VALUE));

        return Combinators.combine(
                hexes.optional(0.5), hexes.optional(0.5), kinds.optional(0.5), tags,
                timestamps.optional(0.5), timestamps.optional(0.5), limits.optional(0.5),
                Arbitraries.strings().all().ofMaxLength(20).optional(0.3)
        ).as((ids, authors, kindSet, tagMap, since, until, limit, search) -> {
            Filter.Builder builder = Filter.builder();
            ids.ifPresent(builder::ids);
            authors.ifPresent(builder::authors);
            kindSet.ifPresent(builder::kinds);
            tagMap.forEach(builder::tag);
            since.ifPresent(builder::since);
            until.ifPresent(builder::until);
            limit.ifPresent(builder::limit);
            search.ifPresent(builder::search);
            return builder.build();
        });
    }
}
