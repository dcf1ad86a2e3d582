package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.SignedContent.signAndCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import org.junit.jupiter.api.Test;

class ContactsContentTest {
    private static final PubKey ALICE = new PubKey("a".repeat(64));
    private static final PubKey BOB = new PubKey("b".repeat(64));
    private static final PubKey CAROL = new PubKey("c".repeat(64));

    @Test
    void isAKindThreeEventWithOnePTagPerContactInOrder() {
        Event event = signAndCheck(Contacts.builder()
                .contact(ALICE)
                .contact(BOB, "wss://bob.example.com", "bob")
                .contact(CAROL, "", "carol")
                .build());

        assertThat(event.kind()).isEqualTo(3);
        assertThat(event.content()).isEmpty();
        assertThat(event.tags()).containsExactly(
                Tag.of("p", ALICE.hex()),
                Tag.of("p", BOB.hex(), "wss://bob.example.com", "bob"),
                Tag.of("p", CAROL.hex(), "", "carol"));
    }

    @Test
    void mayFollowNoOne() {
        assertThat(signAndCheck(Contacts.builder().build()).tags()).isEmpty();
    }

    @Test
    void rejectsAContactListedTwice() {
        assertThatThrownBy(() -> Contacts.builder().contact(ALICE).contact(ALICE, "", "again").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contacts must list each pubkey once; " + ALICE.hex() + " appears twice");
    }

    @Test
    void rejectsARelayThatIsNotAWebSocketUrl() {
        assertThatThrownBy(() -> Contacts.builder().contact(ALICE, "relay.example.com", "").build())
                .hasMessageStartingWith("contact relay hint must be a ws:// or wss:// URL");
    }
}
