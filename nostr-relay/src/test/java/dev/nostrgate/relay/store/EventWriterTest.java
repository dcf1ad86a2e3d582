package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventWriterTest {
    private static final SecKey KEY = SecKey.generate();
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

    private static List<Event> notes(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(KEY.pubKey(), 1_700_000_000L + i, 1, List.of(), "note " + i).sign(KEY));
        }
        return events;
    }

    @Test
    void groupsConcurrentEventsIntoBatchesAndAnswersEachAfterCommit() {
        AtomicInteger batches = new AtomicInteger();
        List<Event> seenAfterCommit = new CopyOnWriteArrayList<>();
        EventStore counting = new DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                batches.incrementAndGet();
                return super.saveAll(events);
            }
        };
        // the observer runs on the writer's thread: it records, and the test thread asserts
        AtomicInteger observedEvents = new AtomicInteger();
        List<Long> observedNanos = new CopyOnWriteArrayList<>();
        try (EventWriter writer = new EventWriter(counting,
                new WriterConfig(2, 100, Duration.ofMillis(20), 1_000, Duration.ofSeconds(1), 1_000),
                seenAfterCommit::addAll, (n, nanos) -> {
                    observedEvents.addAndGet(n);
                    observedNanos.add(nanos);
                })) {
            List<Event> events = notes(300);
            List<CompletableFuture<SaveOutcome>> outcomes = events.stream().map(writer::submit).toList();
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
            assertThat(outcomes).allMatch(f -> f.join().status() == SaveOutcome.Status.STORED);
            assertThat(batches.get()).isBetween(3, 100);
            assertThat(store.count(List.of(Filter.ALL))).isEqualTo(300);
            assertThat(seenAfterCommit).hasSize(300);
            assertThat(observedNanos).as("every batch is observed (for the writer metrics), with its duration")
                    .hasSize(batches.get()).allMatch(nanos -> nanos > 0);
            assertThat(observedEvents.get()).isEqualTo(300);
            assertThat(writer.recentlyStored(events.get(0).id())).isTrue();
            assertThat(writer.submit(events.get(0)).join().status()).isEqualTo(SaveOutcome.Status.DUPLICATE);
        }
    }

    @Test
    void writesEachAuthorsEventsInArrivalOrderWhateverTheLanes() {
        List<SecKey> authors = List.of(SecKey.generate(), SecKey.generate(), SecKey.generate(), SecKey.generate());
        List<Event> committedOrder = new CopyOnWriteArrayList<>();
        try (EventWriter writer = new EventWriter(store,
                new WriterConfig(4, 3, Duration.ofMillis(1), 1_000, Duration.ofSeconds(1), 1_000),
                committedOrder::addAll)) {
            List<CompletableFuture<SaveOutcome>> outcomes = new ArrayList<>();
            List<Event> sent = new ArrayList<>();
            for (int version = 0; version < 10; version++) {
                for (SecKey author : authors) {
                    // each author's profile, newer each time: arrival order is the only thing that makes each
                    // version stored (an older one arriving later would be refused)
                    Event profile = new UnsignedEvent(author.pubKey(), 1_000 + version, 0, List.of(), "v" + version)
                            .sign(author);
                    sent.add(profile);
                    outcomes.add(writer.submit(profile));
                }
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
            assertThat(outcomes).allMatch(f -> f.join().status() == SaveOutcome.Status.STORED);
            for (SecKey author : authors) {
                List<Event> byAuthor = committedOrder.stream().filter(e -> e.pubkey().equals(author.pubKey()))
                        .toList();
                assertThat(byAuthor).extracting(Event::createdAt).isSorted().hasSize(10);
            }
            assertThat(store.query(List.of(Filter.builder().kinds(0).build()))).hasSize(4);
        }
    }

    @Test
    void refusesAtOnceWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventStore blocked = new DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.saveAll(events);
            }
        };
        try (EventWriter writer = new EventWriter(blocked,
                new WriterConfig(1, 1, Duration.ZERO, 2, Duration.ofSeconds(1), 100), stored -> { })) {
            List<Event> events = notes(10);
            List<CompletableFuture<SaveOutcome>> outcomes = events.stream().map(writer::submit).toList();
            assertThat(outcomes).anySatisfy(f -> assertThat(f).isCompletedWithValueMatching(
                    o -> o.message().startsWith("rate-limited:")));
            release.countDown();
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
        }
    }

    @Test
    void retriesWhileTheDatabaseFailsThenStores() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        EventStore flaky = new DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw outage();
                }
                return super.saveAll(events);
            }
        };
        try (EventWriter writer = new EventWriter(flaky, WriterConfig.DEFAULTS, stored -> { })) {
            CompletableFuture<SaveOutcome> outcome = writer.submit(notes(1).get(0));
            await().atMost(Duration.ofSeconds(10)).until(outcome::isDone);
            assertThat(outcome.join().status()).isEqualTo(SaveOutcome.Status.STORED);
        }
    }

    @Test
    void failsWithAnErrorPrefixWhenTheOutageOutlastsTheRetryWindow() {
        EventStore down = new DelegatingStore(store) {
            @Override
            public List<SaveOutcome> saveAll(List<Event> events) {
                throw outage();
            }
        };
        try (EventWriter writer = new EventWriter(down,
                new WriterConfig(1, 10, Duration.ZERO, 100, Duration.ofMillis(300), 100), stored -> { })) {
            SaveOutcome outcome = writer.submit(notes(1).get(0)).join();
            assertThat(outcome.status()).isEqualTo(SaveOutcome.Status.FAILED);
            assertThat(outcome.message()).startsWith("error:");
        }
    }

    @Test
    void remembersOnlyRegularEventsThatAreStillStored() {
        try (EventWriter writer = new EventWriter(store, WriterConfig.DEFAULTS, committed -> { })) {
            long now = System.currentTimeMillis() / 1000;
            Event note = new UnsignedEvent(KEY.pubKey(), now, 1, List.of(), "note").sign(KEY);
            Event profile = new UnsignedEvent(KEY.pubKey(), now, 0, List.of(), "{}").sign(KEY);
            assertThat(writer.submit(note).join().status()).isEqualTo(SaveOutcome.Status.STORED);
            assertThat(writer.submit(profile).join().status()).isEqualTo(SaveOutcome.Status.STORED);
            assertThat(writer.recentlyStored(note.id())).isTrue();
            assertThat(writer.recentlyStored(profile.id())).as("a newer version may replace it").isFalse();

            Event deletion = new UnsignedEvent(KEY.pubKey(), now, 5, List.of(Tag.of("e", note.id().hex())), "")
                    .sign(KEY);
            assertThat(writer.submit(deletion).join().status()).isEqualTo(SaveOutcome.Status.STORED);
            assertThat(writer.recentlyStored(note.id())).as("deleted, so no longer had").isFalse();
            assertThat(writer.submit(note).join().status()).isEqualTo(SaveOutcome.Status.REJECTED);
        }
    }

    @Test
    void tellsTheListenerBeforeAnsweringTheCaller() throws Exception {
        List<Boolean> answeredWhenTold = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<SaveOutcome>> outcome =
                new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1);
        try (EventWriter writer = new EventWriter(store, WriterConfig.DEFAULTS, committed -> {
            try {
                submitted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answeredWhenTold.add(outcome.get().isDone());
        })) {
            outcome.set(writer.submit(notes(1).get(0)));
            submitted.countDown();
            assertThat(outcome.get().join().status()).isEqualTo(SaveOutcome.Status.STORED);
            assertThat(answeredWhenTold).containsExactly(false);
        }
    }

    /** What the store throws while its database is down: a connection refused (SQLSTATE 08001). */
    static StoreUnavailableException outage() {
        return new StoreUnavailableException("connection refused", new SQLException("Connection refused", "08001"),
                false);
    }

    /** Passes everything to a real store; tests override one method to inject a failure or a pause. */
    static class DelegatingStore implements EventStore {
        private final EventStore delegate;

        DelegatingStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<SaveOutcome> saveAll(List<Event> events) {
            return delegate.saveAll(events);
        }

        @Override
        public Set<EventId> stored(List<EventId> ids) {
            return delegate.stored(ids);
        }

        @Override
        public List<StoredEvent> query(List<Filter> filters) {
            return delegate.query(filters);
        }

        @Override
        public long count(List<Filter> filters) {
            return delegate.count(filters);
        }

        @Override
        public Optional<BlockStorage> negentropyItems(Filter filter, int maxItems, StorageBudget budget) {
            return delegate.negentropyItems(filter, maxItems, budget);
        }

        @Override
        public int deleteExpired(long nowSeconds, int max) {
            return delegate.deleteExpired(nowSeconds, max);
        }
    }
}
