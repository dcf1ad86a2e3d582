package dev.nostrgate.relay.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.relay.server.EmbeddedConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The monitor's inbox is bounded: a fan-out that falls behind makes the writer wait, it does not grow. */
class LiveMonitorTest {
    private static final SecKey KEY = SecKey.generate();

    private static Event note(String text) {
        return new UnsignedEvent(KEY.pubKey(), 1_700_000_000L, 1, List.of(), text).sign(KEY);
    }

    @Test
    void makesTheWriterWaitWhileTheInboxHoldsAsManyEventsAsItMayThenDeliversEverything() throws Exception {
        EmbeddedConnection embedded = new EmbeddedConnection(1 << 20);
        Subscription subscription = new Subscription(embedded.connection(), "s", List.of(Filter.ALL), 1 << 20);
        embedded.connection().subscriptions().put("s", subscription);
        QueryWorker queries = new QueryWorker(new AnsweringStore(filters -> List.of()), 1, Duration.ofSeconds(3),
                1 << 19, embedded.metrics());
        LiveMonitor monitor = new LiveMonitor(queries, embedded.metrics(), 2);
        CompletableFuture<Void> third;
        try {
            // the monitor thread stops at the subscription's lock: it takes nothing more from its inbox meanwhile
            synchronized (subscription) {
                monitor.subscribe(subscription);
                monitor.committed(List.of(note("one"), note("two")));
                assertThat(monitor.queuedEvents()).isEqualTo(2);

                third = CompletableFuture.runAsync(() -> monitor.committed(List.of(note("three"))));
                // the writer waits for room, for as long as the monitor is stopped
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !third.isDone());
            }
            third.get(5, TimeUnit.SECONDS);
            List<String> sent = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                sent.addAll(embedded.sent()); // sent() hands each message over once
                return sent.size() >= 4;
            });
            assertThat(sent).hasSize(4).first().isEqualTo("[\"EOSE\",\"s\"]");
            assertThat(monitor.queuedEvents()).isZero();
        } finally {
            monitor.close();
            queries.close();
        }
    }
}
