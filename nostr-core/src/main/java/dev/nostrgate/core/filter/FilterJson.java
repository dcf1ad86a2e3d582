package dev.nostrgate.core.filter;

import static dev.nostrgate.core.event.EventJson.describe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.JsonText;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads and writes the JSON form of a {@link Filter}, strictly.
 *
 * <p>Reading accepts exactly NIP-01: {@code ids} and {@code authors} arrays of 64 lowercase hex strings (no
 * prefixes); {@code kinds} an array of integers 0–65535; {@code since}, {@code until} and {@code limit} non-negative
 * integers (never strings, fractions or null); {@code #x} keys with exactly one ASCII letter and an array of
 * strings; {@code search} a string. Other keys are ignored; a key given twice is an error. A {@code limit} above
 * 2^31-1 is read as 2^31-1 (no store holds more). Every rejection is an {@link InvalidFilterException} whose
 * message names the field and says why, ready for {@code invalid:}.
 */
public final class FilterJson {
    private static final int MAX_KEY_IN_MESSAGE = 20;

    private FilterJson() {
    }

    /**
     * Parses one filter object; nothing may follow it.
     *
     * @throws InvalidFilterException with the reason, for malformed JSON or any field out of NIP-01
     */
    public static Filter parse(String json) throws InvalidFilterException {
        try (JsonParser parser = EventJson.jsonFactory().createParser(json)) {
            return parseWhole(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidFilterException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidFilterException("unreadable JSON: " + e.getMessage());
        }
    }

    private static Filter parseWhole(JsonParser parser) throws IOException, InvalidFilterException {
        parser.nextToken();
        Filter filter = read(parser);
        if (parser.nextToken() != null) {
            throw new InvalidFilterException("unexpected data after the filter object");
        }
        return filter;
    }

    /**
     * Reads a filter object from a parser positioned on its {@code START_OBJECT} token, leaving the parser on the
     * matching {@code END_OBJECT}. This is how message codecs read the filters of {@code ["REQ", id, {...}, ...]}.
     *
     * @throws IOException for malformed JSON (a {@link JsonProcessingException})
     */
    public static Filter read(JsonParser parser) throws IOException, InvalidFilterException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidFilterException("a filter must be a JSON object, was " + describe(parser.currentToken()));
        }
        Optional<Set<String>> ids = Optional.empty();
        Optional<Set<String>> authors = Optional.empty();
        Optional<Set<Integer>> kinds = Optional.empty();
        Map<Character, Set<String>> tags = new LinkedHashMap<>();
        OptionalLong since = OptionalLong.empty();
        OptionalLong until = OptionalLong.empty();
        OptionalInt limit = OptionalInt.empty();
        Optional<String> search = Optional.empty();
        Set<String> seen = new HashSet<>();

        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if (key.startsWith("#")) {
                if (key.length() != 2 || !Filter.isTagLetter(key.charAt(1))) {
                    throw new InvalidFilterException("tag condition key " + quoted(key)
                            + " must be # followed by one ASCII letter");
                }
                requireFirst(seen, key);
                tags.put(key.charAt(1), readStrings(parser, value, key));
                continue;
            }
            switch (key) {
                case "ids" -> {
                    requireFirst(seen, key);
                    ids = Optional.of(readHexes(parser, value, key));
                }
                case "authors" -> {
                    requireFirst(seen, key);
                    authors = Optional.of(readHexes(parser, value, key));
                }
                case "kinds" -> {
                    requireFirst(seen, key);
                    kinds = Optional.of(readKinds(parser, value));
                }
                case "since" -> {
                    requireFirst(seen, key);
                    since = OptionalLong.of(readTimestamp(parser, value, key));
                }
                case "until" -> {
                    requireFirst(seen, key);
                    until = OptionalLong.of(readTimestamp(parser, value, key));
                }
                case "limit" -> {
                    requireFirst(seen, key);
                    limit = OptionalInt.of(readLimit(parser, value));
                }
                case "search" -> {
                    requireFirst(seen, key);
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidFilterException("search must be a string, was " + describe(value));
                    }
                    search = Optional.of(parser.getText());
                }
                default -> parser.skipChildren(); // unknown keys are ignored (NIP-01 leaves room for extensions)
            }
        }
        return new Filter(ids, authors, kinds, tags, since, until, limit, search);
    }

    /** The JSON of a filter, compact: ids, authors, kinds, tag conditions, since, until, limit, search. */
    public static String write(Filter filter) {
        return appendTo(new StringBuilder(64), filter).toString();
    }

    /** Appends the JSON of a filter. */
    public static StringBuilder appendTo(StringBuilder out, Filter filter) {
        out.append('{');
        int start = out.length();
        filter.ids().ifPresent(ids -> appendStrings(separate(out, start).append("\"ids\":"), ids));
        filter.authors().ifPresent(authors -> appendStrings(separate(out, start).append("\"authors\":"), authors));
        filter.kinds().ifPresent(kinds -> {
            separate(out, start).append("\"kinds\":[");
            int first = out.length();
            for (int kind : kinds) {
                separate(out, first).append(kind);
            }
            out.append(']');
        });
        filter.tags().forEach((letter, values) ->
                appendStrings(separate(out, start).append("\"#").append(letter).append("\":"), values));
        filter.since().ifPresent(since -> separate(out, start).append("\"since\":").append(since));
        filter.until().ifPresent(until -> separate(out, start).append("\"until\":").append(until));
        filter.limit().ifPresent(limit -> separate(out, start).append("\"limit\":").append(limit));
        filter.search().ifPresent(search -> JsonText.appendQuoted(separate(out, start).append("\"search\":"), search));
        return out.append('}');
    }

    private static StringBuilder separate(StringBuilder out, int start) {
        return out.length() > start ? out.append(',') : out;
    }

    private static void appendStrings(StringBuilder out, Set<String> values) {
        out.append('[');
        int first = out.length();
        for (String value : values) {
            JsonText.appendQuoted(separate(out, first), value);
        }
        out.append(']');
    }

    private static Set<String> readHexes(JsonParser parser, JsonToken value, String key)
            throws IOException, InvalidFilterException {
        if (value != JsonToken.START_ARRAY) {
            throw new InvalidFilterException(key + " must be an array of 64-character lowercase hex strings, was "
                    + describe(value));
        }
        Set<String> values = new LinkedHashSet<>();
        int index = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken(), index++) {
            if (item != JsonToken.VALUE_STRING) {
                throw new InvalidFilterException(key + "[" + index + "] must be a string of 64 lowercase hex "
                        + "characters, was " + describe(item));
            }
            String text = parser.getText();
            if (!Hex.isLowercaseHex(text, 64)) {
                throw new InvalidFilterException(key + "[" + index + "] must be 64 lowercase hex characters, had "
                        + (text.length() == 64 ? "other characters" : text.length() + " characters"));
            }
            values.add(text);
        }
        return values;
    }

    private static Set<String> readStrings(JsonParser parser, JsonToken value, String key)
            throws IOException, InvalidFilterException {
        if (value != JsonToken.START_ARRAY) {
            throw new InvalidFilterException(key + " must be an array of strings, was " + describe(value));
        }
        Set<String> values = new LinkedHashSet<>();
        int index = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken(), index++) {
            if (item != JsonToken.VALUE_STRING) {
                throw new InvalidFilterException(key + "[" + index + "] must be a string, was " + describe(item));
            }
            values.add(parser.getText());
        }
        return values;
    }

    private static Set<Integer> readKinds(JsonParser parser, JsonToken value) throws IOException, InvalidFilterException {
        if (value != JsonToken.START_ARRAY) {
            throw new InvalidFilterException("kinds must be an array of integers, was " + describe(value));
        }
        Set<Integer> values = new LinkedHashSet<>();
        int index = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken(), index++) {
            String field = "kinds[" + index + "]";
            if (item != JsonToken.VALUE_NUMBER_INT) {
                throw new InvalidFilterException(field + " must be an integer, was " + describe(item));
            }
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || parser.getLongValue() < 0 || parser.getLongValue() > 65_535) {
                throw new InvalidFilterException(field + " is out of range (0 to 65535), was " + parser.getText());
            }
            values.add(parser.getIntValue());
        }
        return values;
    }

    private static long readTimestamp(JsonParser parser, JsonToken value, String key)
            throws IOException, InvalidFilterException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidFilterException(key + " must be a non-negative integer, was " + describe(value));
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
            throw new InvalidFilterException(key + " is out of range (0 to " + Long.MAX_VALUE + "), was "
                    + parser.getText());
        }
        return parser.getLongValue();
    }

    private static int readLimit(JsonParser parser, JsonToken value) throws IOException, InvalidFilterException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidFilterException("limit must be a non-negative integer, was " + describe(value));
        }
        JsonParser.NumberType type = parser.getNumberType();
        boolean negative = type == JsonParser.NumberType.BIG_INTEGER
                ? parser.getBigIntegerValue().signum() < 0
                : parser.getLongValue() < 0;
        if (negative) {
            throw new InvalidFilterException("limit must not be negative, was " + parser.getText());
        }
        // a limit above 2^31-1 asks for everything, which is what 2^31-1 asks for too
        return type == JsonParser.NumberType.INT ? parser.getIntValue() : Integer.MAX_VALUE;
    }

    private static void requireFirst(Set<String> seen, String key) throws InvalidFilterException {
        if (!seen.add(key)) {
            throw new InvalidFilterException("filter key " + key + " appears more than once");
        }
    }

    private static String quoted(String key) {
        String shown = key.length() > MAX_KEY_IN_MESSAGE ? key.substring(0, MAX_KEY_IN_MESSAGE) + "…" : key;
        return JsonText.appendQuoted(new StringBuilder(), shown).toString();
    }
}
