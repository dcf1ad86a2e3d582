package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterQuery;
import dev.nostrgate.core.key.SecKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store against the dumb evaluator: random events and random filters, and the store's answer must equal
 * nostr-core's {@link FilterQuery#apply} (Filter.matches plus NIP-01 order and limits) over the same events.
 *
 * <p>Four stores answer each filter set: one that always asks the database, and three with {@link RecentEvents}
 * in memory: the writer's own (kept up to date commit by commit, its capacity passed, so its floor rose while it
 * was written), one loaded afterwards holding every event, and one loaded holding only the newest few seconds
 * (few distinct timestamps: the floor falls among ties).
 */
class DifferentialQueryTest {
    private static final int EVENTS = 600;
    private static final int FILTER_SETS = 400;

    private static TestDatabase db;
    private static SqlEventStore store;
    private static final List<RecentEvents> indexes = new ArrayList<>();
    private static final List<SqlEventStore> cachedStores = new ArrayList<>();
    private static final List<Event> events = new ArrayList<>();
    private static final List<SecKey> keys = new ArrayList<>();
    private static final Random random = new Random(20261122);

    @BeforeAll
    static void fill() {
        db = TestDatabase.create();
        StoreConfig config = new StoreConfig(100_000, java.time.Duration.ofSeconds(5));
        store = new SqlEventStore(db.database(), config);
        SqlEventStore writer = cached(config, 150_000);
        for (int i = 0; i < 6; i++) {
            keys.add(SecKey.generate());
        }
        int[] kinds = {1, 1, 1, 7, 6, 1111, 4, 30_023};
        for (int i = 0; i < EVENTS; i++) {
            SecKey key = keys.get(random.nextInt(keys.size()));
            List<Tag> tags = new ArrayList<>();
            for (int t = random.nextInt(4); t > 0; t--) {
                char letter = "eptT".charAt(random.nextInt(4));
                tags.add(Tag.of(String.valueOf(letter), "v" + random.nextInt(8)));
            }
            int kind = kinds[random.nextInt(kinds.length)];
            if (kind == 30_023) {
                tags.add(Tag.of("d", "article-" + i)); // distinct addresses: replacement is tested elsewhere
            }
            // few distinct timestamps, so ties (broken by id) are common
            events.add(new UnsignedEvent(key.pubKey(), 1_000 + random.nextInt(40), kind, tags, "n" + i).sign(key));
        }
        for (int from = 0; from < events.size(); from += 97) {
            writer.saveAll(events.subList(from, Math.min(events.size(), from + 97)));
        }
        cached(config, 100_000_000);
        cached(config, 60_000);
        assertThat(indexes.get(0).floor()).as("the writer's index passed its capacity").isGreaterThan(1_000);
        assertThat(indexes.get(1).size()).isEqualTo(EVENTS);
        assertThat(indexes.get(2).floor()).as("the small index holds the newest few seconds").isBetween(1_001L, 1_038L);
    }

    private static SqlEventStore cached(StoreConfig config, long capacityBytes) {
        RecentEvents index = new RecentEvents(capacityBytes);
        indexes.add(index);
        SqlEventStore cachedStore = new SqlEventStore(db.database().writes(), db.database().reads(),
                db.database().vendor(), config, java.time.Clock.systemUTC(), java.util.Optional.of(index));
        cachedStores.add(cachedStore);
        return cachedStore;
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void answersEveryRandomFilterSetExactlyAsTheReferenceEvaluator() {
        for (int i = 0; i < FILTER_SETS; i++) {
            List<Filter> filters = new ArrayList<>();
            for (int f = 1 + random.nextInt(3); f > 0; f--) {
                filters.add(randomFilter());
            }
            List<String> expected = FilterQuery.apply(filters, events).stream().map(e -> e.id().hex()).toList();
            List<String> actual = store.query(filters).stream().map(StoredEvent::idHex).toList();
            assertThat(actual).as("filters %s", filters).containsExactlyElementsOf(expected);
            for (int c = 0; c < cachedStores.size(); c++) {
                List<String> fromMemory = cachedStores.get(c).query(filters).stream().map(StoredEvent::idHex).toList();
                assertThat(fromMemory).as("recent events %d, floor %d: filters %s", c, indexes.get(c).floor(),
                        filters).containsExactlyElementsOf(expected);
            }
            assertThat(store.count(filters.stream().map(f -> f.toBuilder().build()).toList()))
                    .as("count %s", filters)
                    .isEqualTo(FilterQuery.apply(filters.stream().map(DifferentialQueryTest::withoutLimit).toList(),
                            events).size());
        }
        // every path was taken: the whole index answers every filter; the partial ones some, and refer the rest
        assertThat(indexes.get(1).referred()).isZero();
        assertThat(indexes.get(1).answered()).isGreaterThan(FILTER_SETS);
        for (RecentEvents partial : List.of(indexes.get(0), indexes.get(2))) {
            assertThat(partial.answered()).as("answered from memory").isGreaterThan(FILTER_SETS / 10);
            assertThat(partial.referred()).as("left to the database").isGreaterThan(FILTER_SETS / 10);
        }
    }

    /** Now and then a field gets more values than {@link FilterSql#MAX_BRANCHES}, for the single-scan path. */
    private static boolean manyValues() {
        return random.nextInt(12) == 0;
    }

    private static Filter withoutLimit(Filter filter) {
        return new Filter(filter.ids(), filter.authors(), filter.kinds(), filter.tags(), filter.since(),
                filter.until(), java.util.OptionalInt.empty(), filter.search());
    }

    private static Filter randomFilter() {
        Filter.Builder builder = Filter.builder();
        if (random.nextInt(6) == 0) {
            Set<String> ids = new TreeSet<>();
            for (int n = random.nextInt(4); n >= 0; n--) {
                ids.add(events.get(random.nextInt(events.size())).id().hex());
            }
            builder.ids(ids);
        }
        if (random.nextInt(3) == 0) {
            Set<String> authors = new TreeSet<>();
            for (int n = random.nextInt(3); n >= 0; n--) {
                authors.add(keys.get(random.nextInt(keys.size())).pubKey().hex());
            }
            if (manyValues()) {
                while (authors.size() <= FilterSql.MAX_BRANCHES) {
                    authors.add(SecKey.generate().pubKey().hex()); // nobody's: past the branch limit, one scan
                }
            }
            builder.authors(authors);
        }
        if (random.nextInt(3) == 0) {
            builder.kinds(random.nextBoolean() ? new int[] {1} : new int[] {1, 7, 30_023});
            if (manyValues()) {
                builder.kinds(java.util.stream.IntStream.range(0, FilterSql.MAX_BRANCHES + 5).map(k -> k * 7).toArray());
            }
        }
        for (char letter : new char[] {'e', 'p', 't', 'T'}) {
            if (random.nextInt(5) == 0) {
                List<String> values = new ArrayList<>();
                for (int n = random.nextInt(3); n >= 0; n--) {
                    values.add("v" + random.nextInt(8));
                }
                if (manyValues()) {
                    for (int n = 0; values.size() <= FilterSql.MAX_BRANCHES; n++) {
                        values.add(n % 4 == 0 ? "v" + random.nextInt(8) : "none-" + n); // repeats and misses
                    }
                }
                builder.tag(letter, values);
            }
        }
        if (random.nextInt(3) == 0) {
            builder.since(1_000 + random.nextInt(40));
        }
        if (random.nextInt(3) == 0) {
            builder.until(1_000 + random.nextInt(40));
        }
        if (random.nextBoolean()) {
            builder.limit(random.nextInt(30));
        }
        return builder.build();
    }
}
