package dev.nostrgate.core.nip19;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19Entity.AddressPointer;
import dev.nostrgate.core.nip19.Nip19Entity.EventPointer;
import dev.nostrgate.core.nip19.Nip19Entity.Note;
import dev.nostrgate.core.nip19.Nip19Entity.Npub;
import dev.nostrgate.core.nip19.Nip19Entity.Nsec;
import dev.nostrgate.core.nip19.Nip19Entity.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared NIP-19 vectors ({@code shared/vectors/nip19/nip19-vectors.json}), read in place: strings from the
 * NIP-19 text, go-nostr, rust-nostr and nostr-tools, plus strings nostr-tools generated.
 *
 * <p>Encoder output is compared with the spec, go-nostr and rust-nostr strings only: nostr-tools writes TLVs in
 * the reverse order, so its re-encodings ({@code nostr_tools_reencode}) differ byte for byte, not in meaning.
 */
class Nip19VectorsTest {
    private static final JsonNode VECTORS = SharedData.json("vectors/nip19/nip19-vectors.json");

    static Stream<Arguments> valid() {
        return rows("valid");
    }

    static Stream<Arguments> roundtrips() {
        return rows("valid").filter(row -> ((JsonNode) row.get()[1]).path("roundtrip").asBoolean(false));
    }

    static Stream<Arguments> invalid() {
        return rows("invalid");
    }

