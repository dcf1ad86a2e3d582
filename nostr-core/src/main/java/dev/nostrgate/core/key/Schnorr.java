package dev.nostrgate.core.key;

/**
 * BIP-340 Schnorr signatures over secp256k1.
 *
 * <p>Two providers exist: {@link NativeSchnorr} (libsecp256k1 through JNI, the fast default) and
 * {@link BouncyCastleSchnorr} (pure Java, used when the native library cannot load). {@link #get()} picks one once;
 * the system property or environment variable named in {@link SchnorrProviders} overrides the choice.
 */
public interface Schnorr {

    /** The provider chosen for this JVM: native when it loads, else pure Java (see {@link SchnorrProviders}). */
    static Schnorr get() {
        return SchnorrProviders.DEFAULT;
    }

    /** A short name for logs and benchmarks: {@code "native"} or {@code "java"}. */
    String name();

    /**
     * Verifies a signature. Never throws for bad input: an invalid public key, a malformed signature or a
     * signature of the wrong length all give {@code false}.
     *
     * @param signature 64 bytes
     * @param message   any length (Nostr signs the 32-byte event id)
     * @param xOnlyPublicKey 32 bytes
     */
    boolean verify(byte[] signature, byte[] message, byte[] xOnlyPublicKey);

    /**
     * Signs a message.
     *
     * @param message   any length (Nostr signs the 32-byte event id)
     * @param secretKey 32 bytes, in [1, n-1]
     * @param auxRand   32 bytes of fresh randomness (BIP-340 recommends it; all zeros is allowed)
     */
    byte[] sign(byte[] message, byte[] secretKey, byte[] auxRand);

    /** The 32-byte x-only public key of a secret key. */
    byte[] xOnlyPublicKey(byte[] secretKey);

    /** True if the 32 bytes are a valid secret key (non-zero and below the group order). */
    boolean isValidSecretKey(byte[] secretKey);
}
