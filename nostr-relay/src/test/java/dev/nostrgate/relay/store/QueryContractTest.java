package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code query} and {@code count} return, rule by rule, on the local PostgreSQL. */
class QueryContractTest {
    private static final SecKey ALICE = SecKey.fromHex("c1eee22f68dc218d98263cfecb350db6fc6b3e836b47423b66c62af7ae3e32bb");
    private static final SecKey BOB = SecKey.fromHex("a0b459d9ff90e30dc9d1749b34c4401dfe80ac2617c7732925ff994e8d5203ff");

    private static TestDatabase db;
    private static SqlEventStore store;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        store = new SqlEventStore(db.database(), new StoreConfig(50, java.time.Duration.ofSeconds(3)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    private static Event note(SecKey key, long createdAt, String content, Tag... tags) {
        return new UnsignedEvent(key.pubKey(), createdAt, 1, List.of(tags), content).sign(key);
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::idHex).toList();
    }

    @Test
    void returnsNewestFirstAndBreaksTiesByLowestId() {
        List<Event> events = List.of(note(ALICE, 100, "a"), note(ALICE, 300, "b"), note(BOB, 200, "c"),
                note(BOB, 300, "d"), note(ALICE, 300, "e"));
        store.saveAll(events);
        List<String> expected = events.stream().sorted(dev.nostrgate.core.filter.FilterQuery.NEWEST_FIRST)
                .map(e -> e.id().hex()).toList();
        assertThat(ids(store.query(List.of(Filter.ALL)))).containsExactlyElementsOf(expected);
        assertThat(ids(store.query(List.of(Filter.builder().limit(2).build())))).containsExactlyElementsOf(
                expected.subList(0, 2));
    }

    @Test
    void capsEveryLimitAtTheConfiguredMaximum() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(note(ALICE, 1_000 + i, "n" + i));
        }
        store.saveAll(events);
        assertThat(store.query(List.of(Filter.builder().limit(1_000).build()))).hasSize(50);
        assertThat(store.query(List.of(Filter.ALL))).hasSize(50);
        assertThat(store.count(List.of(Filter.builder().limit(1).build()))).isEqualTo(60);
    }

    @Test
    void mergesFiltersWithoutDuplicates() {
        Event a = note(ALICE, 10, "a", Tag.of("t", "x"));
        Event b = note(BOB, 20, "b", Tag.of("t", "x"), Tag.of("t", "y"));
        store.saveAll(List.of(a, b));
        List<Filter> filters = List.of(Filter.builder().tag('t', "x", "y").build(),
                Filter.builder().authors(BOB.pubKey().hex()).build());
        assertThat(ids(store.query(filters))).containsExactly(b.id().hex(), a.id().hex());
        assertThat(store.count(filters)).isEqualTo(2);
    }

    @Test
    void matchesSeveralTagLettersTogetherAndSeveralValuesEither() {
        Event both = note(ALICE, 10, "both", Tag.of("t", "x"), Tag.of("p", BOB.pubKey().hex()));
        Event onlyT = note(ALICE, 11, "t", Tag.of("t", "x"));
        Event otherValue = note(ALICE, 12, "y", Tag.of("t", "y"), Tag.of("p", BOB.pubKey().hex()));
        store.saveAll(List.of(both, onlyT, otherValue));
        assertThat(ids(store.query(List.of(Filter.builder().tag('t', "x").tag('p', BOB.pubKey().hex()).build()))))
                .containsExactly(both.id().hex());
        assertThat(ids(store.query(List.of(Filter.builder().tag('t', "x", "y").build()))))
                .containsExactly(otherValue.id().hex(), onlyT.id().hex(), both.id().hex());
    }

    @Test
    void findsTagValuesLongerThanTheIndexedLength() {
        String longValue = "https://example.com/" + "x".repeat(1_000);
        Event event = note(ALICE, 10, "long", Tag.of("r", longValue));
        store.saveAll(List.of(event));
        assertThat(ids(store.query(List.of(Filter.builder().tag('r', longValue).build()))))
                .containsExactly(event.id().hex());
        assertThat(store.query(List.of(Filter.builder().tag('r', longValue + "y").build()))).isEmpty();
    }

    @Test
    void findsTagValuesWithEveryCharacterCopyEscapes() {
        String awkward = "tab\there\\back\nnew\rline \u00e9\ud83d\ude00 \\N";
        Event event = note(ALICE, 10, "awkward", Tag.of("t", awkward));
        store.saveAll(List.of(event));
        assertThat(ids(store.query(List.of(Filter.builder().tag('t', awkward).build()))))
                .containsExactly(event.id().hex());
    }

    @Test
    void findsTagValuesWithEveryCharacterCopyEscapesWhenABatchIsLargeEnoughForCopy() {
        String awkward = "tab\there\\back\nnew\rline \u00e9\ud83d\ude00 \\N";
        List<Event> events = new ArrayList<>();
        for (int i = 0; i <= TagRows.INSERT_MAX_ROWS; i++) {
            events.add(note(ALICE, 1_000 + i, "copied " + i, Tag.of("t", awkward)));
        }
        store.saveAll(events);
        assertThat(store.count(List.of(Filter.builder().tag('t', awkward).build()))).isEqualTo(events.size());
    }

    @Test
    void servesTheJsonByteForByteAsItWasStoredInUtf8() {
        // two- to four-byte UTF-8, escapes, and a lone surrogate escaped as \ud800
        Event event = note(ALICE, 10, "caf\u00e9 \u4e2d\u6587 \ud83d\ude00 \"quoted\"\n\ud800 end", Tag.of("t", "\u00e9"));
        store.saveAll(List.of(event));
        List<StoredEvent> found = store.query(List.of(Filter.builder().tag('t', "\u00e9").build()));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).jsonUtf8()).isEqualTo(event.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(found.get(0).json()).isEqualTo(event.toJson());
    }

    @Test
    void neverServesExpiredEventsAndRejectsThemOnArrival() {
        long now = System.currentTimeMillis() / 1000;
        Event soon = note(ALICE, now, "soon", Tag.of("expiration", String.valueOf(now + 2)));
        Event past = note(ALICE, now, "past", Tag.of("expiration", String.valueOf(now - 1)));
        List<SaveOutcome> outcomes = store.saveAll(List.of(soon, past));
        assertThat(outcomes.get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
        assertThat(outcomes.get(1).message()).isEqualTo("invalid: event has expired");
        assertThat(store.query(List.of(Filter.ALL))).hasSize(1);
        assertThat(store.deleteExpired(now + 3, 100)).isEqualTo(1);
        assertThat(store.query(List.of(Filter.ALL))).isEmpty();
    }

    @Test
    void neverStoresEphemeralEvents() {
        Event ephemeral = new UnsignedEvent(ALICE.pubKey(), 10, 20_001, List.of(), "typing").sign(ALICE);
        assertThat(store.saveAll(List.of(ephemeral)).get(0).status()).isEqualTo(SaveOutcome.Status.REJECTED);
        assertThat(store.query(List.of(Filter.ALL))).isEmpty();
    }

    @Test
    void answersDuplicateWhenTheSameEventIsSavedTwice() {
        Event event = note(ALICE, 10, "once");
        assertThat(store.saveAll(List.of(event)).get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
        assertThat(store.saveAll(List.of(event, event))).extracting(SaveOutcome::status)
                .containsExactly(SaveOutcome.Status.DUPLICATE, SaveOutcome.Status.DUPLICATE);
    }

    @Test
    void keepsSupersededReplaceableVersionsOutOfQueriesButInHistory() throws Exception {
        Event old = new UnsignedEvent(ALICE.pubKey(), 10, 3,
                List.of(Tag.of("p", BOB.pubKey().hex()), Tag.of("p", ALICE.pubKey().hex())), "old follows").sign(ALICE);
        Event current = new UnsignedEvent(ALICE.pubKey(), 20, 3, List.of(Tag.of("p", BOB.pubKey().hex())),
                "new follows").sign(ALICE);
        store.saveAll(List.of(old));
        store.saveAll(List.of(current));
        assertThat(ids(store.query(List.of(Filter.builder().kinds(3).build()))))
                .containsExactly(current.id().hex());
        assertThat(db.rowCount("events_history")).isEqualTo(1);
        assertThat(db.rowCount("event_tags")).as("only the current version's tag rows remain").isEqualTo(1);
        assertThat(store.query(List.of(Filter.builder().tag('p', ALICE.pubKey().hex()).build()))).isEmpty();
    }

    @Test
    void removesTheTagRowsOfDeletedEvents() throws Exception {
        Event target = note(ALICE, 10, "to delete", Tag.of("t", "gone"));
        Event deletion = new UnsignedEvent(ALICE.pubKey(), 11, 5, List.of(Tag.of("e", target.id().hex())), "")
                .sign(ALICE);
        store.saveAll(List.of(target));
        store.saveAll(List.of(deletion));
        assertThat(store.query(List.of(Filter.builder().tag('t', "gone").build()))).isEmpty();
        assertThat(db.rowCount("event_tags")).as("the deletion's own e tag only").isEqualTo(1);
    }


    @Test
    void matchesNothingForEmptyListsLimitZeroAndSearch() {
        store.saveAll(List.of(note(ALICE, 10, "x")));
        assertThat(store.query(List.of(Filter.builder().ids(List.of()).build()))).isEmpty();
        assertThat(store.query(List.of(Filter.builder().limit(0).build()))).isEmpty();
        assertThat(store.query(List.of(Filter.builder().search("x").build()))).isEmpty();
        assertThat(store.query(List.of(Filter.builder().since(20).until(10).build()))).isEmpty();
    }
}
