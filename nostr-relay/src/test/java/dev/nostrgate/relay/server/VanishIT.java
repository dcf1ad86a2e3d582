package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-62 over a real WebSocket, on PostgreSQL: a request to vanish from this relay, as a client sees it. */
class VanishIT {
    private static final String PUBLIC_URL = "wss://vanish.example.com";
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withServer(config.server().withPublicUrl(PUBLIC_URL)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void forgetsTheAuthorUpToTheRequestKeepsTheRequestAndRefusesTheOldEventsAgain() {
        SecKey alice = SecKey.generate();
        SecKey bob = SecKey.generate();
        SecKey wrapper = SecKey.generate();
        String aliceHex = alice.pubKey().hex();
        long t = now() - 100;
        Event note = event(alice, 1, t - 50, "note");
        Event deletion = event(alice, Kinds.DELETION, t - 40, "", Tag.of("e", "0".repeat(64)));
        Event article = event(alice, 30_023, t - 30, "article", Tag.of("d", "post"));
        Event profile = event(alice, 0, t - 25, "{}");
        Event wrap = event(wrapper, Kinds.GIFT_WRAP, t - 20, "sealed", Tag.of("p", aliceHex));
        Event bobs = event(bob, 1, t - 10, "bob stays");
        Event request = event(alice, Kinds.REQUEST_TO_VANISH, t, "forget me", Tag.of("relay", PUBLIC_URL));

        try (TestClient client = relay.connect(); TestClient watcher = relay.connect()) {
            for (Event event : List.of(note, deletion, article, profile, wrap, bobs)) {
                assertThat(client.publish(event).accepted()).isTrue();
            }
            assertThat(watcher.req("requests", Filter.builder().authors(aliceHex).kinds(Kinds.REQUEST_TO_VANISH)
                    .build())).isEmpty();

            RelayMessage.Ok ok = client.publish(request);
            assertThat(ok.accepted()).as(ok.message()).isTrue();
            assertThat(watcher.next(RelayMessage.EventMessage.class).event()).as("fanned out like any event")
                    .isEqualTo(request);

            assertThat(stored(Filter.builder().authors(aliceHex).build())).containsExactly(request);
            assertThat(stored(Filter.builder().tag('p', aliceHex).build())).isEmpty();
            assertThat(stored(Filter.builder().authors(bob.pubKey().hex()).build()))
                    .containsExactly(bobs);

            for (Event old : List.of(note, article, wrap)) {
                RelayMessage.Ok again = client.publish(old);
                assertThat(again.accepted()).as(old.content()).isFalse();
                assertThat(again.reason().is(ReasonPrefix.BLOCKED)).as(again.message()).isTrue();
            }
            Event newer = event(alice, 1, t + 1, "back again");
            assertThat(client.publish(newer).accepted()).isTrue();
            assertThat(stored(Filter.builder().authors(aliceHex).build()))
                    .containsExactly(newer, request);
        }
    }

    @Test
    void aDeletionRequestAgainstTheRequestHasNoEffect() {
        SecKey alice = SecKey.generate();
        Event request = event(alice, Kinds.REQUEST_TO_VANISH, now() - 10, "", Tag.of("relay", "ALL_RELAYS"));
        try (TestClient client = relay.connect()) {
            assertThat(client.publish(request).accepted()).isTrue();
            Event deletion = event(alice, Kinds.DELETION, now(), "", Tag.of("e", request.id().hex()));
            assertThat(client.publish(deletion).accepted()).isTrue();

            assertThat(stored(Filter.builder().ids(request.id().hex()).build()))
                    .containsExactly(request);
        }
    }

    @Test
    void aRequestToAnotherRelayIsStoredAndDeletesNothing() {
        SecKey carol = SecKey.generate();
        Event note = event(carol, 1, now() - 20, "stays");
        Event elsewhere = event(carol, Kinds.REQUEST_TO_VANISH, now() - 10, "",
                Tag.of("relay", "wss://another-relay.example.com"));
        try (TestClient client = relay.connect()) {
            assertThat(client.publish(note).accepted()).isTrue();
            assertThat(client.publish(elsewhere).accepted()).isTrue();
            Event older = event(carol, 1, now() - 30, "older, still taken");
            assertThat(client.publish(older).accepted()).isTrue();

            assertThat(stored(Filter.builder().authors(carol.pubKey().hex()).build()))
                    .containsExactly(elsewhere, note, older);
        }
    }

    /** The stored events matching the filter, read on a connection of their own. */
    private static List<Event> stored(Filter filter) {
        try (TestClient reader = relay.connect()) {
            return reader.req("stored", filter);
        }
    }
}
