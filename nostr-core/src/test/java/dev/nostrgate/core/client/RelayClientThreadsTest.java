package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Clients share their threads: a process that talks to hundreds of relays (the gateway) does not pay a thread, or
 * several, per relay.
 */
class RelayClientThreadsTest {
    private static final int CLIENTS = 300;

    @Test
    void threeHundredConnectedClientsAddOnlyAFewPlatformThreads() throws Exception {
        SecKey key = SecKey.generate();
        Event stored = new UnsignedEvent(key.pubKey(), 1_700_000_000L, 1, List.of(), "stored").sign(key);
        List<RelayClient> clients = new ArrayList<>();
        AtomicInteger eoses = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        try (FakeRelay relay = FakeRelay.start()) {
            relay.store(stored);
            // the relay's own threads and the shared client threads exist before counting
            try (RelayClient warmUp = RelayClient.builder().url(relay.url()).build()) {
                warmUp.connect().get();
            }
            int before = platformThreads();

            for (int i = 0; i < CLIENTS; i++) {
                RelayClient client = RelayClient.builder().url(relay.url()).build();
                clients.add(client);
                client.subscribe(Filter.ALL, new SubscriptionListener() {
                    @Override
                    public void onEvent(Event event) {
                        events.incrementAndGet();
                    }

                    @Override
                    public void onEose() {
                        eoses.incrementAndGet();
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> eoses.get() == CLIENTS);
            assertThat(events).hasValue(CLIENTS);
            assertThat(clients).allMatch(RelayClient::isConnected);

            int after = platformThreads();
            assertThat(after - before)
                    .as("platform threads added by %d connected clients (before %d, after %d)", CLIENTS, before,
                            after)
                    .isLessThan(30);
        } finally {
            clients.forEach(RelayClient::close);
        }
    }

    /** Thread.getAllStackTraces lists platform threads only: virtual threads are not the cost counted here. */
    private static int platformThreads() {
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        return (int) all.keySet().stream().filter(thread -> !thread.isVirtual()).count();
    }
}
