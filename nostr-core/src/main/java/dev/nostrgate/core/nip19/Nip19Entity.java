package dev.nostrgate.core.nip19;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a NIP-19 string stands for, one record per prefix. Read one with {@link Nip19#decode(String)} and switch
 * over it; write one with {@link Nip19#encode(Nip19Entity)}.
 *
 * <p>Every value that exists can be encoded: the compact constructors refuse nulls, kinds outside 0..65535,
 * strings longer than a TLV can hold (255 bytes of UTF-8) or with no UTF-8 form, and entities whose string would
 * exceed {@value Bech32#MAX_LENGTH} characters. Lists are immutable copies.
 */
public sealed interface Nip19Entity {

    /** {@code npub}: a public key. */
    record Npub(PubKey pubkey) implements Nip19Entity {
        public Npub {
            Objects.requireNonNull(pubkey, "pubkey");
        }
    }

    /** {@code nsec}: a secret key. {@link #toString()} hides it, as {@link SecKey#toString()} does. */
    record Nsec(SecKey key) implements Nip19Entity {
        public Nsec {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code note}: an event id. */
    record Note(EventId id) implements Nip19Entity {
        public Note {
            Objects.requireNonNull(id, "id");
        }
    }

    /** {@code nprofile}: a public key and relays where its events may be found. */
    record Profile(PubKey pubkey, List<String> relays) implements Nip19Entity {
        public Profile {
            Objects.requireNonNull(pubkey, "pubkey");
            relays = checkedRelays(relays);
            checkFits("nprofile", Tlv.size(32) + relaysSize(relays));
        }

        /** A profile with no relay hints. */
        public Profile(PubKey pubkey) {
            this(pubkey, List.of());
        }
    }

    /** {@code nevent}: an event id, relays where it may be found, and optionally its author and kind. */
    record EventPointer(EventId id, List<String> relays, Optional<PubKey> author, OptionalInt kind)
            implements Nip19Entity {
        public EventPointer {
            Objects.requireNonNull(id, "id");
            relays = checkedRelays(relays);
            Objects.requireNonNull(author, "author (use Optional.empty())");
            Objects.requireNonNull(kind, "kind (use OptionalInt.empty())");
            kind.ifPresent(Nip19Entity::checkKind);
            checkFits("nevent", Tlv.size(32) + relaysSize(relays) + (author.isPresent() ? Tlv.size(32) : 0)
                    + (kind.isPresent() ? Tlv.size(4) : 0));
        }

        /** A pointer with only the id. */
        public EventPointer(EventId id) {
            this(id, List.of(), Optional.empty(), OptionalInt.empty());
        }
    }

    /**
     * {@code naddr}: the coordinate of a replaceable or addressable event (kind, author, {@code d} identifier, which
     * is empty for a replaceable kind) and relays where it may be found.
     */
    record AddressPointer(String identifier, PubKey pubkey, int kind, List<String> relays) implements Nip19Entity {
        public AddressPointer {
            Objects.requireNonNull(identifier, "identifier (may be empty)");
            Objects.requireNonNull(pubkey, "pubkey");
            checkKind(kind);
            int identifierLength = checkedUtf8Length(identifier, "an identifier");
            relays = checkedRelays(relays);
            checkFits("naddr", Tlv.size(identifierLength) + relaysSize(relays) + Tlv.size(32) + Tlv.size(4));
        }

        /** A pointer to this address. */
        public AddressPointer(Address address, List<String> relays) {
            this(address.identifier(), address.pubkey(), address.kind(), relays);
        }

        /** The coordinate, as {@code a} tags use it. */
        public Address address() {
            return new Address(kind, pubkey, identifier);
        }
    }

    private static List<String> checkedRelays(List<String> relays) {
        Objects.requireNonNull(relays, "relays (may be empty)");
        List<String> copy = List.copyOf(relays); // rejects null elements
        for (String relay : copy) {
            checkedUtf8Length(relay, "a relay");
        }
        return copy;
    }

    private static int relaysSize(List<String> relays) {
        int size = 0;
        for (String relay : relays) {
            size += Tlv.size(Tlv.utf8Length(relay));
        }
        return size;
    }

    private static int checkedUtf8Length(String text, String what) {
        int length = Tlv.utf8Length(text);
        if (length < 0) {
            throw new IllegalArgumentException(what + " must be well-formed Unicode (it has a lone surrogate)");
        }
        if (length > Tlv.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                    what + " is at most " + Tlv.MAX_VALUE_LENGTH + " bytes of UTF-8, was " + length);
        }
        return length;
    }

    private static void checkKind(int kind) {
        if (kind < 0 || kind > 65_535) {
            throw new IllegalArgumentException("kind must be 0..65535, was " + kind);
        }
    }

    private static void checkFits(String hrp, int payloadBytes) {
        int length = Bech32.encodedLength(hrp, payloadBytes);
        if (length > Bech32.MAX_LENGTH) {
            throw new IllegalArgumentException(hrp + " would be " + length + " characters, at most "
                    + Bech32.MAX_LENGTH + " are allowed (too many relays?)");
        }
    }
}
