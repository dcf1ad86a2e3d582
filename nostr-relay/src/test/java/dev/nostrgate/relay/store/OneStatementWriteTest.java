package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches of regular events are written by one statement outside a transaction; these are the rules it must keep,
 * case by case, and the plan it must not fall into.
 */
class OneStatementWriteTest {
    private static final SecKey ALICE = SecKey.fromHex("c1eee22f68dc218d98263cfecb350db6fc6b3e836b47423b66c62af7ae3e32bb");
    private static final SecKey BOB = SecKey.fromHex("a0b459d9ff90e30dc9d1749b34c4401dfe80ac2617c7732925ff994e8d5203ff");

    private static TestDatabase db;
    private static SqlEventStore store;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        store = new SqlEventStore(db.database(), StoreConfig.DEFAULTS);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    private static Event event(SecKey key, int kind, String content, Tag... tags) {
        return new UnsignedEvent(key.pubKey(), 1_700_000_000, kind, List.of(tags), content).sign(key);
    }

    private static Event deletionOf(SecKey key, Event target) {
        return event(key, 5, "", Tag.of("e", target.id().hex()));
    }

    @Test
    void takesRegularEventsOnlyAndTagRowsFewEnoughForOneInsert() {
        Event note = event(ALICE, 1, "note", Tag.of("t", "a"));
        assertThat(BatchWrite.fitsOneStatement(List.of(note, event(BOB, 7, "+")))).isTrue();
        assertThat(BatchWrite.fitsOneStatement(List.of(note, event(ALICE, 0, "{}")))).as("replaceable").isFalse();
        assertThat(BatchWrite.fitsOneStatement(List.of(note, event(ALICE, 30_023, "", Tag.of("d", "x")))))
                .as("addressable").isFalse();
        assertThat(BatchWrite.fitsOneStatement(List.of(note, deletionOf(ALICE, note)))).as("deletion").isFalse();
        assertThat(BatchWrite.fitsOneStatement(List.of(event(ALICE, 1059, "wrap", Tag.of("p", BOB.pubKey().hex())))))
                .as("gift wrap: its recipient may delete it").isFalse();
        assertThat(BatchWrite.fitsOneStatement(List.of(event(ALICE, 20_001, "typing")))).as("ephemeral").isFalse();
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i <= TagRows.INSERT_MAX_ROWS; i++) {
            many.add(Tag.of("t", "tag" + i));
        }
        Event tagged = new UnsignedEvent(ALICE.pubKey(), 1, 1, many, "many").sign(ALICE);
        assertThat(BatchWrite.fitsOneStatement(List.of(tagged))).as("more tag rows than one INSERT takes").isFalse();
    }

    @Test
    void answersEachEventOfAMixedBatchAsIfTheyCameOneByOne() throws Exception {
        Event stored = event(ALICE, 1, "stored before", Tag.of("t", "old"));
        Event deleted = event(ALICE, 1, "deleted before it arrived", Tag.of("t", "gone"));
        store.saveAll(List.of(stored));
        store.saveAll(List.of(deletionOf(ALICE, deleted)));
        Event fresh = event(BOB, 1, "new", Tag.of("t", "new"), Tag.of("p", ALICE.pubKey().hex()));

        List<SaveOutcome> outcomes = store.saveAll(List.of(fresh, stored, deleted, fresh));

        assertThat(outcomes).extracting(SaveOutcome::status).containsExactly(SaveOutcome.Status.STORED,
                SaveOutcome.Status.DUPLICATE, SaveOutcome.Status.REJECTED, SaveOutcome.Status.DUPLICATE);
        assertThat(outcomes.get(2).message()).isEqualTo("blocked: this event was deleted");
        assertThat(store.query(List.of(Filter.builder().tag('t', "new").build()))).hasSize(1);
        assertThat(store.query(List.of(Filter.builder().tag('p', ALICE.pubKey().hex()).build()))).hasSize(1);
        assertThat(store.query(List.of(Filter.builder().tag('t', "gone").build()))).isEmpty();
        assertThat(db.rowCount("event_tags")).as("old, new, p and the deletion's e").isEqualTo(4);
    }

    @Test
    void storesAnEventThatSomeoneElseAskedToDelete() {
        Event note = event(ALICE, 1, "mine");
        store.saveAll(List.of(deletionOf(BOB, note)));
        assertThat(store.saveAll(List.of(note))).extracting(SaveOutcome::status)
                .containsExactly(SaveOutcome.Status.STORED);
    }

    @Test
    void answersDuplicateForAStoredEventEvenIfItsAuthorsTombstoneAppearedSince() throws Exception {
        // Two relays on one database can leave both behind: one stored the event while the other deleted it.
        Event note = event(ALICE, 1, "raced");
        store.saveAll(List.of(note));
        execute("INSERT INTO deleted_events (event_key, pubkey, deleted_by) VALUES ('" + EventKeys.of(note.id())
                + "', '\\x" + ALICE.pubKey().hex() + "', '" + UUID.randomUUID() + "')");
        assertThat(store.saveAll(List.of(note))).extracting(SaveOutcome::status)
                .containsExactly(SaveOutcome.Status.DUPLICATE);
    }

    @Test
    void answersAndStoresABatchExactlyAsItsEventsArrivingOneByOne() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Random random = new Random(20261201);
        try (TestDatabase other = TestDatabase.create()) {
            SqlEventStore otherStore = new SqlEventStore(other.database(), StoreConfig.DEFAULTS);
            for (int round = 0; round < 30; round++) {
                db.truncate();
                other.truncate();
                List<Event> pool = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    pool.add(randomNote(random, now, round * 100 + i));
                }
                // A history both stores share: some notes stored, some deleted by their author before they
                // arrive, some named by someone else's deletion request.
                for (Event event : pool) {
                    SecKey author = event.pubkey().equals(ALICE.pubKey()) ? ALICE : BOB;
                    List<Event> history = switch (random.nextInt(4)) {
                        case 0 -> List.of(event);
                        case 1 -> List.of(deletionOf(author, event));
                        case 2 -> List.of(deletionOf(author == ALICE ? BOB : ALICE, event));
                        default -> List.of();
                    };
                    store.saveAll(history);
                    otherStore.saveAll(history);
                }
                // Distinct events: a second copy in one batch is a duplicate of the first whatever became of it,
                // which one by one it is not (a blocked event is blocked again).
                List<Event> batch = new ArrayList<>(pool);
                Collections.shuffle(batch, random);
                batch = batch.subList(0, 8);
                assertThat(BatchWrite.fitsOneStatement(batch)).isTrue();

                List<SaveOutcome> inOne = store.saveAll(batch);
                List<SaveOutcome> oneByOne = new ArrayList<>();
                for (Event event : batch) {
                    oneByOne.addAll(otherStore.saveAll(List.of(event)));
                }
                assertThat(inOne).as("round %d", round).isEqualTo(oneByOne);
                assertThat(rows(db)).as("round %d", round).isEqualTo(rows(other));
            }
        }
    }

    /** A note of Alice or Bob with some indexable tags, now and then one that has expired or will. */
    private static Event randomNote(Random random, long now, int n) {
        List<Tag> tags = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            tags.add(switch (random.nextInt(3)) {
                case 0 -> Tag.of("t", "topic" + random.nextInt(3));
                case 1 -> Tag.of("p", (random.nextBoolean() ? ALICE : BOB).pubKey().hex());
                default -> Tag.of("e", "%064x".formatted(random.nextInt(5)));
            });
        }
        switch (random.nextInt(6)) {
            case 0 -> tags.add(Tag.of("expiration", Long.toString(now - 10)));
            case 1 -> tags.add(Tag.of("expiration", Long.toString(now + 3_600)));
            default -> { }
        }
        SecKey author = random.nextBoolean() ? ALICE : BOB;
        return new UnsignedEvent(author.pubKey(), now - random.nextInt(100), 1, tags, "note " + n).sign(author);
    }

    /** Every row of events and event_tags, as text, in a fixed order. */
    private static List<String> rows(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.database().writes().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet events = statement.executeQuery("SELECT event_key, json FROM events ORDER BY event_key")) {
                while (events.next()) {
                    rows.add("event " + events.getString(1) + " " + events.getString(2));
                }
            }
            try (ResultSet tags = statement.executeQuery("SELECT name, value, created_at, event_key, kind "
                    + "FROM event_tags ORDER BY event_key, name, value")) {
                while (tags.next()) {
                    rows.add("tag " + tags.getString(1) + " " + tags.getString(2) + " " + tags.getLong(3) + " "
                            + tags.getString(4) + " " + tags.getInt(5));
                }
            }
        }
        return rows;
    }

    @Test
    void neverPlansAScanOfEventsOrTombstonesWhileTheyAreNewAndEmpty() throws Exception {
        // The plan PostgreSQL caches for the writer's connection is made from the statistics of the moment: one
        // made on a new, empty database must still probe by key once the tables are large. A schema of its own:
        // new, empty, never analyzed.
        StringBuilder sql = new StringBuilder();
        int parameter = 0;
        for (char c : EventInsert.WITH_TAG_ROWS.toCharArray()) {
            sql.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        String plan;
        try (TestDatabase empty = TestDatabase.create();
             Connection connection = empty.database().writes().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE one_statement AS " + sql);
            StringBuilder lines = new StringBuilder();
            try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE one_statement("
                    + String.join(", ", Collections.nCopies(parameter, "NULL")) + ")")) {
                while (rows.next()) {
                    lines.append(rows.getString(1)).append('\n');
                }
            }
            statement.execute("DEALLOCATE one_statement");
            statement.execute("RESET plan_cache_mode");
            plan = lines.toString();
        }
        assertThat(parameter).isEqualTo(16);
        assertThat(plan).contains("Insert on events").doesNotContain("Seq Scan on events")
                .doesNotContain("Seq Scan on deleted_events").doesNotContain("Seq Scan on vanished_pubkeys");
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = db.database().writes().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
