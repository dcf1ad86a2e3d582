package dev.nostrgate.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nostrgate.core.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strict parsing: every field wrong in every way is rejected with a reason that names the field. */
class InvalidEventTest {
    private static final EventVerifier VERIFIER = new EventVerifier();

    static Stream<JsonNode> variants() {
        return StreamSupport.stream(SharedData.json("vectors/nip01/invalid-event-variants.json")
                .get("variants").spliterator(), false);
    }

    /** A relay accepts the control and the extra-field variant only; a strict one also rejects uppercase sig. */
    @ParameterizedTest(name = "{index}")
    @MethodSource("variants")
    void acceptsOnlyTheGenuineVariants(JsonNode variant) {
        String why = variant.get("why").asText();
        boolean genuine = why.startsWith("valid original") || why.startsWith("extra unknown field");
        Optional<String> problem;
        try {
            problem = VERIFIER.problem(EventJson.parse(variant.get("event").toString()));
        } catch (InvalidEventException rejected) {
            problem = Optional.of(rejected.getMessage());
        }
        assertThat(problem.isEmpty()).as(why + ": " + problem.orElse("accepted")).isEqualTo(genuine);
    }

    private static ObjectNode original() {
        return (ObjectNode) variants().findFirst().orElseThrow().get("event").deepCopy();
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                // id
                Arguments.of("id", "\"" + "A".repeat(64) + "\"", "id must be 64 lowercase hex characters"),
                Arguments.of("id", "\"abc\"", "id must be 64 lowercase hex characters, had 3 characters"),
                Arguments.of("id", "\"" + "0".repeat(65) + "\"", "id must be 64"),
                Arguments.of("id", "\"" + "g".repeat(64) + "\"", "id must be 64"),
                Arguments.of("id", "42", "id must be a string"),
                Arguments.of("id", "null", "id must be a string"),
                Arguments.of("id", "[]", "id must be a string"),
                // pubkey
                Arguments.of("pubkey", "\"" + "0".repeat(63) + "\"", "pubkey must be 64 lowercase hex characters"),
                Arguments.of("pubkey", "true", "pubkey must be a string"),
                // sig
                Arguments.of("sig", "\"" + "0".repeat(64) + "\"", "sig must be 128 lowercase hex characters"),
                Arguments.of("sig", "{}", "sig must be a string"),
                // created_at
                Arguments.of("created_at", "\"1711469124\"", "created_at must be an integer, was a string"),
                Arguments.of("created_at", "1711469124.5", "created_at must be an integer, was a fraction"),
                Arguments.of("created_at", "1.7e9", "created_at must be an integer, was a fraction"),
                Arguments.of("created_at", "-1", "created_at is out of range"),
                Arguments.of("created_at", "99999999999999999999999", "created_at is out of range"),
                Arguments.of("created_at", "null", "created_at must be an integer, was null"),
                // kind
                Arguments.of("kind", "65536", "kind is out of range (0 to 65535), was 65536"),
                Arguments.of("kind", "-1", "kind is out of range"),
                Arguments.of("kind", "\"1\"", "kind must be an integer, was a string"),
                Arguments.of("kind", "1.0", "kind must be an integer, was a fraction"),
                // tags
                Arguments.of("tags", "{}", "tags must be an array of arrays of strings, was an object"),
                Arguments.of("tags", "[\"e\"]", "tag 0 must be an array of strings, was a string"),
                Arguments.of("tags", "[[\"e\",1]]", "tag 0 element 1 must be a string, was an integer"),
                Arguments.of("tags", "[[\"e\",null]]", "tag 0 element 1 must be a string, was null"),
                Arguments.of("tags", "[[\"e\",[\"x\"]]]", "tag 0 element 1 must be a string, was an array"),
                Arguments.of("tags", "null", "tags must be an array"),
                // content
                Arguments.of("content", "5", "content must be a string, was an integer"),
                Arguments.of("content", "null", "content must be a string, was null"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("mutations")
    void rejectsAFieldOfTheWrongShapeNamingTheField(String field, String json, String reason) {
        String event = original().put(field, "PLACEHOLDER").toString().replace("\"PLACEHOLDER\"", json);
        assertThatThrownBy(() -> EventJson.parse(event))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "missing {0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"})
    void rejectsAMissingField(String field) {
        ObjectNode event = original();
        event.remove(field);
        assertThatThrownBy(() -> EventJson.parse(event.toString()))
                .isInstanceOf(InvalidEventException.class).hasMessage("missing field " + field);
    }

    @Test
    void rejectsAFieldGivenTwice() {
        String json = original().toString().replaceFirst("\\{", "{\"kind\":1,");
        assertThatThrownBy(() -> EventJson.parse(json)).hasMessage("field kind appears more than once");
    }

    @Test
    void ignoresUnknownFieldsOfAnyShape() throws Exception {
        String json = original().toString().replaceFirst("\\{", "{\"relays\":[{\"x\":[1,2]}],\"seen\":null,");
        assertThat(VERIFIER.isAuthentic(EventJson.parse(json))).isTrue();
    }

    @Test
    void rejectsMalformedJsonWithAReasonAndNoStackTraceNoise() {
        for (String json : new String[] {"", "{", "[]", "null", "{\"id\":}", "{'id':'x'}", "{\"a\":1,}",
                "{\"content\":\"\u0001\"}"}) {
            assertThatThrownBy(() -> EventJson.parse(json)).as(json).isInstanceOf(InvalidEventException.class)
                    .hasMessageNotContaining("com.fasterxml");
        }
    }

    @Test
    void rejectsDataAfterTheEvent() {
        assertThatThrownBy(() -> EventJson.parse(original() + " {}"))
                .hasMessage("unexpected data after the event object");
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutRecursingIntoIt() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String json = original().toString().replaceFirst("\\{", "{\"junk\":" + deep + ",");
        assertThatThrownBy(() -> EventJson.parse(json)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] json = original().toString().getBytes(StandardCharsets.UTF_8);
        byte[] broken = new String(json, StandardCharsets.UTF_8).replace("Maior", "M\u00e9ior")
                .getBytes(StandardCharsets.UTF_8);
        int accent = new String(broken, StandardCharsets.ISO_8859_1).indexOf("M\u00c3") + 1;
        broken[accent] = (byte) 0xff; // not a UTF-8 lead byte
        assertThatThrownBy(() -> EventJson.parse(broken)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("UTF-8");
    }
}
