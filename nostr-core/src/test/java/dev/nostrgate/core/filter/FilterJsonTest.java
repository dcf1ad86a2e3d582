package dev.nostrgate.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.EventJson;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterJsonTest {
    private static final String ID = "a".repeat(64);
    private static final String PK = "1".repeat(64);

    @Test
    void readsEveryField() throws InvalidFilterException {
        Filter filter = FilterJson.parse("{\"ids\":[\"" + ID + "\"],\"authors\":[\"" + PK + "\"],\"kinds\":[1,7],"
                + "\"#e\":[\"x\"],\"#P\":[],\"since\":10,\"until\":20,\"limit\":5,\"search\":\"best nostr\"}");

        assertThat(filter).isEqualTo(Filter.builder().ids(ID).authors(PK).kinds(1, 7).tag('e', "x").tag('P')
                .since(10).until(20).limit(5).search("best nostr").build());
    }

    @Test
    void writesCompactJsonInAFixedKeyOrder() {
        Filter filter = Filter.builder().search("q\"").limit(5).until(20).since(10).tag('e', "x", "y").kinds(1, 7)
                .authors(PK).ids(ID).build();

        assertThat(FilterJson.write(filter)).isEqualTo("{\"ids\":[\"" + ID + "\"],\"authors\":[\"" + PK
                + "\"],\"kinds\":[1,7],\"#e\":[\"x\",\"y\"],\"since\":10,\"until\":20,\"limit\":5,\"search\":\"q\\\"\"}");
        assertThat(FilterJson.write(Filter.ALL)).isEqualTo("{}");
        assertThat(FilterJson.write(Filter.builder().ids().tag('t').build())).isEqualTo("{\"ids\":[],\"#t\":[]}");
    }

    @Test
    void escapesTagValuesAsNip01Does() {
        Filter filter = Filter.builder().tag('t', "a\nb\u0001\"\\").build();
        assertThat(FilterJson.write(filter)).isEqualTo("{\"#t\":[\"a\\nb\\u0001\\\"\\\\\"]}");
    }

    @Test
    void writtenJsonIsWhatJacksonReadsBack() throws InvalidFilterException {
        Filter filter = Filter.builder().tag('t', "ünï\uD83D\uDE00", "\u2028").search("").build();
        String json = FilterJson.write(filter);
        assertThat(SharedData.tree(json).get("#t").get(0).asText()).isEqualTo("ünï\uD83D\uDE00");
        assertThat(FilterJson.parse(json)).isEqualTo(filter);
    }

    @Test
    void ignoresUnknownKeysWhateverTheirValue() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"kinds\":[1],\"foo\":{\"a\":[1,{}]},\"&t\":[\"x\"],\"ids2\":null,\"\":1}"))
                .isEqualTo(Filter.builder().kinds(1).build());
    }

    @Test
    void keepsAnEmptyListApartFromAnAbsentOne() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"ids\":[]}").ids()).hasValue(Set.of());
        assertThat(FilterJson.parse("{}").ids()).isEmpty();
        assertThat(FilterJson.parse("{\"#e\":[]}").tags()).containsKey('e');
    }

    @Test
    void collapsesRepeatedValues() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"kinds\":[1,1,1],\"#t\":[\"a\",\"a\"]}"))
                .isEqualTo(Filter.builder().kinds(1).tag('t', "a").build());
    }

    @Test
    void readsALimitAboveTheIntRangeAsTheLargestInt() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"limit\":5000000000}").limit()).hasValue(Integer.MAX_VALUE);
        assertThat(FilterJson.parse("{\"limit\":123456789012345678901234567890}").limit()).hasValue(Integer.MAX_VALUE);
        assertThat(FilterJson.parse("{\"limit\":0}").limit()).hasValue(0);
        assertThat(FilterJson.parse("{\"limit\":-0}").limit()).hasValue(0);
    }

    @Test
    void acceptsTheLargestTimestamps() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"since\":0,\"until\":9223372036854775807}"))
                .isEqualTo(Filter.builder().since(0).until(Long.MAX_VALUE).build());
    }

    @Test
    void readsFromAParserPositionedOnTheObjectAndStopsAtItsEnd() throws Exception {
        try (JsonParser parser = EventJson.jsonFactory().createParser("[{\"kinds\":[1]},{\"limit\":2}]")) {
            parser.nextToken();
            parser.nextToken();
            assertThat(FilterJson.read(parser)).isEqualTo(Filter.builder().kinds(1).build());
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            parser.nextToken();
            assertThat(FilterJson.read(parser)).isEqualTo(Filter.builder().limit(2).build());
            assertThat(parser.nextToken()).isEqualTo(JsonToken.END_ARRAY);
        }
    }

    @Test
    void readRefusesAParserNotOnAnObject() throws Exception {
        try (JsonParser parser = EventJson.jsonFactory().createParser("[1]")) {
            parser.nextToken();
            assertThatThrownBy(() -> FilterJson.read(parser))
                    .isInstanceOf(InvalidFilterException.class)
                    .hasMessage("a filter must be a JSON object, was an array");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # not a filter
            []                                       | a filter must be a JSON object, was an array
            "x"                                      | a filter must be a JSON object, was a string
            null                                     | a filter must be a JSON object, was null
            ``                                       | a filter must be a JSON object, was the end of input
            {}{}                                     | unexpected data after the filter object
            # ids and authors
            {"ids":"%ID"}                            | ids must be an array of 64-character lowercase hex strings, was a string
            {"ids":{}}                               | ids must be an array of 64-character lowercase hex strings, was an object
            {"ids":null}                             | ids must be an array of 64-character lowercase hex strings, was null
            {"ids":1}                                | ids must be an array of 64-character lowercase hex strings, was an integer
            {"ids":[1]}                              | ids[0] must be a string of 64 lowercase hex characters, was an integer
            {"ids":["%ID",null]}                     | ids[1] must be a string of 64 lowercase hex characters, was null
            {"ids":[["%ID"]]}                        | ids[0] must be a string of 64 lowercase hex characters, was an array
            {"ids":["abcd"]}                         | ids[0] must be 64 lowercase hex characters, had 4 characters
            {"ids":[""]}                             | ids[0] must be 64 lowercase hex characters, had 0 characters
            {"ids":["%IDa"]}                         | ids[0] must be 64 lowercase hex characters, had 65 characters
            {"ids":["%UP"]}                          | ids[0] must be 64 lowercase hex characters, had other characters
            {"ids":["%NONHEX"]}                      | ids[0] must be 64 lowercase hex characters, had other characters
            {"authors":"%PK"}                        | authors must be an array of 64-character lowercase hex strings, was a string
            {"authors":[true]}                       | authors[0] must be a string of 64 lowercase hex characters, was a boolean
            {"authors":["%PK","%UP"]}                | authors[1] must be 64 lowercase hex characters, had other characters
            {"authors":["npub1xyz"]}                 | authors[0] must be 64 lowercase hex characters, had 8 characters
            # kinds
            {"kinds":1}                              | kinds must be an array of integers, was an integer
            {"kinds":null}                           | kinds must be an array of integers, was null
            {"kinds":{"1":1}}                        | kinds must be an array of integers, was an object
            {"kinds":["1"]}                          | kinds[0] must be an integer, was a string
            {"kinds":[1.0]}                          | kinds[0] must be an integer, was a fraction
            {"kinds":[1e2]}                          | kinds[0] must be an integer, was a fraction
            {"kinds":[1,null]}                       | kinds[1] must be an integer, was null
            {"kinds":[[1]]}                          | kinds[0] must be an integer, was an array
            {"kinds":[-1]}                           | kinds[0] is out of range (0 to 65535), was -1
            {"kinds":[65536]}                        | kinds[0] is out of range (0 to 65535), was 65536
            {"kinds":[99999999999999999999999]}      | kinds[0] is out of range (0 to 65535), was 99999999999999999999999
            # since, until, limit
            {"since":"1"}                            | since must be a non-negative integer, was a string
            {"since":1.5}                            | since must be a non-negative integer, was a fraction
            {"since":null}                           | since must be a non-negative integer, was null
            {"since":[1]}                            | since must be a non-negative integer, was an array
            {"since":-1}                             | since is out of range (0 to 9223372036854775807), was -1
            {"since":9223372036854775808}            | since is out of range (0 to 9223372036854775807), was 9223372036854775808
            {"until":true}                           | until must be a non-negative integer, was a boolean
            {"until":{}}                             | until must be a non-negative integer, was an object
            {"until":-5}                             | until is out of range (0 to 9223372036854775807), was -5
            {"limit":"10"}                           | limit must be a non-negative integer, was a string
            {"limit":10.0}                           | limit must be a non-negative integer, was a fraction
            {"limit":null}                           | limit must be a non-negative integer, was null
            {"limit":-1}                             | limit must not be negative, was -1
            {"limit":-99999999999999999999}          | limit must not be negative, was -99999999999999999999
            # tag conditions
            {"#":["x"]}                              | tag condition key "#" must be # followed by one ASCII letter
            {"#ee":["x"]}                            | tag condition key "#ee" must be # followed by one ASCII letter
            {"#1":["x"]}                             | tag condition key "#1" must be # followed by one ASCII letter
            {"#_":["x"]}                             | tag condition key "#_" must be # followed by one ASCII letter
            {"#é":["x"]}                             | tag condition key "#é" must be # followed by one ASCII letter
            {"#emoji-and-a-very-long-name":["x"]}    | tag condition key "#emoji-and-a-very-lo…" must be # followed by one ASCII letter
            {"#e":"x"}                               | #e must be an array of strings, was a string
            {"#e":null}                              | #e must be an array of strings, was null
            {"#e":{}}                                | #e must be an array of strings, was an object
            {"#e":["x",1]}                           | #e[1] must be a string, was an integer
            {"#t":[null]}                            | #t[0] must be a string, was null
            {"#t":[["x"]]}                           | #t[0] must be a string, was an array
            # search
            {"search":1}                             | search must be a string, was an integer
            {"search":null}                          | search must be a string, was null
            {"search":["x"]}                         | search must be a string, was an array
            # duplicate keys
            {"ids":[],"ids":[]}                      | filter key ids appears more than once
            {"authors":[],"authors":[]}              | filter key authors appears more than once
            {"kinds":[1],"kinds":[2]}                | filter key kinds appears more than once
            {"since":1,"since":1}                    | filter key since appears more than once
            {"until":1,"until":1}                    | filter key until appears more than once
            {"limit":1,"limit":1}                    | filter key limit appears more than once
            {"search":"a","search":"a"}              | filter key search appears more than once
            {"#e":[],"#e":["x"]}                     | filter key #e appears more than once
            """)
    void rejectsWithAPreciseReason(String json, String reason) {
        String filled = json.replace("%ID", ID).replace("%PK", PK).replace("%UP", "A".repeat(64))
                .replace("%NONHEX", "g".repeat(64));

        assertThatThrownBy(() -> FilterJson.parse(filled))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessage(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"kinds":[1]     | malformed JSON: Unexpected end-of-input
            {kinds:[1]}      | malformed JSON: Unexpected character ('k'
            {"kinds":[1,]}   | malformed JSON: Unexpected character (']'
            {"limit":01}     | malformed JSON: Invalid numeric value: Leading zeroes not allowed
            {"since":NaN}    | malformed JSON: Non-standard token 'NaN'
            """)
    void rejectsMalformedJson(String json, String reasonStart) {
        assertThatThrownBy(() -> FilterJson.parse(json))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith(reasonStart);
    }

    @Test
    void rejectsNestingDeeperThanAnyMessageNeeds() {
        String deep = "{\"foo\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThatThrownBy(() -> FilterJson.parse(deep))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageStartingWith("malformed JSON: Document nesting depth (17) exceeds the maximum allowed (16");
    }

    @Test
    void sameKeyInAnotherCaseIsAnotherCondition() throws InvalidFilterException {
        assertThat(FilterJson.parse("{\"#e\":[\"x\"],\"#E\":[\"y\"]}").tags()).containsOnlyKeys('e', 'E');
    }
}
