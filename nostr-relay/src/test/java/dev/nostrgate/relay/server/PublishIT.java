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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EVENT and its OK, over a real WebSocket: every rule of NIP-01 and of the relay's limits. */
class PublishIT {
    private static final SecKey KEY = SecKey.generate();
    private static TestRelay relay;

    @BeforeAll
    static void start() {
        relay = TestRelay.start(config -> config.withLimits(config.limits().toBuilder()
                .maxEventTags(5).maxContentLength(100).createdAtLowerLimit(3_600).createdAtUpperLimit(600).build()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @Test
    void answersOkTrueOnceTheEventIsStored() {
        try (TestClient client = relay.connect()) {
            Event event = note(KEY, "hello");
            RelayMessage.Ok ok = client.publish(event);
            assertThat(ok.accepted()).isTrue();
            assertThat(ok.message()).isEmpty();
            assertThat(client.req("stored", Filter.builder().ids(event.id().hex()).build())).containsExactly(event);
        }
    }

    @Test
    void answersDuplicateWithOkTrueWhenTheSameEventIsPublishedTwice() {
        try (TestClient client = relay.connect(); TestClient other = relay.connect()) {
            Event event = note(KEY, "twice");
            assertThat(client.publish(event).accepted()).isTrue();
            RelayMessage.Ok again = other.publish(event);
            assertThat(again.accepted()).isTrue();
            assertThat(again.reason().is(ReasonPrefix.DUPLICATE)).as(again.message()).isTrue();
        }
    }

    @Test
    void refusesAnEventWhoseIdDoesNotMatchItsContent() {
        try (TestClient client = relay.connect()) {
            Event signed = note(KEY, "original");
            Event tampered = new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                    "tampered", signed.sig());
            RelayMessage.Ok ok = client.publish(tampered);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).startsWith("invalid: event id does not match");
        }
    }

    @Test
    void refusesAnEventWithABadSignature() {
        try (TestClient client = relay.connect()) {
            Event signed = note(KEY, "signed");
            Event other = note(KEY, "another");
            Event forged = new Event(signed.id(), signed.pubkey(), signed.createdAt(), signed.kind(), signed.tags(),
                    signed.content(), other.sig());
            RelayMessage.Ok ok = client.publish(forged);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).isEqualTo("invalid: signature is not valid for the pubkey");
        }
    }

    @Test
    void refusesCreatedAtOutsideTheWindow() {
        try (TestClient client = relay.connect()) {
            RelayMessage.Ok old = client.publish(event(KEY, 1, now() - 3_700, "old"));
            assertThat(old.accepted()).isFalse();
            assertThat(old.message()).isEqualTo(
                    "invalid: created_at is too far in the past (more than 3600 seconds before now)");
            RelayMessage.Ok future = client.publish(event(KEY, 1, now() + 700, "future"));
            assertThat(future.accepted()).isFalse();
            assertThat(future.message()).isEqualTo(
                    "invalid: created_at is too far in the future (more than 600 seconds after now)");
            assertThat(client.publish(event(KEY, 1, now() - 3_500, "recent enough")).accepted()).isTrue();
        }
    }

