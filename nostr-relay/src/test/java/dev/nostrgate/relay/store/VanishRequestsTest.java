package dev.nostrgate.relay.store;

import static dev.nostrgate.relay.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NIP-62 in the store: a request to vanish from this relay deletes its author's events (and gift wraps to them) up
 * to its created_at, keeps every such event out afterwards, and is itself kept; one to another relay does nothing.
 */
class VanishRequestsTest {
    private static final String THIS_RELAY = "wss://relay.example.com";
    /** The requests' time; every other event is placed around it. */
    private static final long T = 1_700_000_000L;

    private static TestDatabase db;
    private static SqlEventStore store;

    private final SecKey alice = SecKey.generate();
    private final SecKey bob = SecKey.generate();
    private final SecKey wrapper = SecKey.generate();

    @BeforeAll
    static void open() {
        db = TestDatabase.create();
        store = new SqlEventStore(db.database(), new StoreConfig(500, Duration.ofSeconds(3), Optional.of(THIS_RELAY)));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.truncate();
    }

    @Test
    void deletesEveryEventOfTheAuthorUpToTheRequestAndTheGiftWrapsToThem() {
        Event note = event(alice, 1, T - 10, "note");
        Event deleted = event(alice, 1, T - 9, "deleted");
        Event deletion = event(alice, Kinds.DELETION, T - 8, "", Tag.of("e", deleted.id().hex()));
        Event profile = event(alice, 0, T - 7, "{}");
        Event draftV1 = event(alice, 30_023, T - 6, "v1", Tag.of("d", "post"));
        Event draftV2 = event(alice, 30_023, T - 5, "v2", Tag.of("d", "post"));
        Event wrap = event(wrapper, Kinds.GIFT_WRAP, T - 4, "sealed", Tag.of("p", alice.pubKey().hex()));
        Event later = event(alice, 1, T + 10, "written after the request, sent before it");
        Event laterWrap = event(wrapper, Kinds.GIFT_WRAP, T + 5, "later", Tag.of("p", alice.pubKey().hex()));
        Event bobs = event(bob, 1, T - 3, "someone else's", Tag.of("p", alice.pubKey().hex()));
        for (Event event : List.of(note, deleted, deletion, profile, draftV1, draftV2, wrap, later, laterWrap, bobs)) {
            store.saveAll(List.of(event));
        }
        assertThat(db.rowCount("events_history")).isEqualTo(1);

        Event request = vanish(alice, T, THIS_RELAY);
        assertThat(store.saveAll(List.of(request))).extracting(SaveOutcome::status)
                .containsExactly(SaveOutcome.Status.STORED);

        assertThat(ids(Filter.builder().authors(alice.pubKey().hex()).build())).containsExactlyInAnyOrder(
                request.id().hex(), later.id().hex());
        assertThat(ids(Filter.builder().kinds(Kinds.GIFT_WRAP).build())).containsExactly(laterWrap.id().hex());
        assertThat(ids(Filter.builder().authors(bob.pubKey().hex()).build())).containsExactly(bobs.id().hex());
        assertThat(db.rowCount("events_history")).as("superseded versions are the author's events too").isZero();
        assertThat(db.rowCount("replaceable_heads")).as("no head names a deleted event").isZero();
        assertThat(ids(Filter.builder().tag('p', alice.pubKey().hex()).build()))
                .as("the deleted events' tag rows are gone with them")
                .containsExactlyInAnyOrder(laterWrap.id().hex(), bobs.id().hex());
    }

    @Test
    void keepsOutEveryEventOfTheAuthorUpToTheRequestAndTakesLaterOnes() {
        Event old = event(alice, 1, T - 10, "old");
        store.saveAll(List.of(old));
        store.saveAll(List.of(vanish(alice, T, "ALL_RELAYS")));

        Event atTheRequest = event(alice, 1, T, "same second");
        Event oldProfile = event(alice, 0, T - 1, "{}");
        Event oldWrap = event(wrapper, Kinds.GIFT_WRAP, T - 1, "old", Tag.of("p", alice.pubKey().hex()));
        Event oldDeletion = event(alice, Kinds.DELETION, T - 1, "", Tag.of("e", old.id().hex()));
        for (Event refused : List.of(old, atTheRequest, oldProfile, oldWrap, oldDeletion)) {
            SaveOutcome outcome = store.saveAll(List.of(refused)).get(0);
            assertThat(outcome.status()).as(refused.content()).isEqualTo(SaveOutcome.Status.REJECTED);
            assertThat(outcome.message()).isEqualTo(VanishRequests.VANISHED);
        }
        assertThat(db.rowCount("replaceable_heads")).as("a refused version never becomes a head").isZero();

        Event newer = event(alice, 1, T + 1, "after");
        Event newerProfile = event(alice, 0, T + 1, "{}");
        Event newerWrap = event(wrapper, Kinds.GIFT_WRAP, T + 1, "new", Tag.of("p", alice.pubKey().hex()));
        Event bobsOld = event(bob, 1, T - 10, "bob did not vanish");
        Event olderRequest = vanish(alice, T - 100, "ALL_RELAYS");
        for (Event taken : List.of(newer, newerProfile, newerWrap, bobsOld, olderRequest)) {
            assertThat(store.saveAll(List.of(taken)).get(0).status()).as(taken.content())
                    .isEqualTo(SaveOutcome.Status.STORED);
        }
    }

