package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.notBlankIfPresent;

import dev.nostrgate.core.event.JsonText;
import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile (kind 0, NIP-01 and NIP-24): the content is a JSON object of the fields that are set, in the order of
 * the components, escaped as NIP-01 prescribes. A replaceable event: the newest one is the profile.
 *
 * <p>No expiration: a profile that expires leaves its author with none.
 *
 * @param nip05 a NIP-05 identifier, {@code name@domain}
 * @param lud16 a lightning address, {@code name@domain}
 * @param picture URL of the avatar, absolute
 * @param banner URL of a wide image shown behind the profile, absolute
 * @param website absolute URL
 */
public record Metadata(Optional<String> name, Optional<String> displayName, Optional<String> about,
        Optional<String> picture, Optional<String> banner, Optional<String> website, Optional<String> nip05,
        Optional<String> lud16, List<Tag> extraTags) implements EventContent {
    public static final int KIND = Kinds.METADATA;

    public Metadata {
        notBlankIfPresent(name, "name");
        notBlankIfPresent(displayName, "display_name");
        notBlankIfPresent(about, "about");
        url(picture, "picture");
        url(banner, "banner");
        url(website, "website");
        internetIdentifier(nip05, "nip05", "a NIP-05 identifier such as bob@example.com");
        internetIdentifier(lud16, "lud16", "a lightning address such as bob@wallet.example");
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
        return extraTags;
    }

    /** The profile as a compact JSON object, for example {@code {"name":"bob","about":"…"}}. */
    @Override
    public String content() {
        StringBuilder json = new StringBuilder(128).append('{');
        field(json, "name", name);
        field(json, "display_name", displayName);
        field(json, "about", about);
        field(json, "picture", picture);
        field(json, "banner", banner);
        field(json, "website", website);
        field(json, "nip05", nip05);
        field(json, "lud16", lud16);
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String key, Optional<String> value) {
        if (value.isPresent()) {
            if (json.length() > 1) {
                json.append(',');
            }
            JsonText.appendQuoted(json, key).append(':');
            JsonText.appendQuoted(json, value.get());
        }
    }

    private static void url(Optional<String> value, String field) {
        notBlankIfPresent(value, field);
        value.ifPresent(url -> check(isAbsoluteUrl(url),
                field + " must be an absolute URL such as https://example.com/bob.png, was '" + url + "'"));
    }

    private static boolean isAbsoluteUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void internetIdentifier(Optional<String> value, String field, String example) {
        notBlankIfPresent(value, field);
        value.ifPresent(id -> {
            int at = id.indexOf('@');
            check(at > 0 && at == id.lastIndexOf('@') && at < id.length() - 1
                            && id.indexOf('.', at) > at + 1 && id.chars().noneMatch(Character::isWhitespace),
                    field + " must be " + example + ", was '" + id + "'");
        });
    }

    /** Collects profile fields; {@link #build()} checks them. Fields never set are left out of the JSON. */
    public static final class Builder {
        private String name;
        private String displayName;
        private String about;
        private String picture;
        private String banner;
        private String website;
        private String nip05;
        private String lud16;
        private final List<Tag> extraTags = new ArrayList<>();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** NIP-24 {@code display_name}: a longer name, with any characters. */
        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public Builder about(String about) {
            this.about = about;
            return this;
        }

        /** URL of the avatar. */
        public Builder picture(String picture) {
            this.picture = picture;
            return this;
        }

        /** URL of a wide image shown behind the profile. */
        public Builder banner(String banner) {
            this.banner = banner;
            return this;
        }

        public Builder website(String website) {
            this.website = website;
            return this;
        }

        /** NIP-05 identifier, {@code name@domain}. */
        public Builder nip05(String nip05) {
            this.nip05 = nip05;
            return this;
        }

        /** Lightning address (LUD-16), {@code name@domain}. */
        public Builder lud16(String lud16) {
            this.lud16 = lud16;
            return this;
        }

        /** Any other tag. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /**
         * The profile.
         *
         * @throws IllegalArgumentException naming the field, if a value is blank, a URL is not absolute, ...
         */
        public Metadata build() {
            return new Metadata(Optional.ofNullable(name), Optional.ofNullable(displayName),
                    Optional.ofNullable(about), Optional.ofNullable(picture), Optional.ofNullable(banner),
                    Optional.ofNullable(website), Optional.ofNullable(nip05), Optional.ofNullable(lud16), extraTags);
        }
    }
}
