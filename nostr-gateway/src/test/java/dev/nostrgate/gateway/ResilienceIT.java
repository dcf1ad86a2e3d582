package dev.nostrgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.relay.store.TableFault;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.topology.RelayTopology;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoredEvent;
import dev.nostrgate.relay.store.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * No loss through a broker cut, a database outage and a gateway restart, each mid-stream: afterwards every
 * event the upstream relay has is stored exactly once.
 */
class ResilienceIT {
    private static final SecKey AUTHOR = SecKey.generate();

    private String database;
    private String connectionName;
    private FakeRelay upstream;
    private final List<Event> published = new ArrayList<>();
    /** The relays a test registered: their queues and exchanges outlive its gateways, and a failed test's too. */
    private final List<UUID> relays = new ArrayList<>();
    private long clock = System.currentTimeMillis() / 1000 - 10_000;

    @BeforeEach
    void start() {
        database = GatewayTestSchema.create();
        connectionName = "gateway-it-" + UUID.randomUUID();
        upstream = FakeRelay.start();
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        GatewayTestSchema.drop(database);
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(connections);
            relays.forEach(relay -> { // removed already when the test got that far: deleting nothing is fine
                admin.deleteQueue(RelayTopology.queue(relay));
                admin.deleteExchange(RelayTopology.exchange(relay));
            });
        } finally {
            connections.destroy();
        }
    }

    private UUID registered(RegisteredRelay relay) {
        relays.add(relay.id());
        return relay.id();
    }

    private ConfigurableApplicationContext gateway() {
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--gateway.relay-port=0",
                "--gateway.database.url=" + database,
                "--gateway.amqp-connection-name=" + connectionName,
                "--gateway.cursor-flush-interval=200ms",
                "--gateway.sink-max-delay=10ms");
    }

    private void publish(int n) {
        for (int i = 0; i < n; i++) {
            Event event = new UnsignedEvent(AUTHOR.pubKey(), clock++, 1, List.of(), "event " + published.size())
                    .sign(AUTHOR);
            published.add(event);
            upstream.store(event);
        }
    }

    private static Set<String> stored(ConfigurableApplicationContext gateway) {
        Set<String> ids = new HashSet<>();
        gateway.getBean(SqlEventStore.class).query(List.of(Filter.builder().limit(100_000).build())).stream()
                .map(StoredEvent::idHex).forEach(ids::add);
        return ids;
    }

    private Set<String> publishedIds() {
        return ids(published);
    }

    private static Set<String> ids(List<Event> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.id().hex()));
        return ids;
    }

    private void awaitEverything(ConfigurableApplicationContext gateway) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(gateway).containsAll(publishedIds()));
        assertThat(stored(gateway)).hasSize(published.size()); // exactly once: nothing else, nothing twice
    }

    @Test
    void losesNothingThroughABrokerCutADatabaseOutageAndARestart() throws Exception {
        publish(30);
        UUID relayId;
        try (ConfigurableApplicationContext first = gateway()) {
            RegisteredRelay relay = first.getBean(RelayRegistry.class).add(upstream.url(), "upstream",
                    List.of(Filter.ALL));
            relayId = registered(relay);
            first.getBean(RelayLifecycle.class).start(relay);
            awaitEverything(first);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    first.getBean(RelayLifecycle.class).status(relayId).state() == ConnectorState.LIVE);

            // 1. the broker drops the gateway's connections while events stream in
            publish(20);
            closeBrokerConnections(connectionName);
            publish(20);
            awaitEverything(first);

            // 2. the database is away (every write of an event fails as a server shutting down does) while events
            // reach the gateway: it has them in hand, and stores none, until the database is back
            RelayCounters counters = first.getBean(RelayCounters.class);
            RelayCounters.Totals beforeOutage = counters.totals(relayId);
            try (TableFault down = TableFault.everyWrite(schema(), "events", "57P01")) {
                publish(20);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> counters.totals(relayId).received() > beforeOutage.received());
                assertThat(counters.totals(relayId).stored()).isEqualTo(beforeOutage.stored());
            }
            publish(10);
            awaitEverything(first);

            // 3. the gateway stops mid-stream...
            publish(25);
        }
        // ...the relay goes on without it...
        publish(40);
        // ...and the gateway comes back: re-binds, catches up from its cursor
        try (ConfigurableApplicationContext second = gateway()) {
            awaitEverything(second);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    second.getBean(RelayLifecycle.class).status(relayId).state() == ConnectorState.LIVE);
            publish(10);
            awaitEverything(second);
            second.getBean(RelayLifecycle.class).remove(relayId).join();
        }
    }

    @Test
    void losesNothingWhenStoppedInTheMiddleOfACatchUp() throws Exception {
        publish(30);
        UUID relayId;
        try (ConfigurableApplicationContext first = gateway()) {
            RelayRegistry registry = first.getBean(RelayRegistry.class);
            RegisteredRelay relay = registry.add(upstream.url(), "upstream", List.of(Filter.ALL));
            relayId = registered(relay);
            first.getBean(RelayLifecycle.class).start(relay);
            awaitEverything(first);
            long newest = published.get(published.size() - 1).createdAt();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.find(relayId).orElseThrow().cursor().orElse(0) == newest);
        }
        // the relay goes on without the gateway, over a span longer than the catch-up overlap (10m)
        publish(100);
        clock += 3_600;
        publish(100);
        // the next run's catch-up comes newest first: it gets the 50 newest, stores them, and the relay goes away
        List<Event> newestFifty = List.copyOf(published.subList(published.size() - 50, published.size()));
        upstream.goAwayAfterStoredEvents(50);
        try (ConfigurableApplicationContext second = gateway()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> stored(second).containsAll(ids(newestFifty)));
        }
        // had those 50 moved the cursor, this run would ask only from an hour after the 150 older ones
        upstream.acceptConnections();
        try (ConfigurableApplicationContext third = gateway()) {
            awaitEverything(third);
            third.getBean(RelayLifecycle.class).remove(relayId).join();
        }
    }

    @Test
    void anEventDatedInTheFutureIsDeadLetteredAndCannotHoldTheCursorAheadOfWhatIsStored() throws Exception {
        long year2100 = 4_102_444_800L;
        Event inCatchUp = new UnsignedEvent(AUTHOR.pubKey(), year2100, 1, List.of(), "from 2100, stored").sign(AUTHOR);
        Event live = new UnsignedEvent(AUTHOR.pubKey(), year2100 + 1, 1, List.of(), "from 2100, live").sign(AUTHOR);
        try (DeadLetterTap tap = new DeadLetterTap()) {
            publish(10);
            upstream.store(inCatchUp);
            UUID relayId;
            List<Message> dead = new ArrayList<>();
            try (ConfigurableApplicationContext first = gateway()) {
                RelayRegistry registry = first.getBean(RelayRegistry.class);
                RegisteredRelay relay = registry.add(upstream.url(), "upstream", List.of(Filter.ALL));
                relayId = registered(relay);
                first.getBean(RelayLifecycle.class).start(relay);
                awaitStored(first, publishedIds());
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        first.getBean(RelayLifecycle.class).status(relayId).state() == ConnectorState.LIVE);
                upstream.store(live);
                publish(5);
                awaitStored(first, publishedIds());
                long newest = published.get(published.size() - 1).createdAt();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> registry.find(relayId).orElseThrow().cursor().orElse(0) >= newest);
                assertThat(registry.find(relayId).orElseThrow().cursor()).hasValue(newest);
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    dead.addAll(tap.drain(relayId));
                    return deadIds(dead).containsAll(ids(List.of(inCatchUp, live)));
                });
            }
            // the relay goes on without the gateway; then the gateway resumes from its cursor
            publish(20);
            try (ConfigurableApplicationContext second = gateway()) {
                awaitEverything(second); // had the cursor gone to 2100, the restart would have asked since 2100
                second.getBean(RelayLifecycle.class).remove(relayId).join();
            }
            dead.addAll(tap.drain(relayId));
            assertThat(deadIds(dead)).isEqualTo(ids(List.of(inCatchUp, live)));
            assertThat(dead).allSatisfy(message -> assertThat(
                    (String) message.getMessageProperties().getHeader(RelayTopology.REASON_HEADER))
                    .startsWith("invalid: created_at is too far in the future"));
        }
    }

    private static void awaitStored(ConfigurableApplicationContext gateway, Set<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(gateway).containsAll(ids));
    }

    private static Set<String> deadIds(List<Message> dead) throws InvalidEventException {
        Set<String> ids = new HashSet<>();
        for (Message message : dead) {
            ids.add(EventJson.parse(message.getBody()).id().hex());
        }
        return ids;
    }

    private String schema() {
        return TestDatabase.schemaOf(database);
    }

    /** Closes this gateway's AMQP connections, consumers' and publishers', only (other builds may share the broker). */
    private static void closeBrokerConnections(String name) throws IOException, InterruptedException {
        Process list = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "name", "client_properties")
                .redirectErrorStream(true).start();
        String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int closed = 0;
        for (String line : output.split("\n")) {
            String[] columns = line.split("\t", 2);
            // client_properties holds {"connection_name",longstr,"<name>"}
            // and the publishers' connection, which Spring AMQP names "<name>.publisher"
            if (columns.length == 2 && (columns[1].contains("\"" + name + "\"")
                    || columns[1].contains("\"" + name + ".publisher\""))) {
                Process close = new ProcessBuilder("rabbitmqctl", "-q", "close_connection", columns[0].trim(),
                        "test: broker cut").redirectErrorStream(true).start();
                close.getInputStream().readAllBytes();
                assertThat(close.waitFor(30, TimeUnit.SECONDS)).isTrue();
                closed++;
            }
        }
        assertThat(closed).as("connections named %s in:%n%s", name, output).isPositive();
    }
}
