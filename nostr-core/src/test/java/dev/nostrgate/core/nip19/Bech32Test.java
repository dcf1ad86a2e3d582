package dev.nostrgate.core.nip19;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Bech32Test {

    /** BIP-173 "Test vectors": strings with a valid bech32 checksum. */
    @ParameterizedTest
    @ValueSource(strings = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl"
    })
    void acceptsTheBip173ValidChecksums(String valid) throws InvalidNip19Exception {
        assertThat(Bech32.decodeGroups(valid)).hasSize(valid.length() - valid.lastIndexOf('1') - 7);
    }

    /** BIP-173 "Test vectors": invalid strings, with our reason for each. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "' 1nwldj5'     | character at position 0 is not printable US-ASCII",
        "pzry9x0s0muk   | no separator '1'",
        "1pzry9x0s0muk  | empty human-readable part",
        "x1b4n0q5v      | character 'b' at position 2 is not in the bech32 alphabet",
        "li1dgmt3       | only 5 characters after the separator '1'",
        "A1G7SGD8       | checksum mismatch",
        "10a06t8        | empty human-readable part",
        "1qzzfhee       | empty human-readable part",
    })
    void rejectsTheBip173InvalidStrings(String invalid, String reason) {
        assertThatThrownBy(() -> Bech32.decodeGroups(invalid))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsControlAndNonAsciiCharacters() {
        for (String invalid : new String[] {"\u007f1axkwrx", "\u00801eym55h", "de1lg7wt\u00ff"}) {
            assertThatThrownBy(() -> Bech32.decodeGroups(invalid))
                    .isInstanceOf(InvalidNip19Exception.class)
                    .hasMessageContaining("is not printable US-ASCII");
        }
    }

    @Test
    void acceptsStringsLongerThanBip173sNinetyCharacters() throws InvalidNip19Exception {
        String longerThanNinety = Bech32.encode("nprofile", new byte[100]);
        assertThat(longerThanNinety).hasSize(175);
        assertThat(Bech32.decode(longerThanNinety).bytes()).hasSize(100);
    }

    @Test
    void acceptsExactlyFiveThousandCharacters() throws InvalidNip19Exception {
        String longest = Bech32.encodeGroups("a", new byte[Bech32.MAX_LENGTH - 1 - 1 - Bech32.CHECKSUM_LENGTH]);
        assertThat(longest).hasSize(5000);
        assertThat(Bech32.decodeGroups(longest)).hasSize(4992);
    }

    @Test
    void rejectsMoreThanFiveThousandCharacters() {
        String tooLong = "a1" + "q".repeat(4999);
        assertThatThrownBy(() -> Bech32.decodeGroups(tooLong))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("too long: 5001 characters, at most 5000");
        assertThatThrownBy(() -> Bech32.encodeGroups("a", new byte[4993]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAHumanReadablePartLongerThan83Characters() {
        // BIP-173 lists it as too long overall (91 > 90); with NIP-19's 5000 its 84-character prefix is the fault.
        String bip173TooLong =
                "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx";
        assertThatThrownBy(() -> Bech32.decodeGroups(bip173TooLong))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("human-readable part has 84 characters, at most 83");
    }

    @Test
    void rejectsMixedCase() {
        assertThatThrownBy(() -> Bech32.decodeGroups("A12uel5l"))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("mixes upper and lower case");
        assertThatThrownBy(() -> Bech32.decodeGroups("a12UEL5L"))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("mixes upper and lower case");
    }

    @Test
    void acceptsAllUppercaseAndReturnsTheLowercasePrefix() throws InvalidNip19Exception {
        String lower = Bech32.encode("npub", new byte[] {1, 2, 3});
        Bech32.Decoded upper = Bech32.decode(lower.toUpperCase());
        assertThat(upper.hrp()).isEqualTo("npub");
        assertThat(upper.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsAChecksumMismatch() {
        String valid = Bech32.encode("note", new byte[] {42});
        String corrupted = valid.substring(0, valid.length() - 1) + (valid.endsWith("q") ? "p" : "q");
        assertThatThrownBy(() -> Bech32.decode(corrupted))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("checksum mismatch");
    }

    @Test
    void rejectsABech32mChecksumAndSaysSo() {
        // BIP-350's first valid bech32m vector: a checksum that BIP-173 bech32 must refuse.
        assertThatThrownBy(() -> Bech32.decodeGroups("a1lqfn3a"))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("checksum mismatch: this is a bech32m checksum, NIP-19 uses bech32");
    }

    @Test
    void encodesLowercase() {
        byte[] everyGroup = new byte[32];
        for (int i = 0; i < everyGroup.length; i++) {
            everyGroup[i] = (byte) i;
        }
        assertThat(Bech32.encodeGroups("abcdef", everyGroup))
                .isEqualTo("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    }

    @Test
    void refusesToEncodeAnUppercaseOrEmptyPrefix() {
        assertThatThrownBy(() -> Bech32.encode("NPUB", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bech32.encode("", new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void convertsBytesToFiveBitGroupsWithZeroPadding() {
        assertThat(Bech32.toFiveBitGroups(new byte[] {(byte) 0xff})).containsExactly(31, 28);
        assertThat(Bech32.toFiveBitGroups(new byte[0])).isEmpty();
        assertThat(Bech32.toFiveBitGroups(new byte[5])).hasSize(8);
    }

    @Test
    void rejectsPaddingBitsThatAreNotZero() {
        String text = Bech32.encodeGroups("npub", new byte[] {31, 29}); // 0xff, then padding 01
        assertThatThrownBy(() -> Bech32.decode(text))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("padding bits are not zero");
    }

    @Test
    void rejectsAWholeGroupOfPadding() {
        String oneGroup = Bech32.encodeGroups("npub", new byte[] {0});
        assertThatThrownBy(() -> Bech32.decode(oneGroup))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("5 bits of padding, at most 4 are allowed");
    }

    @Test
    void decodesWhatItEncodes() throws InvalidNip19Exception {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        for (int length = 0; length <= bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            Bech32.Decoded decoded = Bech32.decode(Bech32.encode("nprofile", prefix));
            assertThat(decoded.hrp()).isEqualTo("nprofile");
            assertThat(decoded.bytes()).isEqualTo(prefix);
        }
    }
}
