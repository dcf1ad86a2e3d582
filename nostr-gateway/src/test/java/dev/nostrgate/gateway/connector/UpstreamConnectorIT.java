package dev.nostrgate.gateway.connector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.sink.FutureLimit;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.QueueSettings;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The connector alone, between a fake upstream relay and the real RabbitMQ: what it publishes to a relay's queue,
 * read back raw (no sink), to see the batches themselves.
 */
class UpstreamConnectorIT {
    private static final SecKey AUTHOR = SecKey.generate();
    private static final Duration LONG_LINGER = Duration.ofMinutes(1);

    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connections);
    private final RelayTopology topology = new RelayTopology(admin, new QueueSettings(QueueSettings.Type.QUORUM, 20));
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final UUID relayId = UUID.randomUUID();
    private final List<UpstreamConnector> connectors = new ArrayList<>();
    private FakeRelay upstream;
    private long clock = System.currentTimeMillis() / 1000 - 1_000;

    @BeforeEach
    void start() {
        // as the gateway's application.properties sets them
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        rabbit.setMandatory(true);
        upstream = FakeRelay.start();
    }

    @AfterEach
    void stop() throws Exception {
        connectors.forEach(UpstreamConnector::close);
        topology.delete(relayId);
        upstream.close();
        scheduler.shutdownNow();
        connections.destroy();
    }

    private UpstreamConnector connect(BatchLimits batching) {
        RegisteredRelay relay = new RegisteredRelay(relayId, upstream.url(), "upstream", List.of(Filter.ALL), false,
                OptionalLong.empty(), Instant.now());
        UpstreamConnector connector = new UpstreamConnector(relay, rabbit, scheduler, 8, batching,
                UpstreamConnector.CatchUpSettings.sinceOnly(Duration.ofMinutes(10)), FutureLimit.of(FutureLimit.DEFAULT));
        connectors.add(connector);
        connector.start(Duration.ZERO);
        return connector;
    }

    /** Declares the relay's queue and connects to an upstream with nothing stored: live at once. */
    private UpstreamConnector connectLive(BatchLimits batching) {
        topology.declare(relayId);
        UpstreamConnector connector = connect(batching);
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.state() == ConnectorState.LIVE);
        return connector;
    }

    /**
     * Stores the backlog upstream and connects while the relay's exchange exists but no queue is bound: the broker
     * confirms and returns every message, so the connector publishes them again until the test declares the queue.
     */
    private UpstreamConnector connectWithNoQueueYet(List<Event> backlog) {
        admin.declareExchange(ExchangeBuilder.directExchange(RelayTopology.exchange(relayId)).durable(true).build());
        upstream.store(backlog.toArray(Event[]::new));
        UpstreamConnector connector = connect(new BatchLimits(100, 256 * 1024, Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.unconfirmed() > 0);
        return connector;
    }

    /** Events of the same size. */
    private List<Event> notes(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(AUTHOR.pubKey(), clock++, 1, List.of(), "note %04d".formatted(i))
                    .sign(AUTHOR));
        }
        return events;
    }

    /** Takes messages from the relay's queue until they hold this many events in all. */
    private List<Message> receiveMessagesHolding(int events) {
        List<Message> messages = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message message = rabbit.receive(RelayTopology.queue(relayId), 100);
            if (message != null) {
                messages.add(message);
            }
            return eventsIn(messages).size() >= events;
        });
        return messages;
    }

    private static List<String> eventsIn(List<Message> messages) throws Exception {
        List<String> events = new ArrayList<>();
        for (Message message : messages) {
            EventBatchCodec.decode(message).forEach(json -> events.add(new String(json, UTF_8)));
        }
        return events;
    }

    private static List<String> json(List<Event> events) {
        return events.stream().map(Event::toJson).toList();
    }

    private static boolean isCaughtUpMarker(Message message) {
        return EventBatchCodec.CAUGHT_UP_CONTENT_TYPE.equals(message.getMessageProperties().getContentType());
    }

    private static int count(Message message) {
        return message.getMessageProperties().<Integer>getHeader(EventBatchCodec.COUNT_HEADER);
    }

    @Test
    void packsEventsThatArriveTogetherIntoFullBatches() throws Exception {
        topology.declare(relayId);
        List<Event> backlog = notes(300);
        upstream.store(backlog.toArray(Event[]::new));

        connect(new BatchLimits(100, 256 * 1024, LONG_LINGER));

        List<Message> messages = receiveMessagesHolding(300);
        assertThat(messages).hasSize(3).allSatisfy(message -> {
            assertThat(message.getMessageProperties().getContentType()).isEqualTo(EventBatchCodec.CONTENT_TYPE);
            assertThat(count(message)).isEqualTo(100);
        });
        assertThat(eventsIn(messages)).containsExactlyInAnyOrderElementsOf(json(backlog));
    }

    @Test
    void closesABatchBeforeItOutgrowsItsByteLimitAndSendsABiggerEventAlone() throws Exception {
        topology.declare(relayId);
        List<Event> backlog = notes(20);
        int eventBytes = backlog.get(0).toJson().length();
        upstream.store(backlog.toArray(Event[]::new));

        connect(new BatchLimits(100, 3L * eventBytes + 2, Duration.ofMillis(20)));

        List<Message> messages = receiveMessagesHolding(20);
        assertThat(messages).allSatisfy(message -> assertThat(message.getBody().length)
                .isLessThanOrEqualTo(3 * eventBytes + 2));
        assertThat(messages).anySatisfy(message -> assertThat(count(message)).isEqualTo(3));
        assertThat(eventsIn(messages)).containsExactlyInAnyOrderElementsOf(json(backlog));

        Event big = new UnsignedEvent(AUTHOR.pubKey(), clock++, 1, List.of(), "x".repeat(4 * eventBytes))
                .sign(AUTHOR);
        upstream.sendToSubscribers(big.toJson());
        assertThat(eventsIn(receiveMessagesHolding(1))).containsExactly(big.toJson());
    }

    @Test
    void publishesALoneLiveEventOnceTheLingerHasPassed() throws Exception {
        UpstreamConnector connector = connectLive(new BatchLimits(100, 256 * 1024, Duration.ofMillis(20)));

        Event live = notes(1).get(0);
        long sent = System.currentTimeMillis();
        upstream.sendToSubscribers(live.toJson());

        List<Message> messages = receiveMessagesHolding(1);
        assertThat(eventsIn(messages)).containsExactly(live.toJson());
        assertThat(EventBatchCodec.receivedAt(messages.get(0)).orElseThrow()).isGreaterThanOrEqualTo(sent);
    }

    @Test
    void publishesThePendingBatchWhenClosed() throws Exception {
        UpstreamConnector connector = connectLive(new BatchLimits(100, 256 * 1024, LONG_LINGER));
        List<Event> live = notes(3);
        live.forEach(event -> upstream.sendToSubscribers(event.toJson()));
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.pendingEvents() == 3); // waiting for the linger
        assertThat(topology.depth(relayId)).isZero();

        connector.close();

        List<Message> messages = receiveMessagesHolding(3);
        assertThat(messages).hasSize(1);
        assertThat(eventsIn(messages)).containsExactlyInAnyOrderElementsOf(json(live));
    }

    @Test
    void sendsTheCaughtUpMarkerAfterTheWholeCatchUpAndBeforeLiveEvents() throws Exception {
        // the catch-up waits for its confirms while live events already wait at the connector
        List<Event> stored = notes(250);
        UpstreamConnector connector = connectWithNoQueueYet(stored);
        List<Event> live = notes(2);
        live.forEach(event -> upstream.sendToSubscribers(event.toJson()));
        assertThat(connector.state()).isEqualTo(ConnectorState.CATCHING_UP);

        topology.declare(relayId);

        List<Message> messages = receiveMessagesHolding(252);
        int marker = IntStream.range(0, messages.size()).filter(i -> isCaughtUpMarker(messages.get(i)))
                .findFirst().orElseThrow();
        List<Message> catchUp = messages.subList(0, marker);
        List<Message> after = messages.subList(marker + 1, messages.size());
        assertThat(catchUp).allSatisfy(message -> assertThat(EventBatchCodec.isCatchUp(message)).isTrue());
        assertThat(eventsIn(catchUp)).containsExactlyInAnyOrderElementsOf(json(stored));
        assertThat(EventBatchCodec.caughtUpTo(messages.get(marker))).hasValue(stored.get(249).createdAt());
        assertThat(after).allSatisfy(message -> assertThat(EventBatchCodec.isCatchUp(message)).isFalse());
        assertThat(eventsIn(after)).containsExactlyElementsOf(json(live));
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.state() == ConnectorState.LIVE);
    }

    @Test
    void treatsTheStoredEventsOfAResubscriptionAsCatchUpToo() throws Exception {
        UpstreamConnector connector = connectLive(new BatchLimits(100, 256 * 1024, Duration.ofMillis(20)));
        Event before = notes(1).get(0);
        upstream.store(before);
        assertThat(receiveMessagesHolding(1)).singleElement()
                .satisfies(message -> assertThat(EventBatchCodec.isCatchUp(message)).isFalse());

        upstream.refuseConnections();
        upstream.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.state() == ConnectorState.BACKOFF);
        List<Event> missed = notes(150);
        upstream.store(missed.toArray(Event[]::new));
        upstream.acceptConnections();

        // the client resubscribes since the newest event it delivered; the relay sends what it missed, newest first
        List<Message> catchUp = receiveMessagesHolding(150);
        assertThat(catchUp).allSatisfy(message -> assertThat(EventBatchCodec.isCatchUp(message)).isTrue());
        assertThat(eventsIn(catchUp)).containsExactlyInAnyOrderElementsOf(json(missed));
        Message marker = rabbit.receive(RelayTopology.queue(relayId), 10_000);
        assertThat(marker).isNotNull();
        assertThat(EventBatchCodec.caughtUpTo(marker)).hasValue(missed.get(149).createdAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.state() == ConnectorState.LIVE);
        Event after = notes(1).get(0);
        upstream.store(after);
        List<Message> live = receiveMessagesHolding(1);
        assertThat(live).singleElement()
                .satisfies(message -> assertThat(EventBatchCodec.isCatchUp(message)).isFalse());
        assertThat(eventsIn(live)).containsExactly(after.toJson());
    }

    @Test
    void publishesAReturnedBatchAgainWholeUntilAQueueTakesIt() throws Exception {
        List<Event> backlog = notes(5);
        UpstreamConnector connector = connectWithNoQueueYet(backlog);

        topology.declare(relayId);

        List<Message> messages = receiveMessagesHolding(5);
        assertThat(eventsIn(messages)).containsExactlyInAnyOrderElementsOf(json(backlog));
        Message marker = rabbit.receive(RelayTopology.queue(relayId), 10_000); // published once the catch-up is taken
        assertThat(marker).isNotNull();
        assertThat(EventBatchCodec.caughtUpTo(marker)).hasValue(backlog.get(4).createdAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.unconfirmed() == 0);
        assertThat(rabbit.receive(RelayTopology.queue(relayId), 500)).as("published once, once taken").isNull();
    }
}
