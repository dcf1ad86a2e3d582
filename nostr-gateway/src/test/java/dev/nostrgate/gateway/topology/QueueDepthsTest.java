package dev.nostrgate.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Depths on the local RabbitMQ, never read on the asking thread: unknown until first read aside, then served from
 * the last reading while a new one is read aside.
 */
class QueueDepthsTest {
    private final UUID relay = UUID.randomUUID();
    private CachingConnectionFactory broker;
    private RabbitAdmin admin;
    private RabbitTemplate rabbit;

    @BeforeEach
    void declareTheRelaysQueue() {
        broker = new CachingConnectionFactory("127.0.0.1", 5672);
        admin = new RabbitAdmin(broker);
        rabbit = new RabbitTemplate(broker);
        admin.declareQueue(new Queue(RelayTopology.queue(relay), true, false, false, Map.of()));
    }

    @AfterEach
    void deleteIt() {
        admin.deleteQueue(RelayTopology.queue(relay));
        broker.destroy();
    }

    @Test
    void aFreshReadingIsServedAsItIsAndAStaleOneAnsweredAtOnceThenReadAgainAside() {
        QueueDepths depths = new QueueDepths(new RelayTopology(admin, null), Duration.ofMillis(300));
        publish(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> new RelayTopology(admin, null).depth(relay) == 3);

        assertThat(depths.depth(relay)).as("never read: unknown, and read aside").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.depth(relay) == 3);
        publish(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> new RelayTopology(admin, null).depth(relay) == 5);
        assertThat(depths.depth(relay)).as("fresh: served as read").isEqualTo(3);

        await().pollDelay(Duration.ofMillis(400)).until(() -> true); // the reading is stale now
        assertThat(depths.depth(relay)).as("stale: answered at once with the last reading").isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.depth(relay) == 5); // read again aside
    }

    @Test
    void aRequestNeverWaitsForTheBrokerEvenForAFirstReading() throws Exception {
        SlowBroker broker = new SlowBroker();
        QueueDepths depths = new QueueDepths(broker, Duration.ofMillis(300));
        publish(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> new RelayTopology(admin, null).depth(relay) == 4);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 100; i++) {
                assertThat(depths.depth(relay)).isEqualTo(-1);
            }
        });
        assertThat(broker.asked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.reads).as("one reading under way, not a hundred").hasValue(1);
        broker.answers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.depth(relay) == 4);
    }

    @Test
    void anUnknownQueueIsMinusOneAndAskedForAgainRatherThanKept() {
        SlowBroker broker = new SlowBroker();
        broker.answers.countDown();
        QueueDepths depths = new QueueDepths(broker);
        UUID unknown = UUID.randomUUID();

        assertThat(depths.depth(unknown)).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.reads.get() >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(depths.depth(unknown)).as("read: no such queue").isEqualTo(-1);
            return broker.reads.get() >= 2; // not kept as a reading: the next request has it read again
        });
    }

    @Test
    void aRelayForgottenWhileItsReadingIsUnderWayIsNotRememberedAgain() throws Exception {
        SlowBroker broker = new SlowBroker();
        QueueDepths depths = new QueueDepths(broker, Duration.ofMinutes(1));
        publish(1);
        assertThat(depths.depth(relay)).isEqualTo(-1);
        assertThat(broker.asked.await(10, TimeUnit.SECONDS)).isTrue();
        depths.forget(relay);
        broker.answers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.answered.get() == 1);
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).until(() -> true);

        assertThat(depths.depth(relay)).as("asked anew: unknown again, not the reading taken before it was forgotten")
                .isEqualTo(-1);
    }

    /** The local broker, whose depth readings are counted and wait until {@link #answers} is counted down. */
    private final class SlowBroker extends RelayTopology {
        final CountDownLatch asked = new CountDownLatch(1);
        final CountDownLatch answers = new CountDownLatch(1);
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();

        SlowBroker() {
            super(admin, null);
        }

        @Override
        public long depth(UUID relayId) {
            reads.incrementAndGet();
            asked.countDown();
            try {
                answers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long depth = super.depth(relayId);
            answered.incrementAndGet();
            return depth;
        }
    }

    private void publish(int messages) {
        for (int i = 0; i < messages; i++) {
            rabbit.convertAndSend("", RelayTopology.queue(relay), "message " + i);
        }
    }
}
