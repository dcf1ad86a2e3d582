package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.store.ModifiedTables;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.TestDatabase;
import dev.nostrgate.relay.store.faults.FaultSettings;
import dev.nostrgate.relay.store.faults.InjectedFaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay on PostgreSQL made to act like CockroachDB: SERIALIZABLE (every test connection is), and a seeded 5% of
 * its statements failing with 40001 and 15% of its commits with 40003, half of those after really committing. Eight
 * clients publish notes with tags and new versions of their profile (the one-statement and the multi-statement
 * write paths) and read meanwhile: every client is answered, every event is stored once with its tag rows, each
 * profile's newest version is the one served, and no REQ is closed for a serialization failure.
 */
class CockroachContractIT {
    private static final FaultSettings FAULTS = new FaultSettings("relay-contract", 20_261_204L, 0.05, 0.15);
    private static final int CLIENTS = 8;
    private static final int NOTES = 120;
    private static final int PROFILES = 10;
    private static TestDatabase database;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        relay = TestRelay.startOn(database, config -> config.withDatabase(
                config.database().withUrl(FAULTS.url(database.url()), TestDatabase.USER, "")));
    }

    @AfterAll
    static void stop() {
        relay.close();
        database.close();
    }

    @Test
    void losesNothingStoresNothingTwiceAndAnswersEveryClientThroughInjectedRetriesAndAmbiguousCommits() {
        InjectedFaults injected = InjectedFaults.named(FAULTS.name()).arm();
        List<SecKey> authors = new ArrayList<>();
        List<TestClient> clients = new ArrayList<>();
        int[] reqs = new int[CLIENTS];
        Map<String, Event> sent = new HashMap<>();
        Map<SecKey, Event> newestProfile = new HashMap<>();
        int expectedTagRows = 0;
        try {
            for (int c = 0; c < CLIENTS; c++) {
                authors.add(SecKey.generate());
                clients.add(relay.connect());
            }
            long now = now();
            for (int i = 0; i < NOTES + PROFILES; i++) {
                for (int c = 0; c < CLIENTS; c++) {
                    SecKey author = authors.get(c);
                    Event event;
                    if (i % 13 == 5) { // ten versions of each profile, each newer than the last
                        event = event(author, 0, now - 1_000 + i, "{\"name\":\"v" + i + "\"}");
                        newestProfile.put(author, event);
                    } else {
                        event = event(author, 1, now - 1_000 + i, "note " + i,
                                Tag.of("t", "contract"), Tag.of("t", "n" + (i % 7)));
                        expectedTagRows += 2;
                    }
                    sent.put(event.id().hex(), event);
                    clients.get(c).send(new ClientMessage.Publish(event));
                }
                if (i % 20 == 0) {
                    int c = i % CLIENTS;
                    clients.get(c).send(new ClientMessage.Req("r" + i,
                            List.of(Filter.builder().tag('t', "contract").limit(20).build())));
                    reqs[c]++;
                }
            }
            Map<String, RelayMessage.Ok> answers = new HashMap<>();
            int eoses = 0;
            for (int c = 0; c < CLIENTS; c++) {
                int oks = 0;
                int ended = 0;
                while (oks < NOTES + PROFILES || ended < reqs[c]) {
                    RelayMessage message = clients.get(c).next();
                    switch (message) {
                        case RelayMessage.Ok ok -> {
                            answers.put(ok.eventId().hex(), ok);
                            oks++;
                        }
                        case RelayMessage.Eose eose -> {
                            eoses++;
                            ended++;
                        }
                        case RelayMessage.EventMessage stored -> { }
                        default -> throw new AssertionError("unexpected (a REQ closed by a failure?): " + message);
                    }
                }
            }
            assertThat(answers).as("every EVENT answered").hasSameSizeAs(sent);
            assertThat(answers.values()).allSatisfy(ok -> assertThat(ok.accepted()).as(ok.message()).isTrue());
            assertThat(eoses).as("every REQ ended with EOSE").isEqualTo(Arrays.stream(reqs).sum());
        } finally {
            clients.forEach(TestClient::close);
            injected.disarm();
        }
        assertThat(injected.serializationFailures()).as("40001s injected").isPositive();
        assertThat(injected.statements()).as("statements recorded").isNotEmpty()
                .allSatisfy(sql -> assertThat(ModifiedTables.modifiedTwice(sql))
                        .as("tables modified twice (CockroachDB refuses it) in %s", sql).isEmpty());
        assertThat(injected.ambiguousBeforeOperation() + injected.ambiguousAfterOperation()).as("40003s injected")
                .isPositive();

        SqlEventStore honest = new SqlEventStore(database.database(), StoreConfig.DEFAULTS);
        long notes = sent.values().stream().filter(e -> e.kind() == 1).count();
        assertThat(honest.count(List.of(Filter.builder().kinds(1).build()))).isEqualTo(notes);
        assertThat(database.rowCount("event_tags")).as("tag rows once each").isEqualTo(expectedTagRows);
        for (Map.Entry<SecKey, Event> profile : newestProfile.entrySet()) {
            assertThat(honest.query(List.of(Filter.builder().kinds(0)
                    .authors(profile.getKey().pubKey().hex()).build())))
                    .singleElement().satisfies(stored ->
                            assertThat(stored.idHex()).isEqualTo(profile.getValue().id().hex()));
        }
        assertThat(database.rowCount("events")).isEqualTo(notes + newestProfile.size());
    }
}
