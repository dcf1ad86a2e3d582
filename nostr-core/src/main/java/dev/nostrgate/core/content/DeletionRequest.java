package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.present;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A request to delete one's own events (kind 5, NIP-09): {@code e} tags for events by id, {@code a} tags for every
 * version of a replaceable or addressable event up to the request's time, {@code k} tags for the kinds concerned,
 * and the reason as content. Relays honour it only for events of the same author.
 *
 * <p>No expiration: a deletion request that expired would let the deleted events be accepted again.
 *
 * @param kinds the kinds of the deleted events, each once
 * @param reason why, for readers; may be empty
 */
public record DeletionRequest(List<EventId> eventIds, List<Address> addresses, List<Integer> kinds, String reason,
        List<Tag> extraTags) implements EventContent {
    public static final int KIND = Kinds.DELETION;

    public DeletionRequest {
        eventIds = List.copyOf(new LinkedHashSet<>(listOf(eventIds, "event ids")));
        addresses = List.copyOf(new LinkedHashSet<>(listOf(addresses, "addresses")));
        check(!eventIds.isEmpty() || !addresses.isEmpty(),
                "event ids or addresses: a deletion request names at least one event id (e) or address (a)");
        kinds = List.copyOf(new LinkedHashSet<>(listOf(kinds, "kinds")));
        for (int kind : kinds) {
            check(kind >= 0 && kind <= 65_535, "kinds must be 0..65535, was " + kind);
        }
        present(reason, "reason");
        extraTags = listOf(extraTags, "extra tags");
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
        TagList tags = new TagList();
        eventIds.forEach(id -> tags.add("e", id.hex()));
        addresses.forEach(address -> tags.add("a", address.toString()));
        kinds.forEach(kind -> tags.add("k", Integer.toString(kind)));
        return tags.addAll(extraTags).toList();
    }

    /** The reason. */
    @Override
    public String content() {
        return reason;
    }

    /** Collects what to delete; {@link #build()} checks it. */
    public static final class Builder {
        private final List<EventId> eventIds = new ArrayList<>();
        private final List<Address> addresses = new ArrayList<>();
        private final List<Integer> kinds = new ArrayList<>();
        private String reason = "";
        private final List<Tag> extraTags = new ArrayList<>();

        private Builder() {
        }

        /** Deletes an event by id (its kind unknown: add it with {@link #kind(int)}). */
        public Builder event(EventId id) {
            eventIds.add(Objects.requireNonNull(id, "event id"));
            return this;
        }

        /**
         * Deletes an event in hand: its id and its kind; for a replaceable or addressable event also its address,
         * so that older and newer versions up to the request go too.
         */
        public Builder event(Event event) {
            event(event.id());
            event.address().ifPresent(this::address);
            return kind(event.kind());
        }

        /** Deletes every version of a replaceable or addressable event up to the request's {@code created_at}. */
        public Builder address(Address address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return kind(address.kind());
        }

        /** Names a kind of the deleted events (a {@code k} tag); given twice, written once. */
        public Builder kind(int kind) {
            kinds.add(kind);
            return this;
        }

        /** Why, for readers (the content). */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** Any other tag. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /**
         * The deletion request.
         *
         * @throws IllegalArgumentException naming the field, if nothing is named for deletion, a kind is out of
         *     range, ...
         */
        public DeletionRequest build() {
            return new DeletionRequest(eventIds, addresses, kinds, reason, extraTags);
        }
    }
}
