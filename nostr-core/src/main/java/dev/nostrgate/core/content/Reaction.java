package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.nonNegative;
import static dev.nostrgate.core.content.ContentChecks.present;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A reaction to an event (kind 7, NIP-25): {@code "+"} (a like, the default), {@code "-"}, or an emoji. Tags name
 * the reacted event ({@code e}), its author ({@code p}), its address when it has one ({@code a}) and its kind
 * ({@code k}).
 *
 * <pre>{@code
 * Event like = Reaction.builder().reactTo(note).build().sign(key);
 * }</pre>
 *
 * @param target the reacted event; its author is required
 * @param targetKind the reacted event's kind, for the {@code k} tag
 * @param targetAddress the reacted event's address, when it is replaceable or addressable
 * @param expiration NIP-40: when relays may drop the reaction, in seconds since the epoch
 */
public record Reaction(EventPointer target, OptionalInt targetKind, Optional<Address> targetAddress, String content,
        List<Tag> extraTags, OptionalLong expiration) implements EventContent {
    public static final int KIND = Kinds.REACTION;
    public static final String LIKE = "+";
    public static final String DISLIKE = "-";

    public Reaction {
        check(target != null, "target is required: the reacted event, set with reactTo(event) or "
                + "target(id, author, kind)");
        check(target.author().isPresent(),
                "target author is required: a reaction names the reacted event's author in a p tag (NIP-25)");
        present(targetKind, "target kind");
        targetKind.ifPresent(kind -> check(kind >= 0 && kind <= 65_535,
                "target kind must be 0..65535, was " + kind));
        present(targetAddress, "target address");
        check(content != null && !content.isBlank(),
                "content must not be blank: \"+\" (like), \"-\" (dislike) or an emoji");
        extraTags = listOf(extraTags, "extra tags");
        nonNegative(expiration, "expiration");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public List<Tag> tags() {
        String author = target.author().orElseThrow().hex();
        String hint = target.relayHint();
        TagList tags = new TagList().add("e", target.id().hex(), hint, author);
        tags.add(hint.isEmpty() ? Tag.of("p", author) : Tag.of("p", author, hint));
        targetAddress.ifPresent(address -> tags.add(hint.isEmpty()
                ? Tag.of("a", address.toString()) : Tag.of("a", address.toString(), hint)));
        targetKind.ifPresent(kind -> tags.add("k", Integer.toString(kind)));
        return tags.addAll(extraTags).expiration(expiration).toList();
    }

    /** Collects a reaction; {@link #build()} checks it. */
    public static final class Builder {
        private EventPointer target;
        private OptionalInt targetKind = OptionalInt.empty();
        private Optional<Address> targetAddress = Optional.empty();
        private String content = LIKE;
        private final List<Tag> extraTags = new ArrayList<>();
        private OptionalLong expiration = OptionalLong.empty();

        private Builder() {
        }

        /** Reacts to an event in hand: its id, author, kind, and address if it has one. */
        public Builder reactTo(Event event) {
            return reactTo(event, "");
        }

        /** Reacts to an event in hand, found on the given relay. */
        public Builder reactTo(Event event, String relayHint) {
            target = EventPointer.of(event, relayHint);
            targetKind = OptionalInt.of(event.kind());
            targetAddress = event.address();
            return this;
        }

        /** Reacts to an event known by id, author and kind (no address, no relay hint). */
        public Builder target(EventId id, PubKey author, int kind) {
            target = new EventPointer(id, "", Optional.of(author));
            targetKind = OptionalInt.of(kind);
            targetAddress = Optional.empty();
            return this;
        }

        /** {@code "+"} (the default), {@code "-"}, or an emoji. */
        public Builder content(String content) {
            this.content = content;
            return this;
        }

        /** Any other tag, such as a NIP-30 {@code emoji} tag for a {@code :shortcode:} content. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** NIP-40: relays may drop the reaction after this time (seconds since the epoch). */
        public Builder expiration(long expiresAt) {
            this.expiration = OptionalLong.of(expiresAt);
            return this;
        }

        /**
         * The reaction.
         *
         * @throws IllegalArgumentException naming the field, if there is no target, the content is blank, ...
         */
        public Reaction build() {
            return new Reaction(target, targetKind, targetAddress, content, extraTags, expiration);
        }
    }
}
