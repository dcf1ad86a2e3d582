package dev.nostrgate.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.SharedData;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the BIP-340 test vectors (bitcoin/bips bip-0340/test-vectors.csv), for both providers. */
class Bip340VectorsTest {

    record Row(int index, String secretKey, String publicKey, String auxRand, String message, String signature,
               boolean valid, String comment) {
        static Row parse(String line) {
            String[] f = line.split(",", -1);
            return new Row(Integer.parseInt(f[0]), lower(f[1]), lower(f[2]), lower(f[3]), lower(f[4]), lower(f[5]),
                    f[6].equals("TRUE"), f[7]);
        }

        private static String lower(String hex) {
            return hex.toLowerCase(Locale.ROOT);
        }
    }

    static Stream<Arguments> rows() {
        List<String> lines = SharedData.lines("vectors/bip340-test-vectors.csv");
        return lines.stream().skip(1).map(Row::parse)
                .flatMap(row -> Stream.of("native", "java")
                        .map(provider -> Arguments.of(provider, row)));
    }

    @ParameterizedTest(name = "{0} row {1}")
    @MethodSource("rows")
    void verifiesExactlyAsTheVectorSays(String provider, Row row) {
        Schnorr schnorr = SchnorrProviders.choose(provider);
        boolean verified = schnorr.verify(Hex.decode(row.signature()), Hex.decode(row.message()),
                Hex.decode(row.publicKey()));
        assertThat(verified).as("row %d (%s)", row.index(), row.comment()).isEqualTo(row.valid());
    }

    @ParameterizedTest(name = "{0} row {1}")
    @MethodSource("rows")
    void signsToTheVectorSignatureAndDerivesItsPublicKey(String provider, Row row) {
        if (row.secretKey().isEmpty()) {
            return; // verification-only row
        }
        Schnorr schnorr = SchnorrProviders.choose(provider);
        byte[] secretKey = Hex.decode(row.secretKey());
        assertThat(Hex.encode(schnorr.xOnlyPublicKey(secretKey))).isEqualTo(row.publicKey());
        byte[] signature = schnorr.sign(Hex.decode(row.message()), secretKey, Hex.decode(row.auxRand()));
        assertThat(Hex.encode(signature)).isEqualTo(row.signature());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"native", "java"})
    void rejectsSecretKeysOutsideTheGroup(String provider) {
        Schnorr schnorr = SchnorrProviders.choose(provider);
        byte[] zero = new byte[32];
        byte[] order = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        assertThat(schnorr.isValidSecretKey(zero)).isFalse();
        assertThat(schnorr.isValidSecretKey(order)).isFalse();
        assertThat(schnorr.isValidSecretKey(new byte[31])).isFalse();
        assertThatThrownBy(() -> schnorr.sign(new byte[32], order, new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"native", "java"})
    void answersFalseNeverThrowsForMalformedInput(String provider) {
        Schnorr schnorr = SchnorrProviders.choose(provider);
        byte[] notOnCurve = Hex.decode("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34");
        assertThat(schnorr.verify(new byte[64], new byte[32], notOnCurve)).isFalse();
        assertThat(schnorr.verify(new byte[63], new byte[32], new byte[32])).isFalse();
        assertThat(schnorr.verify(new byte[64], new byte[32], new byte[33])).isFalse();
        assertThat(schnorr.verify(null, new byte[32], new byte[32])).isFalse();
        byte[] allOnes = new byte[32];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        assertThat(schnorr.verify(new byte[64], new byte[32], allOnes)).isFalse();
    }
}
