package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.present;
import static dev.nostrgate.core.content.ContentChecks.checkRelayHint;

import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;

/**
 * A person an event mentions, as a {@code p} tag writes it: the pubkey and a relay where they publish.
 *
 * @param relayHint a {@code ws://} or {@code wss://} URL, or the empty string for none
 */
public record ProfilePointer(PubKey pubkey, String relayHint) {
    public ProfilePointer {
        present(pubkey, "mentioned pubkey");
        checkRelayHint(relayHint, "relay hint");
    }

    /** A mention without a relay hint. */
    public static ProfilePointer of(PubKey pubkey) {
        return new ProfilePointer(pubkey, "");
    }

    /** The {@code p} tag: {@code ["p", pubkey]}, or {@code ["p", pubkey, relay]} with a hint. */
    Tag tag() {
        return relayHint.isEmpty() ? Tag.of("p", pubkey.hex()) : Tag.of("p", pubkey.hex(), relayHint);
    }
}
