package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recent events in memory answer exactly as the database does after every kind of write: strfry's write cases
 * (replacement, NIP-09 by id and by address, gift wraps), sent one by one and as one batch; expiration; a commit
 * whose outcome is unknown; a removal that arrives before its event.
 */
class RecentEventsTest {
    private static final long NOW = 1_700_000_000L;
    private static TestDatabase db;
    private static SqlEventStore database;
    private RecentEvents index;
    private SqlEventStore cached;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        database = new SqlEventStore(db.database(), StoreConfig.DEFAULTS);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
        index = new RecentEvents(64L << 20);
        cached = cachedStore(index, Clock.systemUTC());
    }

    private static SqlEventStore cachedStore(RecentEvents recent, Clock clock) {
        return new SqlEventStore(db.database().writes(), db.database().reads(), db.database().vendor(),
                StoreConfig.DEFAULTS, clock, Optional.of(recent));
    }

    static List<JsonNode> cases() {
        return WriteSemanticsTest.cases().toList();
    }

    @ParameterizedTest(name = "{index}: one by one")
    @MethodSource("cases")
    void answersAsTheDatabaseAfterEachWriteCaseSentOneByOne(JsonNode writeCase) throws Exception {
        for (Event event : events(writeCase)) {
            cached.saveAll(List.of(event));
        }
        assertAnswersAsTheDatabase(events(writeCase));
    }

    @ParameterizedTest(name = "{index}: one batch")
    @MethodSource("cases")
    void answersAsTheDatabaseAfterEachWriteCaseSentAsOneBatch(JsonNode writeCase) throws Exception {
        cached.saveAll(events(writeCase));
        assertAnswersAsTheDatabase(events(writeCase));
    }

    @Test
    void aRelayStartedOnAFilledDatabaseLoadsTheNewestEventsAndLeavesTheOlderOnesToTheDatabase() {
        SecKey key = SecKey.generate();
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            notes.add(note(key, NOW + i / 3, "note " + i)); // three per second: the floor falls among ties
        }
        database.saveAll(notes);
        RecentEvents small = new RecentEvents(100_000);
        SqlEventStore restarted = cachedStore(small, Clock.systemUTC());

        assertThat(small.floor()).isBetween(NOW, NOW + 99);
        assertThat(small.size() % 3).as("a second is held whole or not at all").isZero();
        Filter newest = Filter.builder().authors(key.pubKey().hex()).limit(20).build();
        Filter all = Filter.builder().authors(key.pubKey().hex()).limit(500).build();
        assertThat(restarted.query(List.of(newest))).isEqualTo(database.query(List.of(newest)));
        assertThat(small.answered()).as("the newest twenty are all in memory").isEqualTo(1);
        assertThat(restarted.query(List.of(all))).hasSize(300).isEqualTo(database.query(List.of(all)));
        assertThat(small.referred()).as("older ones are only in the database").isEqualTo(1);
    }

    @Test
    void anExpiredEventIsNotServedFromMemoryAndLeavesWhenTheSweeperDeletesIt() {
        SecKey key = SecKey.generate();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        SqlEventStore store = cachedStore(index, clock);
        Event expiring = new UnsignedEvent(key.pubKey(), NOW - 10, 1,
                List.of(Tag.of("expiration", Long.toString(NOW + 5))), "soon gone").sign(key);
        store.saveAll(List.of(expiring, note(key, NOW - 20, "stays")));
        Filter byAuthor = Filter.builder().authors(key.pubKey().hex()).build();
        assertThat(store.query(List.of(byAuthor))).hasSize(2);

        SqlEventStore later = cachedStore(index, Clock.fixed(Instant.ofEpochSecond(NOW + 6), ZoneOffset.UTC));
        assertThat(later.query(List.of(byAuthor))).extracting(StoredEvent::json).singleElement().asString()
                .contains("stays");
        assertThat(later.deleteExpired(NOW + 6, 100)).isEqualTo(1);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseCommitMayHaveHappenedDropsTheIndexAndTheNextWriteLoadsItAgain() {
        SecKey key = SecKey.generate();
        Event first = note(key, NOW, "first");
        cached.saveAll(List.of(first));
        try (TableFault refused = TableFault.everyWrite(db.schema(), "events", "40003")) {
            assertThatThrownBy(() -> cached.saveAll(List.of(note(key, NOW + 1, "second"))))
                    .isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(index.isValid()).as("the outcome was unknown").isFalse();
        Filter byAuthor = Filter.builder().authors(key.pubKey().hex()).build();
        assertThat(cached.query(List.of(byAuthor))).hasSize(1);
        assertThat(index.answered()).as("the database answered while the index was off").isZero();

        Event third = note(key, NOW + 2, "third");
        cached.saveAll(List.of(third));
        assertThat(index.isValid()).isTrue();
        assertThat(cached.query(List.of(byAuthor))).extracting(StoredEvent::idHex)
                .containsExactly(third.id().hex(), first.id().hex());
        assertThat(index.answered()).isEqualTo(1);
    }

    @Test
    void aWriteTheDatabaseRolledBackKeepsTheIndex() {
        SecKey key = SecKey.generate();
        cached.saveAll(List.of(note(key, NOW, "first")));
        try (TableFault refused = TableFault.everyWrite(db.schema(), "events", "40001")) {
            assertThatThrownBy(() -> cached.saveAll(List.of(note(key, NOW + 1, "second"))))
                    .isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(index.isValid()).isTrue();
        assertThat(cached.query(List.of(Filter.builder().authors(key.pubKey().hex()).build()))).hasSize(1);
        assertThat(index.answered()).isEqualTo(1);
    }

    @Test
    void anEventRemovedBeforeItsAdditionArrivesIsNeverAdded() throws Exception {
        // two writer lanes: a gift wrap's recipient deletes it on one while the other has yet to report storing it
        RecentEvents fresh = new RecentEvents(1 << 20);
        fresh.load(db.database().reads());
        SecKey key = SecKey.generate();
        Event wrap = note(key, NOW, "wrapped");
        fresh.committed(List.of(), List.of(EventKeys.of(wrap.id())));
        fresh.committed(List.of(wrap), List.<UUID>of());
        assertThat(fresh.size()).isZero();
    }

    @Test
    void pastItsCapacityTheOldestSecondsLeaveAndTheFloorRises() throws Exception {
        RecentEvents small = new RecentEvents(20_000);
        small.load(db.database().reads());
        SecKey key = SecKey.generate();
        List<Event> notes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            notes.add(note(key, NOW + i / 2, "note " + i));
        }
        small.committed(notes, List.of());
        assertThat(small.size()).isBetween(2, 40).satisfies(size -> assertThat(size % 2).isZero());
        Filter sinceAboveFloor = Filter.builder().authors(key.pubKey().hex()).since(small.floor() + 1).build();
        assertThat(small.answer(sinceAboveFloor, 500, NOW)).get().asList().hasSize(small.size());
        Filter reachingBelow = Filter.builder().authors(key.pubKey().hex()).since(small.floor()).build();
        assertThat(small.answer(reachingBelow, 500, NOW)).as("the floor's second may be in the database only")
                .isEmpty();
    }

    /** Whatever the store holds for these events' authors and kinds, memory and database give the same answer. */
    private void assertAnswersAsTheDatabase(List<Event> sent) {
        Set<String> authors = new LinkedHashSet<>();
        Set<Integer> kinds = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Event event : sent) {
            authors.add(event.pubkey().hex());
            kinds.add(event.kind());
            ids.add(event.id().hex());
        }
        long answeredBefore = index.answered();
        for (Filter filter : List.of(Filter.builder().authors(authors).build(),
                Filter.builder().kinds(kinds.stream().mapToInt(Integer::intValue).toArray()).build(),
                Filter.builder().authors(authors).limit(1).build(),
                Filter.builder().build())) {
            assertThat(idsOf(cached.query(List.of(filter)))).as("%s", filter)
                    .isEqualTo(idsOf(database.query(List.of(filter))));
        }
        assertThat(index.answered() - answeredBefore).as("memory answered them").isEqualTo(4);
        // ids: only those still stored are in memory; a deleted one sends the filter to the database
        Filter byIds = Filter.builder().ids(ids).build();
        assertThat(idsOf(cached.query(List.of(byIds)))).isEqualTo(idsOf(database.query(List.of(byIds))));
    }

    private static List<String> idsOf(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::idHex).toList();
    }

    private static List<Event> events(JsonNode writeCase) throws Exception {
        List<Event> events = new ArrayList<>();
        for (JsonNode json : writeCase.get("send_in_order")) {
            events.add(EventJson.parse(json.toString()));
        }
        return events;
    }

    private static Event note(SecKey key, long createdAt, String content) {
        return new UnsignedEvent(key.pubKey(), createdAt, 1, List.of(Tag.of("t", "recent")), content).sign(key);
    }
}
