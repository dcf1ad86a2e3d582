package dev.nostrgate.core.nip19;

import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19Entity.AddressPointer;
import dev.nostrgate.core.nip19.Nip19Entity.EventPointer;
import dev.nostrgate.core.nip19.Nip19Entity.Note;
import dev.nostrgate.core.nip19.Nip19Entity.Npub;
import dev.nostrgate.core.nip19.Nip19Entity.Nsec;
import dev.nostrgate.core.nip19.Nip19Entity.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * NIP-19: keys, ids and pointers as bech32 strings ({@code npub1...}, {@code nevent1...}), for display, copying
 * and {@code nostr:} URIs. Never on the wire of NIP-01, where hex is used.
 *
 * <pre>{@code
 * String npub = Nip19.npub(key.pubKey());
 * switch (Nip19.decode(text)) {
 *     case Npub(PubKey pubkey) -> follow(pubkey);
 *     case EventPointer pointer -> fetch(pointer.id(), pointer.relays());
 *     default -> throw new InvalidNip19Exception("expected a profile or an event");
 * }
 * }</pre>
 *
 * <p>Encoding writes the TLVs of {@code nprofile}, {@code nevent} and {@code naddr} in type order: the special
 * value (0) first, then relays (1), author (2) and kind (3), as the NIP-19 example, go-nostr and rust-nostr do.
 * (nostr-tools writes the reverse order; both decode to the same entity.)
 *
 * <p>Decoding accepts TLVs in any order and skips unknown types, as NIP-19 requires, and is otherwise strict: a
 * bad checksum, a wrong length, a missing or repeated TLV, malformed UTF-8 or a kind above 65535 is an error,
 * never a best guess, so that a string means the same thing to every reader that accepts it.
 */
public final class Nip19 {
    private static final String NPUB = "npub";
    private static final String NSEC = "nsec";
    private static final String NOTE = "note";
    private static final String NPROFILE = "nprofile";
    private static final String NEVENT = "nevent";
    private static final String NADDR = "naddr";
    private static final String NOSTR_URI_SCHEME = "nostr:";

    private Nip19() {
    }

    /** {@code npub1...} for a public key. */
    public static String npub(PubKey pubkey) {
        return Bech32.encode(NPUB, pubkey.toBytes());
    }

    /** {@code nsec1...} for a secret key: as secret as the key itself. */
    public static String nsec(SecKey key) {
        return Bech32.encode(NSEC, key.toBytes());
    }

    /** {@code note1...} for an event id. */
    public static String note(EventId id) {
        return Bech32.encode(NOTE, id.toBytes());
    }

    /** {@code nprofile1...}: the pubkey, then each relay. */
    public static String nprofile(Profile profile) {
        Tlv.Writer tlv = new Tlv.Writer().write(Tlv.SPECIAL, profile.pubkey().toBytes());
        profile.relays().forEach(relay -> tlv.write(Tlv.RELAY, relay));
        return Bech32.encode(NPROFILE, tlv.toBytes());
    }

    /** {@code nevent1...}: the id, each relay, then the author and the kind if present. */
    public static String nevent(EventPointer pointer) {
        Tlv.Writer tlv = new Tlv.Writer().write(Tlv.SPECIAL, pointer.id().toBytes());
        pointer.relays().forEach(relay -> tlv.write(Tlv.RELAY, relay));
        pointer.author().ifPresent(author -> tlv.write(Tlv.AUTHOR, author.toBytes()));
        pointer.kind().ifPresent(kind -> tlv.write(Tlv.KIND, Tlv.kindBytes(kind)));
        return Bech32.encode(NEVENT, tlv.toBytes());
    }

    /** {@code naddr1...}: the identifier, each relay, the author, then the kind. */
    public static String naddr(AddressPointer pointer) {
        Tlv.Writer tlv = new Tlv.Writer().write(Tlv.SPECIAL, pointer.identifier());
        pointer.relays().forEach(relay -> tlv.write(Tlv.RELAY, relay));
        tlv.write(Tlv.AUTHOR, pointer.pubkey().toBytes()).write(Tlv.KIND, Tlv.kindBytes(pointer.kind()));
        return Bech32.encode(NADDR, tlv.toBytes());
    }

