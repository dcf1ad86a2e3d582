package dev.nostrgate.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorableTextTest {
    private static final SecKey KEY = SecKey.generate();

    private static Event event(String content, Tag... tags) {
        return new UnsignedEvent(KEY.pubKey(), 1_700_000_000L, 1, List.of(tags), content).sign(KEY);
    }

    @Test
    void textTheDatabaseCanHoldIsFine() {
        assertThat(StorableText.problem(event("plain, \n\t\"quoted\", emoji \ud83d\ude00, \u0001", Tag.of("t", "ok"))))
                .isEmpty();
    }

    @Test
    void aNulAnywhereIsAProblem() {
        assertThat(StorableText.problem(event("a\u0000"))).get().asString().startsWith("content has a NUL");
        assertThat(StorableText.problem(event("", Tag.of("t", "\u0000")))).get().asString().startsWith("a tag has a NUL");
        assertThat(StorableText.problem(event("", Tag.of("client", "x", "\u0000")))).isPresent();
    }

    @Test
    void anUnpairedSurrogateIsAProblemAndAPairIsNot() {
        assertThat(StorableText.problem(event("\ud800"))).get().asString().contains("unpaired UTF-16 surrogate");
        assertThat(StorableText.problem(event("x\udc00y"))).isPresent();
        assertThat(StorableText.problem(event("\ude00\ud83d"))).as("reversed pair").isPresent();
        assertThat(StorableText.problem(event("\ud83d\ude00"))).isEmpty();
    }
}
