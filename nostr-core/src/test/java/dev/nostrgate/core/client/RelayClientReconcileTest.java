package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NIP-77 from the client's side, against a relay that runs the core's negentropy server. */
class RelayClientReconcileTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SecKey ALICE = SecKey.generate();
    private static final Filter NOTES = Filter.builder().kinds(1).build();

    private FakeRelay relay;
    private final List<RelayClient> clients = new ArrayList<>();

    @BeforeEach
    void startRelay() {
        relay = FakeRelay.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(RelayClient::close);
        relay.close();
    }

    @Test
    void findsWhatEachSideLacksAndClosesTheSession() {
        List<Event> notes = IntStream.range(0, 3_000).mapToObj(i -> note(1_000 + i, "note " + i)).toList();
        List<Event> relayOnly = List.of(notes.get(5), notes.get(1_500), notes.get(2_999));
        Event localOnly = note(500, "only here");
        relay.store(notes.toArray(Event[]::new));
        SortedVectorStorage.Builder local = SortedVectorStorage.builder();
        notes.stream().filter(note -> !relayOnly.contains(note)).forEach(note -> add(local, note));
        add(local, localOnly);

        Reconciliation outcome = client(RelayClient.Builder::noReconnect)
                .reconcile(NOTES, local.build(), 4096).join();

        assertThat(outcome.need()).containsExactlyInAnyOrderElementsOf(relayOnly.stream().map(Event::id).toList());
        assertThat(outcome.have()).containsExactly(localOnly.id());
        assertThat(outcome.roundTrips()).isGreaterThan(1); // 3,000 ids do not fit in one 4 kB frame
        assertThat(outcome.bytesReceived()).isPositive();
        // a tenth of what the ids alone would weigh as hex: fingerprints, not lists
        assertThat(outcome.bytesSent() + outcome.bytesReceived()).isLessThan(3_000 * 64 / 10);
        assertThat(relay.received(ClientMessage.NegOpen.class)).singleElement()
                .satisfies(open -> assertThat(open.filter()).isEqualTo(NOTES));
        assertThat(relay.received(ClientMessage.NegMsg.class)).hasSize(outcome.roundTrips() - 1);
        // NEG-CLOSE goes out as the result completes: it reaches the relay a moment later
        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.received(ClientMessage.NegClose.class))
                .singleElement().satisfies(close -> assertThat(close.subscriptionId())
                        .isEqualTo(relay.received(ClientMessage.NegOpen.class).get(0).subscriptionId())));
    }

    @Test
    void equalSetsNeedOneRoundTrip() {
        Event note = note(1_000, "same");
        relay.store(note);

        Reconciliation outcome = client().reconcile(NOTES, storageOf(note), 0).join();

        assertThat(outcome.have()).isEmpty();
        assertThat(outcome.need()).isEmpty();
        assertThat(outcome.roundTrips()).isEqualTo(1);
    }

    @Test
    void eachReconciliationHasItsOwnSubscriptionId() {
        relay.store(note(1_000, "a"));
        RelayClient client = client();

        CompletableFuture<Reconciliation> first = client.reconcile(NOTES, storageOf(), 0);
        CompletableFuture<Reconciliation> second = client.reconcile(NOTES, storageOf(), 0);

        assertThat(first.join().need()).hasSize(1);
        assertThat(second.join().need()).hasSize(1);
        assertThat(relay.received(ClientMessage.NegOpen.class)).extracting(ClientMessage.NegOpen::subscriptionId)
                .doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void negErrFailsWithTheRelaysReason() {
        relay.refuseNegentropy("blocked: too many items");

        assertThat(client().reconcile(NOTES, storageOf(), 0)).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOf(RequestRefusedException.class)
                .withMessageContaining("blocked: too many items")
                .satisfies(refused -> assertThat(((RequestRefusedException) refused).reason().message())
                        .isEqualTo("too many items"));
    }

    @Test
    void aSilentRelayTimesOut() {
        relay.silent();

        assertThat(client(builder -> builder.requestTimeout(Duration.ofMillis(300))).reconcile(NOTES, storageOf(), 0))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(RequestTimeoutException.class)
                .withMessageContaining("no NEG-MSG");
    }

    @Test
    void aConnectionLostBetweenRoundsFailsItWithoutStartingOver() {
        List<Event> notes = IntStream.range(0, 3_000).mapToObj(i -> note(1_000 + i, "n" + i)).toList();
        relay.store(notes.toArray(Event[]::new));
        relay.dropDuringNegentropy();

        // one missing from the middle: the relay answers with fingerprints, the client with a second NEG-MSG
        assertThat(client().reconcile(NOTES, storageOf(notes.subList(1, notes.size()).toArray(Event[]::new)), 4096)).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOf(ConnectionFailedException.class)
                .withMessageContaining("connection lost during NEG-OPEN");
        assertThat(relay.received(ClientMessage.NegOpen.class)).hasSize(1); // not sent again on the new connection
    }

    @Test
    void closingTheClientFailsIt() {
        relay.silent();
        RelayClient client = client();
        CompletableFuture<Reconciliation> reconciling = client.reconcile(NOTES, storageOf(), 0);

        client.close();

        assertThat(reconciling).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(ClientClosedException.class);
        assertThatThrownBy(() -> client.reconcile(NOTES, storageOf(), 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    }

    private static SortedVectorStorage storageOf(Event... events) {
        SortedVectorStorage.Builder items = SortedVectorStorage.builder();
        for (Event event : events) {
            add(items, event);
        }
        return items.build();
    }

    private static void add(SortedVectorStorage.Builder items, Event event) {
        items.add(event.createdAt(), event.id().toBytes());
    }

    private RelayClient client() {
        return client(builder -> { });
    }

    private RelayClient client(java.util.function.Consumer<RelayClient.Builder> settings) {
        RelayClient.Builder builder = RelayClient.builder().url(relay.url());
        settings.accept(builder);
        RelayClient client = builder.build();
        clients.add(client);
        return client;
    }

    private static Event note(long createdAt, String content) {
        return new UnsignedEvent(ALICE.pubKey(), createdAt, 1, List.of(), content).sign(ALICE);
    }
}
