package dev.nostrgate.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The native and the pure-Java provider agree on random keys, messages and auxiliary randomness. */
class ProviderCrossCheckTest {
    private final Schnorr nativeSchnorr = SchnorrProviders.choose("native");
    private final Schnorr javaSchnorr = SchnorrProviders.choose("java");

    @Property(tries = 200)
    void bothProvidersDeriveTheSamePublicKeyAndSignature(@ForAll("secretKeys") byte[] secretKey,
                                                         @ForAll("bytes32") byte[] message,
                                                         @ForAll("bytes32") byte[] auxRand) {
        assertThat(javaSchnorr.xOnlyPublicKey(secretKey)).isEqualTo(nativeSchnorr.xOnlyPublicKey(secretKey));
        byte[] signature = nativeSchnorr.sign(message, secretKey, auxRand);
        assertThat(javaSchnorr.sign(message, secretKey, auxRand)).isEqualTo(signature);
    }

    @Property(tries = 200)
    void eachVerifiesTheOthersSignatureAndBothRejectATamperedOne(@ForAll("secretKeys") byte[] secretKey,
                                                               @ForAll("bytes32") byte[] message,
                                                               @ForAll("bytes32") byte[] auxRand) {
        byte[] publicKey = nativeSchnorr.xOnlyPublicKey(secretKey);
        byte[] byNative = nativeSchnorr.sign(message, secretKey, auxRand);
        byte[] byJava = javaSchnorr.sign(message, secretKey, auxRand);
        assertThat(javaSchnorr.verify(byNative, message, publicKey)).isTrue();
        assertThat(nativeSchnorr.verify(byJava, message, publicKey)).isTrue();

        byte[] tampered = byNative.clone();
        tampered[Math.floorMod(message[0], 64)] ^= 0x01;
        assertThat(nativeSchnorr.verify(tampered, message, publicKey)).isFalse();
        assertThat(javaSchnorr.verify(tampered, message, publicKey)).isFalse();
    }

    @Provide
    Arbitrary<byte[]> bytes32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<byte[]> secretKeys() {
        return bytes32().filter(javaSchnorr::isValidSecretKey);
    }
}
