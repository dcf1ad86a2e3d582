package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.CREATED_AT;
import static dev.nostrgate.core.content.SignedContent.KEY;
import static dev.nostrgate.core.content.SignedContent.OTHER_KEY;
import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.PubKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextContentTest {
    private static final PubKey CAROL = new PubKey("c".repeat(64));
    private static final String RELAY = "wss://relay.example.com";

    @Test
    void isAKindOneNoteWithItsText() {
        Event event = signAndCheck(TextContent.builder().content("hello \"world\"\n🌍").build());
        assertThat(event.kind()).isEqualTo(1);
        assertThat(event.content()).isEqualTo("hello \"world\"\n🌍");
        assertThat(event.tags()).isEmpty();
    }

    @Test
    void answersTheFirstNoteOfAThreadByNamingItAsRootOnly() {
        Event parent = TextContent.builder().content("gm").build().sign(OTHER_KEY, CREATED_AT);

        Event reply = signAndCheck(TextContent.builder().content("gm!").inReplyTo(parent, RELAY).build());

        assertThat(reply.tags()).containsExactly(
                Tag.of("e", parent.id().hex(), RELAY, "root", OTHER_KEY.pubKey().hex()),
                Tag.of("p", OTHER_KEY.pubKey().hex()));
    }

    @Test
    void answersANoteInsideAThreadWithItsRootAndEveryoneItMentions() {
        Event root = TextContent.builder().content("a question").build().sign(KEY, CREATED_AT);
        Event parent = TextContent.builder().content("an answer").inReplyTo(root, RELAY).mention(CAROL).build()
                .sign(OTHER_KEY, CREATED_AT + 1);

        Event reply = signAndCheck(TextContent.builder().content("thanks").inReplyTo(parent).build());

        assertThat(reply.tags()).containsExactly(
                Tag.of("e", root.id().hex(), RELAY, "root", KEY.pubKey().hex()),
                Tag.of("e", parent.id().hex(), "", "reply", OTHER_KEY.pubKey().hex()),
                Tag.of("p", OTHER_KEY.pubKey().hex()),
                Tag.of("p", KEY.pubKey().hex()),
                Tag.of("p", CAROL.hex()));
    }

    @Test
    void takesTheFirstETagAsRootWhenTheParentUsesOldPositionalTags() {
        String threadRoot = "1".repeat(64);
        Event parent = new UnsignedEvent(OTHER_KEY.pubKey(), CREATED_AT, 1,
                List.of(Tag.of("e", threadRoot), Tag.of("e", "2".repeat(64), "not a relay url")), "old style")
                .sign(OTHER_KEY);

        TextContent reply = TextContent.builder().content("hi").inReplyTo(parent).build();

        assertThat(reply.root()).contains(EventPointer.of(new EventId(threadRoot)));
        assertThat(reply.reply()).contains(EventPointer.of(parent));
    }

    @Test
    void writesMentionsOnceAndHashtagsLowercaseWithoutTheHash() {
        TextContent content = TextContent.builder().content("#Nostr is fun @carol")
                .mention(CAROL, RELAY).mention(CAROL).hashtag("#Nostr").hashtag("nostr").hashtag("Fun")
                .build();

        assertThat(signAndCheck(content).tags()).containsExactly(
                Tag.of("p", CAROL.hex(), RELAY), Tag.of("t", "nostr"), Tag.of("t", "fun"));
    }

    @Test
    void writesExtraTagsThenTheExpirationLast() {
        Event event = signAndCheck(TextContent.builder().content("soon gone").hashtag("tmp")
                .tag(Tag.of("client", "nostrgate")).expiration(CREATED_AT + 3_600).build());

        assertThat(event.tags()).containsExactly(Tag.of("t", "tmp"), Tag.of("client", "nostrgate"),
                Tag.of("expiration", Long.toString(CREATED_AT + 3_600)));
        assertThat(event.expiration()).hasValue(CREATED_AT + 3_600);
    }

    @Test
    void rejectsABlankOrMissingNote() {
        assertThatThrownBy(() -> TextContent.builder().build()).hasMessageStartingWith("content must not be blank");
        assertThatThrownBy(() -> TextContent.builder().content(" \n").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("content must not be blank");
    }

    @Test
    void rejectsAReplyWithoutItsRootOrEqualToIt() {
        EventPointer note = EventPointer.of(new EventId("1".repeat(64)));
        assertThatThrownBy(() -> TextContent.builder().content("x").reply(note).build())
                .hasMessageStartingWith("reply needs root");
        assertThatThrownBy(() -> TextContent.builder().content("x").root(note).reply(note).build())
                .hasMessageStartingWith("reply must differ from root");
    }

    @Test
    void rejectsHashtagsOfSeveralWordsAndNegativeExpiration() {
        assertThatThrownBy(() -> TextContent.builder().content("x").hashtag("two words").build())
                .hasMessageStartingWith("hashtags must be single words");
        assertThatThrownBy(() -> TextContent.builder().content("x").hashtag("#").build())
                .hasMessageStartingWith("hashtags must be single words");
        assertThatThrownBy(() -> TextContent.builder().content("x").expiration(-1).build())
                .hasMessageStartingWith("expiration must be seconds since the Unix epoch");
    }

    @Test
    void rejectsARelayHintThatIsNotAWebSocketUrl() {
        assertThatThrownBy(() -> TextContent.builder().content("x").mention(CAROL, "https://example.com").build())
                .hasMessageStartingWith("relay hint must be a ws:// or wss:// URL");
    }

    @Test
    void isAValueThatCannotBeMadeInvalidWithoutTheBuilder() {
        assertThatThrownBy(() -> new TextContent("x", Optional.empty(), Optional.empty(), List.of(), List.of(),
                List.of(), null)).hasMessageStartingWith("expiration must not be null");
    }
}
