package dev.nostrgate.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** Depths on the local RabbitMQ: read once, then served from the last reading while a new one is read aside. */
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

        assertThat(depths.depth(relay)).as("the first reading is read now").isEqualTo(3);
        publish(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> new RelayTopology(admin, null).depth(relay) == 5);
        assertThat(depths.depth(relay)).as("fresh: served as read").isEqualTo(3);

        await().pollDelay(Duration.ofMillis(400)).until(() -> true); // the reading is stale now
        assertThat(depths.depth(relay)).as("stale: answered at once with the last reading").isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> depths.depth(relay) == 5); // read again aside
    }

    @Test
    void anUnknownQueueIsMinusOne() {
        QueueDepths depths = new QueueDepths(new RelayTopology(admin, null));
        assertThat(depths.depth(UUID.randomUUID())).isEqualTo(-1);
    }

    private void publish(int messages) {
        for (int i = 0; i < messages; i++) {
            rabbit.convertAndSend("", RelayTopology.queue(relay), "message " + i);
        }
    }
}
