package dev.nostrgate.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REQ cases of {@code relay-cases/filter-vectors.json}, answered by the reference evaluator. */
class FilterQueryTest {
    private static final String VECTORS = "testdata/relay-cases/filter-vectors.json";

    private static List<Event> corpus;

    @BeforeAll
    static void loadCorpus() throws InvalidEventException {
        JsonNode vectors = SharedData.json(VECTORS);
        Set<Integer> kinds = Set.copyOf(ints(vectors.get("corpus_kinds")));
        corpus = new ArrayList<>();
        for (String line : SharedData.lines("testdata/" + vectors.get("corpus_file").asText())) {
            Event event = EventJson.parse(line);
            if (kinds.contains(event.kind())) {
                corpus.add(event);
            }
        }
    }

    static Stream<Arguments> cases() {
        return StreamSupport.stream(SharedData.json(VECTORS).get("cases").spliterator(), false)
                .map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
    }

    @Test
    void corpusIsTheOneTheVectorsWereMadeFrom() {
        JsonNode vectors = SharedData.json(VECTORS);
        assertThat(corpus).hasSize(vectors.get("corpus_size").asInt());
        assertThat(corpus.stream().map(e -> e.id().hex()))
                .containsExactlyInAnyOrderElementsOf(strings(vectors.get("corpus_ids")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void returnsTheExpectedEventsInNip01Order(JsonNode vector) throws InvalidFilterException {
        List<Filter> filters = new ArrayList<>();
        for (JsonNode filter : vector.get("filters")) {
            filters.add(FilterJson.parse(filter.toString()));
        }

        List<String> ids = FilterQuery.apply(filters, corpus).stream().map(e -> e.id().hex()).toList();

        assertThat(ids).containsExactlyElementsOf(strings(vector.get("expected_ids_in_order")));
        assertThat(ids).hasSize(vector.get("count").asInt());
    }

    @Test
    void aDuplicateInTheInputIsReturnedOnceAndCountedOnceForTheLimit() {
        Event newest = corpus.stream().max(FilterQuery.NEWEST_FIRST.reversed()).orElseThrow();
        List<Event> withDuplicate = new ArrayList<>(corpus);
        withDuplicate.add(newest);

        List<Event> result = FilterQuery.apply(List.of(Filter.builder().limit(2).build()), withDuplicate);

        assertThat(result).hasSize(2).doesNotHaveDuplicates().startsWith(newest);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Integer> ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asInt).toList();
    }
}
