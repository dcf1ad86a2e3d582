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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A slow subscriber holds the socket back instead of piling events up in memory, and loses nothing. */
class RelayClientBackpressureTest {

    @Test
    void stopsReadingWhileTheListenerIsBehindThenDeliversEverythingInOrder() throws Exception {
        SecKey key = SecKey.generate();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(new UnsignedEvent(key.pubKey(), 1_000_000 - i, 1, List.of(), "event " + i).sign(key));
        }
        CountDownLatch release = new CountDownLatch(1);
        List<Event> delivered = new CopyOnWriteArrayList<>();
        try (FakeRelay relay = FakeRelay.start();
             RelayClient client = RelayClient.builder().url(relay.url()).maxUndelivered(20).build()) {
            relay.store(events.toArray(Event[]::new));
            client.subscribe(List.of(Filter.ALL), new SubscriptionListener() {
                @Override
                public void onEvent(Event event) {
                    delivered.add(event);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> client.undelivered() == 20);
            // held there: the read thread waits, the rest stays in the socket
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> client.undelivered() <= 20 && delivered.size() == 1);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == events.size());
            assertThat(delivered).containsExactlyElementsOf(events);
            await().atMost(Duration.ofSeconds(5)).until(() -> client.undelivered() == 0);
        }
    }
}
