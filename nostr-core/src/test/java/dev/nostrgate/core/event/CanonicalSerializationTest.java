package dev.nostrgate.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The id pre-image is byte for byte what nostr-tools, go-nostr and Python produce. */
class CanonicalSerializationTest {

    static Stream<JsonNode> escapeVectors() {
        return StreamSupport.stream(SharedData.json("vectors/nip01/synthetic-escape-vectors.json")
                .get("vectors").spliterator(), false);
    }

    static Stream<JsonNode> realEdgeCases() {
        return SharedData.lines("testdata/nip01/real-events-canonical.jsonl").stream().map(SharedData::tree);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("escapeVectors")
    void serializesEveryEscapingCaseExactly(JsonNode vector) throws Exception {
        Event event = EventJson.parse(vector.get("event").toString());
        assertThat(event.canonicalSerialization()).isEqualTo(vector.get("serialized").asText());
        assertThat(CanonicalSerialization.id(event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content()).hex()).isEqualTo(vector.get("expected_id").asText());
        assertThat(new EventVerifier().problem(event)).isEmpty();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("realEdgeCases")
    void serializesRealEventsChosenForTheirEdgeCasesExactly(JsonNode row) throws Exception {
        Event event = EventJson.parse(row.get("event").toString());
        assertThat(event.canonicalSerialization()).isEqualTo(row.get("serialized").asText());
        assertThat(event.id().hex()).isEqualTo(row.get("expected_id").asText());
        assertThat(new EventVerifier().problem(event)).isEmpty();
    }

    @Test
    void signsDeterministicallyLikeTheInteropLab() {
        for (JsonNode row : SharedData.json("testdata/nip01/nostr-interop-lab-nip01.json")) {
            SecKey key = SecKey.fromHex(row.get("privkey").asText());
            JsonNode template = row.get("event");
            List<Tag> tags = StreamSupport.stream(template.get("tags").spliterator(), false)
                    .map(tag -> new Tag(StreamSupport.stream(tag.spliterator(), false).map(JsonNode::asText).toList()))
                    .toList();
            UnsignedEvent unsigned = new UnsignedEvent(key.pubKey(), template.get("created_at").asLong(),
                    template.get("kind").asInt(), tags, template.get("content").asText());
            assertThat(key.pubKey().hex()).isEqualTo(row.get("pubkey").asText());
            assertThat(unsigned.id().hex()).as(row.get("name").asText()).isEqualTo(row.at("/expected/id").asText());
            Event expected = unsigned.withSignature(row.at("/expected/sig").asText());
            assertThat(new EventVerifier().isAuthentic(expected)).isTrue();
            assertThat(new EventVerifier().isAuthentic(unsigned.sign(key))).isTrue();
        }
    }

    @Test
    void escapesLoneSurrogatesAsJsonStringifyDoes() {
        StringBuilder out = new StringBuilder();
        JsonText.appendQuoted(out, "a\ud800b\udc00c\ud83d\ude00");
        assertThat(out.toString()).isEqualTo("\"a\\ud800b\\udc00c\ud83d\ude00\"");
    }

    @Test
    void writesOtherControlCharactersAsLowercaseUnicodeEscapes() {
        StringBuilder out = new StringBuilder();
        JsonText.appendQuoted(out, "\u0000\u001f\u001b\u007f\u2028/");
        assertThat(out.toString()).isEqualTo("\"\\u0000\\u001f\\u001b\u007f\u2028/\"");
    }
}