    static Stream<Arguments> generated() {
        return rows("generated");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesEveryValidStringToItsListedValues(String label, JsonNode row) throws InvalidNip19Exception {
        Nip19Entity entity = Nip19.decode(row.get("bech32").asText());

        assertThat(prefix(entity)).isEqualTo(row.get("type").asText());
        JsonNode listed = row.has("data") ? row.get("data") : row.has("hex") ? row.get("hex")
                : row.get("nostr_tools_decode");
        assertMatches(entity, listed);
        assertMatches(entity, row.get("nostr_tools_decode")); // and we agree with nostr-tools
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundtrips")
    void reencodesToTheSameStringWhereTheVectorRoundtrips(String label, JsonNode row) throws InvalidNip19Exception {
        String bech32 = row.get("bech32").asText();
        assertThat(Nip19.encode(Nip19.decode(bech32))).isEqualTo(bech32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void reencodesEveryValidStringToTheSameEntity(String label, JsonNode row) throws InvalidNip19Exception {
        // Strings in another TLV order (nostr-tools) or with extra TLVs come out canonical, meaning the same.
        Nip19Entity entity = Nip19.decode(row.get("bech32").asText());
        assertThat(Nip19.decode(Nip19.encode(entity))).isEqualTo(entity);
    }

    @Test
    void decodesTheSameEntityFromBothTlvOrdersOfTheBananaAddress() throws InvalidNip19Exception {
        List<JsonNode> bananas = new ArrayList<>();
        VECTORS.get("valid").forEach(row -> {
            if (row.path("data").path("identifier").asText().equals("banana")) {
                bananas.add(row);
            }
        });
        assertThat(bananas).hasSize(2);
        Nip19Entity goNostrOrder = Nip19.decode(bananas.get(0).get("bech32").asText());
        Nip19Entity nostrToolsOrder = Nip19.decode(bananas.get(1).get("bech32").asText());
        assertThat(nostrToolsOrder).isEqualTo(goNostrOrder);
        assertThat(Nip19.encode(nostrToolsOrder)).isEqualTo(bananas.get(0).get("bech32").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsEveryInvalidString(String label, JsonNode row) {
        // Two rows are marked implementation-dependent: an nevent whose author TLV (type 2) holds 64 bytes (the
        // author's hex as ASCII) instead of 32. go-nostr and nostr-tools reject them; rust-nostr drops the author
        // and decodes the rest. We reject, as a strict relay should: NIP-19 says the author is 32 bytes, so the
        // string was made by a broken encoder; silently dropping a field would make us accept a pointer that
        // means something else to the writer (who meant an author) and to the majority of readers (an error).
        assertThatThrownBy(() -> Nip19.decode(row.get("bech32").asText()))
                .isInstanceOf(InvalidNip19Exception.class);
    }

    @Test
    void saysPreciselyWhyEachInvalidStringIsRejected() {
        List<String> reasons = new ArrayList<>();
        for (JsonNode row : VECTORS.get("invalid")) {
            try {
                Nip19.decode(row.get("bech32").asText());
                reasons.add("accepted");
            } catch (InvalidNip19Exception e) {
                reasons.add(e.getMessage());
            }
        }
        assertThat(reasons).containsExactly(
                "checksum mismatch",
                "truncated TLV: type 0 at byte 0 has no length byte",
                "character at position 38 is not printable US-ASCII",
                "character at position 57 is not printable US-ASCII",
                "nevent author TLV (type 2) must be 32 bytes, was 64",
                "nevent author TLV (type 2) must be 32 bytes, was 64");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generated")
    void decodesEveryGeneratedString(String label, JsonNode row) throws InvalidNip19Exception {
        Nip19Entity entity = Nip19.decode(row.get("bech32").asText());
        assertThat(prefix(entity)).isEqualTo(row.get("type").asText());
        assertMatches(entity, row.get("decoded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generated")
    void encodesEveryGeneratedInputToTheEntityNostrToolsEncoded(String label, JsonNode row)
            throws InvalidNip19Exception {
        Nip19Entity input = entity(row.get("type").asText(), row.get("input"));
        String ours = Nip19.encode(input);

        assertThat(Nip19.decode(ours)).isEqualTo(input).isEqualTo(Nip19.decode(row.get("bech32").asText()));
        assertMatches(Nip19.decode(ours), row.get("decoded"));
        if (!(input instanceof Profile || input instanceof EventPointer || input instanceof AddressPointer)) {
            assertThat(ours).isEqualTo(row.get("bech32").asText()); // no TLVs, so no order to differ in
        }
    }

    private static Stream<Arguments> rows(String section) {
        List<Arguments> rows = new ArrayList<>();
        JsonNode array = VECTORS.get(section);
        for (int i = 0; i < array.size(); i++) {
            JsonNode row = array.get(i);
            String label = section + "[" + i + "] " + row.path("type").asText(row.path("why").asText()) + " from "
                    + row.get("source").asText().split(" ")[0];
            rows.add(Arguments.of(label, row));
        }
        assertThat(rows).as(section + " rows").isNotEmpty();
        return rows.stream();
    }

    private static String prefix(Nip19Entity entity) {
        return switch (entity) {
            case Npub n -> "npub";
            case Nsec n -> "nsec";
            case Note n -> "note";
            case Profile p -> "nprofile";
            case EventPointer p -> "nevent";
            case AddressPointer p -> "naddr";
        };
    }

    /** The entity a vector's input or expected value describes (absent fields: no relays, no author, no kind). */
    private static Nip19Entity entity(String type, JsonNode value) {
        return switch (type) {
            case "npub" -> new Npub(new PubKey(value.asText()));
            case "nsec" -> new Nsec(SecKey.fromHex(value.asText()));
            case "note" -> new Note(new EventId(value.asText()));
            case "nprofile" -> new Profile(new PubKey(value.get("pubkey").asText()), strings(value.path("relays")));
            case "nevent" -> new EventPointer(new EventId(value.get("id").asText()), strings(value.path("relays")),
                    value.has("author") ? Optional.of(new PubKey(value.get("author").asText())) : Optional.empty(),
                    value.has("kind") ? OptionalInt.of(value.get("kind").asInt()) : OptionalInt.empty());
            case "naddr" -> new AddressPointer(value.get("identifier").asText(),
                    new PubKey(value.get("pubkey").asText()), value.get("kind").asInt(),
                    strings(value.path("relays")));
            default -> throw new IllegalArgumentException("unknown type in vectors: " + type);
        };
    }

    /**
     * Asserts the decoded entity has the vector's values. A vector may list only the first relays
     * ({@code relays_prefix}) and their number ({@code relays_count}).
     */
    private static void assertMatches(Nip19Entity entity, JsonNode expected) {
        if (expected.has("relays_prefix")) {
            List<String> relays = relays(entity);
            assertThat(relays).startsWith(strings(expected.get("relays_prefix")).toArray(String[]::new));
            assertThat(relays).hasSize(expected.get("relays_count").asInt());
            assertThat(entity).isEqualTo(withRelays(entity(prefix(entity), expected), relays)); // all else as listed
            return;
        }
        assertThat(entity).isEqualTo(entity(prefix(entity), expected));
    }

    private static List<String> relays(Nip19Entity entity) {
        return switch (entity) {
            case Profile p -> p.relays();
            case EventPointer p -> p.relays();
            case AddressPointer p -> p.relays();
            case Npub n -> List.of();
            case Nsec n -> List.of();
            case Note n -> List.of();
        };
    }

    private static Nip19Entity withRelays(Nip19Entity entity, List<String> relays) {
        return switch (entity) {
            case Profile p -> new Profile(p.pubkey(), relays);
            case EventPointer p -> new EventPointer(p.id(), relays, p.author(), p.kind());
            case AddressPointer p -> new AddressPointer(p.identifier(), p.pubkey(), p.kind(), relays);
            case Npub n -> n;
            case Nsec n -> n;
            case Note n -> n;
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }
}
