package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.CREATED_AT;
import static dev.nostrgate.core.content.SignedContent.OTHER_KEY;
import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReactionContentTest {
    private static final Event NOTE = TextContent.builder().content("gm").build().sign(OTHER_KEY, CREATED_AT);
    private static final String AUTHOR = OTHER_KEY.pubKey().hex();

    @Test
    void likesAnEventByDefaultNamingItsIdAuthorAndKind() {
        Event like = signAndCheck(Reaction.builder().reactTo(NOTE).build());

        assertThat(like.kind()).isEqualTo(7);
        assertThat(like.content()).isEqualTo("+");
        assertThat(like.tags()).containsExactly(
                Tag.of("e", NOTE.id().hex(), "", AUTHOR), Tag.of("p", AUTHOR), Tag.of("k", "1"));
    }

    @Test
    void reactsWithAnEmojiAndARelayHint() {
        Event reaction = signAndCheck(Reaction.builder().reactTo(NOTE, "wss://relay.example.com")
                .content("🤙").expiration(CREATED_AT + 60).build());

        assertThat(reaction.content()).isEqualTo("🤙");
        assertThat(reaction.tags()).containsExactly(
                Tag.of("e", NOTE.id().hex(), "wss://relay.example.com", AUTHOR),
                Tag.of("p", AUTHOR, "wss://relay.example.com"),
                Tag.of("k", "1"),
                Tag.of("expiration", Long.toString(CREATED_AT + 60)));
    }

    @Test
    void namesTheAddressOfAnAddressableEvent() {
        Event article = new UnsignedEvent(OTHER_KEY.pubKey(), CREATED_AT, 30_023, List.of(Tag.of("d", "why")),
                "# Why").sign(OTHER_KEY);

        Event reaction = signAndCheck(Reaction.builder().reactTo(article).build());

        assertThat(reaction.tags()).contains(Tag.of("a", "30023:" + AUTHOR + ":why"), Tag.of("k", "30023"));
    }

    @Test
    void reactsToAnEventKnownOnlyByIdAuthorAndKind() {
        Reaction reaction = Reaction.builder().target(NOTE.id(), NOTE.pubkey(), 1).content("-").build();
        assertThat(signAndCheck(reaction).tags()).isEqualTo(signAndCheck(Reaction.builder().reactTo(NOTE).build())
                .tags());
    }

    @Test
    void rejectsAReactionWithoutTarget() {
        assertThatThrownBy(() -> Reaction.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("target is required");
    }

    @Test
    void rejectsATargetWithoutAuthor() {
        assertThatThrownBy(() -> new Reaction(EventPointer.of(new EventId("1".repeat(64))), OptionalInt.empty(),
                Optional.empty(), "+", List.of(), OptionalLong.empty()))
                .hasMessageStartingWith("target author is required");
    }

    @Test
    void rejectsABlankReactionAndAKindOutOfRange() {
        assertThatThrownBy(() -> Reaction.builder().reactTo(NOTE).content(" ").build())
                .hasMessageStartingWith("content must not be blank");
        assertThatThrownBy(() -> Reaction.builder().target(NOTE.id(), NOTE.pubkey(), 65_536).build())
                .hasMessageStartingWith("target kind must be 0..65535");
    }
}
