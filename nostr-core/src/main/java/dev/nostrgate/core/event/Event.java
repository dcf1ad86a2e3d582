package dev.nostrgate.core.event;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.key.PubKey;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Nostr event (NIP-01): immutable, and well-formed by construction. Whether its id and signature are right is a
 * separate question, answered by {@link EventVerifier}: a value of this type may be a forgery until verified.
 *
 * <p>Read one from JSON with {@link EventJson#parse(String)}; write it with {@link #toJson()}; make one with
 * {@link UnsignedEvent#sign} or a content builder.
 *
 * @param createdAt seconds since the Unix epoch, never negative
 * @param kind 0–65535
 * @param sig the BIP-340 signature of the id, 128 lowercase hex characters
 */
public record Event(EventId id, PubKey pubkey, long createdAt, int kind, List<Tag> tags, String content, String sig) {
    /** Tag name of NIP-40 expiration. */
    public static final String EXPIRATION_TAG = "expiration";

    public Event {
        if (id == null || pubkey == null || tags == null || content == null) {
            throw new IllegalArgumentException("an event needs an id, a pubkey, tags and content (may be empty)");
        }
        if (createdAt < 0) {
            throw new IllegalArgumentException("created_at must not be negative, was " + createdAt);
        }
        if (kind < 0 || kind > 65_535) {
            throw new IllegalArgumentException("kind must be 0..65535, was " + kind);
        }
        if (!Hex.isLowercaseHex(sig, 128)) {
            throw new IllegalArgumentException("sig must be 128 lowercase hex characters");
        }
        tags = List.copyOf(tags);
    }

    /** How a relay keeps this event. */
    public KindCategory category() {
        return KindCategory.of(kind);
    }

    /** The value of the first tag with this name (its second element), if there is one with a value. */
    public Optional<String> firstTagValue(String name) {
        for (Tag tag : tags) {
            if (tag.values().size() >= 2 && tag.name().equals(name)) {
                return Optional.of(tag.value());
            }
        }
        return Optional.empty();
    }

    /** The values of every tag with this name, in order. */
    public List<String> tagValues(String name) {
        return tags.stream().filter(t -> t.values().size() >= 2 && t.name().equals(name)).map(Tag::value).toList();
    }

    /** The {@code d} tag's value, or the empty string: the identifier of an addressable event. */
    public String identifier() {
        return firstTagValue("d").orElse("");
    }

    /** The address of a replaceable or addressable event. */
    public Optional<Address> address() {
        return switch (category()) {
            case REPLACEABLE -> Optional.of(new Address(kind, pubkey, ""));
            case ADDRESSABLE -> Optional.of(new Address(kind, pubkey, identifier()));
            case REGULAR, EPHEMERAL -> Optional.empty();
        };
    }

    /**
     * The NIP-40 expiration time, if the event has a well-formed {@code expiration} tag. A malformed value (not a
     * decimal integer) is treated as absent, as most relays do.
     */
    public OptionalLong expiration() {
        Optional<String> value = firstTagValue(EXPIRATION_TAG);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get()));
        } catch (NumberFormatException malformed) {
            return OptionalLong.empty();
        }
    }

    /** The NIP-01 id pre-image {@code [0,pubkey,created_at,kind,tags,content]}. */
    public String canonicalSerialization() {
        return CanonicalSerialization.serialize(pubkey, createdAt, kind, tags, content);
    }

    /** The wire JSON object, compact, with NIP-01 escaping. */
    public String toJson() {
        return EventJson.write(this);
    }
}
