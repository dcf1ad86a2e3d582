package dev.nostrgate.core.content;

import static dev.nostrgate.core.content.ContentChecks.check;
import static dev.nostrgate.core.content.ContentChecks.listOf;
import static dev.nostrgate.core.content.ContentChecks.present;
import static dev.nostrgate.core.content.ContentChecks.checkRelayHint;

import dev.nostrgate.core.event.Kinds;
import dev.nostrgate.core.event.Tag;
import dev.nostrgate.core.key.PubKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A follow list (kind 3, NIP-02): one {@code p} tag per followed key, with an optional relay and petname. A
 * replaceable event: the newest one is the whole list, so publish every contact each time. The content is empty.
 *
 * <p>No expiration: a follow list that expires leaves its author following no one.
 */
public record Contacts(List<Contact> contacts, List<Tag> extraTags) implements EventContent {
    public static final int KIND = Kinds.CONTACTS;

    public Contacts {
        contacts = listOf(contacts, "contacts");
        Set<PubKey> seen = new HashSet<>();
        for (Contact contact : contacts) {
            check(seen.add(contact.pubkey()), "contacts must list each pubkey once; "
                    + contact.pubkey() + " appears twice");
        }
        extraTags = listOf(extraTags, "extra tags");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One followed key.
     *
     * @param relayHint a relay where they publish ({@code ws://} or {@code wss://}), or empty
     * @param petname a local name for them, or empty
     */
    public record Contact(PubKey pubkey, String relayHint, String petname) {
        public Contact {
            present(pubkey, "contact pubkey");
            checkRelayHint(relayHint, "contact relay hint");
            present(petname, "contact petname");
        }

        /** A contact with neither relay nor petname. */
        public static Contact of(PubKey pubkey) {
            return new Contact(pubkey, "", "");
        }

        /** {@code ["p", pubkey, relay, petname]}, trailing empty elements left out. */
        Tag tag() {
            if (!petname.isEmpty()) {
                return Tag.of("p", pubkey.hex(), relayHint, petname);
            }
            return relayHint.isEmpty() ? Tag.of("p", pubkey.hex()) : Tag.of("p", pubkey.hex(), relayHint);
        }
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public List<Tag> tags() {
        TagList tags = new TagList();
        contacts.forEach(contact -> tags.add(contact.tag()));
        return tags.addAll(extraTags).toList();
    }

    /** NIP-02 leaves the content unused; it is empty. */
    @Override
    public String content() {
        return "";
    }

    /** Collects contacts in order; {@link #build()} checks them. */
    public static final class Builder {
        private final List<Contact> contacts = new ArrayList<>();
        private final List<Tag> extraTags = new ArrayList<>();

        private Builder() {
        }

        /** Follows a key. */
        public Builder contact(PubKey pubkey) {
            return contact(Contact.of(pubkey));
        }

        /** Follows a key, with a relay where they publish and a petname (either may be empty). */
        public Builder contact(PubKey pubkey, String relayHint, String petname) {
            return contact(new Contact(pubkey, relayHint, petname));
        }

        public Builder contact(Contact contact) {
            contacts.add(Objects.requireNonNull(contact, "contact"));
            return this;
        }

        /** Any other tag, after the contacts. */
        public Builder tag(Tag tag) {
            extraTags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /**
         * The follow list (may be empty: following no one).
         *
         * @throws IllegalArgumentException if a pubkey is listed twice
         */
        public Contacts build() {
            return new Contacts(contacts, extraTags);
        }
    }
}
