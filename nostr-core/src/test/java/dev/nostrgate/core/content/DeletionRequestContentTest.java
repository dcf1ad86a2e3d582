package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.CREATED_AT;
import static dev.nostrgate.core.content.SignedContent.KEY;
import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Tag;
import org.junit.jupiter.api.Test;

class DeletionRequestContentTest {
    private static final Event NOTE = TextContent.builder().content("oops").build().sign(KEY, CREATED_AT);
    private static final Event OTHER_NOTE = TextContent.builder().content("oops again").build().sign(KEY, CREATED_AT);
    private static final Event ARTICLE = LongFormArticle.builder().identifier("draft-1").content("text").build()
            .sign(KEY, CREATED_AT);

    @Test
    void isAKindFiveEventNamingIdsAddressesAndKindsWithTheReasonAsContent() {
        Event request = signAndCheck(DeletionRequest.builder()
                .event(NOTE).event(OTHER_NOTE).event(ARTICLE).reason("posted by mistake").build());

        String article = "30023:" + KEY.pubKey().hex() + ":draft-1";
        assertThat(request.kind()).isEqualTo(5);
        assertThat(request.content()).isEqualTo("posted by mistake");
        assertThat(request.tags()).containsExactly(
                Tag.of("e", NOTE.id().hex()), Tag.of("e", OTHER_NOTE.id().hex()), Tag.of("e", ARTICLE.id().hex()),
                Tag.of("a", article),
                Tag.of("k", "1"), Tag.of("k", "30023"));
    }

    @Test
    void deletesByAddressAloneWithAnEmptyReason() {
        Address address = new Address(30_023, KEY.pubKey(), "draft-1");
        Event request = signAndCheck(DeletionRequest.builder().address(address).address(address).build());

        assertThat(request.content()).isEmpty();
        assertThat(request.tags()).containsExactly(Tag.of("a", address.toString()), Tag.of("k", "30023"));
    }

    @Test
    void deletesByIdWithAKindGivenSeparately() {
        DeletionRequest request = DeletionRequest.builder().event(new EventId("1".repeat(64))).kind(7).build();
        assertThat(signAndCheck(request).tags()).containsExactly(Tag.of("e", "1".repeat(64)), Tag.of("k", "7"));
    }

    @Test
    void rejectsARequestThatNamesNothing() {
        assertThatThrownBy(() -> DeletionRequest.builder().reason("why not").kind(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("event ids or addresses: a deletion request names at least one");
    }

    @Test
    void rejectsAKindOutOfRange() {
        assertThatThrownBy(() -> DeletionRequest.builder().event(NOTE).kind(-1).build())
                .hasMessage("kinds must be 0..65535, was -1");
    }
}
