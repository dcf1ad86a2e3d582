package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.normalizedHashtags;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.nonNegative;
import static dev.nostrgate.core.content.ContentChecks.notBlankIfPresent;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A long-form article in Markdown (kind 30023, NIP-23; kind 30024 for a draft). Addressable: the {@code d} tag
 * identifies the article among its author's, and publishing again with the same identifier replaces it.
 *
 * <pre>{@code
 * LongFormArticle article = LongFormArticle.builder().identifier("why-nostr").title("Why Nostr")
 *         .content("# Why\n...").publishedAt(1_700_000_000L).hashtag("nostr").build();
 * }</pre>
 *
 * @param identifier the {@code d} tag, not blank: usually a slug of the title
 * @param content the Markdown text, not blank
 * @param publishedAt when the article was first published (seconds since the epoch); kept across edits
 * @param image URL of a header image
 * @param draft true for kind 30024
 * @param expiration NIP-40: when relays may drop the article, in seconds since the epoch
 */
public record LongFormArticle(String identifier, String content, Optional<String> title, Optional<String> summary,
        Optional<String> image, OptionalLong publishedAt, List<String> hashtags, boolean draft, List<Tag> extraTags,
        OptionalLong expiration) implements EventContent {
    public static final int KIND = Kinds.LONG_FORM_ARTICLE;
    public static final int DRAFT_KIND = Kinds.LONG_FORM_DRAFT;

    public LongFormArticle {
        check(identifier != null && !identifier.isBlank(), "identifier (the d tag) is required: it names the "
                + "article among its author's, and publishing again with it replaces the article");
        check(content != null && !content.isBlank(), "content must not be blank: the article's Markdown text");
        notBlankIfPresent(title, "title");
        notBlankIfPresent(summary, "summary");
        notBlankIfPresent(image, "image");
        nonNegative(publishedAt, "published_at");
        hashtags = normalizedHashtags(hashtags, "hashtags");
        extraTags = listOf(extraTags, "extra tags");
        nonNegative(expiration, "expiration");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int kind() {
        return draft ? DRAFT_KIND : KIND;
    }

    @Override
    public List<Tag> tags() {
        TagList tags = new TagList().add("d", identifier)
                .addIfPresent("title", title)
                .addIfPresent("summary", summary)
                .addIfPresent("image", image);
        publishedAt.ifPresent(seconds -> tags.add("published_at", Long.toString(seconds)));
        hashtags.forEach(hashtag -> tags.add("t", hashtag));
        return tags.addAll(extraTags).expiration(expiration).toList();
    }

    /** The address of this article by that author, for {@code a} tags and NIP-09 deletions. */
    public Address address(PubKey author) {
        return new Address(kind(), author, identifier);
    }

    /** Collects an article; {@link #build()} checks it. */
    public static final class Builder {
        private String identifier;
        private String content;
        private String title;
        private String summary;
        private String image;
        private OptionalLong publishedAt = OptionalLong.empty();
        private final List<String> hashtags = new ArrayList<>();
        private boolean draft;
        private final List<Tag> extraTags = new ArrayList<>();
        private OptionalLong expiration = OptionalLong.empty();

        private Builder() {
        }

        /** The {@code d} tag (required): a stable name such as a slug; reuse it to edit the article. */
        public Builder identifier(String identifier) {
            this.identifier = identifier;
            return this;
        }

        /** The Markdown text (required). */
        public Builder content(String markdown) {
            this.content = markdown;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /** URL of a header image. */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        /** When the article was first published (seconds since the epoch); keep it when editing. */
        public Builder publishedAt(long publishedAt) {
            this.publishedAt = OptionalLong.of(publishedAt);
            return this;
        }

        /** A topic (a {@code t} tag), with or without the {@code #}; written lowercase. */
        public Builder hashtag(String hashtag) {
            hashtags.add(Objects.requireNonNull(hashtag, "hashtag"));
            return this;
        }

        /** True to save a draft (kind 30024) instead of publishing. */
        public Builder draft(boolean draft) {
            this.draft = draft;
            return this;
        }

        /** Any other tag, after the ones above. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** NIP-40: relays may drop the article after this time (seconds since the epoch). */
        public Builder expiration(long expiresAt) {
            this.expiration = OptionalLong.of(expiresAt);
            return this;
        }

        /**
         * The article.
         *
         * @throws IllegalArgumentException naming the field, if the identifier is missing, the content blank, ...
         */
        public LongFormArticle build() {
            return new LongFormArticle(identifier, content, Optional.ofNullable(title), Optional.ofNullable(summary),
                    Optional.ofNullable(image), publishedAt, hashtags, draft, extraTags, expiration);
        }
    }
}
