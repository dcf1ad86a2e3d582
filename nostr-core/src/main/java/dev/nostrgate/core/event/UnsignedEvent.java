package dev.nostrgate.core.event;

import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import java.util.List;

/**
 * An event before signing: everything that goes into the id. {@link #sign(SecKey)} computes the id and signs it;
 * {@link #withSignature} attaches a signature made elsewhere (a remote signer, NIP-46).
 */
public record UnsignedEvent(PubKey pubkey, long createdAt, int kind, List<Tag> tags, String content) {
    public UnsignedEvent {
        if (pubkey == null || tags == null || content == null) {
            throw new IllegalArgumentException("an event needs a pubkey, tags and content (may be empty)");
        }
        if (createdAt < 0) {
            throw new IllegalArgumentException("created_at must not be negative, was " + createdAt);
        }
        if (kind < 0 || kind > 65_535) {
            throw new IllegalArgumentException("kind must be 0..65535, was " + kind);
        }
        tags = List.copyOf(tags);
    }

    /** The id this event will have. */
    public EventId id() {
        return CanonicalSerialization.id(pubkey, createdAt, kind, tags, content);
    }

    /**
     * Signs with the key.
     *
     * @throws IllegalArgumentException if the key is not the one of {@link #pubkey()}
     */
    public Event sign(SecKey key) {
        if (!key.pubKey().equals(pubkey)) {
            throw new IllegalArgumentException("the key does not belong to the event's pubkey " + pubkey);
        }
        EventId id = id();
        return new Event(id, pubkey, createdAt, kind, tags, content, dev.nostrgate.core.Hex.encode(key.sign(id.toBytes())));
    }

    /** The signed event with a signature made elsewhere (not checked here: verify it with {@link EventVerifier}). */
    public Event withSignature(String sigHex) {
        return new Event(id(), pubkey, createdAt, kind, tags, content, sigHex);
    }
}
