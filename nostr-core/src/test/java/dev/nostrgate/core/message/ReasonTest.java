package dev.nostrgate.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasonTest {

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            duplicate: already have this event      | duplicate     | already have this event
            pow: difficulty 25>=24                  | pow           | difficulty 25>=24
            blocked: you are banned from posting here | blocked     | you are banned from posting here
            rate-limited: slow down there chief     | rate-limited  | slow down there chief
            auth-required: we only accept events from registered users | auth-required | we only accept events from registered users
            error: could not connect to the database | error        | could not connect to the database
            invalid:no space                        | invalid       | no space
            invalid:   spaces: and a colon          | invalid       | spaces: and a colon
            custom-word: unknown prefixes are kept  | custom-word   | unknown prefixes are kept
            ``                                      | ``            | ``
            just a message                          | ``            | just a message
            two words: is not a prefix              | ``            | two words: is not a prefix
            Blocked: uppercase is not a prefix      | ``            | Blocked: uppercase is not a prefix
            : empty prefix                          | ``            | : empty prefix
            https://example.com                     | https         | //example.com
            """)
    void splitsThePrefixFromTheMessage(String text, String prefix, String message) {
        assertThat(Reason.parse(text)).isEqualTo(new Reason(prefix, message));
    }

    @Test
    void writesPrefixColonSpaceMessage() {
        assertThat(Reason.of(ReasonPrefix.RATE_LIMITED, "slow down").toString()).isEqualTo("rate-limited: slow down");
        assertThat(ReasonPrefix.AUTH_REQUIRED.format("sign in")).isEqualTo("auth-required: sign in");
        assertThat(new Reason("", "plain").toString()).isEqualTo("plain");
        assertThat(Reason.parse(Reason.of(ReasonPrefix.MUTE, "x").toString())).isEqualTo(Reason.of(ReasonPrefix.MUTE, "x"));
    }

    @Test
    void knowsEveryNip01Prefix() {
        assertThat(ReasonPrefix.values()).extracting(ReasonPrefix::word).contains("duplicate", "pow", "blocked",
                "rate-limited", "invalid", "restricted", "mute", "error", "auth-required");
        for (ReasonPrefix prefix : ReasonPrefix.values()) {
            assertThat(ReasonPrefix.ofWord(prefix.word())).hasValue(prefix);
            assertThat(Reason.parse(prefix.format("m")).knownPrefix()).hasValue(prefix);
        }
        assertThat(ReasonPrefix.ofWord("custom")).isEmpty();
        assertThat(Reason.parse("custom: x").knownPrefix()).isEmpty();
    }

    @Test
    void aPrefixIsOneWord() {
        assertThatThrownBy(() -> new Reason("two words", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reason("a:", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reason(null, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscriptionIdsAreOneTo64Characters() {
        assertThat(SubscriptionIds.problem("a")).isEmpty();
        assertThat(SubscriptionIds.problem("x".repeat(64))).isEmpty();
        assertThat(SubscriptionIds.problem("x".repeat(65))).hasValue("subscription id longer than 64 characters");
        assertThat(SubscriptionIds.problem("")).hasValue("subscription id is empty");
        assertThat(SubscriptionIds.problem(null)).hasValue("subscription id is missing");
        assertThat(SubscriptionIds.problem("😀".repeat(32))).isEmpty(); // 64 UTF-16 units, as JavaScript counts
        assertThat(SubscriptionIds.problem("😀".repeat(32) + "x")).isPresent();
    }
}
