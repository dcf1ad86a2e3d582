package dev.nostrgate.cli.keys;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.InvalidNip19Exception;
import dev.nostrgate.core.nip19.Nip19;
import dev.nostrgate.core.nip19.Nip19Entity;

/** Keys and ids as people type them: 64 hex characters or their NIP-19 form, with or without {@code nostr:}. */
public final class KeyInput {
    private KeyInput() {
    }

    /** A secret key from {@code nsec1...} or hex. */
    public static SecKey secretKey(String text) {
        String value = text.strip();
        if (Hex.isLowercaseHex(value.toLowerCase(), 64)) {
            return SecKey.fromHex(value.toLowerCase());
        }
        if (decode(value, "a secret key (nsec1... or 64 hex characters)") instanceof Nip19Entity.Nsec nsec) {
            return nsec.key();
        }
        throw new CliException("not a secret key: " + shortened(value) + " (expected nsec1... or 64 hex characters)");
    }

    /** A public key from {@code npub1...}, {@code nprofile1...} or hex. */
    public static PubKey publicKey(String text) {
        String value = text.strip();
        if (Hex.isLowercaseHex(value.toLowerCase(), 64)) {
            return new PubKey(value.toLowerCase());
        }
        return switch (decode(value, "a public key (npub1... or 64 hex characters)")) {
            case Nip19Entity.Npub npub -> npub.pubkey();
            case Nip19Entity.Profile profile -> profile.pubkey();
            default -> throw new CliException("not a public key: " + shortened(value)
                    + " (expected npub1..., nprofile1... or 64 hex characters)");
        };
    }

    /** An event id from {@code note1...}, {@code nevent1...} or hex. */
    public static EventId eventId(String text) {
        String value = text.strip();
        if (Hex.isLowercaseHex(value.toLowerCase(), 64)) {
            return new EventId(value.toLowerCase());
        }
        return switch (decode(value, "an event id (note1... or 64 hex characters)")) {
            case Nip19Entity.Note note -> note.id();
            case Nip19Entity.EventPointer pointer -> pointer.id();
            default -> throw new CliException("not an event id: " + shortened(value)
                    + " (expected note1..., nevent1... or 64 hex characters)");
        };
    }

    /** A NIP-19 entity; a {@code nostr:} prefix (NIP-21) is dropped first. */
    public static Nip19Entity decode(String text, String expected) {
        String value = text.strip();
        if (value.regionMatches(true, 0, "nostr:", 0, 6)) {
            value = value.substring(6);
        }
        try {
            return Nip19.decode(value);
        } catch (InvalidNip19Exception e) {
            throw new CliException("cannot read " + shortened(value) + " as " + expected + ": " + e.getMessage());
        }
    }

    private static String shortened(String value) {
        return value.length() <= 24 ? "\"" + value + "\"" : "\"" + value.substring(0, 20) + "...\"";
    }
}
