package dev.nostrgate.gateway.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * How a relay's consumer batches what the real RabbitMQ pushes: a lone message goes at its delay, a full batch at
 * once, batches in queue order, and nothing is acknowledged but what the sink acknowledged after its commit.
 */
class RelayConsumerIT {
    private static final Duration AN_HOUR = Duration.ofHours(1);

    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connections);
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final UUID relayId = UUID.randomUUID();
    private final String queue = RelayTopology.queue(relayId);

    RelayConsumerIT() {
        admin.declareQueue(QueueBuilder.nonDurable(queue).build());
    }

    @AfterEach
    void deleteQueue() {
        admin.deleteQueue(queue);
        connections.destroy();
    }

    /** As RelaySink does after its commit: every batch it gets, acknowledged up to its last message. */
    private static final class AckingSink implements ChannelAwareBatchMessageListener {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<Boolean> redelivered = new CopyOnWriteArrayList<>();

        @Override
        public void onMessageBatch(List<Message> messages, Channel channel) {
            batches.add(messages.stream().map(m -> new String(m.getBody(), StandardCharsets.UTF_8)).toList());
            messages.forEach(m -> redelivered.add(m.getMessageProperties().isRedelivered()));
            try {
                channel.basicAck(messages.get(messages.size() - 1).getMessageProperties().getDeliveryTag(), true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> all() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    /** Throws {@code failure} (a RuntimeException or an Error) at its first batch, then hands each to the sink. */
    private static ChannelAwareBatchMessageListener failingOnce(AtomicBoolean failed, Throwable failure,
                                                                AckingSink sink) {
        return (messages, channel) -> {
            if (failed.compareAndSet(false, true)) {
                if (failure instanceof RuntimeException exception) {
                    throw exception;
                }
                throw (Error) failure;
            }
            sink.onMessageBatch(messages, channel);
        };
    }

    /**
     * Between one offer of the failing batch and the next, at least the lower bound of the backoff's jitter (half
     * its step) for that failure in a row: the first failure's step, then the second's, and so on.
     */
    private static void assertHeldForEachStepOf(Backoff backoff, List<Long> offeredAt) {
        for (int failure = 0; failure < offeredAt.size() - 1; failure++) {
            Duration gap = Duration.ofNanos(offeredAt.get(failure + 1) - offeredAt.get(failure));
            assertThat(gap).as("held after failure %d in a row", failure + 1)
                    .isGreaterThanOrEqualTo(backoff.step(failure).dividedBy(2));
        }
    }

    private void publish(int from, int to) {
        IntStream.range(from, to).forEach(i -> rabbit.convertAndSend("", queue, "m" + i));
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }

    /** Ready messages: after a consumer stopped, its unacknowledged ones are back among them. */
    private long queued() {
        return ((Number) admin.getQueueProperties(queue).get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
    }

    @Test
    void storesALoneMessageAtItsDelayWithoutWaitingForAFullBatch() {
        AckingSink sink = new AckingSink();
        try (RelayConsumers consumers = new RelayConsumers(connections, 100, Duration.ofMillis(20))) {
            RelayConsumer consumer = consumers.create(relayId, sink);
            consumer.start();
            publish(0, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.batches.size() == 1);
            consumer.stop();
        }
        assertThat(sink.batches).containsExactly(List.of("m0"));
        assertThat(queued()).as("acknowledged: not back in the queue after the stop").isZero();
    }

    @Test
    void closesAFullBatchAtOnceAndStoresWhatWaitsWhenStopped() {
        AckingSink sink = new AckingSink();
        try (RelayConsumers consumers = new RelayConsumers(connections, 5, AN_HOUR)) {
            RelayConsumer consumer = consumers.create(relayId, sink);
            consumer.start();
            publish(0, 12);
            // only their size can close these two within the test's patience: the delay is an hour
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.batches.size() == 2);
            assertThat(sink.batches).containsExactly(bodies(0, 5), bodies(5, 10));
            consumer.stop(); // the last two wait for their hour: the stop stores them first
        }
        assertThat(sink.batches).containsExactly(bodies(0, 5), bodies(5, 10), bodies(10, 12));
        assertThat(queued()).isZero();
    }

    @Test
    void aBatchThatFailsBeforeItsCommitIsNotAcknowledgedAndComesBackFromTheBroker() {
        AtomicBoolean failed = new AtomicBoolean();
        AckingSink sink = new AckingSink();
        ChannelAwareBatchMessageListener failingOnce = failingOnce(failed,
                new IllegalStateException("test: the database failed before the commit"), sink);
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR)) { // one batch of all three
            RelayConsumer consumer = consumers.create(relayId, failingOnce);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.all().size() == 3);
            consumer.stop();
        }
        assertThat(failed).isTrue();
        assertThat(sink.all()).isEqualTo(bodies(0, 3));
        assertThat(sink.redelivered).as("sent back to the queue, not acknowledged").containsOnly(true);
        assertThat(queued()).isZero();
    }

    @Test
    void aBatchThatTheSinkLetsAnErrorOutOfGoesBackToTheQueueAndTheConsumerGoesOn() {
        AtomicBoolean failed = new AtomicBoolean();
        AckingSink sink = new AckingSink();
        ChannelAwareBatchMessageListener failingOnce = failingOnce(failed,
                new OutOfMemoryError("test: no room for this batch"), sink);
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR)) { // a batch is three
            RelayConsumer consumer = consumers.create(relayId, failingOnce);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(failed::get);
            publish(3, 6);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.all().size() == 6);
            consumer.stop();
        }
        // not acknowledged with the next batch, unstored: held, then sent back alone, delivered again to the same
        // consumer (behind m3 to m5, which arrived during the hold)
        assertThat(sink.all()).containsExactlyInAnyOrderElementsOf(bodies(0, 6));
        assertThat(sink.batches).allSatisfy(batch -> assertThat(batch).hasSize(3));
        assertThat(queued()).isZero();
    }

    @Test
    void aBatchThatKeepsFailingIsOfferedAgainOnlyAfterABackoffThatGrowsWithEachFailure() {
        // 200 ms doubling to 1 s, jittered between half and all of each step: at least 100, 200 and 400 ms apart
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));
        List<Long> offered = new CopyOnWriteArrayList<>();
        AckingSink sink = new AckingSink();
        ChannelAwareBatchMessageListener failingThrice = (messages, channel) -> {
            offered.add(System.nanoTime());
            if (offered.size() <= 3) {
                throw new LinkageError("test: a class this batch needs did not load");
            }
            sink.onMessageBatch(messages, channel);
        };
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR, backoff)) {
            RelayConsumer consumer = consumers.create(relayId, failingThrice);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.all().size() == 3);
            consumer.stop();
        }
        assertThat(offered).hasSize(4);
        assertHeldForEachStepOf(backoff, offered);
        assertThat(sink.all()).isEqualTo(bodies(0, 3));
        assertThat(queued()).isZero();
    }

    @Test
    void theBackoffGrowsWithEachFailureOfTheSameBatchThoughTheBatchesBetweenAreStored() {
        // 200 ms doubling to 10 s, jittered: at least 100, 200 and 400 ms; from the start again (100 to 200 ms)
        // after the batches stored between, if those ended the row
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
        List<Long> offered = new CopyOnWriteArrayList<>();
        AtomicInteger nextFollower = new AtomicInteger(3);
        AckingSink sink = new AckingSink();
        ChannelAwareBatchMessageListener failingOnM0 = (messages, channel) -> {
            boolean holdsM0 = messages.stream().anyMatch(m -> new String(m.getBody(), StandardCharsets.UTF_8)
                    .equals("m0"));
            if (holdsM0) {
                offered.add(System.nanoTime());
                if (offered.size() <= 3) {
                    int from = nextFollower.getAndAdd(3);
                    publish(from, from + 3); // a batch of others arrives during the hold, stored after it
                    throw new LinkageError("test: a class this batch needs did not load");
                }
            }
            sink.onMessageBatch(messages, channel);
        };
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR, backoff)) {
            RelayConsumer consumer = consumers.create(relayId, failingOnM0);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.all().size() == 12);
            consumer.stop();
        }
        assertThat(offered).hasSize(4);
        assertHeldForEachStepOf(backoff, offered);
        assertThat(sink.all()).containsExactlyInAnyOrderElementsOf(bodies(0, 12));
        assertThat(queued()).isZero();
    }

    @Test
    void aStopGivesAHeldBatchBackAtOnceAndStoresItIfItGoesThroughNow() {
        AtomicBoolean failed = new AtomicBoolean();
        AckingSink sink = new AckingSink();
        ChannelAwareBatchMessageListener failingOnce = failingOnce(failed,
                new OutOfMemoryError("test: no room for this batch, this time"), sink);
        Duration stopping;
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR, new Backoff(AN_HOUR, AN_HOUR))) {
            RelayConsumer consumer = consumers.create(relayId, failingOnce);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(consumer::holding);
            long start = System.nanoTime();
            consumer.stop(); // as a removal does before it deletes the queue: what can be stored is
            stopping = Duration.ofNanos(System.nanoTime() - start);
        }
        assertThat(stopping).as("not left to wait out its hour, nor the close's timeout")
                .isLessThan(RelayConsumer.CLOSE_WAIT);
        assertThat(sink.all()).isEqualTo(bodies(0, 3));
        assertThat(queued()).isZero();
    }

    @Test
    void aBatchThatFailsAgainDuringTheStopIsLeftToTheBrokerNotTriedOverAndOver() {
        AtomicInteger offered = new AtomicInteger();
        ChannelAwareBatchMessageListener alwaysFailing = (messages, channel) -> {
            offered.incrementAndGet();
            throw new OutOfMemoryError("test: no room for this batch, ever");
        };
        try (RelayConsumers consumers = new RelayConsumers(connections, 3, AN_HOUR, new Backoff(AN_HOUR, AN_HOUR))) {
            RelayConsumer consumer = consumers.create(relayId, alwaysFailing);
            consumer.start();
            publish(0, 3);
            await().atMost(Duration.ofSeconds(10)).until(consumer::holding);
            consumer.stop();
        }
        assertThat(offered).as("held, then tried once more at the stop").hasValue(2);
        assertThat(queued()).as("back in the queue, unacknowledged").isEqualTo(3);
    }
}