    /** The string for any entity: {@code decode(encode(entity))} equals {@code entity}. */
    public static String encode(Nip19Entity entity) {
        return switch (entity) {
            case Npub npub -> npub(npub.pubkey());
            case Nsec nsec -> nsec(nsec.key());
            case Note note -> note(note.id());
            case Profile profile -> nprofile(profile);
            case EventPointer pointer -> nevent(pointer);
            case AddressPointer pointer -> naddr(pointer);
        };
    }

    /**
     * Reads a NIP-19 string (lowercase, or all uppercase as BIP-173 allows). The {@code nostr:} URI scheme of
     * NIP-21 is not part of it.
     *
     * @throws InvalidNip19Exception if it is not bech32, has an unknown prefix, or its payload does not fit the
     *     prefix; the message says which, without repeating the input
     */
    public static Nip19Entity decode(String bech32) throws InvalidNip19Exception {
        Objects.requireNonNull(bech32, "bech32");
        if (bech32.regionMatches(true, 0, NOSTR_URI_SCHEME, 0, NOSTR_URI_SCHEME.length())) {
            throw new InvalidNip19Exception("starts with the NIP-21 scheme \"nostr:\": decode what follows it");
        }
        Bech32.Decoded decoded = Bech32.decode(bech32);
        String hrp = decoded.hrp();
        byte[] payload = decoded.bytes();
        return switch (hrp) {
            case NPUB -> new Npub(PubKey.of(exactly32(hrp, payload)));
            case NSEC -> new Nsec(secKey(exactly32(hrp, payload)));
            case NOTE -> new Note(EventId.of(exactly32(hrp, payload)));
            case NPROFILE -> profile(Tlv.Fields.read(hrp, payload));
            case NEVENT -> eventPointer(Tlv.Fields.read(hrp, payload));
            case NADDR -> addressPointer(Tlv.Fields.read(hrp, payload));
            default -> throw new InvalidNip19Exception("unknown prefix \"" + hrp
                    + "\", expected npub, nsec, note, nprofile, nevent or naddr");
        };
    }

    private static byte[] exactly32(String hrp, byte[] payload) throws InvalidNip19Exception {
        if (payload.length != 32) {
            throw new InvalidNip19Exception(hrp + " payload must be 32 bytes, was " + payload.length);
        }
        return payload;
    }

    private static SecKey secKey(byte[] bytes) throws InvalidNip19Exception {
        try {
            return new SecKey(bytes);
        } catch (IllegalArgumentException e) {
            throw new InvalidNip19Exception("nsec is not a secp256k1 secret key (zero, or not below the curve order)");
        }
    }

    private static Profile profile(Tlv.Fields fields) throws InvalidNip19Exception {
        byte[] pubkey = fields.ofLength(fields.required(Tlv.SPECIAL, "pubkey"), 32, Tlv.SPECIAL, "pubkey");
        return new Profile(PubKey.of(pubkey), relays(fields));
    }

    private static EventPointer eventPointer(Tlv.Fields fields) throws InvalidNip19Exception {
        byte[] id = fields.ofLength(fields.required(Tlv.SPECIAL, "id"), 32, Tlv.SPECIAL, "id");
        Optional<byte[]> author = fields.optional(Tlv.AUTHOR, "author");
        Optional<PubKey> authorKey = author.isEmpty() ? Optional.empty()
                : Optional.of(PubKey.of(fields.ofLength(author.get(), 32, Tlv.AUTHOR, "author")));
        Optional<byte[]> kind = fields.optional(Tlv.KIND, "kind");
        OptionalInt kindValue = kind.isEmpty() ? OptionalInt.empty() : OptionalInt.of(fields.kind(kind.get()));
        return new EventPointer(EventId.of(id), relays(fields), authorKey, kindValue);
    }

    private static AddressPointer addressPointer(Tlv.Fields fields) throws InvalidNip19Exception {
        String identifier = fields.utf8(fields.required(Tlv.SPECIAL, "identifier"), Tlv.SPECIAL, "identifier");
        byte[] author = fields.ofLength(fields.required(Tlv.AUTHOR, "author"), 32, Tlv.AUTHOR, "author");
        int kind = fields.kind(fields.required(Tlv.KIND, "kind"));
        return new AddressPointer(identifier, PubKey.of(author), kind, relays(fields));
    }

    private static List<String> relays(Tlv.Fields fields) throws InvalidNip19Exception {
        List<String> relays = new ArrayList<>();
        for (byte[] relay : fields.all(Tlv.RELAY)) {
            relays.add(fields.utf8(relay, Tlv.RELAY, "relay"));
        }
        return relays;
    }
}
