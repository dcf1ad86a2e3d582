package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.negentropy.NegentropyClient;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay-wide NIP-77 budget over real sockets: with no heap share every session's items live in a spill file,
 * reconciliation still finds exactly the difference, the disk share is one budget across connections (a NEG-OPEN
 * past it gets {@code NEG-ERR "blocked: ..."}), and NEG-CLOSE or a disconnect gives the room back.
 */
class NegentropyBudgetIT {
    private static final int EVENTS = 100;
    /** Room for two sessions of {@value #EVENTS} items (40 bytes each), not three. */
    private static final long DISK_BUDGET = 2 * EVENTS * 40 + 1_000;
    @TempDir
    static Path spill;
    private static TestRelay relay;
    private static SecKey author;
    private static Set<String> stored;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withNegentropy(new RelayConfig.Negentropy(8, 10_000, 0, 0,
                DISK_BUDGET, spill.toString())));
        author = SecKey.generate();
        stored = new HashSet<>();
        try (TestClient client = relay.connect()) {
            for (int i = 0; i < EVENTS; i++) {
                Event event = event(author, 1, now() - i, "budget " + i);
                assertThat(client.publish(event).accepted()).isTrue();
                stored.add(event.id().hex());
            }
        }
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void spilledSessionsShareOneDiskBudgetAcrossConnectionsAndGiveItBackWhenTheyEnd() throws IOException {
        try (TestClient first = relay.connect(); TestClient second = relay.connect()) {
            assertThat(reconcile(first, "one")).as("a session on spilled blocks finds every event")
                    .isEqualTo(stored);
            assertThat(reconcile(second, "two")).isEqualTo(stored);
            try (Stream<Path> files = Files.list(spill)) {
                assertThat(files).as("spill files are unlinked as they are made").isEmpty();
            }

            try (TestClient third = relay.connect()) {
                third.send(open("three"));
                RelayMessage.NegErr refused = third.next(RelayMessage.NegErr.class);
                assertThat(refused.subscriptionId()).isEqualTo("three");
                assertThat(refused.reason()).startsWith("blocked: the relay holds as many reconciliations");
                assertThat(third.req("still-works", Filter.builder().authors(author.pubKey().hex()).limit(1)
                        .build())).hasSize(1);

                first.send(new ClientMessage.NegClose("one"));
                first.req("after-close", Filter.builder().ids("00".repeat(32)).build()); // the close is done
                assertThat(reconcile(third, "three-again")).as("room again after NEG-CLOSE").isEqualTo(stored);
            }
        }
        // the second and third sessions end with their connections, as the relay notices the disconnects
        try (TestClient fourth = relay.connect(); TestClient fifth = relay.connect()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(tryReconcile(fourth, "four")).contains(stored));
            assertThat(reconcile(fifth, "five")).as("room again after disconnects").isEqualTo(stored);
        }
    }

    private static ClientMessage.NegOpen open(String id) {
        return new ClientMessage.NegOpen(id, Filter.builder().authors(author.pubKey().hex()).build(),
                new NegentropyClient(SortedVectorStorage.builder().build(), 0).initiateHex());
    }

    /** Reconciles an empty local set: what the relay has for the author, as "need" ids; the session stays open. */
    private static Set<String> reconcile(TestClient client, String id) {
        return tryReconcile(client, id).orElseThrow(() -> new AssertionError("NEG-OPEN " + id + " refused"));
    }

    /** As {@link #reconcile}, or empty if the NEG-OPEN is refused. */
    private static Optional<Set<String>> tryReconcile(TestClient client, String id) {
        NegentropyClient negentropy = new NegentropyClient(SortedVectorStorage.builder().build(), 0);
        client.send(new ClientMessage.NegOpen(id, Filter.builder().authors(author.pubKey().hex()).build(),
                negentropy.initiateHex()));
        Set<String> need = new HashSet<>();
        while (true) {
            RelayMessage reply = client.next(RelayMessage.class);
            if (reply instanceof RelayMessage.NegErr refused) {
                assertThat(refused.reason()).startsWith("blocked: ");
                return Optional.empty();
            }
            Optional<String> next = negentropy.reconcileHex(((RelayMessage.NegMsg) reply).messageHex(), have -> { },
                    need::add);
            if (next.isEmpty()) {
                return Optional.of(need);
            }
            client.send(new ClientMessage.NegMsg(id, next.get()));
        }
    }
}