    @Test
    void refusesMoreTagsThanTheLimit() {
        try (TestClient client = relay.connect()) {
            List<Tag> tags = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tags.add(Tag.of("t", "tag" + i));
            }
            RelayMessage.Ok ok = client.publish(event(KEY, 1, now(), "tagged", tags));
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).isEqualTo("invalid: too many tags (6; at most 5)");
            assertThat(client.publish(event(KEY, 1, now(), "tagged", tags.subList(0, 5))).accepted()).isTrue();
        }
    }

    @Test
    void countsContentInCharactersAsNip11Does() {
        try (TestClient client = relay.connect()) {
            RelayMessage.Ok tooLong = client.publish(note(KEY, "x".repeat(101)));
            assertThat(tooLong.accepted()).isFalse();
            assertThat(tooLong.message()).isEqualTo("invalid: content too long (101 characters; at most 100)");
            // 100 emoji: 200 UTF-16 units, 400 UTF-8 bytes, 100 characters.
            assertThat(client.publish(note(KEY, "\uD83D\uDE00".repeat(100))).accepted()).isTrue();
        }
    }

    @Test
    void acceptsAnEphemeralEventDeliversItLiveAndDoesNotStoreIt() {
        try (TestClient subscriber = relay.connect(); TestClient publisher = relay.connect()) {
            SecKey key = SecKey.generate();
            Filter byAuthor = Filter.builder().authors(key.pubKey().hex()).build();
            assertThat(subscriber.req("live", byAuthor)).isEmpty();
            Event ephemeral = event(key, 20_001, now(), "gone soon");
            RelayMessage.Ok ok = publisher.publish(ephemeral);
            assertThat(ok.accepted()).isTrue();
            RelayMessage.EventMessage live = subscriber.next(RelayMessage.EventMessage.class);
            assertThat(live.subscriptionId()).isEqualTo("live");
            assertThat(live.event()).isEqualTo(ephemeral);
            assertThat(publisher.req("later", byAuthor)).isEmpty();
        }
    }

    @Test
    void refusesAnOlderVersionOfAReplaceableEvent() {
        try (TestClient client = relay.connect()) {
            SecKey key = SecKey.generate();
            Event newer = event(key, 0, now(), "{\"name\":\"new\"}");
            Event older = event(key, 0, now() - 10, "{\"name\":\"old\"}");
            assertThat(client.publish(newer).accepted()).isTrue();
            RelayMessage.Ok ok = client.publish(older);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).startsWith("duplicate: a newer version");
            assertThat(client.req("profile", Filter.builder().authors(key.pubKey().hex()).kinds(0).build()))
                    .containsExactly(newer);
        }
    }

    @Test
    void refusesAnAuthEventPublishedAsAnEvent() {
        try (TestClient client = relay.connect()) {
            Event auth = event(KEY, 22_242, now(), "", Tag.of("challenge", client.challenge()),
                    Tag.of("relay", relay.url()));
            RelayMessage.Ok ok = client.publish(auth);
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).startsWith("invalid: kind 22242");
        }
    }

    @Test
    void refusesAProtectedEventFromAClientNotAuthenticatedAsItsAuthor() {
        try (TestClient client = relay.connect()) {
            RelayMessage.Ok ok = client.publish(event(KEY, 1, now(), "protected", Tag.of("-")));
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.reason().is(ReasonPrefix.AUTH_REQUIRED)).as(ok.message()).isTrue();
        }
    }

    @Test
    void refusesAnExpiredEvent() {
        try (TestClient client = relay.connect()) {
            Tag expired = Tag.of("expiration", Long.toString(now() - 1));
            assertThat(client.publish(event(KEY, 1, now(), "expired", expired)).message())
                    .isEqualTo("invalid: event has expired");
            assertThat(client.publish(event(KEY, 20_000, now(), "expired ephemeral", expired)).message())
                    .isEqualTo("invalid: event has expired");
        }
    }

    @Test
    void answersAMalformedEventWithOkFalseWhenItsIdCanBeRead() {
        try (TestClient client = relay.connect()) {
            Event event = note(KEY, "malformed");
            client.send(new ClientMessage.Publish(event).toJson().replace("\"kind\":1", "\"kind\":\"1\""));
            RelayMessage.Ok ok = client.next(RelayMessage.Ok.class);
            assertThat(ok.eventId()).isEqualTo(event.id());
            assertThat(ok.accepted()).isFalse();
            assertThat(ok.message()).startsWith("invalid: ");
        }
    }

    @Test
    void appliesADeletionRequestOfTheAuthor() {
        try (TestClient client = relay.connect()) {
            SecKey key = SecKey.generate();
            Event note = note(key, "regret");
            assertThat(client.publish(note).accepted()).isTrue();
            assertThat(client.publish(event(key, 5, now(), "", Tag.of("e", note.id().hex()))).accepted()).isTrue();
            assertThat(client.req("gone", Filter.builder().ids(note.id().hex()).build())).isEmpty();
            RelayMessage.Ok again = client.publish(note);
            assertThat(again.accepted()).isFalse();
            assertThat(again.reason().is(ReasonPrefix.BLOCKED)).as(again.message()).isTrue();
        }
    }
}
