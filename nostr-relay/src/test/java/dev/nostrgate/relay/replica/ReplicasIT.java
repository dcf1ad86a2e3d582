package dev.nostrgate.relay.replica;

import static dev.nostrgate.relay.Events.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two relays on one database, joined by RabbitMQ (the local broker): a subscriber on either sees every event
 * committed by either, exactly once; what a broker outage keeps from it is counted, never silently lost.
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
            double receivedByFirst = first.meter("nostr.relay.replica.received");
            double receivedBySecond = second.meter("nostr.relay.replica.received");

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
            assertThat(first.meter("nostr.relay.replica.received") - receivedByFirst).isEqualTo(2);
            assertThat(second.meter("nostr.relay.replica.received") - receivedBySecond).isEqualTo(1);
        }
    }

    @Test
    void readsSeveralEventsPerMessageAndCountsTheMessagesOfAReplicaThatNeverArrived() throws Exception {
        SecKey key = SecKey.generate();
        String replica = "test-replica-" + UUID.randomUUID();
        Event a = note(key, "a");
        Event b = note(key, "b");
        Event c = note(key, "c");
        Event d = note(key, "d");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(RABBIT);
        try (TestClient onFirst = first.connect(); Connection connection = factory.newConnection();
             Channel channel = connection.createChannel()) {
            assertThat(onFirst.req("live", Filter.builder().authors(key.pubKey().hex()).build())).isEmpty();
            double missedBefore = first.meter("nostr.relay.replica.missed.messages");

            publishAsReplica(channel, replica, 1, a, b);
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(a);
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(b);

            publishAsReplica(channel, replica, 3, c); // number 2 never came
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(c);
            assertThat(first.meter("nostr.relay.replica.missed.messages") - missedBefore).isEqualTo(1);

            publishAsReplica(channel, replica, 3, c); // the broker gave it twice: not delivered again
            publishAsReplica(channel, replica, 4, d);
            assertThat(onFirst.next(RelayMessage.EventMessage.class).event()).isEqualTo(d);
            assertThat(first.meter("nostr.relay.replica.missed.messages") - missedBefore).isEqualTo(1);
        }
    }

    @Test
    void anEventCommittedWhileTheBrokerIsAwayArrivesAfterwardsOrIsCountedAsMissed() throws Exception {
        SecKey key = SecKey.generate();
        try (TestClient onSecond = second.connect(); TestClient publisher = first.connect()) {
            assertThat(onSecond.req("live", Filter.builder().authors(key.pubKey().hex()).build())).isEmpty();
            Event before = note(key, "before the outage");
            assertThat(publisher.publish(before).accepted()).isTrue();
            assertThat(onSecond.next(RelayMessage.EventMessage.class).event()).isEqualTo(before);
            double missedBefore = second.meter("nostr.relay.replica.missed.messages");

            closeReplicaConnections();
            Event duringOutage = note(key, "committed while both replicas had lost RabbitMQ");
            assertThat(publisher.publish(duringOutage).accepted()).as("writes do not wait for the bus").isTrue();

            // Once both have reconnected, a marker gets through; each publish is one batch, so one message,
            // numbered after the previous one. The second's queue waited for it, so usually all arrive; one the
            // first wrote into its dying socket is lost, and must then be counted.
            List<Event> sent = new ArrayList<>(List.of(duringOutage));
            List<Event> received = new ArrayList<>();
            await("a marker through both replicas").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).pollInSameThread()
                    .until(() -> latestMarkerArrived(publisher, onSecond, key, sent, received));
            double missed = second.meter("nostr.relay.replica.missed.messages") - missedBefore;
            assertThat(received).as("never twice").doesNotHaveDuplicates();
            assertThat(sent).as("received in the order sent").containsSubsequence(received);
            assertThat(received.size() + missed).as("every message arrived or was counted missing")
                    .isEqualTo(sent.size());
        }
    }

    /**
     * Takes in what reached the second relay; true once the latest marker is among it, else publishes another
     * marker (one published before both replicas have reconnected may be lost, and is then counted missing).
     */
    private static boolean latestMarkerArrived(TestClient publisher, TestClient onSecond, SecKey key,
            List<Event> sent, List<Event> received) {
        while (onSecond.hasMessage()) {
            received.add(onSecond.next(RelayMessage.EventMessage.class).event());
        }
        if (sent.size() > 1 && received.contains(sent.getLast())) {
            return true;
        }
        Event marker = note(key, "marker " + sent.size());
        assertThat(publisher.publish(marker).accepted()).isTrue();
        sent.add(marker);
        return false;
    }

    private static void publishAsReplica(Channel channel, String replica, long sequence, Event... events)
            throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(RabbitReplicaBus.CONTENT_TYPE)
                .headers(Map.of(RabbitReplicaBus.ORIGIN_HEADER, replica, RabbitReplicaBus.SEQUENCE_HEADER, sequence))
                .build();
        channel.basicPublish(EXCHANGE, "", properties, RabbitReplicaBus.body(List.of(events)));
    }

    /**
     * A broker outage as both replicas see it: the broker closes their connections (they reconnect by themselves).
     * Only this test's: a replica's connection is named after its exchange.
     */
    private static void closeReplicaConnections() throws Exception {
        String listing = rabbitmqctl("-q", "list_connections", "pid", "client_properties");
        int closed = 0;
        for (String line : listing.split("\n")) {
            if (line.contains("nostr-relay replica") && line.contains("(" + EXCHANGE + ")")) {
                rabbitmqctl("close_connection", line.split("\t")[0], "test: broker outage");
                closed++;
            }
        }
        assertThat(closed).as("the replicas' connections, in:\n" + listing).isEqualTo(2);
    }

    private static String rabbitmqctl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
        return output;
    }
}
