package dev.nostrgate.core.nip19;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.key.PubKey;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.core.nip19.Nip19Entity.AddressPointer;
import dev.nostrgate.core.nip19.Nip19Entity.EventPointer;
import dev.nostrgate.core.nip19.Nip19Entity.Note;
import dev.nostrgate.core.nip19.Nip19Entity.Npub;
import dev.nostrgate.core.nip19.Nip19Entity.Nsec;
import dev.nostrgate.core.nip19.Nip19Entity.Profile;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class Nip19PropertiesTest {

    @Property
    void decodingAnEncodedEntityGivesItBack(@ForAll("entities") Nip19Entity entity) throws InvalidNip19Exception {
        String bech32 = Nip19.encode(entity);
        assertThat(Nip19.decode(bech32)).isEqualTo(entity);
        assertThat(bech32).isLowerCase().hasSizeLessThanOrEqualTo(Bech32.MAX_LENGTH);
    }

    @Property
    void changingAnySingleCharacterIsRejected(@ForAll("entities") Nip19Entity entity,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int anyPosition,
            @ForAll("replacements") char replacement) {
        String valid = Nip19.encode(entity);
        int position = anyPosition % valid.length();
        if (valid.charAt(position) == replacement) {
            return; // not a change
        }
        String changed = valid.substring(0, position) + replacement + valid.substring(position + 1);
        assertThatThrownBy(() -> Nip19.decode(changed))
                .as("%s with '%s' at %d", valid, replacement, position)
                .isInstanceOf(InvalidNip19Exception.class);
    }

    @Property
    void anyTlvPayloadDecodesOrIsRejectedWithACheckedException(
            @ForAll("prefixes") String prefix, @ForAll("tlvPayloads") byte[] payload) {
        String bech32 = Bech32.encode(prefix, payload);
        try {
            Nip19Entity entity = Nip19.decode(bech32);
            assertThat(Nip19.decode(Nip19.encode(entity))).isEqualTo(entity);
        } catch (InvalidNip19Exception expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void anyBytesDecodeOrAreRejectedWithACheckedException(
            @ForAll("prefixes") String prefix, @ForAll @Size(max = 200) byte[] payload) {
        try {
            Nip19.decode(Bech32.encode(prefix, payload));
        } catch (InvalidNip19Exception expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void bech32DecodesTheBytesItEncoded(@ForAll @Size(max = 600) byte[] bytes) throws InvalidNip19Exception {
        Bech32.Decoded decoded = Bech32.decode(Bech32.encode("nevent", bytes));
        assertThat(decoded.hrp()).isEqualTo("nevent");
        assertThat(decoded.bytes()).isEqualTo(bytes);
    }

    @Provide
    Arbitrary<Nip19Entity> entities() {
        return Arbitraries.oneOf(
                pubkeys().map(Npub::new),
                secKeys().map(Nsec::new),
                ids().map(Note::new),
                Combinators.combine(pubkeys(), relays()).as(Profile::new),
                Combinators.combine(ids(), relays(), pubkeys().optional(), kinds().optional())
                        .as((id, relays, author, kind) -> new EventPointer(id, relays, author,
                                kind.map(OptionalInt::of).orElse(OptionalInt.empty()))),
                Combinators.combine(text(), pubkeys(), kinds(), relays()).as(AddressPointer::new));
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.oneOf(
                Arbitraries.of('q', 'p', 'z', 'r', 'y', '9', 'x', '8', 'g', 'f', '2', 't', 'v', 'd', 'w', '0', 's',
                        '3', 'j', 'n', '5', '4', 'k', 'h', 'c', 'e', '6', 'm', 'u', 'a', '7', 'l'),
                Arbitraries.chars().range('A', 'Z'),
                Arbitraries.of('1', 'b', 'i', 'o', ' ', '\u00e3', '\u0000'),
                Arbitraries.chars());
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("npub", "nsec", "note", "nprofile", "nevent", "naddr");
    }

    /** TLV sequences of known and unknown types, with lengths right, wrong and random. */
    @Provide
    Arbitrary<byte[]> tlvPayloads() {
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(32),
                Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().between((byte) 0, (byte) 1).array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
        Arbitrary<byte[]> tlv = Combinators.combine(Arbitraries.integers().between(0, 5), values)
                .as((type, value) -> new Tlv.Writer().write(type, value).toBytes());
        Arbitrary<byte[]> sequence = tlv.list().ofMaxSize(6).map(tlvs -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            tlvs.forEach(out::writeBytes);
            return out.toByteArray();
        });
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 3);
        return Combinators.combine(sequence, cut, Arbitraries.integers().between(0, 9))
                .as((bytes, cutBy, oneInTen) -> oneInTen == 0 && bytes.length > 0 // sometimes cut short
                        ? Arrays.copyOf(bytes, Math.max(0, bytes.length - 1 - cutBy))
                        : bytes);
    }

    private static Arbitrary<PubKey> pubkeys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(PubKey::of);
    }

    private static Arbitrary<EventId> ids() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(EventId::of);
    }

    private static Arbitrary<SecKey> secKeys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).filter(Nip19PropertiesTest::isSecretKey)
                .map(SecKey::new);
    }

    private static boolean isSecretKey(byte[] bytes) {
        try {
            new SecKey(bytes);
            return true;
        } catch (IllegalArgumentException zeroOrTooLarge) {
            return false;
        }
    }

    private static Arbitrary<Integer> kinds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 65_535), Arbitraries.of(0, 1, 30_023, 65_535));
    }

    private static Arbitrary<List<String>> relays() {
        Arbitrary<String> url = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(30)
                .map(host -> "wss://" + host + ".example");
        return Arbitraries.oneOf(url, text()).list().ofMaxSize(5);
    }

    /** Any Unicode text of up to 60 code points (at most 240 bytes of UTF-8), never a lone surrogate. */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7e),
                Arbitraries.integers().between(0, 0xd7ff),
                Arbitraries.integers().between(0xe000, 0x10ffff));
        return codePoint.list().ofMaxSize(60)
                .map(points -> new String(points.stream().mapToInt(Integer::intValue).toArray(), 0, points.size()));
    }
}
