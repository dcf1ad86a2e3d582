package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.present;
import static dev.nostrgate.core.content.ContentChecks.checkRelayHint;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import java.util.Optional;

/**
 * Where to find an event another event refers to, as NIP-10 replies and NIP-25 reactions write it in an {@code e}
 * tag: the id, a relay that has it, and its author.
 *
 * @param relayHint a {@code ws://} or {@code wss://} URL, or the empty string for none
 * @param author the referenced event's author, if known
 */
public record EventPointer(EventId id, String relayHint, Optional<PubKey> author) {
    public EventPointer {
        present(id, "event pointer id");
        checkRelayHint(relayHint, "relay hint");
        present(author, "event pointer author");
    }

    /** A pointer with only the id. */
    public static EventPointer of(EventId id) {
        return new EventPointer(id, "", Optional.empty());
    }

    /** A pointer to an event in hand: its id and author, no relay hint. */
    public static EventPointer of(Event event) {
        return of(event, "");
    }

    /** A pointer to an event in hand, found on the given relay. */
    public static EventPointer of(Event event, String relayHint) {
        return new EventPointer(event.id(), relayHint, Optional.of(event.pubkey()));
    }
}
