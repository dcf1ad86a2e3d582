package dev.nostrgate.relay.server;

import static dev.nostrgate.relay.Events.note;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.message.ClientMessage;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.TestClient;
import dev.nostrgate.relay.TestRelay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.framing.TextFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind is answered (NOTICE, CLOSED, OK false or NEG-ERR, as NIP-01 says), and afterwards the
 * same connection and another one still work.
 */
class MalformedInputIT {
    private static final SecKey KEY = SecKey.generate();
    private static TestRelay relay;
    private TestClient client;

    @BeforeAll
    static void start() {
        relay = TestRelay.start();
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @BeforeEach
    void connect() {
        client = relay.connect();
    }

    @AfterEach
    void bothConnectionsStillWork() {
        assertThat(client.req("still-works", Filter.builder().kinds(1).limit(1).build())).hasSizeLessThanOrEqualTo(1);
        try (TestClient other = relay.connect()) {
            assertThat(other.req("other-works", Filter.builder().kinds(1).limit(1).build())).hasSizeLessThanOrEqualTo(1);
        }
        client.close();
    }

    private String notice() {
        return client.next(RelayMessage.Notice.class).message();
    }

    @Test
    void answersTextThatIsNotJsonWithANotice() {
        client.send("hello relay");
        assertThat(notice()).startsWith("invalid: malformed JSON");
    }

    @Test
    void answersJsonThatIsNotAMessageWithANotice() {
        client.send("{\"kind\":1}");
        assertThat(notice()).isEqualTo("invalid: a message must be a JSON array, was an object");
        client.send("[]");
        assertThat(notice()).startsWith("invalid: a message must start with its type");
        client.send("[\"REQ\"]");
        assertThat(notice()).startsWith("invalid: REQ needs");
    }

    @Test
    void answersDeeplyNestedJsonWithANotice() {
        client.send("[\"REQ\",\"deep\",{\"x\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}]");
        RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
        assertThat(closed.subscriptionId()).isEqualTo("deep");
        assertThat(closed.message()).isEqualTo("invalid: nesting too deep (more than 16 levels)");
    }

    /** NIP-01: every EVENT gets an OK; an id that is no event id comes back as the client sent it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            uppercase | id must be 64 lowercase hex characters, had other characters
            short     | id must be 64 lowercase hex characters, had 3 characters
            not hex   | id must be 64 lowercase hex characters, had other characters
            """)
    void answersAnEventWhoseIdIsNoEventIdWithOkFalseCarryingTheIdAsSent(String form, String reason) {
        Event event = note(KEY, "id " + form);
        String sentId = switch (form) {
            case "uppercase" -> event.id().hex().toUpperCase();
            case "short" -> "abc";
            default -> "x".repeat(64);
        };
        client.send(new ClientMessage.Publish(event).toJson().replace(event.id().hex(), sentId));

        RelayMessage.OkAsSent ok = client.next(RelayMessage.OkAsSent.class);
        assertThat(ok.idAsSent()).isEqualTo(sentId);
        assertThat(ok.message()).isEqualTo("invalid: " + reason);
    }

    @Test
    void answersAnEventWithAnIdStringAndOtherFaultsWithOkFalseForThatId() {
        client.send("[\"EVENT\",{\"content\":1,\"pubkey\":\"PK\",\"id\":\"ABC\"}]");

        RelayMessage.OkAsSent ok = client.next(RelayMessage.OkAsSent.class);
        assertThat(ok.idAsSent()).isEqualTo("ABC");
        assertThat(ok.message()).isEqualTo("invalid: content must be a string, was an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"EVENT\",{\"id\":1,\"kind\":1}]", "[\"EVENT\",{\"kind\":1}]", "[\"EVENT\",\"ABC\"]",
            "[\"EVENT\"]", "{\"id\":\"ABC\"}"})
    void answersAnEventWithoutAnIdStringWithANotice(String frame) {
        client.send(frame);
        assertThat(notice()).startsWith("invalid: ");
    }

    @Test
    void answersAnUnknownMessageTypeWithANotice() {
        client.send("[\"HELLO\",\"there\"]");
        assertThat(notice()).isEqualTo("invalid: unknown message type HELLO");
    }

    @Test
    void answersInvalidUtf8InATextFrameWithANotice() {
        TextFrame frame = new TextFrame();
        frame.setPayload(ByteBuffer.wrap(new byte[] {'[', '"', (byte) 0xff, (byte) 0xfe, '"', ']'}));
        frame.setFin(true);
        client.sendFrame(frame);
        assertThat(notice()).isEqualTo("invalid: invalid UTF-8 at byte 2");
    }

    @Test
    void answersABinaryMessageWithANotice() {
        client.sendBinary("[\"REQ\",\"x\",{}]".getBytes(StandardCharsets.UTF_8));
        assertThat(notice()).startsWith("invalid: binary messages are not supported");
    }

    @Test
    void answersAReqWithAnInvalidFilterWithClosed() {
        client.send("[\"REQ\",\"bad-filter\",{\"kinds\":[\"one\"]}]");
        RelayMessage.Closed closed = client.next(RelayMessage.Closed.class);
        assertThat(closed.subscriptionId()).isEqualTo("bad-filter");
        assertThat(closed.message()).startsWith("invalid: filter");
    }

    @Test
    void answersASubscriptionIdOverSixtyFourCharactersWithANotice() {
        client.send("[\"REQ\",\"" + "x".repeat(65) + "\",{}]");
        assertThat(notice()).isEqualTo("invalid: subscription id longer than 64 characters");
    }

    @Test
    void saysNothingToACloseOfAnUnknownSubscription() {
        client.send(new ClientMessage.Close("never-opened"));
        assertThat(client.req("next", Filter.builder().kinds(1).limit(0).build())).isEmpty(); // EOSE comes first
    }

    @Test
    void answersUnreadableNegentropyMessagesWithNegErrInvalid() {
        client.send("[\"NEG-OPEN\",\"neg\",{},\"61000002\"]"); // an id list cut short
        RelayMessage.NegErr error = client.next(RelayMessage.NegErr.class);
        assertThat(error.subscriptionId()).isEqualTo("neg");
        assertThat(error.reason()).startsWith("invalid: ");
        client.send("[\"NEG-MSG\",\"neg2\",\"6X\"]");
        assertThat(client.next(RelayMessage.NegErr.class).reason()).startsWith("invalid: ");
        client.send("[\"NEG-MSG\",\"neg\",\"6100000200\"]"); // the NEG-ERR ended the session
        assertThat(client.next(RelayMessage.NegErr.class).reason()).startsWith("closed: ");
        client.send("[\"NEG-CLOSE\",\"neg\"]"); // nothing to answer
    }
}
