package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFramesTest {
    private static final SignedNotes NOTES = new SignedNotes(3, 1);

    private static Event note(List<Tag> tags) {
        return NOTES.sign(1, 1_700_000_000L, i -> tags).get(0);
    }

    @Test
    void readsTheSequenceAndSubscriptionOfACompactFrame() {
        String frame = RelayMessages.encode(new RelayMessage.EventMessage("sub-1",
                note(List.of(Tag.of("t", "x"), Tag.of("seq", "1234")))));

        assertThat(EventFrames.isEvent(frame)).isTrue();
        assertThat(EventFrames.type(frame)).isEqualTo("EVENT");
        assertThat(EventFrames.subscriptionId(frame)).hasValue("sub-1");
        assertThat(EventFrames.sequence(frame)).isEqualTo(1234);
    }

    @Test
    void readsAFrameWithSpacesThroughTheFullParser() {
        String compact = RelayMessages.encode(new RelayMessage.EventMessage("sub-1",
                note(List.of(Tag.of("seq", "77")))));
        String spaced = compact.replace("\",\"", "\", \"").replace("[\"EVENT\",", "[ \"EVENT\" , ");

        assertThat(EventFrames.isEvent(spaced)).isTrue();
        assertThat(EventFrames.subscriptionId(spaced)).hasValue("sub-1");
        assertThat(EventFrames.sequence(spaced)).isEqualTo(77);
    }

    @Test
    void doesNotTakeTextInTheContentForTheTag() {
        Event event = note(List.of());
        Event lookalike = new Event(event.id(), event.pubkey(), event.createdAt(), 1, List.of(),
                "see [\"seq\",\"5\"] here", event.sig());
        String frame = RelayMessages.encode(new RelayMessage.EventMessage("s", lookalike));

        assertThat(EventFrames.sequence(frame)).isEqualTo(-1);
    }

    @Test
    void knowsOtherMessagesAreNotEvents() {
        assertThat(EventFrames.isEvent("[\"EOSE\",\"s\"]")).isFalse();
        assertThat(EventFrames.type("[\"OK\",\"ab\",true,\"\"]")).isEqualTo("OK");
        assertThat(EventFrames.type("garbage")).isEmpty();
    }
}
