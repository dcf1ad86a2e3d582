package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericContentTest {

    @Test
    void makesAnyKindWithItsTagsAndContent() {
        Event event = signAndCheck(GenericContent.builder().kind(30_315).tag(Tag.of("d", "general"))
                .tags(List.of(Tag.of("r", "https://example.com"), Tag.of())).content("Working").build());

        assertThat(event.kind()).isEqualTo(30_315);
        assertThat(event.tags()).containsExactly(Tag.of("d", "general"), Tag.of("r", "https://example.com"),
                Tag.of());
        assertThat(event.content()).isEqualTo("Working");
    }

    @Test
    void hasEmptyContentUnlessSetAndCoversTheWholeKindRange() {
        assertThat(signAndCheck(GenericContent.builder().kind(0).build()).content()).isEmpty();
        assertThat(signAndCheck(GenericContent.builder().kind(65_535).build()).category())
                .isEqualTo(KindCategory.REGULAR);
    }

    @Test
    void writesTheExpirationAsTheLastTag() {
        Event event = signAndCheck(GenericContent.builder().kind(20_001).expiration(1_800_000_000L)
                .tag(Tag.of("t", "x")).build());
        assertThat(event.tags()).last().isEqualTo(Tag.of("expiration", "1800000000"));
        assertThat(event.expiration()).hasValue(1_800_000_000L);
    }

    @Test
    void rejectsAKindOutOfRange() {
        assertThatThrownBy(() -> GenericContent.builder().kind(65_536).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kind must be 0..65535, was 65536");
        assertThatThrownBy(() -> GenericContent.builder().kind(-1).build())
                .hasMessage("kind must be 0..65535, was -1");
    }

    @Test
    void requiresAKind() {
        assertThatThrownBy(() -> GenericContent.builder().content("x").build())
                .hasMessageStartingWith("kind is required");
    }

    @Test
    void rejectsNullContentAndNegativeExpiration() {
        assertThatThrownBy(() -> GenericContent.builder().kind(1).content(null).build())
                .hasMessageStartingWith("content must not be null");
        assertThatThrownBy(() -> GenericContent.builder().kind(1).expiration(-1).build())
                .hasMessageStartingWith("expiration must be seconds since the Unix epoch");
    }
}
