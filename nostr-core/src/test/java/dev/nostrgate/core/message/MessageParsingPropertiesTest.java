package dev.nostrgate.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any input, however broken, gives a message or a {@link MalformedMessageException}: never an unchecked exception.
 * What is read is written back to JSON that reads as the same message.
 */
class MessageParsingPropertiesTest {
    private static final String ID = "d56beb302090d1ed710361a737ed51cd11b0c55c3c97f3710600c5ffc799fd49";
    private static final String PK = "6b090de0afd7ed93e6a78ff911526ca81fb9597d2ad76d9ac8021d4378539a20";
    private static final String SIG = "65365ce2ae190d71eb5923900ff3488342e80e8c3ca239c307366428946cf105"
            + "de92dd0053b6bc4a2d5fa416c34bf29a767f8385d8c4772ee43195c3ea04e33e";
    private static final String EVENT = "{\"content\":\"+\",\"created_at\":1741372931,\"id\":\"" + ID
            + "\",\"kind\":7,\"pubkey\":\"" + PK + "\",\"sig\":\"" + SIG + "\",\"tags\":[[\"e\",\"" + ID
            + "\"],[\"p\",\"" + PK + "\"],[\"k\",\"1\"]]}";
    private static final String FILTER = "{\"ids\":[\"" + ID + "\"],\"authors\":[\"" + PK + "\"],\"kinds\":[1,7],"
            + "\"#e\":[\"x\",\"y\"],\"since\":10,\"until\":20,\"limit\":5,\"search\":\"q\"}";

    /** Valid messages of every type, both directions: the seeds for mutation. */
    private static final List<String> VALID = List.of(
            "[\"EVENT\"," + EVENT + "]",
            "[\"REQ\",\"sub\"," + FILTER + ",{}]",
            "[\"CLOSE\",\"sub\"]",
            "[\"AUTH\"," + EVENT + "]",
            "[\"COUNT\",\"sub\"," + FILTER + "]",
            "[\"NEG-OPEN\",\"neg\"," + FILTER + ",\"6100000200\"]",
            "[\"NEG-MSG\",\"neg\",\"61\"]",
            "[\"NEG-CLOSE\",\"neg\"]",
            "[\"EVENT\",\"sub\"," + EVENT + "]",
            "[\"OK\",\"" + ID + "\",false,\"duplicate: already have it\"]",
            "[\"EOSE\",\"sub\"]",
            "[\"CLOSED\",\"sub\",\"auth-required: sign in\"]",
            "[\"NOTICE\",\"hello\"]",
            "[\"AUTH\",\"challenge\"]",
            "[\"COUNT\",\"sub\",{\"count\":3,\"approximate\":true}]",
            "[\"NEG-ERR\",\"neg\",\"closed: timeout\"]");

    private static final String JSON_CHARS = "[]{}\",:\\ -.0123456789eEtrufalsn#abcdefABCDEF\u00e9\u0000\n";

    @Property(tries = 2_000)
    void anyStringIsAMessageOrMalformed(@ForAll String input) {
        assertParsesOrIsMalformed(input);
    }

    @Property(tries = 2_000)
    void anyBytesAreAMessageOrMalformed(@ForAll byte[] input) {
        parseBothWays(input);
    }

    @Property(tries = 10_000)
    void anyMutationOfAValidMessageIsAMessageOrMalformed(@ForAll("mutated") String input) {
        assertParsesOrIsMalformed(input);
        parseBothWays(input.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 5_000)
    void anyJsonArrayStartingWithAKnownTypeIsAMessageOrMalformed(@ForAll("messageShaped") String input) {
        assertParsesOrIsMalformed(input);
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seed = Arbitraries.of(VALID);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
        Arbitrary<String> insertion = Arbitraries.strings().withChars(JSON_CHARS).ofMinLength(1).ofMaxLength(4);
        Arbitrary<Tuple.Tuple4<Integer, Integer, Integer, String>> edit = Combinators.combine(
                Arbitraries.integers().between(0, 4), position, Arbitraries.integers().between(1, 12), insertion)
                .as(Tuple::of);
        return Combinators.combine(seed, edit.list().ofMinSize(1).ofMaxSize(4)).as((text, edits) -> {
            String out = text;
            for (var e : edits) {
                int at = e.get2() % (out.length() + 1);
                int end = Math.min(out.length(), at + e.get3());
                out = switch (e.get1()) {
                    case 0 -> out.substring(0, at) + out.substring(end);                    // delete
                    case 1 -> out.substring(0, at) + e.get4() + out.substring(at);          // insert
                    case 2 -> out.substring(0, at) + e.get4() + out.substring(end);         // replace
                    case 3 -> out.substring(0, at);                                         // truncate
                    default -> out.substring(0, end) + out.substring(at, end) + out.substring(end); // duplicate
                };
            }
            return out;
        });
    }

    @Provide
    Arbitrary<String> messageShaped() {
        Arbitrary<String> type = Arbitraries.of("EVENT", "REQ", "CLOSE", "AUTH", "COUNT", "NEG-OPEN", "NEG-MSG",
                "NEG-CLOSE", "OK", "EOSE", "CLOSED", "NOTICE", "NEG-ERR", "");
        return Combinators.combine(type, json(3).list().ofMaxSize(4))
                .as((t, elements) -> "[\"" + t + "\"" + elements.stream().map(e -> "," + e).reduce("", String::concat)
                        + "]");
    }

    /** Arbitrary JSON values, with strings and numbers close to what the fields want. */
    private Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "65536", "1e3", "9223372036854775808",
                        "\"\"", "\"" + ID + "\"", "\"" + ID.toUpperCase() + "\"", "\"61\"", "\"x\"",
                        "\"" + "s".repeat(65) + "\"", EVENT, FILTER, "{}", "[]"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(8).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
                        .replaceAll("[\\x00-\\x1f]", " ") + "\""));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> key = Arbitraries.of("ids", "authors", "kinds", "since", "until", "limit", "search", "#e",
                "#ee", "#1", "id", "pubkey", "created_at", "kind", "tags", "content", "sig", "count", "approximate",
                "other");
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(key, json(depth - 1)).as((k, v) -> "\"" + k + "\":" + v)
                .list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(leaf, array, object);
    }

    private static void assertParsesOrIsMalformed(String input) {
        try {
            ClientMessage message = ClientMessages.parse(input);
            assertThat(ClientMessages.parse(message.toJson())).isEqualTo(message);
        } catch (MalformedMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(expected.reply()).isNotNull(); // building the answer never fails either
        }
        try {
            RelayMessage message = RelayMessages.parse(input);
            assertThat(RelayMessages.parse(message.toJson())).isEqualTo(message);
        } catch (MalformedMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void parseBothWays(byte[] input) {
        try {
            ClientMessages.parse(input);
        } catch (MalformedMessageException expected) {
            assertThat(expected.reply()).isNotNull();
        }
        try {
            RelayMessages.parse(input);
        } catch (MalformedMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
