package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-45 COUNT, and NIP-50 search refused with CLOSED (this relay has no search). */
class CountIT {
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void countsTheEventsMatchingAnyFilterEachOnce() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect()) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.publish(event(key, i % 2 == 0 ? 1 : 7, now() - i, "n" + i)).accepted()).isTrue();
            }
            String author = key.pubKey().hex();
            client.send(new ClientMessage.Count("c", Filter.builder().authors(author).kinds(1).build(),
                    Filter.builder().authors(author).kinds(1, 7).limit(1).build()));
            RelayMessage.CountResult result = client.next(RelayMessage.CountResult.class);
            assertThat(result.subscriptionId()).isEqualTo("c");
            assertThat(result.count()).as("limit does not apply to COUNT").isEqualTo(5);
            assertThat(result.approximate()).isFalse();
        }
    }

    @Test
    void refusesSearchFiltersWithClosed() {
        try (TestClient client = relay.connect()) {
            client.send(new ClientMessage.Req("find", Filter.builder().search("nostr").build()));
            RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
            assertThat(closed.subscriptionId()).isEqualTo("find");
            assertThat(closed.message()).isEqualTo("blocked: NIP-50 search is not supported on this relay");
            client.send(new ClientMessage.Count("find", Filter.builder().search("nostr").build()));
            assertThat(client.next(RelayMessage.Closed.class).message()).startsWith("blocked: NIP-50");
        }
    }
}
