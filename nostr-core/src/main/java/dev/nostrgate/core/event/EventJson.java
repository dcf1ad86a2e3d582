package dev.nostrgate.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.key.PubKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the wire JSON of an event, strictly.
 *
 * <p>Reading accepts exactly NIP-01: lowercase hex of the exact lengths for {@code id}, {@code pubkey} and
 * {@code sig}; integers for {@code created_at} (0 to 2^63-1) and {@code kind} (0–65535), never strings or
 * fractions; {@code tags} an array of arrays of strings; {@code content} a string. Unknown fields are ignored; a
 * field given twice is an error. Every rejection is an {@link InvalidEventException} whose message says which field
 * and why, ready for {@code OK false "invalid: ..."}.
 */
public final class EventJson {
    /** Deepest nesting any Nostr message needs is 4 ({@code ["EVENT",{"tags":[[...]]}]}); allow some slack. */
    public static final int MAX_NESTING_DEPTH = 16;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(40)
                    .build())
            .build();

    private EventJson() {
    }

    /** The strict JSON factory shared by every reader of Nostr JSON in this library. */
    public static JsonFactory jsonFactory() {
        return FACTORY;
    }

    /**
     * Parses one event object; nothing may follow it.
     *
     * @throws InvalidEventException with the reason, for malformed JSON or any field out of NIP-01
     */
    public static Event parse(String json) throws InvalidEventException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parseWhole(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEventException("unreadable JSON: " + e.getMessage());
        }
    }

    /** Parses one event object from UTF-8 bytes (invalid UTF-8 is rejected); nothing may follow it. */
    public static Event parse(byte[] utf8) throws InvalidEventException {
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            return parseWhole(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEventException("unreadable JSON: " + e.getMessage());
        }
    }

    private static Event parseWhole(JsonParser parser) throws IOException, InvalidEventException {
        parser.nextToken();
        Event event = read(parser);
        if (parser.nextToken() != null) {
            throw new InvalidEventException("unexpected data after the event object");
        }
        return event;
    }

    /**
     * Reads an event object from a parser positioned on its {@code START_OBJECT} token, leaving the parser on the
     * matching {@code END_OBJECT}. This is how message codecs read the event inside {@code ["EVENT", {...}]}.
     *
     * @throws IOException for malformed JSON (a {@link JsonProcessingException})
     */
    public static Event read(JsonParser parser) throws IOException, InvalidEventException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException("an event must be a JSON object");
        }
        String id = null;
        String pubkey = null;
        String sig = null;
        String content = null;
        long createdAt = -1;
        int kind = -1;
        List<Tag> tags = null;

        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = hexField(parser, value, "id", id, 64);
                case "pubkey" -> pubkey = hexField(parser, value, "pubkey", pubkey, 64);
                case "sig" -> sig = hexField(parser, value, "sig", sig, 128);
                case "content" -> {
                    requireFirst(content == null, "content");
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidEventException("content must be a string, was " + describe(value));
                    }
                    content = parser.getText();
                }
                case "created_at" -> {
                    requireFirst(createdAt < 0, "created_at");
                    createdAt = integerField(parser, value, "created_at", Long.MAX_VALUE);
                }
                case "kind" -> {
                    requireFirst(kind < 0, "kind");
                    kind = (int) integerField(parser, value, "kind", 65_535);
                }
                case "tags" -> {
                    requireFirst(tags == null, "tags");
                    tags = readTags(parser, value);
                }
                default -> parser.skipChildren(); // unknown fields are ignored (NIP-01 leaves room for extensions)
            }
        }
        if (id == null) throw missing("id");
        if (pubkey == null) throw missing("pubkey");
        if (createdAt < 0) throw missing("created_at");
        if (kind < 0) throw missing("kind");
        if (tags == null) throw missing("tags");
        if (content == null) throw missing("content");
        if (sig == null) throw missing("sig");
        return new Event(new EventId(id), new PubKey(pubkey), createdAt, kind, tags, content, sig);
    }

    /** The wire JSON of an event, compact, with NIP-01 escaping. */
    public static String write(Event event) {
        StringBuilder out = new StringBuilder(256 + event.content().length() + 80 * event.tags().size());
        return appendTo(out, event).toString();
    }

    /** Appends the wire JSON of an event. */
    public static StringBuilder appendTo(StringBuilder out, Event event) {
        out.append("{\"id\":\"").append(event.id().hex())
                .append("\",\"pubkey\":\"").append(event.pubkey().hex())
                .append("\",\"created_at\":").append(event.createdAt())
                .append(",\"kind\":").append(event.kind())
                .append(",\"tags\":");
        JsonText.appendTags(out, event.tags());
        out.append(",\"content\":");
        JsonText.appendQuoted(out, event.content());
        return out.append(",\"sig\":\"").append(event.sig()).append("\"}");
    }

    private static String hexField(JsonParser parser, JsonToken value, String name, String previous, int length)
            throws IOException, InvalidEventException {
        requireFirst(previous == null, name);
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidEventException(name + " must be a string of " + length + " lowercase hex characters, was "
                    + describe(value));
        }
        String text = parser.getText();
        if (!Hex.isLowercaseHex(text, length)) {
            throw new InvalidEventException(name + " must be " + length + " lowercase hex characters, had "
                    + (text.length() == length ? "other characters" : text.length() + " characters"));
        }
        return text;
    }

    private static long integerField(JsonParser parser, JsonToken value, String name, long max)
            throws IOException, InvalidEventException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidEventException(name + " must be an integer, was " + describe(value));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidEventException(name + " is out of range (0 to " + max + ")");
        }
        long number = parser.getLongValue();
        if (number < 0 || number > max) {
            throw new InvalidEventException(name + " is out of range (0 to " + max + "), was " + number);
        }
        return number;
    }

    private static List<Tag> readTags(JsonParser parser, JsonToken value) throws IOException, InvalidEventException {
        if (value != JsonToken.START_ARRAY) {
            throw new InvalidEventException("tags must be an array of arrays of strings, was " + describe(value));
        }
        List<Tag> tags = new ArrayList<>();
        for (JsonToken tag = parser.nextToken(); tag != JsonToken.END_ARRAY; tag = parser.nextToken()) {
            if (tag != JsonToken.START_ARRAY) {
                throw new InvalidEventException("tag " + tags.size() + " must be an array of strings, was "
                        + describe(tag));
            }
            List<String> values = new ArrayList<>(4);
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                if (item != JsonToken.VALUE_STRING) {
                    throw new InvalidEventException("tag " + tags.size() + " element " + values.size()
                            + " must be a string, was " + describe(item));
                }
                values.add(parser.getText());
            }
            tags.add(new Tag(values));
        }
        return tags;
    }

    private static void requireFirst(boolean first, String name) throws InvalidEventException {
        if (!first) {
            throw new InvalidEventException("field " + name + " appears more than once");
        }
    }

    private static InvalidEventException missing(String name) {
        return new InvalidEventException("missing field " + name);
    }

    /** A JSON token in words, for error messages. */
    public static String describe(JsonToken token) {
        if (token == null) {
            return "the end of input";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
