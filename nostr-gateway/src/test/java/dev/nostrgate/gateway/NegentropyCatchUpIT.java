package dev.nostrgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.api.ApiClient;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Catch-up by NIP-77 end to end: the upstream is our own relay (which advertises 77) on PostgreSQL, the gateway runs
 * on PostgreSQL and RabbitMQ, and what it fetches goes the whole data path into its store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NegentropyCatchUpIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long DAY = 86_400;

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
    @LocalServerPort
    int port;

    @AfterEach
    void removeRelays() {
        RegisteredRelays.removeAll(registry, lifecycle); // a failed test's too: their queues outlive the schema
    }

    private final SecKey author = SecKey.generate();

    @Test
    void fetchesOnlyWhatTheGatewayLacksAndFindsALateEventWithAnOldCreatedAt() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        List<Event> upstreamEvents = notes(200, now - 2 * DAY);
        List<Event> held = upstreamEvents.subList(0, 180); // the gateway has these already (from another relay)
        store.saveAll(held);
        try (TestRelay upstream = TestRelay.start()) {
            publish(upstream, upstreamEvents);
            Filter mine = Filter.builder().authors(author.pubKey().hex()).build();
            RegisteredRelay relay = registry.add(java.net.URI.create(upstream.url()), "our relay", List.of(mine));
            lifecycle.start(relay);

            await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            JsonNode first = relayView(relay);
            assertThat(first.get("catchUp").asText()).isEqualTo("negentropy");
            assertThat(first.get("catchUpCounts").get("fetched").asLong()).isEqualTo(20);
            assertThat(first.get("catchUpCounts").get("skipped").asLong()).isEqualTo(180);
            await().atMost(WAIT).until(() -> storedCount(mine) == 200);
            await().atMost(WAIT).until(() -> relayView(relay).get("counters").get("received").asLong() == 20);

            // arrives upstream while the gateway is live, but dated three days back: older than the live
            // subscription's since, so it is not sent live, and older than any cursor minus the overlap
            Event late = notes(1, now - 3 * DAY).get(0);
            publish(upstream, List.of(late));
            await().atMost(WAIT).until(() -> registry.find(relay.id()).orElseThrow().cursor().isPresent());
            long cursor = registry.find(relay.id()).orElseThrow().cursor().getAsLong();
            assertThat(late.createdAt()).isLessThan(cursor - Duration.ofMinutes(10).toSeconds());
            assertThat(storedCount(mine)).isEqualTo(200);

            lifecycle.change(registry.find(relay.id()).orElseThrow()); // the connector starts again
            await().atMost(WAIT).until(() -> storedCount(mine) == 201);
            await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            JsonNode second = relayView(relay);
            assertThat(second.get("catchUp").asText()).isEqualTo("negentropy");
            assertThat(second.get("catchUpCounts").get("fetched").asLong()).isEqualTo(1);
            assertThat(second.get("catchUpCounts").get("skipped").asLong()).isEqualTo(200);
            // nothing downloaded twice: 20 missing at first, then the late one
            assertThat(second.get("counters").get("received").asLong()).isEqualTo(21);

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    @Test
    void aReconnectReconcilesAgainBelowWhereTheSubscriptionResumes() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        try (TestDatabase upstreamDatabase = TestDatabase.create()) {
            TestRelay upstream = TestRelay.startOn(upstreamDatabase, config -> config);
            publish(upstream, notes(20, now - 2 * DAY));
            Filter mine = Filter.builder().authors(author.pubKey().hex()).build();
            RegisteredRelay relay = registry.add(java.net.URI.create(upstream.url()), "restarts", List.of(mine));
            lifecycle.start(relay);
            await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            await().atMost(WAIT).until(() -> storedCount(mine) == 20);
            assertThat(relayView(relay).get("catchUpCounts").get("fetched").asLong()).isEqualTo(20);

            // stored upstream while the gateway is cut off: one dated three days back, below where the subscription
            // resumes (its since, the start minus the overlap), and a recent one, above it
            Event late = notes(1, now - 3 * DAY).get(0);
            Event recent = notes(1, now - 60).get(0);
            upstream = restart(upstream, relay, config -> config, late, recent);
            try {
                await().atMost(WAIT).until(() -> storedCount(mine) == 22);
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(lifecycle.status(relay.id()).state()).isEqualTo(ConnectorState.LIVE);
                    JsonNode view = relayView(relay);
                    assertThat(view.get("catchUp").asText()).isEqualTo("negentropy");
                    // only the late one by id: the recent one came with the resumed subscription, not twice
                    assertThat(view.get("catchUpCounts").get("fetched").asLong()).isEqualTo(1);
                    assertThat(view.get("catchUpCounts").get("skipped").asLong()).isEqualTo(20);
                    assertThat(view.get("counters").get("received").asLong()).isEqualTo(22);
                });
                assertThat(store.count(List.of(Filter.builder().ids(late.id().hex(), recent.id().hex()).build())))
                        .isEqualTo(2);
            } finally {
                lifecycle.remove(relay.id()).join();
                registry.remove(relay.id());
                upstream.close();
            }
        }
    }

    @Test
    void aReconnectWhoseReconciliationIsRefusedCatchesUpWhereItLeftOffAndSaysWhy() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        // a relay that reconciles at most 5 items answers NEG-ERR "blocked: too many items"
        UnaryOperator<RelayConfig> refusing = config -> config.withNegentropy(new RelayConfig.Negentropy(8, 5, 0));
        try (TestDatabase upstreamDatabase = TestDatabase.create()) {
            TestRelay upstream = TestRelay.startOn(upstreamDatabase, refusing);
            publish(upstream, notes(10, now - DAY));
            Filter mine = Filter.builder().authors(author.pubKey().hex()).build();
            RegisteredRelay relay = registry.add(java.net.URI.create(upstream.url()), "refuses after a reconnect",
                    List.of(mine));
            lifecycle.start(relay);
            await().atMost(WAIT).until(() -> storedCount(mine) == 10);

            Event recent = notes(1, now - 60).get(0);
            upstream = restart(upstream, relay, refusing, recent);
            try {
                await().atMost(WAIT).until(() -> storedCount(mine) == 11);
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(lifecycle.status(relay.id()).state()).isEqualTo(ConnectorState.LIVE);
                    JsonNode view = relayView(relay);
                    assertThat(view.get("catchUp").asText()).isEqualTo("since");
                    // the resumed subscription brought the recent one; the reconciliation below it was refused
                    assertThat(view.get("catchUpCounts").get("fetched").asLong()).isEqualTo(1);
                    assertThat(view.get("catchUpCounts").get("fallback").asText())
                            .contains("after a reconnect").contains("blocked: too many items");
                    assertThat(view.get("counters").get("received").asLong()).isEqualTo(11);
                });
            } finally {
                lifecycle.remove(relay.id()).join();
                registry.remove(relay.id());
                upstream.close();
            }
        }
    }

    @Test
    void aRefusedReconciliationFallsBackToTheCursorAndSaysWhy() throws Exception {
        List<Event> events = notes(10, System.currentTimeMillis() / 1000 - DAY);
        // a relay that reconciles at most 5 items answers NEG-ERR "blocked: too many items"
        try (TestRelay upstream = TestRelay.start(config -> config.withNegentropy(
                new RelayConfig.Negentropy(8, 5, 0)))) {
            publish(upstream, events);
            Filter mine = Filter.builder().authors(author.pubKey().hex()).build();
            RegisteredRelay relay = registry.add(java.net.URI.create(upstream.url()), "refuses", List.of(mine));
            lifecycle.start(relay);

            await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            JsonNode view = relayView(relay);
            assertThat(view.get("catchUp").asText()).isEqualTo("since");
            assertThat(view.get("catchUpCounts").get("fallback").asText()).contains("blocked: too many items");
            assertThat(view.get("catchUpCounts").get("fetched").asLong()).isEqualTo(10);
            await().atMost(WAIT).until(() -> storedCount(mine) == 10);

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    @Test
    void anUpstreamWithoutNip77CatchesUpSinceTheCursor() throws Exception {
        try (FakeRelay upstream = FakeRelay.start()) { // serves no NIP-11 document
            upstream.store(notes(3, System.currentTimeMillis() / 1000 - DAY).toArray(Event[]::new));
            RegisteredRelay relay = registry.add(upstream.url(), "no negentropy", List.of(Filter.ALL));
            lifecycle.start(relay);

            await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            JsonNode view = relayView(relay);
            assertThat(view.get("catchUp").asText()).isEqualTo("since");
            assertThat(view.get("catchUpCounts").get("fetched").asLong()).isEqualTo(3);
            assertThat(view.get("catchUpCounts").get("skipped").asLong()).isZero();
            assertThat(view.get("catchUpCounts").get("fallback").isNull()).isTrue();

            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
    }

    /**
     * Stops the upstream (the gateway's connection drops, and it keeps trying), stores the events in its database
     * while the gateway is cut off, and starts it again on the same port.
     */
    private TestRelay restart(TestRelay upstream, RegisteredRelay relay, UnaryOperator<RelayConfig> config,
                              Event... whileAway) {
        int port = upstream.port();
        upstream.close();
        await().atMost(WAIT).until(() -> lifecycle.status(relay.id()).state() != ConnectorState.LIVE);
        new SqlEventStore(upstream.database().database(), StoreConfig.DEFAULTS).saveAll(List.of(whileAway));
        return TestRelay.startOn(upstream.database(), base -> {
            RelayConfig configured = config.apply(base);
            return configured.withServer(configured.server().withPort(port));
        });
    }

    private JsonNode relayView(RegisteredRelay relay) {
        ApiClient.Reply reply = new ApiClient(port).get("/api/relays/" + relay.id());
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private long storedCount(Filter filter) {
        return store.count(List.of(filter));
    }

    private List<Event> notes(int n, long createdAt) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(author.pubKey(), createdAt + i, 1, List.of(), "note " + createdAt + " " + i)
                    .sign(author));
        }
        return events;
    }

    private static void publish(TestRelay relay, List<Event> events) {
        try (RelayClient client = RelayClient.builder().url(relay.url()).build()) {
            events.stream().map(client::send).toList()
                    .forEach(ok -> assertThat(ok.join().accepted()).as(ok.join().message()).isTrue());
        }
    }
}
