package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.nonNegative;
import static dev.nostrgate.core.content.ContentChecks.present;

import dev.nostrgate.core.event.Tag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Any kind, tags and content, for kinds without a record of their own. Only NIP-01's rules are checked.
 *
 * <pre>{@code
 * GenericContent status = GenericContent.builder().kind(30_315).tag(Tag.of("d", "general"))
 *         .content("Working").build();
 * }</pre>
 */
public record GenericContent(int kind, List<Tag> tags, String content) implements EventContent {

    public GenericContent {
        check(kind >= 0 && kind <= 65_535, "kind must be 0..65535, was " + kind);
        tags = listOf(tags, "tags");
        present(content, "content");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects an event's parts; {@link #build()} checks them. */
    public static final class Builder {
        private static final int UNSET = Integer.MIN_VALUE;

        private int kind = UNSET;
        private final List<Tag> tags = new ArrayList<>();
        private String content = "";
        private OptionalLong expiration = OptionalLong.empty();

        private Builder() {
        }

        /** The kind, 0–65535 (required). */
        public Builder kind(int kind) {
            this.kind = kind;
            return this;
        }

        /** Adds a tag. */
        public Builder tag(Tag tag) {
            tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** Adds tags, in order. */
        public Builder tags(Collection<Tag> tags) {
            tags.forEach(this::tag);
            return this;
        }

        /** The content; empty unless set. */
        public Builder content(String content) {
            this.content = content;
            return this;
        }

        /** NIP-40: relays may drop the event after this time (seconds since the epoch); written as the last tag. */
        public Builder expiration(long expiresAt) {
            this.expiration = OptionalLong.of(expiresAt);
            return this;
        }

        /**
         * The content.
         *
         * @throws IllegalArgumentException naming the field, if the kind is missing or out of range, ...
         */
        public GenericContent build() {
            check(kind != UNSET, "kind is required: 0..65535");
            nonNegative(expiration, "expiration");
            return new GenericContent(kind, new TagList().addAll(tags).expiration(expiration).toList(), content);
        }
    }
}
