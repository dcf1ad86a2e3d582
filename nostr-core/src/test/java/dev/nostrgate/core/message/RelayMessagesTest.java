package dev.nostrgate.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RelayMessagesTest {
    private static final String RELAY_OUTPUT = "testdata/events/go-nostr-testdata-messages.repaired.jsonl";
    private static final String ID = ClientMessagesTest.EVENT_ID;

    static Event event;
    static String eventJson;

    @BeforeAll
    static void loadEvent() throws InvalidEventException {
        eventJson = SharedData.lines("testdata/events/go-nostr-real-events.jsonl").get(0);
        event = EventJson.parse(eventJson);
    }

    static Stream<RelayMessage> everyType() throws InvalidEventException {
        loadEvent();
        return Stream.of(
                new RelayMessage.EventMessage("sub", event),
                RelayMessage.Ok.accepted(event.id()),
                RelayMessage.Ok.rejected(event.id(), ReasonPrefix.DUPLICATE, "already have this event"),
                new RelayMessage.Ok(event.id(), false, "no prefix \"here\"\n"),
                new RelayMessage.OkAsSent(ID.toUpperCase(), "invalid: id must be 64 lowercase hex characters"),
                new RelayMessage.OkAsSent("", "invalid: \"quoted\" ünï 😀"),
                new RelayMessage.Eose("sub"),
                RelayMessage.Closed.of("sub", ReasonPrefix.AUTH_REQUIRED, "sign in first"),
                new RelayMessage.Closed("sub", ""),
                new RelayMessage.Notice("relay restarting 😀"),
                new RelayMessage.AuthChallenge("challenge-\u0007"),
                new RelayMessage.CountResult("c", 238, false),
                new RelayMessage.CountResult("c", Long.MAX_VALUE, true),
                new RelayMessage.NegMsg("neg", "6100000200"),
                new RelayMessage.NegErr("neg", "closed: you took too long to respond!"));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void readsWhatItWrites(RelayMessage message) throws MalformedMessageException {
        String json = RelayMessages.encode(message);

        assertThat(RelayMessages.parse(json)).isEqualTo(message);
        assertThat(RelayMessages.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
        assertThat(message.toJson()).isEqualTo(json);
        assertThat(SharedData.tree(json).get(0).asText()).isEqualTo(message.type());
    }

    @Test
    void writesTheWireFormat() {
        assertThat(new RelayMessage.EventMessage("s", event).toJson())
                .isEqualTo("[\"EVENT\",\"s\"," + event.toJson() + "]");
        assertThat(RelayMessage.Ok.accepted(new EventId(ID)).toJson()).isEqualTo("[\"OK\",\"" + ID + "\",true,\"\"]");
        assertThat(RelayMessage.Ok.rejected(new EventId(ID), ReasonPrefix.RATE_LIMITED, "slow down").toJson())
                .isEqualTo("[\"OK\",\"" + ID + "\",false,\"rate-limited: slow down\"]");
        assertThat(new RelayMessage.OkAsSent("ABC", "invalid: bad id").toJson())
                .isEqualTo("[\"OK\",\"ABC\",false,\"invalid: bad id\"]");
        assertThat(new RelayMessage.Eose("s").toJson()).isEqualTo("[\"EOSE\",\"s\"]");
        assertThat(new RelayMessage.Closed("s", "error: oops").toJson()).isEqualTo("[\"CLOSED\",\"s\",\"error: oops\"]");
        assertThat(new RelayMessage.Notice("hi").toJson()).isEqualTo("[\"NOTICE\",\"hi\"]");
        assertThat(new RelayMessage.AuthChallenge("c").toJson()).isEqualTo("[\"AUTH\",\"c\"]");
        assertThat(new RelayMessage.CountResult("s", 5, false).toJson()).isEqualTo("[\"COUNT\",\"s\",{\"count\":5}]");
        assertThat(new RelayMessage.CountResult("s", 5, true).toJson())
                .isEqualTo("[\"COUNT\",\"s\",{\"count\":5,\"approximate\":true}]");
        assertThat(new RelayMessage.NegMsg("n", "61").toJson()).isEqualTo("[\"NEG-MSG\",\"n\",\"61\"]");
        assertThat(new RelayMessage.NegErr("n", "blocked: too big").toJson())
                .isEqualTo("[\"NEG-ERR\",\"n\",\"blocked: too big\"]");
    }

    @Test
    void readsRealRelayOutputCapturedByNak() throws Exception {
        List<String> lines = SharedData.lines(RELAY_OUTPUT);
        int events = 0;
        int eoses = 0;
        for (String line : lines) {
            RelayMessage message = RelayMessages.parse(line.getBytes(StandardCharsets.UTF_8));
            switch (message) {
                case RelayMessage.EventMessage m -> {
                    events++;
                    assertThat(m.subscriptionId()).isEqualTo("nak");
                    // written back, the message is the same JSON value (key order aside)
                    assertThat(SharedData.tree(m.toJson())).isEqualTo(SharedData.tree(line));
                    assertThat(RelayMessages.parse(m.toJson())).isEqualTo(m);
                }
                case RelayMessage.Eose m -> {
                    eoses++;
                    assertThat(m.subscriptionId()).isEqualTo("nak");
                }
                default -> throw new AssertionError("unexpected " + message.type() + " in " + RELAY_OUTPUT);
            }
        }
        assertThat(events).isEqualTo(534);
        assertThat(eoses).isEqualTo(1);
    }

    @Test
    void wrapsStoredEventJsonWithoutReadingIt() throws MalformedMessageException {
        String json = RelayMessages.encodeEvent("feed \"1\"", eventJson);

        assertThat(json).isEqualTo("[\"EVENT\",\"feed \\\"1\\\"\"," + eventJson + "]");
        assertThat(RelayMessages.parse(json)).isEqualTo(new RelayMessage.EventMessage("feed \"1\"", event));
        assertThat(RelayMessages.encodeEvent("s", event.toJson())).isEqualTo(new RelayMessage.EventMessage("s", event).toJson());
        assertThatThrownBy(() -> RelayMessages.encodeEvent("", eventJson)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsARefusalOfAnIdThatIsNoEventIdAsItWasSent() throws MalformedMessageException {
        assertThat(RelayMessages.parse("[\"OK\",\"abc\",false,\"invalid: id too short\"]"))
                .isEqualTo(new RelayMessage.OkAsSent("abc", "invalid: id too short"));
        assertThat(RelayMessages.parse("[\"OK\",\"" + ID + "\",false,\"invalid: x\"]"))
                .isEqualTo(new RelayMessage.Ok(new EventId(ID), false, "invalid: x"));
    }

    @Test
    void anOkAsSentNeverHoldsAValidEventId() {
        assertThatThrownBy(() -> new RelayMessage.OkAsSent(ID, "invalid: x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an OK for a valid event id is an Ok");
    }

    @Test
    void readsCountResultsWithOptionalAndUnknownFields() throws MalformedMessageException {
        assertThat(RelayMessages.parse("[\"COUNT\",\"c\",{\"count\":3,\"approximate\":false}]"))
                .isEqualTo(new RelayMessage.CountResult("c", 3, false));
        assertThat(RelayMessages.parse("[\"COUNT\",\"c\",{\"hll\":\"0a1b\",\"approximate\":true,\"count\":0}]"))
                .isEqualTo(new RelayMessage.CountResult("c", 0, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            []                                   | a message must start with its type, was an empty array           | -
            ["REQ","s",{}]                       | unknown message type REQ                                         | -
            ["EVENT","s"]                        | EVENT needs a subscription id and an event                       | s
            ["EVENT",%EVENT]                     | EVENT subscription id must be a string, was an object            | -
            ["EVENT","s",%EVENT,1]               | EVENT has too many elements (it takes a subscription id and an event) | s
            ["EVENT","s",{"id":1}]               | id must be a string of 64 lowercase hex characters, was an integer | s
            ["OK","%ID",true]                    | OK needs an event id, true or false, and a message               | -
            ["OK","%ID"]                         | OK needs an event id, true or false, and a message               | -
            ["OK","%ID","true",""]               | OK status must be true or false, was a string                    | -
            ["OK","%ID",1,""]                    | OK status must be true or false, was an integer                  | -
            ["OK","%ID",true,null]               | OK message must be a string, was null                            | -
            ["OK","%ID",true,"",""]              | OK has too many elements (it takes an event id, true or false, and a message) | -
            ["OK","abc",true,""]                 | OK event id must be 64 lowercase hex characters                  | -
            ["OK",1,true,""]                     | OK event id must be a string, was an integer                     | -
            ["EOSE"]                             | EOSE needs a subscription id                                     | -
            ["EOSE",""]                          | subscription id is empty                                         | -
            ["EOSE","s","t"]                     | EOSE has too many elements (it takes a subscription id)          | s
            ["CLOSED","s"]                       | CLOSED needs a subscription id and a message                     | s
            ["CLOSED","s",{}]                    | CLOSED message must be a string, was an object                   | s
            ["NOTICE"]                           | NOTICE needs a message                                           | -
            ["NOTICE",1]                         | NOTICE message must be a string, was an integer                  | -
            ["NOTICE","a","b"]                   | NOTICE has too many elements (it takes a message)                | -
            ["AUTH",%EVENT]                      | AUTH challenge must be a string, was an object                   | -
            ["AUTH"]                             | AUTH needs a challenge                                           | -
            ["COUNT","c",3]                      | COUNT result must be a JSON object, was an integer               | c
            ["COUNT","c",{}]                     | COUNT result needs a count                                       | c
            ["COUNT","c",{"count":"3"}]          | COUNT count must be a non-negative integer, was a string         | c
            ["COUNT","c",{"count":3.5}]          | COUNT count must be a non-negative integer, was a fraction       | c
            ["COUNT","c",{"count":-3}]           | COUNT count is out of range (0 to 9223372036854775807), was -3   | c
            ["COUNT","c",{"count":1,"count":2}]  | COUNT field count appears more than once                         | c
            ["COUNT","c",{"count":1,"approximate":"yes"}] | COUNT approximate must be true or false, was a string   | c
            ["COUNT","c",{"count":1,"approximate":true,"approximate":true}] | COUNT field approximate appears more than once | c
            ["COUNT","c",{"count":1},{}]         | COUNT has too many elements (it takes a subscription id and a result object) | c
            ["NEG-MSG","n","xyz"]                | NEG-MSG message must be lowercase hex of whole bytes             | n
            ["NEG-ERR","n"]                      | NEG-ERR needs a subscription id and a reason                     | n
            ["NEG-ERR","n",false]                | NEG-ERR reason must be a string, was a boolean                   | n
            """)
    void rejectsWithAPreciseReason(String json, String reason, String subscriptionId) {
        String filled = json.replace("%EVENT", eventJson).replace("%ID", ID);

        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> RelayMessages.parse(filled));

        assertThat(e).as(filled).isNotNull();
        assertThat(e.getMessage()).isEqualTo(reason);
        assertThat(e.subscriptionId()).isEqualTo(Optional.ofNullable(subscriptionId));
    }

    @Test
    void recordsCannotHoldWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> new RelayMessage.Eose("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayMessage.Ok(null, true, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayMessage.Ok(new EventId(ID), true, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayMessage.CountResult("c", -1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayMessage.NegMsg("n", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayMessage.Notice(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void okAndClosedSplitTheirMessage() {
        RelayMessage.Ok ok = RelayMessage.Ok.rejected(new EventId(ID), ReasonPrefix.POW, "difficulty 25>=24");
        assertThat(ok.message()).isEqualTo("pow: difficulty 25>=24");
        assertThat(ok.reason()).isEqualTo(new Reason("pow", "difficulty 25>=24"));
        assertThat(ok.reason().knownPrefix()).hasValue(ReasonPrefix.POW);
        assertThat(RelayMessage.Closed.of("s", ReasonPrefix.RESTRICTED, "members only").reason().is(ReasonPrefix.RESTRICTED))
                .isTrue();
    }
}