    @Test
    void appliesWithinABatchAsIfTheEventsArrivedOneByOne() {
        Event before = event(alice, 1, T - 1, "before the request in the batch");
        Event request = vanish(alice, T, THIS_RELAY);
        Event after = event(alice, 1, T - 2, "after the request in the batch");
        Event newer = event(alice, 1, T + 1, "newer");

        assertThat(store.saveAll(List.of(before, request, after, newer))).extracting(SaveOutcome::status)
                .containsExactly(SaveOutcome.Status.STORED, SaveOutcome.Status.STORED, SaveOutcome.Status.REJECTED,
                        SaveOutcome.Status.STORED);
        assertThat(ids(Filter.builder().authors(alice.pubKey().hex()).build())).containsExactlyInAnyOrder(
                request.id().hex(), newer.id().hex());
    }

    @Test
    void matchesThisRelaysUrlAsNip42Does() {
        store.saveAll(List.of(event(alice, 1, T - 1, "old")));
        Event request = vanish(alice, T, "ws://Relay.Example.com:443/");
        store.saveAll(List.of(request));
        assertThat(ids(Filter.builder().authors(alice.pubKey().hex()).build())).containsExactly(request.id().hex());
    }

    @Test
    void aRequestToAnotherRelayIsStoredAndDeletesNothing() {
        Event old = event(alice, 1, T - 1, "old");
        store.saveAll(List.of(old));
        Event elsewhere = vanish(alice, T, "wss://other.example.com");
        assertThat(store.saveAll(List.of(elsewhere)).get(0).status()).isEqualTo(SaveOutcome.Status.STORED);

        Event oldToo = event(alice, 1, T - 2, "still taken");
        assertThat(store.saveAll(List.of(oldToo)).get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
        assertThat(ids(Filter.builder().authors(alice.pubKey().hex()).build())).containsExactlyInAnyOrder(
                old.id().hex(), elsewhere.id().hex(), oldToo.id().hex());
    }

    @Test
    void aRelayWithoutAPublicUrlActsOnRequestsToAllRelaysOnly() {
        SqlEventStore anonymous = new SqlEventStore(db.database(), StoreConfig.DEFAULTS);
        Event old = event(alice, 1, T - 2, "old");
        anonymous.saveAll(List.of(old, vanish(alice, T - 1, THIS_RELAY)));
        assertThat(ids(Filter.builder().ids(old.id().hex()).build())).hasSize(1);

        anonymous.saveAll(List.of(vanish(alice, T, "ALL_RELAYS")));
        assertThat(ids(Filter.builder().ids(old.id().hex()).build())).isEmpty();
    }

    @Test
    void aDeletionRequestAgainstTheRequestHasNoEffect() {
        Event request = vanish(alice, T, THIS_RELAY);
        Event deletionFirst = event(alice, Kinds.DELETION, T + 1, "", Tag.of("e", request.id().hex()));
        store.saveAll(List.of(deletionFirst)); // a tombstone before the request exists must not keep it out
        assertThat(store.saveAll(List.of(request)).get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
        store.saveAll(List.of(event(alice, Kinds.DELETION, T + 2, "", Tag.of("e", request.id().hex()))));

        assertThat(ids(Filter.builder().kinds(Kinds.REQUEST_TO_VANISH).build())).containsExactly(request.id().hex());
        assertThat(store.saveAll(List.of(event(alice, 1, T, "kept out"))).get(0).status())
                .isEqualTo(SaveOutcome.Status.REJECTED);
    }

    /**
     * PostgreSQL's READ COMMITTED, the default of a production database: a writer (another replica) has inserted
     * an old event of the author and not committed yet when the request arrives. The request must wait for it
     * and delete it, not commit around it.
     */
    @Test
    void aWriteInFlightWhenTheRequestArrivesDoesNotSurviveIt() throws Exception {
        Event racing = event(alice, 1, T - 1, "in flight");
        try (Connection other = DriverManager.getConnection(TestDatabase.SERVER, TestDatabase.USER, "")) {
            other.setAutoCommit(false);
            other.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (PreparedStatement insert = other.prepareStatement("INSERT INTO " + db.schema() + ".events "
                    + "(event_key, id, pubkey, created_at, kind, json) VALUES (?, ?, ?, ?, 1, ?)")) {
                insert.setObject(1, EventKeys.of(racing.id()));
                insert.setBytes(2, racing.id().toBytes());
                insert.setBytes(3, alice.pubKey().toBytes());
                insert.setLong(4, racing.createdAt());
                insert.setString(5, racing.toJson());
                insert.executeUpdate();
            }
            CompletableFuture<List<SaveOutcome>> request = CompletableFuture.supplyAsync(
                    () -> store.saveAll(List.of(vanish(alice, T, THIS_RELAY))));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLockOnEvents(other) || request.isDone());
            assertThat(request).as("the request waits for the write in flight").isNotDone();
            other.commit();
            assertThat(request.get().get(0).status()).isEqualTo(SaveOutcome.Status.STORED);
        }
        assertThat(ids(Filter.builder().ids(racing.id().hex()).build())).isEmpty();
    }

    private boolean waitingForLockOnEvents(Connection connection) throws Exception {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM pg_locks "
                + "WHERE NOT granted AND relation = (?)::regclass")) {
            select.setString(1, db.schema() + ".events");
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    private static Event vanish(SecKey key, long createdAt, String relay) {
        return event(key, Kinds.REQUEST_TO_VANISH, createdAt, "forget me", Tag.of("relay", relay));
    }

    private static List<String> ids(Filter filter) {
        return store.query(List.of(filter)).stream().map(StoredEvent::idHex).toList();
    }
}
