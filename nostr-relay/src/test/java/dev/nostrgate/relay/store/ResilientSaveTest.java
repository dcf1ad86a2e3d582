package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Saving through failures by their class, on the real PostgreSQL: the database itself refuses an event (a trigger
 * that raises a data error for content marked "poison", as a too-long value or a bad byte would), answers
 * ambiguously (40003) after or before really committing, or is away for a moment.
 */
class ResilientSaveTest {
    private static final SecKey KEY = SecKey.generate();
    private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(10));
    private static TestDatabase db;
    private static SqlEventStore store;

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        store = new SqlEventStore(db.database(), StoreConfig.DEFAULTS);
        // A permanent refusal by the database, for the events whose content asks for it (SQLSTATE 22023).
        TableFault.rowsContaining(db.schema(), "events", "poison", "22023");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    private static ResilientSave resilient(EventStore on) {
        return new ResilientSave(on, Retry.within(Duration.ofSeconds(5), FAST, () -> false));
    }

    private static List<Event> notes(int n, String prefix) {
        List<Event> events = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(KEY.pubKey(), now - i, 1, List.of(Tag.of("t", "x")), prefix + i)
                    .sign(KEY));
        }
        return events;
    }

    @Test
    void aBatchTheDatabaseRefusesIsSplitUntilTheBadEventIsAloneAndTheRestIsStored() {
        List<Event> batch = new ArrayList<>(notes(40, "good "));
        Event poison = notes(1, "poison ").get(0);
        batch.add(17, poison);
        AtomicInteger attempts = new AtomicInteger();
        EventStore counting = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                attempts.incrementAndGet();
                return super.saveAll(events);
            }
        };

        List<SaveOutcome> outcomes = resilient(counting).saveAll(batch);

        assertThat(outcomes).hasSize(41);
        assertThat(outcomes.get(17).status()).isEqualTo(SaveOutcome.Status.UNSTORABLE);
        assertThat(outcomes.get(17).id()).isEqualTo(poison.id());
        assertThat(outcomes.get(17).message()).startsWith("error: ").contains("injected by the test");
        for (int i = 0; i < outcomes.size(); i++) {
            if (i != 17) {
                assertThat(outcomes.get(i).status()).as("event %d", i).isEqualTo(SaveOutcome.Status.STORED);
                assertThat(outcomes.get(i).id()).isEqualTo(batch.get(i).id());
            }
        }
        assertThat(store.count(List.of(Filter.ALL))).isEqualTo(40);
        assertThat(attempts.get()).as("a bisection, not one write per event").isLessThanOrEqualTo(2 * 6 + 1);
    }

    @Test
    void aRefusedEventInABatchWithReplaceablesAndDeletionsKeepsTheRulesOfTheOthers() {
        long now = System.currentTimeMillis() / 1000;
        Event profileOld = new UnsignedEvent(KEY.pubKey(), now - 10, 0, List.of(), "{\"name\":\"old\"}").sign(KEY);
        Event note = notes(1, "to delete ").get(0);
        Event poison = notes(1, "poison ").get(0);
        Event deletion = new UnsignedEvent(KEY.pubKey(), now, 5, List.of(Tag.of("e", note.id().hex())), "")
                .sign(KEY);
        Event profileNew = new UnsignedEvent(KEY.pubKey(), now, 0, List.of(), "{\"name\":\"new\"}").sign(KEY);

        List<SaveOutcome> outcomes = resilient(store).saveAll(
                List.of(profileOld, note, poison, deletion, profileNew, note));

        assertThat(outcomes).extracting(SaveOutcome::status).containsExactly(
                SaveOutcome.Status.STORED, SaveOutcome.Status.STORED, SaveOutcome.Status.UNSTORABLE,
                SaveOutcome.Status.STORED, SaveOutcome.Status.STORED,
                SaveOutcome.Status.REJECTED); // sent again after its deletion: blocked, as one by one
        assertThat(store.query(List.of(Filter.builder().kinds(0).build())))
                .singleElement().satisfies(e -> assertThat(e.idHex()).isEqualTo(profileNew.id().hex()));
        assertThat(store.query(List.of(Filter.builder().kinds(1).build()))).isEmpty(); // deleted, poison refused
    }

    @Test
    void anAmbiguousCommitThatHappenedIsAnsweredStoredWithoutWritingAgain() {
        List<Event> batch = notes(5, "ambiguous ");
        AtomicInteger writes = new AtomicInteger();
        EventStore committedThenAmbiguous = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                writes.incrementAndGet();
                List<SaveOutcome> outcomes = super.saveAll(events);
                if (writes.get() == 1) {
                    throw ambiguous();
                }
                return outcomes;
            }
        };

        List<SaveOutcome> outcomes = resilient(committedThenAmbiguous).saveAll(batch);

        assertThat(outcomes).extracting(SaveOutcome::status).containsOnly(SaveOutcome.Status.STORED);
        assertThat(outcomes).extracting(SaveOutcome::id).containsExactlyElementsOf(
                batch.stream().map(Event::id).toList());
        assertThat(writes.get()).as("everything was stored: nothing to write again").isEqualTo(1);
        assertThat(store.count(List.of(Filter.ALL))).isEqualTo(5);
    }

    @Test
    void anAmbiguousCommitCountsAReplaceableVersionReplacedInTheSameBatchAsStored() {
        long now = System.currentTimeMillis() / 1000;
        Event older = new UnsignedEvent(KEY.pubKey(), now - 1, 0, List.of(), "{\"name\":\"older\"}").sign(KEY);
        Event newer = new UnsignedEvent(KEY.pubKey(), now, 0, List.of(), "{\"name\":\"newer\"}").sign(KEY);
        AtomicInteger writes = new AtomicInteger();
        EventStore committedThenAmbiguous = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                List<SaveOutcome> outcomes = super.saveAll(events);
                if (writes.incrementAndGet() == 1) {
                    throw ambiguous();
                }
                return outcomes;
            }
        };

        List<SaveOutcome> outcomes = resilient(committedThenAmbiguous).saveAll(List.of(older, newer));

        assertThat(outcomes).extracting(SaveOutcome::status)
                .as("the older version was taken, then replaced: as one by one, both are OK true")
                .containsExactly(SaveOutcome.Status.STORED, SaveOutcome.Status.STORED);
        assertThat(writes.get()).isEqualTo(1);
    }

    @Test
    void anAmbiguousCommitThatDidNotHappenIsWrittenAgain() {
        List<Event> batch = notes(5, "lost ");
        AtomicInteger writes = new AtomicInteger();
        EventStore ambiguousBeforeCommit = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                if (writes.incrementAndGet() == 1) {
                    throw ambiguous();
                }
                return super.saveAll(events);
            }
        };

        List<SaveOutcome> outcomes = resilient(ambiguousBeforeCommit).saveAll(batch);

        assertThat(outcomes).extracting(SaveOutcome::status).containsOnly(SaveOutcome.Status.STORED);
        assertThat(writes.get()).isEqualTo(2);
        assertThat(store.count(List.of(Filter.ALL))).isEqualTo(5);
    }

    @Test
    void aTransientFailureIsRetriedAndAnOutagePastTheBudgetFailsTheEventsForTheClientToSendAgain() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        EventStore flaky = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new StoreUnavailableException("serialization failure",
                            new SQLException("restart transaction", "40001"), false);
                }
                return super.saveAll(events);
            }
        };
        assertThat(resilient(flaky).saveAll(notes(3, "retried "))).extracting(SaveOutcome::status)
                .containsOnly(SaveOutcome.Status.STORED);

        EventStore down = new EventWriterTest.DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                throw EventWriterTest.outage();
            }
        };
        List<SaveOutcome> failed = new ResilientSave(down, Retry.within(Duration.ofMillis(50), FAST, () -> false))
                .saveAll(notes(3, "never "));
        assertThat(failed).extracting(SaveOutcome::status).containsOnly(SaveOutcome.Status.FAILED);
        assertThat(failed).allSatisfy(o -> assertThat(o.message()).startsWith("error: "));
    }

    @Test
    void looksUpWhichEventsAreStored() {
        List<Event> events = notes(3, "look up ");
        store.saveAll(events.subList(0, 2));
        List<EventId> ids = events.stream().map(Event::id).toList();
        assertThat(store.stored(ids)).containsExactlyInAnyOrderElementsOf(ids.subList(0, 2));
    }

    private static StoreUnavailableException ambiguous() {
        return new StoreUnavailableException("result is ambiguous",
                new SQLException("result is ambiguous (error=rpc error)", "40003"), false);
    }
}
