package dev.nostrgate.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClientMessagesTest {
    static final String PK = "6b090de0afd7ed93e6a78ff911526ca81fb9597d2ad76d9ac8021d4378539a20";
    static final String EVENT_ID = "d56beb302090d1ed710361a737ed51cd11b0c55c3c97f3710600c5ffc799fd49";

    static Event event;
    static String eventJson;

    @BeforeAll
    static void loadEvent() throws InvalidEventException {
        eventJson = SharedData.lines("testdata/events/go-nostr-real-events.jsonl").get(0);
        event = EventJson.parse(eventJson);
        assertThat(event.id().hex()).isEqualTo(EVENT_ID);
    }

    static Stream<ClientMessage> everyType() throws InvalidEventException {
        loadEvent();
        Filter filter = Filter.builder().authors(PK).kinds(1, 7).tag('e', "x").since(1).limit(10).build();
        return Stream.of(
                new ClientMessage.Publish(event),
                new ClientMessage.Req("sub", filter),
                new ClientMessage.Req("two filters", filter, Filter.ALL),
                new ClientMessage.Close("sub"),
                new ClientMessage.Auth(event),
                new ClientMessage.Count("count-1", filter, Filter.builder().ids().build()),
                new ClientMessage.NegOpen("neg", filter, "6100000200"),
                new ClientMessage.NegMsg("neg", "61"),
                new ClientMessage.NegClose("neg"),
                new ClientMessage.Close("\"quoted\" \\ \n ünï 😀"));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void readsWhatItWrites(ClientMessage message) throws MalformedMessageException {
        String json = ClientMessages.encode(message);

        assertThat(ClientMessages.parse(json)).isEqualTo(message);
        assertThat(ClientMessages.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
        assertThat(message.toJson()).isEqualTo(json);
        assertThat(SharedData.tree(json).get(0).asText()).isEqualTo(message.type()); // valid JSON, type first
    }

    @Test
    void writesTheWireFormat() {
        assertThat(new ClientMessage.Publish(event).toJson()).isEqualTo("[\"EVENT\"," + event.toJson() + "]");
        assertThat(new ClientMessage.Req("s", Filter.builder().kinds(1).build(), Filter.ALL).toJson())
                .isEqualTo("[\"REQ\",\"s\",{\"kinds\":[1]},{}]");
        assertThat(new ClientMessage.Close("s").toJson()).isEqualTo("[\"CLOSE\",\"s\"]");
        assertThat(new ClientMessage.Count("s", Filter.ALL).toJson()).isEqualTo("[\"COUNT\",\"s\",{}]");
        assertThat(new ClientMessage.NegOpen("n", Filter.ALL, "61").toJson())
                .isEqualTo("[\"NEG-OPEN\",\"n\",{},\"61\"]");
        assertThat(new ClientMessage.NegMsg("n", "6100").toJson()).isEqualTo("[\"NEG-MSG\",\"n\",\"6100\"]");
        assertThat(new ClientMessage.NegClose("n").toJson()).isEqualTo("[\"NEG-CLOSE\",\"n\"]");
        assertThat(new ClientMessage.Close("a\"\u0001").toJson()).isEqualTo("[\"CLOSE\",\"a\\\"\\u0001\"]");
    }

    @Test
    void readsMessagesWithWhitespaceAsOtherClientsWriteThem() throws MalformedMessageException {
        String json = "[ \"REQ\" ,\n \"sub\" , { \"kinds\" : [ 1 ] } ]\n";
        assertThat(ClientMessages.parse(json)).isEqualTo(new ClientMessage.Req("sub", Filter.builder().kinds(1).build()));
    }

    @Test
    void readsTheEventItWasGiven() throws MalformedMessageException {
        ClientMessage message = ClientMessages.parse("[\"EVENT\"," + eventJson + "]");
        assertThat(message).isEqualTo(new ClientMessage.Publish(event));
    }

    @Test
    void acceptsAThousandFiltersLimitsAreTheRelaysJob() throws MalformedMessageException {
        String json = "[\"REQ\",\"many\"" + ",{\"kinds\":[1]}".repeat(1_000) + "]";

        ClientMessage message = ClientMessages.parse(json);

        assertThat(((ClientMessage.Req) message).filters()).hasSize(1_000);
    }

    @Test
    void acceptsSubscriptionIdsUpTo64Characters() throws MalformedMessageException {
        String id = "x".repeat(64);
        assertThat(ClientMessages.parse("[\"CLOSE\",\"" + id + "\"]")).isEqualTo(new ClientMessage.Close(id));
        assertThat(ClientMessages.parse("[\"CLOSE\",\" \"]")).isEqualTo(new ClientMessage.Close(" "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            # not a message
            ``                                      | a message must be a JSON array, was the end of input        | -         | -
            {}                                      | a message must be a JSON array, was an object               | -         | -
            "EVENT"                                 | a message must be a JSON array, was a string                | -         | -
            null                                    | a message must be a JSON array, was null                    | -         | -
            []                                      | a message must start with its type, was an empty array      | -         | -
            [1]                                     | a message must start with its type as a string, was an integer | -      | -
            [null,"sub"]                            | a message must start with its type as a string, was null    | -         | -
            [["REQ"]]                               | a message must start with its type as a string, was an array | -        | -
            ["FOO"]                                 | unknown message type FOO                                    | -         | -
            ["req","s",{}]                          | unknown message type req                                    | -         | -
            ["OK","s"]                              | unknown message type OK                                     | -         | -
            ["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"] | unknown message type ABCDEFGHIJKLMNOPQRSTUVWXYZ012345…     | -         | -
            ["CLOSE","s"]x                          | malformed JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') | CLOSE | s
            ["CLOSE","s"][]                         | unexpected data after the message                           | CLOSE     | s
            # EVENT
            ["EVENT"]                               | EVENT needs an event                                        | EVENT     | -
            ["EVENT",1]                             | EVENT event must be a JSON object, was an integer           | EVENT     | -
            ["EVENT","%EVENT"]                      | EVENT event must be a JSON object, was a string             | EVENT     | -
            ["EVENT",[]]                            | EVENT event must be a JSON object, was an array             | EVENT     | -
            ["EVENT",{}]                            | missing field id                                            | EVENT     | -
            ["EVENT",%EVENT,%EVENT]                 | EVENT has too many elements (it takes an event)             | EVENT     | -
            ["EVENT",%EVENT,"extra"]                | EVENT has too many elements (it takes an event)             | EVENT     | -
            ["EVENT","sub",%EVENT]                  | EVENT event must be a JSON object, was a string             | EVENT     | -
            # AUTH
            ["AUTH"]                                | AUTH needs an event                                         | AUTH      | -
            ["AUTH","challenge"]                    | AUTH event must be a JSON object, was a string              | AUTH      | -
            ["AUTH",%EVENT,1]                       | AUTH has too many elements (it takes an event)              | AUTH      | -
            # REQ
            ["REQ"]                                 | REQ needs a subscription id and at least one filter         | REQ       | -
            ["REQ","sub"]                           | REQ needs a subscription id and at least one filter         | REQ       | sub
            ["REQ",{}]                              | REQ subscription id must be a string, was an object         | REQ       | -
            ["REQ",1,{}]                            | REQ subscription id must be a string, was an integer        | REQ       | -
            ["REQ",null,{}]                         | REQ subscription id must be a string, was null              | REQ       | -
            ["REQ","",{}]                           | subscription id is empty                                    | REQ       | -
            ["REQ","%LONG",{}]                      | subscription id longer than 64 characters                   | REQ       | -
            ["REQ","sub",[]]                        | REQ filter 0 must be a JSON object, was an array            | REQ       | sub
            ["REQ","sub",{},"x"]                    | REQ filter 1 must be a JSON object, was a string            | REQ       | sub
            ["REQ","sub",{},null]                   | REQ filter 1 must be a JSON object, was null                | REQ       | sub
            ["REQ","sub",[{}]]                      | REQ filter 0 must be a JSON object, was an array            | REQ       | sub
            ["REQ","sub",{"kinds":["1"]}]           | filter 0: kinds[0] must be an integer, was a string         | REQ       | sub
            ["REQ","sub",{},{"ids":["abc"]}]        | filter 1: ids[0] must be 64 lowercase hex characters, had 3 characters | REQ | sub
            ["REQ","sub",{"limit":-1}]              | filter 0: limit must not be negative, was -1                | REQ       | sub
            ["REQ","sub",{"#e":["x"],"#e":[]}]      | filter 0: filter key #e appears more than once              | REQ       | sub
            ["REQ","sub",{"kinds":[1]}              | malformed JSON: Unexpected end-of-input: expected close marker for Array | REQ | sub
            # COUNT
            ["COUNT"]                               | COUNT needs a subscription id and at least one filter       | COUNT     | -
            ["COUNT","c"]                           | COUNT needs a subscription id and at least one filter       | COUNT     | c
            ["COUNT","c",{"since":"x"}]             | filter 0: since must be a non-negative integer, was a string | COUNT    | c
            # CLOSE
            ["CLOSE"]                               | CLOSE needs a subscription id                               | CLOSE     | -
            ["CLOSE",1]                             | CLOSE subscription id must be a string, was an integer      | CLOSE     | -
            ["CLOSE","%LONG"]                       | subscription id longer than 64 characters                   | CLOSE     | -
            ["CLOSE","sub","sub"]                   | CLOSE has too many elements (it takes a subscription id)    | CLOSE     | sub
            ["CLOSE","sub",{}]                      | CLOSE has too many elements (it takes a subscription id)    | CLOSE     | sub
            # NEG-OPEN, NEG-MSG, NEG-CLOSE
            ["NEG-OPEN","n",{}]                     | NEG-OPEN needs a subscription id, a filter and an initial message | NEG-OPEN | n
            ["NEG-OPEN","n","61"]                   | NEG-OPEN filter must be a JSON object, was a string         | NEG-OPEN  | n
            ["NEG-OPEN","n",{},"6"]                 | NEG-OPEN initial message must be lowercase hex of whole bytes | NEG-OPEN | n
            ["NEG-OPEN","n",{},"6A"]                | NEG-OPEN initial message must be lowercase hex of whole bytes | NEG-OPEN | n
            ["NEG-OPEN","n",{},"zz"]                | NEG-OPEN initial message must be lowercase hex of whole bytes | NEG-OPEN | n
            ["NEG-OPEN","n",{},61]                  | NEG-OPEN initial message must be a string, was an integer   | NEG-OPEN  | n
            ["NEG-OPEN","n",{"kinds":{}},"61"]      | filter: kinds must be an array of integers, was an object   | NEG-OPEN  | n
            ["NEG-OPEN","n",{},32,"61"]             | NEG-OPEN initial message must be a string, was an integer   | NEG-OPEN  | n
            ["NEG-OPEN","n",{},"61",""]             | NEG-OPEN has too many elements (it takes a subscription id, a filter and an initial message) | NEG-OPEN | n
            ["NEG-MSG","n"]                         | NEG-MSG needs a subscription id and a message               | NEG-MSG   | n
            ["NEG-MSG","n",null]                    | NEG-MSG message must be a string, was null                  | NEG-MSG   | n
            ["NEG-MSG","n","x"]                     | NEG-MSG message must be lowercase hex of whole bytes        | NEG-MSG   | n
            ["NEG-CLOSE"]                           | NEG-CLOSE needs a subscription id                           | NEG-CLOSE | -
            ["NEG-CLOSE","n",1]                     | NEG-CLOSE has too many elements (it takes a subscription id) | NEG-CLOSE | n
            """)
    void rejectsWithAPreciseReasonAndWhatCouldBeRead(String json, String reason, String type, String subscriptionId) {
        String filled = json.replace("%EVENT", eventJson).replace("%LONG", "x".repeat(65));

        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(filled));

        assertThat(e).as(filled).isNotNull();
        assertThat(e.getMessage()).isEqualTo(reason);
        assertThat(e.messageType()).isEqualTo(Optional.ofNullable(type));
        assertThat(e.subscriptionId()).isEqualTo(Optional.ofNullable(subscriptionId));
    }

    @Test
    void anInvalidEventCarriesItsIdSoTheRelayCanAnswerOkFalse() {
        String bad = eventJson.replace("\"kind\":7", "\"kind\":\"7\"");

        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse("[\"EVENT\"," + bad + "]"));

        assertThat(e.getMessage()).isEqualTo("kind must be an integer, was a string");
        assertThat(e.eventId()).hasValueSatisfying(id -> assertThat(id.hex()).isEqualTo(EVENT_ID));
        assertThat(e.reply()).isEqualTo(new RelayMessage.Ok(event.id(), false,
                "invalid: kind must be an integer, was a string"));
    }

    @Test
    void anEventIdIsReadEvenWhenTheJsonBreaksAfterIt() {
        String broken = "[\"EVENT\",{\"id\":\"" + EVENT_ID + "\",\"content\":\"unterminated";

        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(broken));

        assertThat(e.getMessage()).startsWith("malformed JSON: Unexpected end-of-input");
        assertThat(e.eventId()).isPresent();
        assertThat(e.reply()).isInstanceOf(RelayMessage.Ok.class);
    }

    @Test
    void aValidEventFollowedByGarbageStillCarriesItsId() {
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse("[\"AUTH\"," + eventJson + ",1]"));

        assertThat(e.eventId()).isPresent();
        assertThat(e.reply()).isEqualTo(new RelayMessage.Ok(event.id(), false,
                "invalid: AUTH has too many elements (it takes an event)"));
    }

    @Test
    void anEventIdAfterTheFailingFieldIsFoundToo() {
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse("[\"EVENT\",{\"kind\":\"1\",\"id\":\"" + EVENT_ID + "\"}]"));

        assertThat(e.eventId()).hasValue(event.id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"id":1}
            {"id":null}
            {"id":["%ID"]}
            {"id":{"id":"%ID"}}
            {"kind":1}
            {"content":{"id":"%ID"},"id":2}
            """)
    void anEventWithoutAnIdStringIsAnsweredWithANotice(String event) {
        String json = "[\"EVENT\"," + event.replace("%ID", EVENT_ID) + "]";
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(json));

        assertThat(e.eventIdAsSent()).isEmpty();
        assertThat(e.reply()).isInstanceOf(RelayMessage.Notice.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"id":"%ID"}
            ["EVENT"]
            ["EVENT","%ID"]
            ["EVENT",["%ID"]]
            ["EVENT",null]
            ["EVENT",1,{"id":"%ID"}]
            ["AUTH","%ID"]
            """)
    void aFrameWithoutAnEventObjectIsAnsweredWithANotice(String frame) {
        String json = frame.replace("%ID", EVENT_ID.toUpperCase());
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(json));

        assertThat(e.eventIdAsSent()).isEmpty();
        assertThat(e.reply()).isInstanceOf(RelayMessage.Notice.class);
    }

    /** NIP-01: every EVENT gets an OK. When the id is no event id, the OK carries the string the client sent. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"id":"%UP","kind":1}            | %UP  | id must be 64 lowercase hex characters, had other characters
            {"id":"abc"}                     | abc  | id must be 64 lowercase hex characters, had 3 characters
            {"id":"%NOT_HEX"}                | %NOT_HEX | id must be 64 lowercase hex characters, had other characters
            {"id":""}                        | ``   | id must be 64 lowercase hex characters, had 0 characters
            {"id":"\\u0041BC"}             | ABC  | id must be 64 lowercase hex characters, had 3 characters
            {"content":1,"id":"%UP"}         | %UP  | content must be a string, was an integer
            {"pubkey":"%UP","id":"%UP"}      | %UP  | pubkey must be 64 lowercase hex characters, had other characters
            {"sig":"00","id":"abc"}          | abc  | sig must be 128 lowercase hex characters, had 2 characters
            {"tags":[[1]],"id":"abc"}        | abc  | tag 0 element 0 must be a string, was an integer
            {"created_at":-1,"id":"abc"}     | abc  | created_at is out of range (0 to 9223372036854775807), was -1
            {"id":"abc","id":"%ID"}          | abc  | id must be 64 lowercase hex characters, had 3 characters
            {"kind":"1","id":"abc"}          | abc  | kind must be an integer, was a string
            """)
    void anEventWithAnIdStringThatIsNoEventIdIsAnsweredWithOkFalseCarryingItAsSent(String event, String idAsSent,
            String reason) {
        String json = "[\"EVENT\"," + fill(event) + "]";
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(json));

        assertThat(e.getMessage()).as(json).startsWith(reason);
        assertThat(e.eventIdAsSent()).hasValue(fill(idAsSent));
        assertThat(e.eventId()).isEmpty();
        assertThat(e.reply()).isEqualTo(new RelayMessage.OkAsSent(fill(idAsSent), "invalid: " + e.getMessage()));
        assertThat(e.reply().toJson()).startsWith("[\"OK\",\"" + fill(idAsSent) + "\",false,\"invalid: ");
    }

    @Test
    void anAuthWithAnIdStringThatIsNoEventIdIsAnsweredLikeAnEvent() {
        assertThat(replyTo("[\"AUTH\",{\"id\":\"ABC\"}]")).isEqualTo(new RelayMessage.OkAsSent("ABC",
                "invalid: id must be 64 lowercase hex characters, had 3 characters"));
    }

    /** A valid id makes an ordinary OK, whatever else is wrong: missing fields, bad keys, a malformed signature. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"id":"%ID"}                          | missing field pubkey
            {"id":"%ID","pubkey":"%UP"}           | pubkey must be 64 lowercase hex characters, had other characters
            {"id":"%ID","sig":"%ID"}              | sig must be 128 lowercase hex characters, had 64 characters
            {"id":"%ID","kind":"1"}               | kind must be an integer, was a string
            """)
    void anEventWithAValidIdIsAnsweredWithOkFalseForThatId(String event, String reason) {
        assertThat(replyTo("[\"EVENT\"," + fill(event) + "]"))
                .isEqualTo(new RelayMessage.Ok(ClientMessagesTest.event.id(), false, "invalid: " + reason));
    }

    private static String fill(String text) {
        return text.replace("%UP", EVENT_ID.toUpperCase()).replace("%NOT_HEX", "g".repeat(64))
                .replace("%ID", EVENT_ID);
    }

    @Test
    void aBadRequestWithAReadableSubscriptionIdIsAnsweredWithClosed() {
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse("[\"REQ\",\"feed\",{\"kinds\":[-1]}]"));

        assertThat(e.reply()).isEqualTo(new RelayMessage.Closed("feed",
                "invalid: filter 0: kinds[0] is out of range (0 to 65535), was -1"));
    }

    @Test
    void otherBadMessagesAreAnsweredInKindOrWithANotice() {
        assertThat(replyTo("[\"COUNT\",\"c\"]")).isEqualTo(new RelayMessage.Closed("c",
                "invalid: COUNT needs a subscription id and at least one filter"));
        assertThat(replyTo("[\"NEG-OPEN\",\"n\",{},\"x\"]")).isEqualTo(new RelayMessage.NegErr("n",
                "invalid: NEG-OPEN initial message must be lowercase hex of whole bytes"));
        assertThat(replyTo("[\"NEG-MSG\",\"n\",1]")).isInstanceOf(RelayMessage.NegErr.class);
        assertThat(replyTo("[\"CLOSE\",\"s\",1]")).isInstanceOf(RelayMessage.Notice.class);
        assertThat(replyTo("[\"NEG-CLOSE\",\"n\",1]")).isInstanceOf(RelayMessage.Notice.class);
        assertThat(replyTo("[\"REQ\",\"" + "x".repeat(65) + "\",{}]"))
                .isEqualTo(new RelayMessage.Notice("invalid: subscription id longer than 64 characters"));
        assertThat(replyTo("[\"FOO\"]")).isEqualTo(new RelayMessage.Notice("invalid: unknown message type FOO"));
        assertThat(replyTo("hello")).isInstanceOf(RelayMessage.Notice.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            100000 | [                             | a message must start with its type as a string, was an array
            100000 | ["REQ","s",{"x":[             | nesting too deep (more than 16 levels)
            20     | ["REQ","s",{"#e":["x"],"y":[  | nesting too deep (more than 16 levels)
            50     | ["EVENT",{"tags":[            | tag 0 element 0 must be a string, was an array
            40     | ["EVENT",{"content":"","x":[  | nesting too deep (more than 16 levels)
            """)
    void rejectsDeeplyNestedJsonCleanly(int depth, String prefix, String reason) {
        String deep = prefix + "[".repeat(depth) + "]".repeat(depth);

        assertThatThrownBy(() -> ClientMessages.parse(deep))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage(reason);
    }

    @Test
    void anEventIdBeforeTooDeepNestingIsStillRead() {
        String deep = "[\"EVENT\",{\"id\":\"" + EVENT_ID + "\",\"x\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}]";

        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> ClientMessages.parse(deep));

        assertThat(e.getMessage()).isEqualTo("nesting too deep (more than 16 levels)");
        assertThat(e.eventId()).hasValue(event.id());
    }

    @Test
    void rejectsNumbersLongerThanAnyFieldNeeds() {
        assertThatThrownBy(() -> ClientMessages.parse("[\"REQ\",\"s\",{\"limit\":" + "9".repeat(1_000) + "}]"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("malformed JSON: Number value length (1000) exceeds the maximum allowed");
    }

    @Test
    void rejectsInvalidUtf8WithItsPosition() {
        byte[] valid = "[\"CLOSE\",\"é\"]".getBytes(StandardCharsets.UTF_8);
        byte[] truncated = {'[', '"', 'C', 'L', 'O', 'S', 'E', '"', ',', '"', (byte) 0xC3, '"', ']'};
        byte[] overlong = {'[', '"', 'C', 'L', 'O', 'S', 'E', '"', ',', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'};
        byte[] surrogate = {'[', '"', 'C', 'L', 'O', 'S', 'E', '"', ',', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80,
                '"', ']'};
        byte[] endsInside = {'[', '"', (byte) 0xF0, (byte) 0x9F};

        assertThat(catchThrowableOfType(MalformedMessageException.class, () -> ClientMessages.parse(valid))).isNull();
        for (byte[] bad : List.of(truncated, overlong, surrogate)) {
            assertThatThrownBy(() -> ClientMessages.parse(bad))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("invalid UTF-8 at byte 10");
        }
        assertThatThrownBy(() -> ClientMessages.parse(endsInside)).hasMessage("invalid UTF-8 at byte 2");
    }

    @Test
    void readsAstralCharactersAndEscapesInSubscriptionIds() throws MalformedMessageException {
        assertThat(ClientMessages.parse("[\"CLOSE\",\"\\ud83d\\ude00 \\u0000\"]"))
                .isEqualTo(new ClientMessage.Close("😀 \u0000"));
        assertThat(ClientMessages.parse("[\"CLOSE\",\"😀\"]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ClientMessage.Close("😀"));
    }

    @Test
    void recordsCannotHoldWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> new ClientMessage.Req("", Filter.ALL)).hasMessage("subscription id is empty");
        assertThatThrownBy(() -> new ClientMessage.Req("x".repeat(65), Filter.ALL))
                .hasMessage("subscription id longer than 64 characters");
        assertThatThrownBy(() -> new ClientMessage.Req("s", Collections.emptyList()))
                .hasMessage("REQ needs at least one filter");
        assertThatThrownBy(() -> new ClientMessage.Count("s")).hasMessage("COUNT needs at least one filter");
        assertThatThrownBy(() -> new ClientMessage.Close(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientMessage.Publish(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientMessage.NegOpen("n", Filter.ALL, "abc"))
                .hasMessage("negentropy message must be lowercase hex of whole bytes");
        assertThatThrownBy(() -> new ClientMessage.NegMsg("n", "AB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestsFiltersCannotBeChangedAfterwards() {
        List<Filter> filters = new ArrayList<>(List.of(Filter.ALL));
        ClientMessage.Req req = new ClientMessage.Req("s", filters);
        filters.clear();

        assertThat(req.filters()).hasSize(1);
        assertThatThrownBy(() -> req.filters().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    private static RelayMessage replyTo(String json) {
        return catchThrowableOfType(MalformedMessageException.class, () -> ClientMessages.parse(json)).reply();
    }
}
