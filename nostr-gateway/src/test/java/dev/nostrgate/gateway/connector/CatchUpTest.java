package dev.nostrgate.gateway.connector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.Message;

/**
 * The catch-up protocol alone, with a real batcher and permits: the test plays the relay (events, EOSE) and the
 * broker (each confirm frees a permit), and reads what was published, in order.
 */
@Timeout(10)
class CatchUpTest {
    private static final long NOW_MILLIS = System.currentTimeMillis();
    private static final long NOW = NOW_MILLIS / 1000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final InFlightPermits permits = new InFlightPermits(4);
    private final List<Message> published = new CopyOnWriteArrayList<>();
    private final EventBatcher batcher = new EventBatcher(new BatchLimits(2, 1024 * 1024, Duration.ofMinutes(1)),
            scheduler, permits, published::add);
    private final CatchUp catchUp = new CatchUp(FutureLimit.of(FutureLimit.DEFAULT), batcher, permits,
            published::add);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    /** An event as the connector hands it on: told to the protocol, then to the batcher. */
    private void receive(long createdAt) {
        boolean catchingUp = catchUp.received(createdAt, NOW_MILLIS);
        byte[] json = ("{\"created_at\":" + createdAt + "}").getBytes(UTF_8);
        batcher.add(json, "id" + createdAt, NOW_MILLIS, System.nanoTime(), catchingUp);
    }

    private void confirm(int messages) {
        for (int i = 0; i < messages; i++) {
            permits.release();
        }
    }

    private static boolean isMarker(Message message) {
        return EventBatchCodec.CAUGHT_UP_CONTENT_TYPE.equals(message.getMessageProperties().getContentType());
    }

    @Test
    void eventsBeforeTheEoseAreCatchUpAndAfterItLive() {
        assertThat(catchUp.received(NOW - 10, NOW_MILLIS)).isTrue();

        CompletableFuture<Void> eose = CompletableFuture.runAsync(catchUp::end);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1); // the marker
        confirm(1);
        eose.join();

        assertThat(catchUp.received(NOW - 5, NOW_MILLIS)).isFalse();
        catchUp.begin(); // the client subscribed again after a reconnect
        assertThat(catchUp.received(NOW - 4, NOW_MILLIS)).isTrue();
        assertThat(catchUp.isLive()).isFalse();
    }

    @Test
    void publishesTheMarkerOnlyOnceEveryCatchUpMessageIsConfirmedAndGoesLiveOnlyOnceItIsConfirmed()
            throws Exception {
        receive(NOW - 30); // newest first, as relays send them
        receive(NOW - 40);
        receive(NOW - 50); // pending: published by the EOSE
        assertThat(published).hasSize(1);

        CompletableFuture<Void> eose = CompletableFuture.runAsync(catchUp::end);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        assertThat(published).noneMatch(CatchUpTest::isMarker);
        confirm(1);
        assertThat(published).as("one catch-up message is still unconfirmed").hasSize(2);

        confirm(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
        assertThat(EventBatchCodec.caughtUpTo(published.get(2))).hasValue(NOW - 30);
        assertThat(eose).as("the marker waits for its own confirm").isNotDone();
        assertThat(catchUp.isLive()).isFalse();

        confirm(1);
        eose.join();
        assertThat(catchUp.isLive()).isTrue();
        assertThat(published.subList(0, 2)).allMatch(EventBatchCodec::isCatchUp);
    }

    @Test
    void theMarkerNeverCountsPastTheReceiptNorAnEventTheSinkWillRefuse() throws Exception {
        receive(NOW + 60); // a little ahead of our clock: counts as received now
        receive(NOW + Duration.ofDays(1).toSeconds()); // too far in the future: refused by the sink
        confirm(1);

        CompletableFuture<Void> eose = CompletableFuture.runAsync(catchUp::end);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        confirm(1);
        eose.join();

        assertThat(EventBatchCodec.caughtUpTo(published.get(1))).hasValue(NOW);
    }

    @Test
    void sendsNoMarkerWhenTheRelayHadNothingStored() {
        catchUp.end();

        assertThat(published).isEmpty();
        assertThat(catchUp.isLive()).isTrue();
    }

    @Test
    void aCloseWhileWaitingForConfirmsEndsWithoutAMarker() {
        receive(NOW - 30);
        CompletableFuture<Void> eose = CompletableFuture.runAsync(catchUp::end);
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);

        permits.close();

        eose.join();
        assertThat(published).noneMatch(CatchUpTest::isMarker);
        assertThat(catchUp.isLive()).isFalse();
    }
}
