package dev.nostrgate.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.Hex;
import org.junit.jupiter.api.Test;

class SecKeyTest {
    private static final String HEX = "d217c1ff2f8a65c3e3a1740db3b9f58b8c848bb45e26d00ed4714e4a0f4ceecf";

    @Test
    void derivesTheXOnlyPublicKey() {
        assertThat(SecKey.fromHex(HEX).pubKey().hex())
                .isEqualTo("6af0f9de588f2c53cedcba26c5e2402e0d0aa64ec7b47c9f8d97b5bc562bab5f");
    }

    @Test
    void neverRevealsItselfInToString() {
        SecKey key = SecKey.fromHex(HEX);
        assertThat(key.toString()).doesNotContain(HEX).doesNotContain(HEX.substring(0, 8));
        assertThat(String.valueOf(key)).isEqualTo("SecKey[hidden]");
    }

    @Test
    void keepsACopyOfTheBytesItWasGiven() {
        byte[] bytes = Hex.decode(HEX);
        SecKey key = new SecKey(bytes);
        bytes[0] = 0;
        assertThat(key.toHex()).isEqualTo(HEX);
        key.toBytes()[1] = 0;
        assertThat(key.toHex()).isEqualTo(HEX);
    }

    @Test
    void generatesDistinctValidKeys() {
        SecKey first = SecKey.generate();
        SecKey second = SecKey.generate();
        assertThat(first).isNotEqualTo(second);
        assertThat(Schnorr.get().isValidSecretKey(first.toBytes())).isTrue();
    }

    @Test
    void rejectsKeysThatAreNotSecp256k1Scalars() {
        assertThatThrownBy(() -> new SecKey(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecKey.fromHex(HEX.toUpperCase())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(HEX.toUpperCase());
        assertThatThrownBy(() -> SecKey.fromHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void choosesTheNativeProviderByDefaultOnThisPlatform() {
        assertThat(Schnorr.get().name()).isEqualTo("native");
    }

    @Test
    void refusesAnUnknownProviderName() {
        assertThatThrownBy(() -> SchnorrProviders.choose("fast"))
                .hasMessageContaining("nostr.schnorr must be auto, native or java");
    }
}
