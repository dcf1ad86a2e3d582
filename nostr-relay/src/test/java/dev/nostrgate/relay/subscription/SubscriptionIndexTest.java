package dev.nostrgate.relay.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clever path against the dumb one (strfry's filterFuzzTest against dumbFilter): for random subscriptions,
 * added, replaced and removed at random, and random events, the index must report exactly the subscribers that
 * brute-force {@link Filter#matches} finds.
 */
class SubscriptionIndexTest {
    private static final String[] LETTERS = {"e", "p", "t", "E", "a"};
    private static final String[] TAG_NAMES = {"e", "p", "t", "E", "a", "te", "", "-"};
    private static final int[] KINDS = {0, 1, 3, 7, 1_059, 30_023};

    private final List<String> ids = new ArrayList<>();
    private final List<String> authors = new ArrayList<>();
    private final List<String> values = List.of("x", "y", "z", "", "w");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void reportsExactlyTheSubscribersThatBruteForceMatchingFinds(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 12; i++) {
            ids.add(randomHex(random));
        }
        for (int i = 0; i < 4; i++) {
            authors.add(randomHex(random));
        }
        SubscriptionIndex<String> index = new SubscriptionIndex<>();
        Map<String, List<Filter>> subscribers = new HashMap<>();
        for (int round = 0; round < 40; round++) {
            for (int change = 0; change < 10; change++) {
                String name = "sub" + random.nextInt(60);
                if (random.nextInt(4) == 0) {
                    index.remove(name);
                    subscribers.remove(name);
                } else {
                    List<Filter> filters = new ArrayList<>();
                    for (int f = 0, n = 1 + random.nextInt(3); f < n; f++) {
                        filters.add(randomFilter(random));
                    }
                    index.add(name, filters); // a new subscriber, or a REQ replacing one
                    subscribers.put(name, filters);
                }
            }
            assertThat(index.size()).isEqualTo(subscribers.size());
            for (int e = 0; e < 50; e++) {
                Event event = randomEvent(random);
                Set<String> expected = new HashSet<>();
                subscribers.forEach((name, filters) -> {
                    if (filters.stream().anyMatch(filter -> filter.matches(event))) {
                        expected.add(name);
                    }
                });
                List<String> reported = new ArrayList<>();
                index.forEachMatch(event, reported::add);
                assertThat(reported).as("each subscriber once").doesNotHaveDuplicates();
                assertThat(new HashSet<>(reported)).as("seed %d, event %s", seed, event).isEqualTo(expected);
            }
        }
    }

    private Filter randomFilter(Random random) {
        Filter.Builder filter = Filter.builder();
        if (random.nextInt(6) == 0) {
            filter.ids(pick(random, ids, random.nextInt(3)));
        }
        if (random.nextInt(3) == 0) {
            filter.authors(pick(random, authors, random.nextInt(3)));
        }
        if (random.nextInt(2) == 0) {
            List<Integer> kinds = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                kinds.add(KINDS[random.nextInt(KINDS.length)]);
            }
            filter.kinds(kinds);
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            filter.tag(LETTERS[random.nextInt(LETTERS.length)].charAt(0), pick(random, values, random.nextInt(3)));
        }
        if (random.nextInt(5) == 0) {
            filter.since(1_000 + random.nextInt(10));
        }
        if (random.nextInt(5) == 0) {
            filter.until(1_000 + random.nextInt(10));
        }
        return filter.build();
    }

    private Event randomEvent(Random random) {
        List<Tag> tags = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String name = TAG_NAMES[random.nextInt(TAG_NAMES.length)];
            tags.add(random.nextInt(8) == 0 ? Tag.of(name) : Tag.of(name, values.get(random.nextInt(values.size())),
                    "extra"));
        }
        return new Event(new EventId(ids.get(random.nextInt(ids.size()))),
                new PubKey(authors.get(random.nextInt(authors.size()))), 1_000 + random.nextInt(10),
                KINDS[random.nextInt(KINDS.length)], tags, "", "0".repeat(128));
    }

    private static List<String> pick(Random random, List<String> from, int count) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(from.get(random.nextInt(from.size())));
        }
        return picked;
    }

    private static String randomHex(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Hex.encode(bytes);
    }
}
