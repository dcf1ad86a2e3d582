package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.normalizedHashtags;
import static dev.nostrgate.core.content.ContentChecks.isRelayHint;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.nonNegative;
import static dev.nostrgate.core.content.ContentChecks.present;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A short text note (kind 1, NIP-01), optionally a reply in a thread (NIP-10 marked {@code e} tags), with
 * {@code p} mentions and {@code t} hashtags.
 *
 * <pre>{@code
 * TextContent reply = TextContent.builder().content("agreed").inReplyTo(parent).hashtag("nostr").build();
 * }</pre>
 *
 * @param content the note's text, not blank
 * @param root the first note of the thread this one replies in
 * @param reply the note this one answers, when that is not the root (then {@code root} is present too)
 * @param mentions people notified, one {@code p} tag each
 * @param hashtags lowercase, without {@code #}
 * @param extraTags written after the tags above
 * @param expiration NIP-40: when relays may drop the note, in seconds since the epoch
 */
public record TextContent(String content, Optional<EventPointer> root, Optional<EventPointer> reply,
        List<ProfilePointer> mentions, List<String> hashtags, List<Tag> extraTags, OptionalLong expiration)
        implements EventContent {
    public static final int KIND = Kinds.TEXT_NOTE;

    public TextContent {
        check(content != null && !content.isBlank(), "content must not be blank: a text note needs text");
        present(root, "root");
        present(reply, "reply");
        check(reply.isEmpty() || root.isPresent(), "reply needs root: a reply inside a thread names the thread's "
                + "first note as root; to answer the first note itself, set only root");
        check(reply.isEmpty() || !reply.get().id().equals(root.get().id()),
                "reply must differ from root: to answer the first note of a thread, set only root");
        mentions = listOf(mentions, "mentions");
        hashtags = normalizedHashtags(hashtags, "hashtags");
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
        TagList tags = new TagList();
        root.ifPresent(pointer -> tags.add(threadTag(pointer, "root")));
        reply.ifPresent(pointer -> tags.add(threadTag(pointer, "reply")));
        mentions.forEach(mention -> tags.add(mention.tag()));
        hashtags.forEach(hashtag -> tags.add("t", hashtag));
        return tags.addAll(extraTags).expiration(expiration).toList();
    }

    /** NIP-10: {@code ["e", id, relay, marker, pubkey]}, the pubkey only when known. */
    private static Tag threadTag(EventPointer pointer, String marker) {
        return pointer.author()
                .map(author -> Tag.of("e", pointer.id().hex(), pointer.relayHint(), marker, author.hex()))
                .orElseGet(() -> Tag.of("e", pointer.id().hex(), pointer.relayHint(), marker));
    }

    /** Collects a note's parts; {@link #build()} checks them. */
    public static final class Builder {
        private String content;
        private EventPointer root;
        private EventPointer reply;
        private final Map<PubKey, ProfilePointer> mentions = new LinkedHashMap<>();
        private final List<String> hashtags = new ArrayList<>();
        private final List<Tag> extraTags = new ArrayList<>();
        private OptionalLong expiration = OptionalLong.empty();

        private Builder() {
        }

        /** The note's text. */
        public Builder content(String content) {
            this.content = content;
            return this;
        }

        /** The first note of the thread. Alone, it makes this note a direct reply to that note. */
        public Builder root(EventPointer root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** The note answered, inside a thread whose {@link #root} is another note. */
        public Builder reply(EventPointer reply) {
            this.reply = Objects.requireNonNull(reply, "reply");
            return this;
        }

        /** Answers a note: see {@link #inReplyTo(Event, String)}; no relay hint. */
        public Builder inReplyTo(Event parent) {
            return inReplyTo(parent, "");
        }

        /**
         * Answers a note the way NIP-10 says: the parent's thread root (its {@code root} marked {@code e} tag, or
         * the first {@code e} tag of an older unmarked note) becomes the root and the parent the reply; a parent
         * without one is itself the root. The parent's author and everyone it mentions are mentioned.
         *
         * @param relayHint where the parent can be found, or empty
         */
        public Builder inReplyTo(Event parent, String relayHint) {
            EventPointer parentPointer = EventPointer.of(parent, relayHint);
            Optional<EventPointer> threadRoot = threadRootOf(parent);
            if (threadRoot.isPresent() && !threadRoot.get().id().equals(parent.id())) {
                root = threadRoot.get();
                reply = parentPointer;
            } else {
                root = parentPointer;
                reply = null;
            }
            mention(parent.pubkey());
            for (Tag tag : parent.tags()) {
                if (tag.name().equals("p") && Hex.isLowercaseHex(tag.value(), 64)) {
                    mention(new PubKey(tag.value()));
                }
            }
            return this;
        }

        /** Notifies a person (a {@code p} tag). Mentioning someone twice keeps the first mention. */
        public Builder mention(PubKey pubkey) {
            return mention(ProfilePointer.of(pubkey));
        }

        /** Notifies a person and says where they publish. */
        public Builder mention(PubKey pubkey, String relayHint) {
            return mention(new ProfilePointer(pubkey, relayHint));
        }

        public Builder mention(ProfilePointer mention) {
            mentions.putIfAbsent(mention.pubkey(), mention);
            return this;
        }

        /** A topic (a {@code t} tag), with or without the {@code #}; written lowercase. */
        public Builder hashtag(String hashtag) {
            hashtags.add(Objects.requireNonNull(hashtag, "hashtag"));
            return this;
        }

        /** Any other tag, written after the ones above. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** NIP-40: relays may drop the note after this time (seconds since the epoch). */
        public Builder expiration(long expiresAt) {
            this.expiration = OptionalLong.of(expiresAt);
            return this;
        }

        /**
         * The note.
         *
         * @throws IllegalArgumentException naming the field, if the content is blank, a reply has no root, ...
         */
        public TextContent build() {
            return new TextContent(content, Optional.ofNullable(root), Optional.ofNullable(reply),
                    List.copyOf(mentions.values()), hashtags, extraTags, expiration);
        }

        private static Optional<EventPointer> threadRootOf(Event parent) {
            List<Tag> eTags = parent.tags().stream().filter(t -> t.name().equals("e")).toList();
            for (Tag tag : eTags) {
                if (tag.values().size() >= 4 && tag.values().get(3).equals("root")) {
                    return pointerIn(tag);
                }
            }
            boolean positional = eTags.stream().allMatch(t -> t.values().size() < 4 || t.values().get(3).isEmpty());
            return positional && !eTags.isEmpty() ? pointerIn(eTags.get(0)) : Optional.empty();
        }

        /** The pointer an {@code e} tag of someone else's event holds; hints that are not relay URLs are dropped. */
        private static Optional<EventPointer> pointerIn(Tag tag) {
            List<String> values = tag.values();
            if (!Hex.isLowercaseHex(tag.value(), 64)) {
                return Optional.empty();
            }
            String hint = values.size() >= 3 && isRelayHint(values.get(2)) ? values.get(2) : "";
            Optional<PubKey> author = values.size() >= 5 && Hex.isLowercaseHex(values.get(4), 64)
                    ? Optional.of(new PubKey(values.get(4))) : Optional.empty();
            return Optional.of(new EventPointer(new EventId(tag.value()), hint, author));
        }
    }
}
