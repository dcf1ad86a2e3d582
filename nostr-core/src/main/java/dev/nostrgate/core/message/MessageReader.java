package dev.nostrgate.core.message;

import static dev.nostrgate.core.event.EventJson.describe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one message array element by element, remembering what it has learnt (type, subscription id, event id) so
 * that every failure becomes a {@link MalformedMessageException} carrying it. Shared by {@link ClientMessages} and
 * {@link RelayMessages}; one instance reads one message.
 */
final class MessageReader {
    private static final int MAX_TYPE_IN_MESSAGE = 32;

    /** What a message type reads, given the reader positioned after its type element. */
    interface Body<T> {
        T read(MessageReader reader, String type) throws IOException, MalformedMessageException;
    }

    private final String input;
    private final JsonParser parser;
    private String type;
    private String needs;
    private String subscriptionId;
    /** The id of the message's event as the JSON string had it: the text a relay's OK must carry back. */
    private String eventIdAsSent;
    /** The message's event once read: its id is turned into text only if the message then fails. */
    private Event event;
    private int element;
    private int eventElement = -1;

    private MessageReader(String input, JsonParser parser) {
        this.input = input;
        this.parser = parser;
    }

    /** Reads a whole message: the array, its type, then what {@code body} reads, then nothing more. */
    static <T> T read(String input, Body<T> body) throws MalformedMessageException {
        try (JsonParser parser = EventJson.jsonFactory().createParser(input)) {
            MessageReader reader = new MessageReader(input, parser);
            try {
                return body.read(reader, reader.start());
            } catch (JsonProcessingException e) {
                throw reader.fail(jsonProblem(e));
            }
        } catch (IOException e) { // only from closing a parser over a string, which does not happen
            throw new MalformedMessageException("unreadable JSON: " + e.getMessage());
        }
    }

