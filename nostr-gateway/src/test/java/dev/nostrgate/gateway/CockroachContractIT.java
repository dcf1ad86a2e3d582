package dev.nostrgate.gateway;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_EVENT_SOURCES;
import static dev.nostrgate.relay.store.schema.Tables.EVENT_TAGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nostrgate.core.client.FakeRelay;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.gateway.connector.ConnectorState;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.relay.store.ModifiedTables;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoredEvent;
import dev.nostrgate.relay.store.faults.FaultSettings;
import dev.nostrgate.relay.store.faults.InjectedFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway on PostgreSQL made to act like CockroachDB: SERIALIZABLE, and a seeded 5% of its statements and
 * commits failing with 40001 and 8% with 40003 (half of those after really committing), for the sink, provenance,
 * cursors and statistics alike. Three upstream relays, with events in common, stream stored and live events:
 * every event is stored exactly once, with its provenance from each relay once, and every relay's queue drains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CockroachContractIT {
    private static final String DATABASE = GatewayTestSchema.create();
    private static final FaultSettings FAULTS = new FaultSettings("gateway-contract", 4_122_026L, 0.05, 0.08);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("gateway.database.url", () -> FAULTS.url(DATABASE));
        registry.add("gateway.relay-port", () -> 0);
        registry.add("gateway.cursor-flush-interval", () -> "200ms");
        registry.add("gateway.stats-flush-interval", () -> "500ms");
        registry.add("gateway.sink-max-delay", () -> "10ms");
        registry.add("gateway.database.max-limit", () -> 10_000);
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
    DSLContext dsl;

    @AfterEach
    void removeRelays() {
        RegisteredRelays.removeAll(registry, lifecycle); // a failed test's too: their queues outlive the schema
    }

    private static List<Event> notes(SecKey key, int n, String text) {
        List<Event> events = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < n; i++) {
            events.add(new UnsignedEvent(key.pubKey(), now - n + i, 1, List.of(Tag.of("t", "contract")),
                    text + " " + i).sign(key));
        }
        return events;
    }

    @Test
    void storesEveryEventOnceThroughInjectedRetriesAndAmbiguousCommits() throws Exception {
        SecKey alice = SecKey.generate();
        List<Event> shared = notes(alice, 60, "on every relay");
        List<List<Event>> own = List.of(notes(alice, 150, "only on 0"), notes(alice, 150, "only on 1"),
                notes(alice, 150, "only on 2"));
        List<FakeRelay> upstreams = new ArrayList<>();
        List<RegisteredRelay> relays = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        InjectedFaults injected = InjectedFaults.named(FAULTS.name());
        try {
            for (int r = 0; r < 3; r++) {
                FakeRelay upstream = FakeRelay.start();
                upstreams.add(upstream);
                upstream.store(shared.toArray(Event[]::new));
                upstream.store(own.get(r).toArray(Event[]::new));
                relays.add(registry.add(upstream.url(), "contract " + r, List.of(Filter.ALL)));
            }
            shared.forEach(e -> expected.add(e.id().hex()));
            own.forEach(list -> list.forEach(e -> expected.add(e.id().hex())));

            injected.arm();
            relays.forEach(lifecycle::start);
            await().atMost(Duration.ofSeconds(60)).until(() -> storedIds().containsAll(expected));
            for (RegisteredRelay relay : relays) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> lifecycle.status(relay.id()).state() == ConnectorState.LIVE);
            }
            List<Event> live = notes(alice, 90, "live");
            for (int i = 0; i < live.size(); i++) {
                upstreams.get(i % 3).sendToSubscribers(live.get(i).toJson());
                expected.add(live.get(i).id().hex());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> storedIds().containsAll(expected));
        } finally {
            injected.disarm();
        }
        assertThat(injected.serializationFailures()).as("40001s injected").isPositive();
        assertThat(injected.statements()).as("statements recorded").isNotEmpty()
                .allSatisfy(sql -> assertThat(ModifiedTables.modifiedTwice(sql))
                        .as("tables modified twice (CockroachDB refuses it) in %s", sql).isEmpty());
        assertThat(injected.ambiguousBeforeOperation() + injected.ambiguousAfterOperation()).as("40003s injected")
                .isPositive();

        assertThat(storedIds()).as("nothing else, nothing twice").hasSameSizeAs(expected);
        assertThat(dsl.fetchCount(EVENT_TAGS))
                .as("one tag row per event").isEqualTo(expected.size());
        // provenance is recorded after the events' commit: the last batch's may still be on its way
        long sources = shared.size() * 3L + (expected.size() - shared.size());
        await().atMost(Duration.ofSeconds(20)).until(() -> provenanceRows() >= sources);
        assertThat(provenanceRows()).as("provenance: the shared events from each relay, the rest from one")
                .isEqualTo(sources);
        for (RegisteredRelay relay : relays) {
            lifecycle.remove(relay.id()).join();
            registry.remove(relay.id());
        }
        for (FakeRelay upstream : upstreams) {
            upstream.close();
        }
    }

    private long provenanceRows() {
        return dsl.fetchCount(GATEWAY_EVENT_SOURCES);
    }

    private Set<String> storedIds() {
        Set<String> ids = new HashSet<>();
        store.query(List.of(Filter.builder().limit(10_000).build())).stream().map(StoredEvent::idHex)
                .forEach(ids::add);
        return ids;
    }
}
