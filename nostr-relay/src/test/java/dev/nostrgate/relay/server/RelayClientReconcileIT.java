package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.client.Reconciliation;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.RequestRefusedException;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** nostr-core's {@code RelayClient.reconcile} against this relay on PostgreSQL: the NIP-77 client most users meet. */
class RelayClientReconcileIT {
    private static final int MAX_ITEMS = 2_000;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withNegentropy(new RelayConfig.Negentropy(8, MAX_ITEMS, 0)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void findsWhatEachSideLacksOverSeveralRoundsWithSmallFrames() {
        SecKey key = SecKey.generate();
        long now = now();
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            stored.add(event(key, 1, now - i, "stored " + i));
        }
        List<EventId> relayOnly = new ArrayList<>();
        SortedVectorStorage.Builder local = SortedVectorStorage.builder();
        for (int i = 0; i < stored.size(); i++) {
            if (i % 100 == 7) {
                relayOnly.add(stored.get(i).id());
            } else {
                local.add(stored.get(i).createdAt(), stored.get(i).id().toBytes());
            }
        }
        Event localOnly = event(key, 1, now - 30, "kept here");
        local.add(localOnly.createdAt(), localOnly.id().toBytes());

        try (RelayClient client = RelayClient.builder().url(relay.url()).maxQueuedRequests(10_000).build()) {
            stored.stream().map(client::send).toList().forEach(ok -> assertThat(ok.join().accepted()).isTrue());

            Reconciliation outcome = client.reconcile(Filter.builder().authors(key.pubKey().hex()).build(),
                    local.build(), 4096).join();

            assertThat(outcome.need()).containsExactlyInAnyOrderElementsOf(relayOnly);
            assertThat(outcome.have()).containsExactly(localOnly.id());
            assertThat(outcome.roundTrips()).isGreaterThan(1);
            // the relay forgot the session (NEG-CLOSE): a new one on the same connection works
            assertThat(client.reconcile(Filter.builder().authors(key.pubKey().hex()).build(), local.build(), 0)
                    .join().need()).hasSize(relayOnly.size());
        }
    }

    @Test
    void aFilterOverTheRelaysLimitIsRefusedWithItsReason() {
        SecKey key = SecKey.generate();
        try (RelayClient client = RelayClient.builder().url(relay.url()).requestTimeout(Duration.ofSeconds(30))
                .maxQueuedRequests(10_000).build()) {
            long now = now();
            List<Event> many = new ArrayList<>();
            for (int i = 0; i <= MAX_ITEMS; i++) {
                many.add(event(key, 1, now - i, "many " + i));
            }
            many.stream().map(client::send).toList().forEach(ok -> assertThat(ok.join().accepted()).isTrue());

            assertThat(client.reconcile(Filter.builder().authors(key.pubKey().hex()).build(),
                    SortedVectorStorage.builder().build(), 0)).failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat().havingCause().isInstanceOf(RequestRefusedException.class)
                    .withMessageContaining("blocked: too many items")
                    .satisfies(refused -> assertThat(((RequestRefusedException) refused).reason()
                            .is(ReasonPrefix.BLOCKED)).isTrue());
        }
    }
}
