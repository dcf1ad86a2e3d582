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
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StoreConfig;
import dev.nostrgate.relay.store.TableFault;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One event the database cannot store among 999 good ones sent at once from ten connections: the 999 are stored and
 * answered {@code OK true}, the bad one alone gets {@code OK false} with a reason. Whether the relay finds it at
 * validation (text the database cannot hold) or the database itself refuses it (the writer then isolates it), no
 * other event pays for it and nothing stalls.
 */
class UnstorableInputIT {
    private static final int CONNECTIONS = 10;
    private static final int PER_CONNECTION = 100;
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void aNulInTheContentIsRefusedAtValidationAndTheOther999AreStored() {
        SecKey key = SecKey.generate();
        Event bad = event(key, 1, now(), "nul \u0000 inside");
        Map<String, RelayMessage.Ok> answers = publishAmong999(bad, i -> event(key, 1, now(), "good " + i));

        assertThat(answers.get(bad.id().hex()).accepted()).isFalse();
        assertThat(answers.get(bad.id().hex()).message()).startsWith("invalid: content has a NUL character");
        assertThat(answers.values().stream().filter(RelayMessage.Ok::accepted)).hasSize(999);
        assertThat(storedBy(key)).isEqualTo(999);
    }

    @Test
    void aNulOrALoneSurrogateInATagIsRefusedWithInvalid() {
        SecKey key = SecKey.generate();
        try (TestClient client = relay.connect()) {
            RelayMessage.Ok nul = client.publish(event(key, 1, now(), "tagged", Tag.of("t", "a\u0000b")));
            assertThat(nul.accepted()).isFalse();
            assertThat(nul.message()).startsWith("invalid: a tag has a NUL character");
            RelayMessage.Ok surrogate = client.publish(event(key, 1, now(), "tagged", Tag.of("t", "x\ud800y")));
            assertThat(surrogate.accepted()).isFalse();
            assertThat(surrogate.message()).startsWith("invalid: a tag has an unpaired UTF-16 surrogate");
            RelayMessage.Ok emoji = client.publish(event(key, 1, now(), "a pair is fine: \ud83d\ude00"));
            assertThat(emoji.accepted()).as(emoji.message()).isTrue();
        }
    }

    @Test
    void anEventTheDatabaseRefusesIsIsolatedAndTheOther999AreStored() {
        SecKey key = SecKey.generate();
        Event bad = event(key, 1, now(), "refused by the database");
        try (TableFault refusing = TableFault.rowsContaining(relay.database().schema(), "events",
                "refused by the database", "22023")) {
            Map<String, RelayMessage.Ok> answers = publishAmong999(bad, i -> event(key, 1, now(), "fine " + i));

            assertThat(answers.get(bad.id().hex()).accepted()).isFalse();
            assertThat(answers.get(bad.id().hex()).message()).startsWith("error: the database refused this event");
            assertThat(answers.values().stream().filter(RelayMessage.Ok::accepted)).hasSize(999);
        }
        assertThat(storedBy(key)).isEqualTo(999);
    }

    /** Sends the bad event and 999 good ones over ten connections without waiting, then reads every answer. */
    private static Map<String, RelayMessage.Ok> publishAmong999(Event bad, Function<Integer, Event> good) {
        List<TestClient> clients = new ArrayList<>();
        Map<String, RelayMessage.Ok> answers = new HashMap<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                clients.add(relay.connect());
            }
            for (int i = 0; i < CONNECTIONS * PER_CONNECTION; i++) {
                Event event = i == 500 ? bad : good.apply(i);
                clients.get(i % CONNECTIONS).send(new ClientMessage.Publish(event));
            }
            for (TestClient client : clients) {
                for (int i = 0; i < PER_CONNECTION; i++) {
                    RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
                    answers.put(ok.eventId().hex(), ok);
                }
            }
        } finally {
            clients.forEach(TestClient::close);
        }
        assertThat(answers).as("every EVENT answered once").hasSize(CONNECTIONS * PER_CONNECTION);
        return answers;
    }

    private static long storedBy(SecKey key) {
        return new SqlEventStore(relay.database().database(), StoreConfig.DEFAULTS)
                .count(List.of(Filter.builder().authors(key.pubKey().hex()).build()));
    }
}
