package dev.nostrgate.relay.replica;

import static dev.nostrgate.relay.Events.note;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.TestDatabase;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one database, joined by RabbitMQ (the local broker): a subscriber on either sees every event
 * committed by either, exactly once.
 */
class ReplicasIT {
    private static final String RABBIT = "amqp://guest:guest@127.0.0.1:5672";
    private static final String EXCHANGE = "nostr.relay.events.test-" + UUID.randomUUID();
    private static TestDatabase database;
    private static TestRelay first;
    private static TestRelay second;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        first = TestRelay.startOn(database, ReplicasIT::replica);
        second = TestRelay.startOn(database, ReplicasIT::replica);
    }

    private static RelayConfig replica(RelayConfig config) {
        return config.withRabbit(new RelayConfig.Rabbit(Optional.of(RABBIT), EXCHANGE));
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        database.close();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(RABBIT);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDelete(EXCHANGE);
        }
    }

    @Test
    void aSubscriberOnOneReplicaSeesEventsPublishedToTheOtherExactlyOnce() {
        SecKey key = SecKey.generate();
        Filter byKey = Filter.builder().authors(key.pubKey().hex()).build();
        try (TestClient onFirst = first.connect(); TestClient onSecond = second.connect();
             TestClient publisherOnSecond = second.connect(); TestClient publisherOnFirst = first.connect()) {
            assertThat(onFirst.req("a", byKey)).isEmpty();
            assertThat(onSecond.req("b", byKey)).isEmpty();

            Event viaSecond = note(key, "published to the second replica");
            assertThat(publisherOnSecond.publish(viaSecond).accepted()).isTrue();
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(viaSecond);
            assertThat(onSecond.next(RelayMessage.EventMessage.class).event()).isEqualTo(viaSecond);

            Event viaFirst = note(key, "published to the first replica");
            assertThat(publisherOnFirst.publish(viaFirst).accepted()).isTrue();
            // Had the first replica also delivered its own event back from the bus, or the second its own earlier
            // one, it would arrive before this one: each connection's queue is FIFO.
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(viaFirst);
            assertThat(onSecond.next(RelayMessage.EventMessage.class).event()).isEqualTo(viaFirst);

            Event marker = note(key, "marker");
            assertThat(publisherOnSecond.publish(marker).accepted()).isTrue();
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(marker);
            assertThat(onSecond.next(RelayMessage.EventMessage.class).event()).isEqualTo(marker);

            assertThat(onFirst.req("stored", byKey)).containsExactlyInAnyOrder(viaSecond, viaFirst, marker);
            assertThat(first.meter("nostr.relay.replica.received")).isEqualTo(2);
            assertThat(second.meter("nostr.relay.replica.received")).isEqualTo(1);
        }
    }
}
