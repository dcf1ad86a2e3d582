package dev.nostrgate.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        CountDownLatch brokerAnswers = new CountDownLatch(1);
        QueueDepths depths = new QueueDepths(brokerAnsweringOnlyAfter(brokerAnswers, new CountDownLatch(1)),
                Duration.ofMillis(300));
        publish(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> new RelayTopology(admin, null).depth(relay) == 4);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 100; i++) { // one reading under way, not a hundred
                assertThat(depths.depth(relay)).isEqualTo(-1);
            }
        });
        brokerAnswers.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.depth(relay) == 4);
    }

    @Test
    void anUnknownQueueIsMinusOne() {
        QueueDepths depths = new QueueDepths(new RelayTopology(admin, null));
        UUID unknown = UUID.randomUUID();
        assertThat(depths.depth(unknown)).isEqualTo(-1);
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(depths.depth(unknown)).as("read: no such queue").isEqualTo(-1);
    }

    @Test
    void aRelayForgottenWhileItsReadingIsUnderWayIsNotRememberedAgain() throws Exception {
        CountDownLatch brokerAnswers = new CountDownLatch(1);
        CountDownLatch reading = new CountDownLatch(1);
        QueueDepths depths = new QueueDepths(brokerAnsweringOnlyAfter(brokerAnswers, reading), Duration.ofMinutes(1));
        publish(1);
        assertThat(depths.depth(relay)).isEqualTo(-1);
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        depths.forget(relay);
        brokerAnswers.countDown();
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> true);

        assertThat(depths.depth(relay)).as("asked anew: unknown again, not the reading taken before it was forgotten")
                .isEqualTo(-1);
    }

    /** The local broker, whose depth readings count {@code asked} down, then wait for {@code answers}. */
    private RelayTopology brokerAnsweringOnlyAfter(CountDownLatch answers, CountDownLatch asked) {
        return new RelayTopology(admin, null) {
            @Override
            public long depth(UUID relayId) {
                asked.countDown();
                try {
                    answers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.depth(relayId);
            }
        };
    }

    private void publish(int messages) {
        for (int i = 0; i < messages; i++) {
            rabbit.convertAndSend("", RelayTopology.queue(relay), "message " + i);
        }
    }
}
