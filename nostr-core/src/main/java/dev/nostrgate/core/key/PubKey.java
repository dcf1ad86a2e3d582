package dev.nostrgate.core.key;

import dev.nostrgate.core.Hex;

/**
 * An x-only secp256k1 public key (BIP-340), as 64 lowercase hex characters: the {@code pubkey} of an event.
 *
 * <p>Only the form is checked here. Whether the x coordinate is on the curve is checked by signature
 * verification, which returns false for a key that is not.
 */
public record PubKey(String hex) implements Comparable<PubKey> {
    public PubKey {
        if (!Hex.isLowercaseHex(hex, 64)) {
            throw new IllegalArgumentException("a public key is 64 lowercase hex characters");
        }
    }

    /** A public key from its 32 bytes. */
    public static PubKey of(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a public key is 32 bytes, was " + bytes.length);
        }
        return new PubKey(Hex.encode(bytes));
    }

    /** The 32 bytes (a new array). */
    public byte[] toBytes() {
        return Hex.decode(hex);
    }

    @Override
    public int compareTo(PubKey other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
