package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.KEY;
import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Tag;
import org.junit.jupiter.api.Test;

class LongFormArticleContentTest {
    private static final String MARKDOWN = "# Why Nostr\n\nBecause *keys*, not accounts.\n\n```\ncode\n```\n";

    @Test
    void isAnAddressableKind30023EventWithItsMetadataTags() {
        LongFormArticle article = LongFormArticle.builder().identifier("why-nostr").content(MARKDOWN)
                .title("Why Nostr").summary("Keys, not accounts").image("https://example.com/header.png")
                .publishedAt(1_690_000_000L).hashtag("Nostr").hashtag("#protocols").build();

        Event event = signAndCheck(article);

        assertThat(event.kind()).isEqualTo(30_023);
        assertThat(event.category()).isEqualTo(KindCategory.ADDRESSABLE);
        assertThat(event.content()).isEqualTo(MARKDOWN);
        assertThat(event.tags()).containsExactly(
                Tag.of("d", "why-nostr"), Tag.of("title", "Why Nostr"), Tag.of("summary", "Keys, not accounts"),
                Tag.of("image", "https://example.com/header.png"), Tag.of("published_at", "1690000000"),
                Tag.of("t", "nostr"), Tag.of("t", "protocols"));
        assertThat(event.address()).contains(article.address(KEY.pubKey()));
    }

    @Test
    void isKind30024AsADraft() {
        Event draft = signAndCheck(LongFormArticle.builder().identifier("wip").content("todo").draft(true).build());
        assertThat(draft.kind()).isEqualTo(30_024);
        assertThat(draft.tags()).containsExactly(Tag.of("d", "wip"));
    }

    @Test
    void endsWithExtraTagsAndTheExpiration() {
        Event event = signAndCheck(LongFormArticle.builder().identifier("x").content("text")
                .tag(Tag.of("alt", "an article")).expiration(2_000_000_000L).build());
        assertThat(event.tags()).containsExactly(Tag.of("d", "x"), Tag.of("alt", "an article"),
                Tag.of("expiration", "2000000000"));
    }

    @Test
    void requiresAnIdentifier() {
        assertThatThrownBy(() -> LongFormArticle.builder().content(MARKDOWN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("identifier (the d tag) is required");
        assertThatThrownBy(() -> LongFormArticle.builder().identifier(" ").content(MARKDOWN).build())
                .hasMessageStartingWith("identifier (the d tag) is required");
    }

    @Test
    void requiresTextAndRejectsBlankOrNegativeFields() {
        assertThatThrownBy(() -> LongFormArticle.builder().identifier("x").build())
                .hasMessageStartingWith("content must not be blank");
        assertThatThrownBy(() -> LongFormArticle.builder().identifier("x").content("t").title("").build())
                .hasMessageStartingWith("title must not be blank");
        assertThatThrownBy(() -> LongFormArticle.builder().identifier("x").content("t").publishedAt(-5).build())
                .hasMessageStartingWith("published_at must be seconds since the Unix epoch");
    }
}
