package dev.nostrgate.gateway.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.GatewayTestSchema;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.topology.EventBatchCodec;
import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.TableFault;
import dev.nostrgate.relay.store.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The runtime's per-relay lifecycle on the real RabbitMQ and PostgreSQL: one relay's removal holds no other relay
 * up, and a stop closes every relay at once (the class timeout is for the Spring context and 200 connections).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(180)
class RelayRuntimeIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final SecKey ALICE = SecKey.generate();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> DATABASE);
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.sink-max-delay", () -> "10ms");
        // a consumer holds at most 2 messages: the rest of a queue waits in it while the database is down
        registry.add("gateway.sink-batch-size", () -> 1);
    }

    @AfterAll
    static void dropSchema() {
        GatewayTestSchema.drop(DATABASE);
    }

    @Autowired
    RelayRegistry registry;
    @Autowired
    RelayRuntime runtime;
    @Autowired
    RelayLifecycle lifecycle;
    @Autowired
    RelayTopology topology;
    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    SqlEventStore store;
    @Autowired
    AmqpAdmin admin;

    private RegisteredRelay register(URI url, String name) {
        RegisteredRelay relay = registry.add(url, name, List.of(Filter.ALL));
        lifecycle.start(relay);
        return relay;
    }

    private void awaitLive(RegisteredRelay relay) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.status(relay.id()).map(s -> s.state() == ConnectorState.LIVE).orElse(false));
    }

    private boolean stored(List<Event> events) {
        return events.stream().allMatch(event -> store.query(List.of(Filter.builder().ids(List.of(event.id().hex()))
                .build())).size() == 1);
    }

    @Test
    void startsAnotherRelayWhileARemovalWaitsForItsQueueToDrain() throws Exception {
        try (FakeRelay a = FakeRelay.start(); FakeRelay b = FakeRelay.start()) {
            RegisteredRelay removed = register(a.url(), "removed");
            awaitLive(removed);
            List<Event> queued = new ArrayList<>();
            CompletableFuture<Void> removal;
            RegisteredRelay added;
            try (TableFault down = TableFault.everyWrite(TestDatabase.schemaOf(DATABASE), "events", "57P01")) {
                for (int i = 0; i < 10; i++) {
                    Event event = new UnsignedEvent(ALICE.pubKey(), System.currentTimeMillis() / 1000, 1, List.of(),
                            "queued " + i).sign(ALICE);
                    queued.add(event);
                    rabbit.send(RelayTopology.exchange(removed.id()), RelayTopology.ROUTING_KEY,
                            EventBatchCodec.encode(List.of(event.toJson().getBytes(StandardCharsets.UTF_8)),
                                    System.currentTimeMillis(), event.id().hex()));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> topology.depth(removed.id()) > 0);

                removal = lifecycle.remove(removed.id());

                added = register(b.url(), "added meanwhile");
                awaitLive(added);
                assertThat(removal).as("the database is down: the removed relay's queue is still draining")
                        .isNotDone();
            }
            removal.get();
            assertThat(stored(queued)).as("what was queued is stored before the queue goes").isTrue();
            assertThat(topology.depth(removed.id())).as("queue deleted").isEqualTo(-1);
            registry.remove(removed.id());
            lifecycle.remove(added.id()).get();
            registry.remove(added.id());
        }
    }

    /**
     * Every relay's connector has a message the broker returns (its queue unbound), so each close waits its whole
     * close wait (5 s) for a confirm that never comes: one relay after the other, 200 of them would take over 16
     * minutes, far past this test's timeout.
     */
    @Test
    @DirtiesContext
    @Timeout(120)
    void stopsHundredsOfRelaysAtOnceNotOneCloseWaitAfterTheOther() throws Exception {
        int relays = 200;
        try (FakeRelay upstream = FakeRelay.start()) {
            List<RegisteredRelay> started = new ArrayList<>();
            for (int i = 0; i < relays; i++) {
                // one upstream server, a distinct URL (and so a connection) per relay
                started.add(register(URI.create(upstream.url() + "/relay-" + i), "relay " + i));
            }
            started.forEach(this::awaitLive);
            started.forEach(relay -> admin.removeBinding(new Binding(RelayTopology.queue(relay.id()),
                    Binding.DestinationType.QUEUE, RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY,
                    null)));
            Event live = new UnsignedEvent(ALICE.pubKey(), System.currentTimeMillis() / 1000, 1, List.of(),
                    "returned by the broker").sign(ALICE);
            upstream.sendToSubscribers(live.toJson());
            await().atMost(Duration.ofSeconds(60)).until(() -> started.stream().allMatch(relay ->
                    runtime.status(relay.id()).flatMap(s -> s.lastError()).orElse("").contains("returned")));

            long begin = System.nanoTime();
            runtime.stop();
            long stopMillis = (System.nanoTime() - begin) / 1_000_000;

            System.out.printf("stopped %d relays, each waiting out its close wait, in %d ms%n", relays, stopMillis);
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openConnections() == 0);
            for (RegisteredRelay relay : started) {
                topology.delete(relay.id());
                registry.remove(relay.id());
            }
        }
    }
}
