package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.event;
import static dev.nostrgate.relay.Events.note;
import static dev.nostrgate.relay.Events.now;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NIP-42 on a relay that requires authentication for reads and writes; NIP-70 protected events. */
class AuthIT {
    private static final SecKey KEY = SecKey.generate();
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withAuth(new RelayConfig.Auth(true, true)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    private static Event auth(SecKey key, String challenge, String relayUrl, long createdAt) {
        return event(key, 22_242, createdAt, "", Tag.of("relay", relayUrl), Tag.of("challenge", challenge));
    }

    @Test
    void refusesWritesAndReadsBeforeAuthentication() {
        try (TestClient client = relay.connect()) {
            RelayMessage.Ok ok = client.publish(note(KEY, "anonymous"));
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.reason().is(ReasonPrefix.AUTH_REQUIRED)).as(ok.message()).isTrue();

            client.send(new ClientMessage.Req("feed", Filter.builder().kinds(1).build()));
            RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
            assertThat(closed.subscriptionId()).isEqualTo("feed");
            assertThat(closed.reason().is(ReasonPrefix.AUTH_REQUIRED)).as(closed.message()).isTrue();

            client.send(new ClientMessage.Count("count", Filter.builder().kinds(1).build()));
            assertThat(client.next(RelayMessage.Closed.class).reason().is(ReasonPrefix.AUTH_REQUIRED)).isTrue();
        }
    }

    @Test
    void acceptsAValidAuthEventAndThenServesTheClient() {
        try (TestClient client = relay.connect()) {
            Event auth = auth(KEY, client.challenge(), relay.url(), now());
            client.send(new ClientMessage.Auth(auth));
            RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
            assertThat(ok.eventId()).isEqualTo(auth.id());
            assertThat(ok.accepted()).as(ok.message()).isTrue();

            Event note = note(KEY, "signed in");
            assertThat(client.publish(note).accepted()).isTrue();
            assertThat(client.req("mine", Filter.builder().ids(note.id().hex()).build())).containsExactly(note);
            client.send(new ClientMessage.Count("n", Filter.builder().ids(note.id().hex()).build()));
            assertThat(client.next(RelayMessage.CountResult.class).count()).isEqualTo(1);
        }
    }

    @Test
    void refusesAuthEventsThatDoNotProveThisConnection() {
        try (TestClient client = relay.connect(); TestClient other = relay.connect()) {
            expectRefused(client, auth(KEY, other.challenge(), relay.url(), now()), "challenge");
            expectRefused(client, auth(KEY, client.challenge(), "wss://another.relay.example", now()), "relay tag");
            expectRefused(client, auth(KEY, client.challenge(), relay.url(), now() - 3_600), "ten minutes");
            Event wrongKind = event(KEY, 1, now(), "", Tag.of("relay", relay.url()),
                    Tag.of("challenge", client.challenge()));
            expectRefused(client, wrongKind, "kind 22242");
            Event good = auth(KEY, client.challenge(), relay.url(), now());
            Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(),
                    good.content(), wrongKind.sig());
            expectRefused(client, forged, "signature");
            assertThat(client.publish(note(KEY, "still anonymous")).reason().is(ReasonPrefix.AUTH_REQUIRED)).isTrue();
        }
    }

    @Test
    void acceptsTheRelayUrlWithATrailingSlashOrWss() {
        try (TestClient client = relay.connect()) {
            String wss = relay.url().replace("ws://", "wss://") + "/";
            client.send(new ClientMessage.Auth(auth(KEY, client.challenge(), wss, now())));
            assertThat(client.next(RelayMessage.Ok.class).accepted()).isTrue();
        }
    }

    @Test
    void acceptsAProtectedEventOnlyFromItsAuthenticatedAuthor() {
        SecKey stranger = SecKey.generate();
        try (TestClient client = relay.connect()) {
            client.send(new ClientMessage.Auth(auth(KEY, client.challenge(), relay.url(), now())));
            assertThat(client.next(RelayMessage.Ok.class).accepted()).isTrue();
            assertThat(client.publish(event(KEY, 1, now(), "mine, protected", Tag.of("-"))).accepted()).isTrue();
            RelayMessage.Ok foreign = client.publish(event(stranger, 1, now(), "someone else's", Tag.of("-")));
            assertThat(foreign.accepted()).isFalse();
            assertThat(foreign.reason().is(ReasonPrefix.AUTH_REQUIRED)).isTrue();
        }
    }

    private static void expectRefused(TestClient client, Event auth, String why) {
        client.send(new ClientMessage.Auth(auth));
        RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
        assertThat(ok.eventId()).isEqualTo(auth.id());
        assertThat(ok.accepted()).isFalse();
        assertThat(ok.message()).startsWith("invalid: ").contains(why);
    }
}
