package dev.nostrgate.gateway.connector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.gateway.topology.EventBatchCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.Message;

/** The batcher alone: what it hands to the publisher, and when; the test plays the broker's confirms. */
@Timeout(10)
class EventBatcherTest {
    private static final Duration NEVER = Duration.ofMinutes(1);
    private static final String EVENT = "{\"n\":\"event %08d\"}";
    private static final int EVENT_BYTES = EVENT.formatted(0).length();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Message> published = new CopyOnWriteArrayList<>();
    private int next;

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private EventBatcher batcher(InFlightPermits permits, int maxEvents, long maxBytes, Duration linger) {
        return new EventBatcher(new BatchLimits(maxEvents, maxBytes, linger), scheduler, permits, published::add);
    }

    private EventBatcher batcher(int maxEvents, Duration linger) {
        return batcher(new InFlightPermits(8), maxEvents, 1024 * 1024, linger);
    }

    /** Adds an event of {@link #EVENT_BYTES}; returns its JSON. */
    private String add(EventBatcher batcher, boolean catchUp) {
        String json = EVENT.formatted(next++);
        batcher.add(json.getBytes(UTF_8), "id" + next, System.currentTimeMillis(), System.nanoTime(), catchUp);
        return json;
    }

    private static List<String> events(Message message) throws Exception {
        List<String> events = new ArrayList<>();
        EventBatchCodec.decode(message).forEach(json -> events.add(new String(json, UTF_8)));
        return events;
    }

    @Test
    void publishesTheBatchOnTheListenersThreadWhenItHoldsMaxEvents() throws Exception {
        EventBatcher batcher = batcher(3, NEVER);
        List<String> sent = List.of(add(batcher, false), add(batcher, false));
        assertThat(published).isEmpty();
        assertThat(batcher.pendingEvents()).isEqualTo(2);

        String third = add(batcher, false);

        assertThat(published).singleElement().satisfies(message -> assertThat(events(message))
                .containsExactly(sent.get(0), sent.get(1), third));
        assertThat(batcher.pendingEvents()).isZero();
    }

    @Test
    void closesTheBatchBeforeAnEventThatWouldTakeItPastMaxBytes() throws Exception {
        EventBatcher batcher = batcher(new InFlightPermits(8), 100, 2 * EVENT_BYTES + 2, NEVER);
        String first = add(batcher, false);
        String second = add(batcher, false);

        String third = add(batcher, false);

        assertThat(published).singleElement().satisfies(message -> assertThat(events(message))
                .containsExactly(first, second));
        assertThat(batcher.pendingEvents()).as("the third starts the next batch").isEqualTo(1);
        assertThat(batcher.flush()).isTrue();
        assertThat(events(published.get(1))).containsExactly(third);
    }

    @Test
    void neverMixesCatchUpAndLiveEventsInOneBatch() throws Exception {
        EventBatcher batcher = batcher(100, NEVER);
        String live = add(batcher, false);

        String catchUp = add(batcher, true);
        batcher.flush();

        assertThat(published).hasSize(2);
        assertThat(EventBatchCodec.isCatchUp(published.get(0))).isFalse();
        assertThat(events(published.get(0))).containsExactly(live);
        assertThat(EventBatchCodec.isCatchUp(published.get(1))).isTrue();
        assertThat(events(published.get(1))).containsExactly(catchUp);
    }

    @Test
    void publishesALoneEventOnceTheLingerHasPassed() throws Exception {
        EventBatcher batcher = batcher(100, Duration.ofMillis(5));

        String lone = add(batcher, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(events(published.get(0))).containsExactly(lone);
    }

    @Test
    void aBatchWhoseLingerPassedWithoutAPermitGoesWithTheNextConfirm() throws Exception {
        InFlightPermits permits = new InFlightPermits(1);
        permits.tryAcquire(); // the one message allowed in flight waits for its confirm
        EventBatcher batcher = batcher(permits, 100, 1024, Duration.ofMillis(1));
        String lone = add(batcher, false);
        assertThat(published).as("no permit, so not published").isEmpty();

        permits.release();
        batcher.permitFreed();

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(events(published.get(0))).containsExactly(lone);
        assertThat(permits.taken()).as("held until its own confirm").isEqualTo(1);
    }

    @Test
    void theListenerWaitsForAPermitWhenEveryMessageAwaitsItsConfirm() throws Exception {
        InFlightPermits permits = new InFlightPermits(1);
        EventBatcher batcher = batcher(permits, 1, 1024, NEVER);
        add(batcher, false);
        assertThat(published).hasSize(1);

        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> add(batcher, false));
        assertThat(second).as("waits for the first message's confirm").isNotDone();
        assertThat(published).hasSize(1);

        permits.release();

        String event = second.join();
        assertThat(published).hasSize(2);
        assertThat(events(published.get(1))).containsExactly(event);
    }

    @Test
    void givesUpThePendingBatchOnceThePermitsAreClosed() {
        InFlightPermits permits = new InFlightPermits(1);
        permits.tryAcquire();
        EventBatcher batcher = batcher(permits, 100, 1024, NEVER);
        add(batcher, false);

        permits.close();

        assertThat(batcher.flush(Duration.ofSeconds(1))).isFalse();
        assertThat(published).isEmpty();
    }
}
