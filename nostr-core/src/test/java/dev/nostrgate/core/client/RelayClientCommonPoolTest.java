package dev.nostrgate.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The client needs nothing from the ForkJoin common pool: with every worker of it blocked (a caller that joins in a
 * parallel stream, or, on two cores, its single worker waiting), it still connects, subscribes and publishes.
 */
class RelayClientCommonPoolTest {

    @Test
    void connectsSubscribesAndPublishesWhileTheCommonPoolIsBlocked() throws Exception {
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch allBlocked = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < workers; i++) {
            CompletableFuture.runAsync(() -> {
                allBlocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        SecKey key = SecKey.generate();
        Event stored = new UnsignedEvent(key.pubKey(), 1_000, 1, List.of(), "stored").sign(key);
        Event published = new UnsignedEvent(key.pubKey(), 2_000, 1, List.of(), "published").sign(key);
        List<Event> delivered = new CopyOnWriteArrayList<>();
        try (FakeRelay relay = FakeRelay.start();
             RelayClient client = RelayClient.builder().url(relay.url()).build()) {
            allBlocked.await();
            relay.store(stored);
            client.connect().get();
            client.subscribe(List.of(Filter.ALL), new SubscriptionListener() {
                @Override
                public void onEvent(Event event) {
                    delivered.add(event);
                }
            });
            assertThat(client.send(published).get().accepted()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
            assertThat(delivered).containsExactly(stored, published);
        } finally {
            release.countDown();
        }
    }
}
