package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.CREATED_AT;
import static dev.nostrgate.core.content.SignedContent.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventContentTest {
    private static final String PRIVATE_KEY_HEX = KEY.toHex();

    @Test
    void theDesignExampleWorksAsWritten() {
        long before = Instant.now().getEpochSecond();

        final TextContent content = TextContent.builder().content("hello world").build();
        final SecKey key = new SecKey(Hex.decode(PRIVATE_KEY_HEX));
        final Event event = content.sign(key);

        long after = Instant.now().getEpochSecond();
        assertThat(event.kind()).isEqualTo(1);
        assertThat(event.content()).isEqualTo("hello world");
        assertThat(event.tags()).isEmpty();
        assertThat(event.pubkey()).isEqualTo(key.pubKey());
        assertThat(event.createdAt()).isBetween(before, after);
        assertThat(new EventVerifier().problem(event)).isEmpty();
    }

    @Test
    void signsAtTheTimeGiven() {
        Event event = TextContent.builder().content("gm").build().sign(KEY, CREATED_AT);
        assertThat(event.createdAt()).isEqualTo(CREATED_AT);
    }

    @Test
    void givesTheUnsignedEventForASignerElsewhere() {
        TextContent content = TextContent.builder().content("gm").build();
        UnsignedEvent unsigned = content.unsigned(KEY.pubKey(), CREATED_AT);

        assertThat(unsigned).isEqualTo(new UnsignedEvent(KEY.pubKey(), CREATED_AT, 1, List.of(), "gm"));
        assertThat(unsigned.id()).isEqualTo(content.sign(KEY, CREATED_AT).id());
    }

    @Test
    void refusesToSignForAnotherAuthor() {
        PubKey someoneElse = SignedContent.OTHER_KEY.pubKey();
        UnsignedEvent unsigned = TextContent.builder().content("gm").build().unsigned(someoneElse, CREATED_AT);
        assertThatThrownBy(() -> unsigned.sign(KEY)).hasMessageContaining("does not belong");
    }

    @Test
    void isEasyToImplementForAKindOfOnesOwn() {
        EventContent status = new EventContent() {
            @Override
            public int kind() {
                return 30_315;
            }

            @Override
            public List<Tag> tags() {
                return List.of(Tag.of("d", "general"));
            }

            @Override
            public String content() {
                return "working";
            }
        };
        assertThat(SignedContent.signAndCheck(status).identifier()).isEqualTo("general");
    }
}
