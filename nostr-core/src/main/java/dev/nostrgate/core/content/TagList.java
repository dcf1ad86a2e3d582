package dev.nostrgate.core.content;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The tags of a content record, added in the order they are written; extra tags and expiration come last. */
final class TagList {
    private final List<Tag> tags = new ArrayList<>();

    TagList add(String... values) {
        tags.add(Tag.of(values));
        return this;
    }

    TagList add(Tag tag) {
        tags.add(tag);
        return this;
    }

    /** Adds {@code [name, value]} if the value is present. */
    TagList addIfPresent(String name, Optional<String> value) {
        value.ifPresent(v -> add(name, v));
        return this;
    }

    TagList addAll(List<Tag> extra) {
        tags.addAll(extra);
        return this;
    }

    /** Adds the NIP-40 {@code expiration} tag if there is one. */
    TagList expiration(OptionalLong at) {
        at.ifPresent(seconds -> add(Event.EXPIRATION_TAG, Long.toString(seconds)));
        return this;
    }

    List<Tag> toList() {
        return List.copyOf(tags);
    }
}
