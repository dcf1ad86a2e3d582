package dev.nostrgate.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse ∘ serialize is the identity, for any content: controls, quotes, surrogate pairs, lone surrogates. */
class EventJsonPropertiesTest {
    private static final SecKey KEY = SecKey.fromHex("d217c1ff2f8a65c3e3a1740db3b9f58b8c848bb45e26d00ed4714e4a0f4ceecf");

    @Property(tries = 300)
    void parseOfWriteIsTheSameEvent(@ForAll("events") Event event) throws Exception {
        assertThat(EventJson.parse(event.toJson())).isEqualTo(event);
        assertThat(EventJson.parse(event.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(event);
    }

    @Property(tries = 300)
    void theEscapedStringIsValidJsonThatDecodesToTheOriginal(@ForAll("texts") String text) {
        String quoted = JsonText.appendQuoted(new StringBuilder(), text).toString();
        assertThat(SharedData.tree(quoted).asText()).isEqualTo(text);
    }

    @Property(tries = 100)
    void signedEventsVerifyAndAnyChangeBreaksThem(@ForAll("events") Event event, @ForAll("texts") String other) {
        EventVerifier verifier = new EventVerifier();
        assertThat(verifier.isAuthentic(event)).isTrue();
        if (!other.equals(event.content())) {
            Event changed = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                    other, event.sig());
            assertThat(verifier.isAuthentic(changed)).isFalse();
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("\"\\\b\f\n\r\t\u0000\u001f\u007f\u2028/é😀").ofMaxLength(20),
                Arbitraries.strings().ascii().ofMaxLength(40));
    }

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<List<Tag>> tags = texts().list().ofMaxSize(4).map(Tag::new).list().ofMaxSize(4);
        return Combinators.combine(Arbitraries.longs().between(0, 4_000_000_000L),
                        Arbitraries.integers().between(0, 65_535), tags, texts())
                .as((createdAt, kind, tagList, content) ->
                        new UnsignedEvent(KEY.pubKey(), createdAt, kind, tagList, content).sign(KEY));
    }
}