    /** Decodes UTF-8 strictly: overlong forms, surrogates and truncated sequences are errors, not U+FFFD. */
    static String decodeUtf8(byte[] utf8) throws MalformedMessageException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length); // UTF-8 never takes fewer bytes than UTF-16 chars
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new MalformedMessageException("invalid UTF-8 at byte " + in.position());
        }
        return out.flip().toString();
    }

    private String start() throws IOException, MalformedMessageException {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_ARRAY) {
            throw fail("a message must be a JSON array, was " + describe(token));
        }
        token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            throw fail("a message must start with its type, was an empty array");
        }
        if (token != JsonToken.VALUE_STRING) {
            throw fail("a message must start with its type as a string, was " + describe(token));
        }
        return parser.getText();
    }

    /** Names the message being read and what it holds after its type ("a subscription id and a message"). */
    MessageReader expect(String knownType, String elements) {
        this.type = knownType;
        this.needs = elements;
        return this;
    }

    MalformedMessageException unknownType(String unknown) {
        String shown = unknown.length() > MAX_TYPE_IN_MESSAGE ? unknown.substring(0, MAX_TYPE_IN_MESSAGE) + "…" : unknown;
        return fail("unknown message type " + shown);
    }

    String subscriptionId() throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_STRING) {
            throw fail(type + " subscription id must be a string, was " + describe(token));
        }
        String id = parser.getText();
        Optional<String> problem = SubscriptionIds.problem(id);
        if (problem.isPresent()) {
            throw fail(problem.get());
        }
        subscriptionId = id;
        return id;
    }

    String string(String what) throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_STRING) {
            throw fail(type + " " + what + " must be a string, was " + describe(token));
        }
        return parser.getText();
    }

    String hex(String what) throws IOException, MalformedMessageException {
        String hex = string(what);
        if (NegentropyHex.problem(hex).isPresent()) {
            throw fail(type + " " + what + " must be lowercase hex of whole bytes");
        }
        return hex;
    }

    /** An event id as the string it is: whether it is a valid one is for the caller to decide (see OK). */
    String eventIdAsSent() throws IOException, MalformedMessageException {
        eventIdAsSent = string("event id");
        return eventIdAsSent;
    }

    boolean bool(String what) throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw fail(type + " " + what + " must be true or false, was " + describe(token));
        }
        return token == JsonToken.VALUE_TRUE;
    }

    Event event() throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.START_OBJECT) {
            throw fail(type + " event must be a JSON object, was " + describe(token));
        }
        eventElement = element;
        try {
            event = EventJson.read(parser);
            return event;
        } catch (InvalidEventException e) {
            throw fail(e.getMessage());
        }
    }

    Filter filter() throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.START_OBJECT) {
            throw fail(type + " filter must be a JSON object, was " + describe(token));
        }
        try {
            return FilterJson.read(parser);
        } catch (InvalidFilterException e) {
            throw fail("filter: " + e.getMessage());
        }
    }

    /** Every remaining element as a filter, at least one; consumes the end of the array. */
    List<Filter> filtersToEnd() throws IOException, MalformedMessageException {
        List<Filter> filters = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                throw fail(type + " filter " + filters.size() + " must be a JSON object, was " + describe(token));
            }
            try {
                filters.add(FilterJson.read(parser));
            } catch (InvalidFilterException e) {
                throw fail("filter " + filters.size() + ": " + e.getMessage());
            }
        }
        if (filters.isEmpty()) {
            throw fail(type + " needs " + needs);
        }
        endOfInput();
        return filters;
    }

    /** The next element as an object, for bodies such as COUNT's {@code {"count": n}}; returns the parser on it. */
    JsonParser object(String what) throws IOException, MalformedMessageException {
        JsonToken token = next();
        if (token != JsonToken.START_OBJECT) {
            throw fail(type + " " + what + " must be a JSON object, was " + describe(token));
        }
        return parser;
    }

    /** The array ends here, and nothing follows it. */
    void end() throws IOException, MalformedMessageException {
        if (parser.nextToken() != JsonToken.END_ARRAY) {
            throw fail(type + " has too many elements (it takes " + needs + ")");
        }
        endOfInput();
    }

    private void endOfInput() throws IOException, MalformedMessageException {
        if (parser.nextToken() != null) {
            throw fail("unexpected data after the message");
        }
    }

    private JsonToken next() throws IOException, MalformedMessageException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY || token == null) {
            throw fail(type + " needs " + needs);
        }
        element++;
        return token;
    }

    /** The exception for a problem found now, with everything read so far. */
    MalformedMessageException fail(String reason) {
        if (eventIdAsSent == null && event != null) {
            eventIdAsSent = event.id().hex();
        } else if (eventIdAsSent == null && eventElement >= 0) {
            eventIdAsSent = scanEventId().orElse(null);
        }
        return new MalformedMessageException(reason, Optional.ofNullable(type), Optional.ofNullable(subscriptionId),
                Optional.ofNullable(eventIdAsSent));
    }

    /**
     * The {@code id} string of the event object that failed to read, found by reading the input again and looking
     * only for that field, so that a relay can answer {@code OK false} for it. Any string counts, uppercase or short
     * or not hex: NIP-01 answers every EVENT with OK, and the client matches the answer by the text it sent. Only on
     * the failure path.
     */
    private Optional<String> scanEventId() {
        try (JsonParser scan = EventJson.jsonFactory().createParser(input)) {
            scan.nextToken(); // the message array
            for (int i = 0; i < eventElement; i++) {
                scan.nextToken();
                scan.skipChildren();
            }
            if (scan.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken token = scan.nextToken(); token == JsonToken.FIELD_NAME; token = scan.nextToken()) {
                boolean isId = scan.currentName().equals("id");
                JsonToken value = scan.nextToken();
                if (isId) {
                    return value == JsonToken.VALUE_STRING ? Optional.of(scan.getText()) : Optional.empty();
                }
                scan.skipChildren();
            }
        } catch (IOException unreadable) {
            // the id is not readable before the JSON breaks: no id then
        }
        return Optional.empty();
    }

    private static String jsonProblem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException && message.contains("nesting depth")) {
            return "nesting too deep (more than " + EventJson.MAX_NESTING_DEPTH + " levels)";
        }
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return "malformed JSON: " + message;
    }
}
