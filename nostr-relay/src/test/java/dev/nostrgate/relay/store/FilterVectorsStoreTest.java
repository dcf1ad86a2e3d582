package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REQ filter vectors over 907 real events: the ids before EOSE, in order, exactly as expected; and for NIP-77,
 * the (created_at, id) items of the same matches, oldest first.
 */
class FilterVectorsStoreTest {
    private static final JsonNode VECTORS = SharedData.json("testdata/relay-cases/filter-vectors.json");
    private static TestDatabase db;
    private static SqlEventStore store;
    @TempDir
    static Path spill;

    @BeforeAll
    static void loadCorpus() throws Exception {
        db = TestDatabase.create();
        // The corpus is real events, some with a NIP-40 expiration long past; the vectors judge matching only, so
        // the store is asked at a time before any of them expires.
        store = new SqlEventStore(db.database(), new StoreConfig(10_000, Duration.ofSeconds(5)),
                java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC));
        Set<String> corpus = new HashSet<>();
        VECTORS.get("corpus_ids").forEach(id -> corpus.add(id.asText()));
        List<Event> events = new ArrayList<>();
        for (String line : SharedData.lines("testdata/" + VECTORS.get("corpus_file").asText())) {
            Event event = EventJson.parse(line);
            if (corpus.contains(event.id().hex())) {
                events.add(event);
            }
        }
        assertThat(events).hasSize(VECTORS.get("corpus_size").asInt());
        assertThat(store.saveAll(events)).allMatch(SaveOutcome::accepted);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Stream<JsonNode> cases() {
        return StreamSupport.stream(VECTORS.get("cases").spliterator(), false);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void answersWithTheExpectedIdsInOrder(JsonNode vector) throws Exception {
        List<Filter> filters = new ArrayList<>();
        for (JsonNode filter : vector.get("filters")) {
            filters.add(FilterJson.parse(filter.toString()));
        }
        List<String> expected = new ArrayList<>();
        vector.get("expected_ids_in_order").forEach(id -> expected.add(id.asText()));
        assertThat(store.query(filters).stream().map(StoredEvent::idHex).toList())
                .as(vector.get("name").asText()).containsExactlyElementsOf(expected);
    }

    static Stream<JsonNode> unlimitedSingleFilterCases() {
        return cases().filter(vector -> vector.get("filters").size() == 1 && !vector.get("filters").get(0).has("limit"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("unlimitedSingleFilterCases")
    void negentropyItemsAreTheSameMatchesInNegentropyOrder(JsonNode vector) throws Exception {
        Filter filter = FilterJson.parse(vector.get("filters").get(0).toString());
        Map<String, Long> expected = new HashMap<>();
        vector.get("expected_ids_in_order").forEach(id -> expected.put(id.asText(), null));
        for (StoredEvent event : store.query(List.of(filter))) {
            expected.put(event.idHex(), event.createdAt());
        }

        // no heap share: the items go through a spill file, as a big set's do
        StorageBudget budget = new StorageBudget(0, Long.MAX_VALUE, spill);
        List<String> ids = new ArrayList<>();
        try (BlockStorage items = store.negentropyItems(filter, expected.size(), budget).orElseThrow()) {
            byte[] id = new byte[32];
            for (int i = 0; i < items.size(); i++) {
                items.copyId(i, id, 0);
                ids.add(Hex.encode(id));
                assertThat(items.timestamp(i)).isEqualTo(expected.get(Hex.encode(id)));
            }
        }
        assertThat(budget.diskInUse()).as("given back").isZero();
        assertThat(ids).as(vector.get("name").asText()).containsExactlyInAnyOrderElementsOf(expected.keySet())
                .isSortedAccordingTo(Comparator.comparing((String hex) -> expected.get(hex))
                        .thenComparing(Comparator.naturalOrder()));
        if (!expected.isEmpty()) {
            assertThat(store.negentropyItems(filter, expected.size() - 1, budget)).as("one more than maxItems")
                    .isEmpty();
            assertThat(budget.diskInUse()).as("given back when refused").isZero();
        }
    }
}
