package dev.nostrgate.core.key;

import dev.nostrgate.core.Hex;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 secret key (32 bytes). Never printed: {@link #toString()} hides it, so a key in a log line or an
 * exception message reveals nothing. Use {@link #toHex()} or NIP-19 {@code nsec} deliberately.
 */
public final class SecKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private volatile PubKey pubKey;

    /**
     * A secret key from its 32 bytes (copied).
     *
     * @throws IllegalArgumentException if not 32 bytes, zero, or not below the curve order
     */
    public SecKey(byte[] bytes) {
        if (bytes == null || bytes.length != 32 || !Schnorr.get().isValidSecretKey(bytes)) {
            throw new IllegalArgumentException("a secret key is 32 bytes in [1, n-1] (n = the secp256k1 order)");
        }
        this.bytes = bytes.clone();
    }

    /** A secret key from 64 lowercase hex characters. */
    public static SecKey fromHex(String hex) {
        if (!Hex.isLowercaseHex(hex, 64)) {
            throw new IllegalArgumentException("a secret key in hex is 64 lowercase hex characters");
        }
        return new SecKey(Hex.decode(hex));
    }

    /** A new random key from {@link SecureRandom}. */
    public static SecKey generate() {
        byte[] candidate = new byte[32];
        while (true) {
            RANDOM.nextBytes(candidate);
            if (Schnorr.get().isValidSecretKey(candidate)) {
                return new SecKey(candidate);
            }
        }
    }

    /** The matching x-only public key (computed once). */
    public PubKey pubKey() {
        PubKey result = pubKey;
        if (result == null) {
            result = new PubKey(Hex.encode(Schnorr.get().xOnlyPublicKey(bytes)));
            pubKey = result;
        }
        return result;
    }

    /** A BIP-340 signature of the message, with fresh auxiliary randomness. */
    public byte[] sign(byte[] message) {
        byte[] auxRand = new byte[32];
        RANDOM.nextBytes(auxRand);
        return Schnorr.get().sign(message, bytes, auxRand);
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The key as 64 lowercase hex characters: handle with care. */
    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pubKey().hex().getBytes());
    }

    @Override
    public String toString() {
        return "SecKey[hidden]";
    }
}
