package dev.nostrgate.gateway;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_EVENT_SOURCES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoredEvent;
import dev.nostrgate.relay.store.TableFault;
import dev.nostrgate.relay.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The data path end to end on the real RabbitMQ and PostgreSQL: two upstream relays (real WebSocket servers),
 * their events through one direct exchange and one consumer each, into the store, with provenance, cursors, dead
 * letters and removal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DataPathIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final SecKey ALICE = SecKey.generate();
    private static final SecKey BOB = SecKey.generate();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.cursor-flush-interval", () -> "200ms");
        registry.add("gateway.sink-max-delay", () -> "10ms");
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @Autowired
    RelayRegistry registry;
    @Autowired
    RelayLifecycle lifecycle;
    @Autowired
    SqlEventStore store;
    @Autowired
    AmqpAdmin admin;
    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    DSLContext dsl;

    @AfterEach
    void removeRelays() {
        RegisteredRelays.removeAll(registry, lifecycle); // a failed test's too: their queues outlive the schema
    }

    private static List<Event> notes(SecKey key, int n, String text) {
        List<Event> events = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(key.pubKey(), now - n + i, 1, List.of(), text + " " + i).sign(key));
        }
        return events;
    }

    private Set<String> storedIds() {
        Set<String> ids = new HashSet<>();
        store.query(List.of(Filter.builder().limit(10_000).build())).stream().map(StoredEvent::idHex)
                .forEach(ids::add);
        return ids;
    }

    private RegisteredRelay register(FakeRelay upstream, String name) {
        RegisteredRelay relay = registry.add(upstream.url(), name, List.of(Filter.ALL));
        lifecycle.start(relay);
        return relay;
    }

    @Test
    void storesEveryEventOfTwoRelaysOnceWithProvenanceAndCursor() throws Exception {
        List<Event> shared = notes(ALICE, 5, "on both");
        List<Event> onlyA = notes(ALICE, 40, "only on A");
        List<Event> onlyB = notes(BOB, 40, "only on B");
        try (FakeRelay a = FakeRelay.start(); FakeRelay b = FakeRelay.start()) {
            a.store(shared.toArray(Event[]::new));
            a.store(onlyA.toArray(Event[]::new));
            b.store(shared.toArray(Event[]::new));
            b.store(onlyB.toArray(Event[]::new));
            RegisteredRelay relayA = register(a, "a");
            RegisteredRelay relayB = register(b, "b");

            Set<String> expected = new HashSet<>();
            for (List<Event> list : List.of(shared, onlyA, onlyB)) {
                list.forEach(e -> expected.add(e.id().hex()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> storedIds().containsAll(expected));
            assertThat(storedIds()).hasSize(expected.size());

            // live events after EOSE
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> lifecycle.status(relayA.id()).state() == ConnectorState.LIVE);
            Event live = notes(BOB, 1, "live").get(0);
            b.sendToSubscribers(live.toJson());
            await().atMost(Duration.ofSeconds(10)).until(() -> storedIds().contains(live.id().hex()));

            // provenance: the shared events were seen on both relays
            long sharedKeysOnBoth = dsl.select(GATEWAY_EVENT_SOURCES.EVENT_KEY).from(GATEWAY_EVENT_SOURCES)
                    .groupBy(GATEWAY_EVENT_SOURCES.EVENT_KEY).having(DSL.count().eq(2)).fetch().size();
            assertThat(sharedKeysOnBoth).isEqualTo(shared.size());

            // cursors move to the newest created_at stored
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(relayB.id()).orElseThrow().cursor()
                    .orElse(0) >= live.createdAt());

            lifecycle.remove(relayA.id()).join();
            registry.remove(relayA.id());
            lifecycle.remove(relayB.id()).join();
            registry.remove(relayB.id());
        }
    }

    @Test
    void sendsPoisonToTheDeadLetterQueueWithItsReasonOnce() throws Exception {
        try (FakeRelay upstream = FakeRelay.start()) {
            RegisteredRelay relay = register(upstream, "poison");
            while (rabbit.receive(RelayTopology.DEAD_LETTERS) != null) {
                // empty what earlier runs left
            }
            Event genuine = notes(ALICE, 1, "genuine").get(0);
            String forged = genuine.toJson().replace("genuine", "forged");
            Message garbage = MessageBuilder.withBody("not json".getBytes(StandardCharsets.UTF_8)).build();
            Message tampered = MessageBuilder.withBody(forged.getBytes(StandardCharsets.UTF_8)).build();
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, garbage);
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, tampered);

            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Message message = rabbit.receive(RelayTopology.DEAD_LETTERS);
                if (message != null) {
                    dead.add(message);
                }
                return dead.size() == 2;
            });
            assertThat(dead).extracting(m -> (String) m.getMessageProperties().getHeader(RelayTopology.REASON_HEADER))
                    .anySatisfy(reason -> assertThat(reason).startsWith("invalid: malformed JSON"))
                    .anySatisfy(reason -> assertThat(reason).contains("does not match"));
            assertThat(dead).allSatisfy(m -> assertThat(
                    (String) m.getMessageProperties().getHeader(RelayTopology.RELAY_HEADER))
                    .isEqualTo(relay.id().toString()));
            // acknowledged, not looping: the relay's queue is empty and nothing more arrives
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.getQueueInfo(RelayTopology.queue(relay.id()))
                    .getMessageCount() == 0);
            assertThat(rabbit.receive(RelayTopology.DEAD_LETTERS, 500)).isNull();
            assertThat(storedIds()).doesNotContain(genuine.id().hex());

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    @Test
    void sendsTheBadEventOfABatchAloneToTheDeadLettersAndStoresTheRest() throws Exception {
        try (FakeRelay upstream = FakeRelay.start()) {
            RegisteredRelay relay = register(upstream, "batch with poison");
            while (rabbit.receive(RelayTopology.DEAD_LETTERS) != null) {
                // empty what earlier runs left
            }
            List<Event> good = notes(BOB, 2, "good in a batch");
            String forged = notes(BOB, 1, "genuine").get(0).toJson().replace("genuine", "forged");
            Message batch = EventBatchCodec.encode(Stream.of(good.get(0).toJson(), forged, good.get(1).toJson())
                    .map(json -> json.getBytes(StandardCharsets.UTF_8)).toList(), System.currentTimeMillis(), "b1");
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, batch);

            await().atMost(Duration.ofSeconds(10)).until(() -> storedIds().containsAll(
                    good.stream().map(e -> e.id().hex()).toList()));
            Message dead = rabbit.receive(RelayTopology.DEAD_LETTERS, 10_000);
            assertThat(dead).isNotNull();
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo(forged);
            assertThat(dead.getMessageProperties().getContentType()).isEqualTo(EventBatchCodec.SINGLE_CONTENT_TYPE);
            assertThat((String) dead.getMessageProperties().getHeader(RelayTopology.REASON_HEADER))
                    .startsWith("invalid: ").contains("does not match");
            assertThat((String) dead.getMessageProperties().getHeader(RelayTopology.RELAY_HEADER))
                    .isEqualTo(relay.id().toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.getQueueInfo(RelayTopology.queue(relay.id()))
                    .getMessageCount() == 0);
            assertThat(rabbit.receive(RelayTopology.DEAD_LETTERS, 500)).isNull();

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    @Test
    void sendsAnEventTheDatabaseRefusesForGoodToTheDeadLettersAndStoresTheRestOfItsMessage() throws Exception {
        String schema = TestDatabase.schemaOf(DATABASE);
        try (FakeRelay upstream = FakeRelay.start();
             TableFault refusing = TableFault.rowsContaining(schema, "events", "refused by the database", "22023")) {
            RegisteredRelay relay = register(upstream, "database refusal");
            while (rabbit.receive(RelayTopology.DEAD_LETTERS) != null) {
                // empty what earlier runs left
            }
            List<Event> good = notes(BOB, 2, "stored beside a refused one");
            Event refused = notes(BOB, 1, "refused by the database").get(0);
            Message batch = EventBatchCodec.encode(Stream.of(good.get(0), refused, good.get(1))
                    .map(e -> e.toJson().getBytes(StandardCharsets.UTF_8)).toList(), System.currentTimeMillis(), "r1");
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, batch);

            await().atMost(Duration.ofSeconds(10)).until(() -> storedIds().containsAll(
                    good.stream().map(e -> e.id().hex()).toList()));
            Message dead = rabbit.receive(RelayTopology.DEAD_LETTERS, 10_000);
            assertThat(dead).isNotNull();
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo(refused.toJson());
            assertThat((String) dead.getMessageProperties().getHeader(RelayTopology.REASON_HEADER))
                    .startsWith("error: the database refused this event").contains("injected by the test");
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.getQueueInfo(RelayTopology.queue(relay.id()))
                    .getMessageCount() == 0);
            assertThat(storedIds()).doesNotContain(refused.id().hex());

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    @Test
    void removingARelayStopsItAndDeletesItsQueueAndExchange() throws Exception {
        try (FakeRelay upstream = FakeRelay.start()) {
            RegisteredRelay relay = register(upstream, "removed");
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openConnections() == 1);
            assertThat(admin.getQueueInfo(RelayTopology.queue(relay.id()))).isNotNull();

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());

            assertThat(admin.getQueueInfo(RelayTopology.queue(relay.id()))).isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openConnections() == 0);
            // the exchange is gone too: publishing to it fails the channel (no confirm ack)
            var correlation = new org.springframework.amqp.rabbit.connection.CorrelationData();
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY,
                    MessageBuilder.withBody(new byte[] {1}).build(), correlation);
            assertThat(correlation.getFuture().get(5, java.util.concurrent.TimeUnit.SECONDS).isAck()).isFalse();
        }
    }
}
