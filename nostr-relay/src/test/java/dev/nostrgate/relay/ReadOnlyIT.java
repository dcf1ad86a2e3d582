package dev.nostrgate.relay;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.note;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A read-only relay on a database another program owns and fills (as the gateway does): REQ, COUNT and live
 * events from {@link Relay#committed}, every EVENT refused with {@code restricted:}, AUTH as usual, and the shared
 * database left open when the relay stops.
 */
class ReadOnlyIT {
    private static final SecKey KEY = SecKey.generate();
    private static TestDatabase database;
    private static SqlEventStore owner;
    private static Relay relay;

    @BeforeAll
    static void start() {
        database = TestDatabase.create();
        RelayConfig config = TestRelay.baseConfig(database);
        owner = new SqlEventStore(database.database(), config.store());
        relay = Relay.start(config.withServer(config.server().withReadOnly(true)), Clock.systemUTC(),
                database.database());
    }

    @AfterAll
    static void stop() {
        relay.close();
        database.close();
    }

    private static TestClient connect() {
        return TestClient.connect("ws://127.0.0.1:" + relay.port());
    }

    /** What the owning program does: store, then hand the stored events to the relay. */
    private static void storeAndAnnounce(Event... events) {
        List<SaveOutcome> outcomes = owner.saveAll(List.of(events));
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.accepted()).as(outcome.message()).isTrue());
        relay.committed(List.of(events));
    }

    @Test
    void refusesEveryEventWithRestrictedAndStoresNothing() {
        try (TestClient client = connect()) {
            Event event = note(KEY, "not here");
            RelayMessage.Ok ok = client.publish(event);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.reason().is(ReasonPrefix.RESTRICTED)).as(ok.message()).isTrue();
            assertThat(ok.message()).isEqualTo("restricted: this relay is read-only");
            assertThat(client.req("check", Filter.builder().ids(event.id().hex()).build())).isEmpty();
        }
    }

    @Test
    void answersAnEventWhoseIdIsNoEventIdWithOkFalseCarryingTheIdAsSentLikeAWritableRelay() {
        try (TestClient client = connect()) {
            Event event = note(KEY, "uppercase id");
            String sentId = event.id().hex().toUpperCase();
            client.send(new ClientMessage.Publish(event).toJson().replace(event.id().hex(), sentId));

            RelayMessage.OkAsSent ok = client.next(RelayMessage.OkAsSent.class);
            assertThat(ok.idAsSent()).isEqualTo(sentId);
            assertThat(ok.message()).startsWith("invalid: id must be 64 lowercase hex characters");
        }
    }

    @Test
    void servesStoredEventsThenEoseThenWhatTheOwnerCommitsLive() {
        SecKey author = SecKey.generate();
        Event first = event(author, 1, now() - 2, "first");
        Event second = event(author, 1, now() - 1, "second");
        storeAndAnnounce(first, second);
        try (TestClient client = connect()) {
            Filter mine = Filter.builder().authors(author.pubKey().hex()).build();
            assertThat(client.req("feed", mine)).containsExactly(second, first);

            Event live = event(author, 1, now(), "live");
            storeAndAnnounce(live);
            RelayMessage.EventMessage delivered = client.next(RelayMessage.EventMessage.class);
            assertThat(delivered.subscriptionId()).isEqualTo("feed");
            assertThat(delivered.event()).isEqualTo(live);

            client.send(new ClientMessage.Count("n", mine));
            assertThat(client.next(RelayMessage.CountResult.class).count()).isEqualTo(3);
        }
    }

    @Test
    void stillAuthenticatesClients() {
        try (TestClient client = connect()) {
            String url = "ws://127.0.0.1:" + relay.port();
            Event auth = event(KEY, 22_242, now(), "", Tag.of("relay", url), Tag.of("challenge", client.challenge()));
            client.send(new ClientMessage.Auth(auth));
            RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
            assertThat(ok.eventId()).isEqualTo(auth.id());
            assertThat(ok.accepted()).as(ok.message()).isTrue();
            assertThat(client.publish(note(KEY, "signed in, still no")).reason().is(ReasonPrefix.RESTRICTED))
                    .isTrue();
        }
    }

    @Test
    void saysSoInItsNip11Document() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + relay.port() + "/"))
                .header("Accept", "application/nostr+json").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode limitation = new ObjectMapper().readTree(response.body()).path("limitation");
        assertThat(limitation.path("restricted_writes").asBoolean()).isTrue();
        assertThat(limitation.path("read_only").asBoolean()).isTrue();
    }

    @Test
    void stoppingLeavesTheSharedDatabaseOpen() {
        RelayConfig config = TestRelay.baseConfig(database);
        Relay second = Relay.start(config.withServer(config.server().withReadOnly(true)), Clock.systemUTC(),
                database.database());
        second.close();
        Event after = note(KEY, "stored after a relay on the database stopped");
        storeAndAnnounce(after);
        assertThat(owner.query(List.of(Filter.builder().ids(after.id().hex()).build()))).hasSize(1);
    }
}
