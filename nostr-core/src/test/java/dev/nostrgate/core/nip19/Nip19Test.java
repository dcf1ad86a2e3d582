package dev.nostrgate.core.nip19;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.Address;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19Entity.AddressPointer;
import dev.nostrgate.core.nip19.Nip19Entity.EventPointer;
import dev.nostrgate.core.nip19.Nip19Entity.Note;
import dev.nostrgate.core.nip19.Nip19Entity.Npub;
import dev.nostrgate.core.nip19.Nip19Entity.Nsec;
import dev.nostrgate.core.nip19.Nip19Entity.Profile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Nip19Test {
    private static final PubKey PUBKEY =
            new PubKey("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d");
    private static final EventId ID = new EventId("d94a3f4dd87b9a3b0bed183b32e916fa29c8020107845d1752d72697fe5309a5");

    @Test
    void encodesAndDecodesTheSpecsNpub() throws InvalidNip19Exception {
        PubKey key = new PubKey("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e");
        String npub = "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg";
        assertThat(Nip19.npub(key)).isEqualTo(npub);
        assertThat(Nip19.decode(npub)).isEqualTo(new Npub(key));
    }

    @Test
    void encodesAndDecodesTheSpecsNsec() throws InvalidNip19Exception {
        SecKey key = SecKey.fromHex("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa");
        String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
        assertThat(Nip19.nsec(key)).isEqualTo(nsec);
        assertThat(Nip19.decode(nsec)).isEqualTo(new Nsec(key));
    }

    @Test
    void encodesTlvsInTypeOrderWithRelaysInTheOrderGiven() throws InvalidNip19Exception {
        EventPointer pointer = new EventPointer(ID, List.of("wss://b", "wss://a"), Optional.of(PUBKEY),
                OptionalInt.of(1));
        byte[] payload = Bech32.decode(Nip19.nevent(pointer)).bytes();
        byte[] expected = new Tlv.Writer().write(0, ID.toBytes()).write(1, "wss://b").write(1, "wss://a")
                .write(2, PUBKEY.toBytes()).write(3, new byte[] {0, 0, 0, 1}).toBytes();
        assertThat(payload).isEqualTo(expected);
    }

    @Test
    void decodesTlvsInAnyOrder() throws InvalidNip19Exception {
        byte[] kindFirst = new Tlv.Writer().write(3, Tlv.kindBytes(30_023)).write(1, "wss://r")
                .write(2, PUBKEY.toBytes()).write(0, "banana").toBytes();
        assertThat(Nip19.decode(Bech32.encode("naddr", kindFirst)))
                .isEqualTo(new AddressPointer("banana", PUBKEY, 30_023, List.of("wss://r")));
    }

    @Test
    void ignoresUnknownTlvTypes() throws InvalidNip19Exception {
        byte[] payload = new Tlv.Writer().write(9, "future").write(0, ID.toBytes()).write(255, new byte[0])
                .write(1, "wss://r").write(4, new byte[255]).toBytes();
        assertThat(Nip19.decode(Bech32.encode("nevent", payload)))
                .isEqualTo(new EventPointer(ID, List.of("wss://r"), Optional.empty(), OptionalInt.empty()));
    }

    @Test
    void ignoresAuthorAndKindInAnNprofileWhereNip19DoesNotDefineThem() throws InvalidNip19Exception {
        byte[] payload = new Tlv.Writer().write(0, PUBKEY.toBytes()).write(2, new byte[3]).write(3, new byte[9])
                .toBytes();
        assertThat(Nip19.decode(Bech32.encode("nprofile", payload))).isEqualTo(new Profile(PUBKEY));
    }

    @Test
    void decodesAllUppercaseAsBip173Allows() throws InvalidNip19Exception {
        String npub = Nip19.npub(PUBKEY);
        assertThat(Nip19.decode(npub.toUpperCase())).isEqualTo(new Npub(PUBKEY));
    }

    @Test
    void decodesAnEmptyIdentifierAndKindZero() throws InvalidNip19Exception {
        AddressPointer profileMetadata = new AddressPointer("", PUBKEY, 0, List.of());
        assertThat(Nip19.decode(Nip19.naddr(profileMetadata))).isEqualTo(profileMetadata);
        assertThat(profileMetadata.address()).isEqualTo(new Address(0, PUBKEY, ""));
    }

    @Test
    void rejectsAnUnknownPrefix() {
        assertThatThrownBy(() -> Nip19.decode(Bech32.encode("nrelay", "wss://r".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage("unknown prefix \"nrelay\", expected npub, nsec, note, nprofile, nevent or naddr");
    }

    @Test
    void rejectsANostrUriAndSaysWhatToDecodeInstead() {
        assertRejected("nostr:" + Nip19.npub(PUBKEY),
                "starts with the NIP-21 scheme \"nostr:\": decode what follows it");
    }

    @Test
    void rejectsAKeyOrIdThatIsNot32Bytes() {
        assertRejected(Bech32.encode("npub", new byte[31]), "npub payload must be 32 bytes, was 31");
        assertRejected(Bech32.encode("nsec", new byte[33]), "nsec payload must be 32 bytes, was 33");
        assertRejected(Bech32.encode("note", new byte[0]), "note payload must be 32 bytes, was 0");
    }

    @Test
    void rejectsAnNsecThatIsNotASecretKey() {
        byte[] curveOrder = dev.nostrgate.core.Hex.decode(
                "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
        assertRejected(Bech32.encode("nsec", new byte[32]),
                "nsec is not a secp256k1 secret key (zero, or not below the curve order)");
        assertRejected(Bech32.encode("nsec", curveOrder),
                "nsec is not a secp256k1 secret key (zero, or not below the curve order)");
    }

    @Test
    void rejectsAnEntityWithoutItsRequiredTlvs() {
        assertRejected(Bech32.encode("nprofile", new byte[0]), "nprofile has no pubkey TLV (type 0)");
        assertRejected(Bech32.encode("nevent", new Tlv.Writer().write(1, "wss://r").toBytes()),
                "nevent has no id TLV (type 0)");
        assertRejected(Bech32.encode("naddr", new Tlv.Writer().write(0, "d").write(3, new byte[4]).toBytes()),
                "naddr has no author TLV (type 2)");
        assertRejected(Bech32.encode("naddr", new Tlv.Writer().write(0, "d").write(2, PUBKEY.toBytes()).toBytes()),
                "naddr has no kind TLV (type 3)");
        assertRejected(Bech32.encode("naddr", new Tlv.Writer().write(2, PUBKEY.toBytes()).write(3, new byte[4])
                .toBytes()), "naddr has no identifier TLV (type 0)");
    }

    @Test
    void rejectsTlvValuesOfTheWrongLength() {
        assertRejected(Bech32.encode("nprofile", new Tlv.Writer().write(0, new byte[31]).toBytes()),
                "nprofile pubkey TLV (type 0) must be 32 bytes, was 31");
        assertRejected(Bech32.encode("nevent", new Tlv.Writer().write(0, new byte[33]).toBytes()),
                "nevent id TLV (type 0) must be 32 bytes, was 33");
        assertRejected(Bech32.encode("nevent", new Tlv.Writer().write(0, ID.toBytes()).write(2, new byte[31])
                .toBytes()), "nevent author TLV (type 2) must be 32 bytes, was 31");
        assertRejected(Bech32.encode("nevent", new Tlv.Writer().write(0, ID.toBytes()).write(3, new byte[2])
                .toBytes()), "nevent kind TLV (type 3) must be 4 bytes, was 2");
        assertRejected(Bech32.encode("naddr", new Tlv.Writer().write(0, "d").write(2, PUBKEY.toBytes())
                .write(3, new byte[8]).toBytes()), "naddr kind TLV (type 3) must be 4 bytes, was 8");
    }

    @Test
    void rejectsARepeatedTlvThatMayAppearOnce() {
        // nostr-tools would take the first, go-nostr the last: two readers, two meanings, so neither.
        assertRejected(Bech32.encode("nevent", new Tlv.Writer().write(0, ID.toBytes()).write(0, ID.toBytes())
                .toBytes()), "nevent has 2 id TLVs (type 0), at most one is allowed");
        assertRejected(Bech32.encode("naddr", new Tlv.Writer().write(0, "d").write(2, PUBKEY.toBytes())
                .write(3, new byte[4]).write(3, new byte[4]).toBytes()),
                "naddr has 2 kind TLVs (type 3), at most one is allowed");
    }

    @Test
    void rejectsATruncatedTlv() {
        byte[] cut = Arrays.copyOf(new Tlv.Writer().write(0, ID.toBytes()).toBytes(), 20);
        assertRejected(Bech32.encode("nevent", cut),
                "truncated TLV: type 0 at byte 0 declares 32 bytes, only 18 remain");
        byte[] noLength = Arrays.copyOf(new Tlv.Writer().write(0, PUBKEY.toBytes()).toBytes(), 35);
        assertRejected(Bech32.encode("nprofile", noLength), "truncated TLV: type 0 at byte 34 has no length byte");
    }

    @Test
    void rejectsAKindAbove65535() {
        byte[] payload = new Tlv.Writer().write(0, ID.toBytes()).write(3, new byte[] {0, 1, 0, 0}).toBytes();
        assertRejected(Bech32.encode("nevent", payload), "nevent kind must be 0..65535, was 65536");
        byte[] unsigned = new Tlv.Writer().write(0, "d").write(2, PUBKEY.toBytes())
                .write(3, new byte[] {-1, -1, -1, -1}).toBytes();
        assertRejected(Bech32.encode("naddr", unsigned), "naddr kind must be 0..65535, was 4294967295");
    }

    @Test
    void rejectsMalformedUtf8() {
        byte[] badRelay = new Tlv.Writer().write(0, PUBKEY.toBytes()).write(1, new byte[] {'w', (byte) 0xc3})
                .toBytes();
        assertRejected(Bech32.encode("nprofile", badRelay), "nprofile relay TLV (type 1) is not valid UTF-8");
        byte[] badIdentifier = new Tlv.Writer().write(0, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})
                .write(2, PUBKEY.toBytes()).write(3, new byte[4]).toBytes(); // an encoded surrogate
        assertRejected(Bech32.encode("naddr", badIdentifier), "naddr identifier TLV (type 0) is not valid UTF-8");
    }

    @Test
    void neverRepeatsTheInputInItsMessage() {
        String nsec = Nip19.nsec(SecKey.generate());
        String corrupted = nsec.substring(0, 20) + (nsec.charAt(20) == 'q' ? 'p' : 'q') + nsec.substring(21);
        assertThatThrownBy(() -> Nip19.decode(corrupted))
                .isInstanceOf(InvalidNip19Exception.class)
                .message().doesNotContain(corrupted.substring(5, 60));
    }

    @Test
    void hidesTheSecretKeyOfAnNsec() {
        SecKey key = SecKey.generate();
        assertThat(new Nsec(key).toString()).doesNotContain(key.toHex()).contains("hidden");
    }

    @Test
    void keepsRecordListsImmutableAndCopied() {
        List<String> relays = new ArrayList<>(List.of("wss://r"));
        Profile profile = new Profile(PUBKEY, relays);
        relays.add("wss://later");
        assertThat(profile.relays()).containsExactly("wss://r");
        assertThatThrownBy(() -> profile.relays().add("wss://x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesNullsInRecords() {
        assertThatThrownBy(() -> new Npub(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Note(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Profile(PUBKEY, Collections.singletonList(null)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EventPointer(ID, List.of(), null, OptionalInt.empty()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AddressPointer(null, PUBKEY, 1, List.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesRecordsThatCouldNotBeEncoded() {
        assertThatThrownBy(() -> new Profile(PUBKEY, List.of("wss://" + "r".repeat(250))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a relay is at most 255 bytes of UTF-8, was 256");
        assertThatThrownBy(() -> new AddressPointer("\ud83d", PUBKEY, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an identifier must be well-formed Unicode (it has a lone surrogate)");
        assertThatThrownBy(() -> new AddressPointer("d", PUBKEY, 65_536, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind must be 0..65535, was 65536");
        assertThatThrownBy(() -> new EventPointer(ID, List.of(), Optional.empty(), OptionalInt.of(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind must be 0..65535, was -1");
        assertThatThrownBy(() -> new Profile(PUBKEY, Collections.nCopies(20, "wss://" + "r".repeat(200))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nprofile would be ")
                .hasMessageContaining("characters, at most 5000 are allowed");
    }

    @Test
    void encodesTheLongestNprofileAndDecodesIt() throws InvalidNip19Exception {
        // 3115 payload bytes make 4999 characters, one byte more would make 5001: the pubkey TLV (34 bytes), 12
        // relays of 254 bytes (256 each with type and length) and one of 7.
        List<String> relays = new ArrayList<>(Collections.nCopies(12, "r".repeat(254)));
        relays.add("x".repeat(3115 - 34 - 12 * 256 - 2));
        Profile longest = new Profile(PUBKEY, relays);
        String nprofile = Nip19.nprofile(longest);
        assertThat(nprofile).hasSize(4999);
        assertThat(Nip19.decode(nprofile)).isEqualTo(longest);

        relays.set(12, relays.get(12) + "x");
        assertThatThrownBy(() -> new Profile(PUBKEY, relays))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nprofile would be 5001 characters, at most 5000 are allowed (too many relays?)");
    }

    private static void assertRejected(String bech32, String reason) {
        assertThatThrownBy(() -> Nip19.decode(bech32))
                .isInstanceOf(InvalidNip19Exception.class)
                .hasMessage(reason);
    }
}
