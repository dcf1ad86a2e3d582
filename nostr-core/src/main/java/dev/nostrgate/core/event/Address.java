package dev.nostrgate.core.event;

import dev.nostrgate.core.key.PubKey;

/**
 * The coordinate of a replaceable or addressable event: {@code <kind>:<pubkey>:<d tag>}, as used by {@code a}
 * tags and NIP-09 deletions. For a replaceable kind the identifier is empty.
 */
public record Address(int kind, PubKey pubkey, String identifier) {
    public Address {
        if (kind < 0 || kind > 65_535) {
            throw new IllegalArgumentException("kind must be 0..65535, was " + kind);
        }
        if (pubkey == null || identifier == null) {
            throw new IllegalArgumentException("an address needs a pubkey and an identifier (may be empty)");
        }
    }

    /**
     * Parses {@code kind:pubkey:identifier} (the identifier may contain colons).
     *
     * @throws IllegalArgumentException if the text is not an address
     */
    public static Address parse(String text) {
        int first = text.indexOf(':');
        int second = first < 0 ? -1 : text.indexOf(':', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("an address is <kind>:<pubkey>:<d tag>");
        }
        int kind;
        try {
            kind = Integer.parseInt(text.substring(0, first));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an address starts with a decimal kind");
        }
        return new Address(kind, new PubKey(text.substring(first + 1, second)), text.substring(second + 1));
    }

    @Override
    public String toString() {
        return kind + ":" + pubkey.hex() + ":" + identifier;
    }
}
