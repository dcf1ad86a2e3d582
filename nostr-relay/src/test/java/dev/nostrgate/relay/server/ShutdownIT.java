package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.TestDatabase;
import dev.nostrgate.relay.store.WriterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Graceful stop: events already read are committed and answered, then clients get close code 1001. */
class ShutdownIT {

    @Test
    void answersPendingWritesThenClosesWithGoingAway() {
        try (TestDatabase database = TestDatabase.create()) {
            // A slow group commit, so that events are still waiting for the writer when the stop begins.
            TestRelay relay = TestRelay.startOn(database, config -> config.withWriter(
                    new WriterConfig(1, 1_000, Duration.ofMillis(500), 10_000, Duration.ofSeconds(5), 1_000)));
            SecKey key = SecKey.generate();
            List<Event> events = new ArrayList<>();
            try (TestClient client = relay.connect(); TestClient idle = relay.connect()) {
                for (int i = 0; i < 20; i++) {
                    events.add(note(key, "pending " + i));
                    client.send(new ClientMessage.Publish(events.get(i)));
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> relay.meter("nostr.relay.events.received") == events.size());
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(relay::close);

                Set<EventId> answered = new HashSet<>();
                for (int i = 0; i < events.size(); i++) {
                    RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
                    assertThat(ok.accepted()).as(ok.message()).isTrue();
                    answered.add(ok.eventId());
                }
                assertThat(answered).hasSize(events.size());
                assertThat(client.awaitClose()).isEqualTo(1001);
                assertThat(idle.awaitClose()).isEqualTo(1001);
                stopped.join();
            }
            assertThat(new SqlEventStore(database.database(), StoreConfig.DEFAULTS)
                    .count(List.of(Filter.builder().authors(key.pubKey().hex()).build()))).isEqualTo(events.size());
        }
    }
}
