package dev.nostrgate.core.negentropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.Hex;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our client against our server on random sets: whatever the overlap, the client learns exactly the ids only it
 * has and exactly the ids only the server has, each once, and no message exceeds the frame size limit.
 */
class NegentropyProtocolTest {

    @ParameterizedTest(name = "shared {0}, client only {1}, server only {2}, frame limit {3}")
    @CsvSource({
            "0, 0, 0, 0",
            "0, 20, 0, 0",
            "0, 0, 20, 0",
            "100, 0, 0, 0",
            "1000, 30, 40, 0",
            "20000, 200, 300, 0",
            "20000, 200, 300, 4096",
            "0, 3000, 3000, 4096",
            "5000, 0, 5000, 8192"})
    void clientLearnsExactlyTheDifferencesBothWays(int shared, int clientOnly, int serverOnly, int frameSizeLimit) {
        Random random = new Random(shared * 31L + clientOnly * 7L + serverOnly + frameSizeLimit);
        SortedVectorStorage.Builder client = SortedVectorStorage.builder();
        SortedVectorStorage.Builder server = SortedVectorStorage.builder();
        Set<String> expectedHave = new HashSet<>();
        Set<String> expectedNeed = new HashSet<>();
        for (int i = 0; i < shared; i++) {
            long timestamp = timestamp(random);
            byte[] id = id(random);
            client.add(timestamp, id);
            server.add(timestamp, id);
        }
        for (int i = 0; i < clientOnly; i++) {
            byte[] id = id(random);
            client.add(timestamp(random), id);
            expectedHave.add(Hex.encode(id));
        }
        for (int i = 0; i < serverOnly; i++) {
            byte[] id = id(random);
            server.add(timestamp(random), id);
            expectedNeed.add(Hex.encode(id));
        }

        Outcome outcome = reconcile(client.build(), server.build(), frameSizeLimit);

        assertThat(outcome.have).isEqualTo(expectedHave);
        assertThat(outcome.need).isEqualTo(expectedNeed);
        assertThat(outcome.reportedTwice).isFalse();
        if (frameSizeLimit > 0) {
            assertThat(outcome.largestMessage).isLessThanOrEqualTo(frameSizeLimit);
        }
    }

    @Test
    void itemsSharingOneTimestampAreSeparatedByIdPrefixes() {
        Random random = new Random(7);
        SortedVectorStorage.Builder client = SortedVectorStorage.builder();
        SortedVectorStorage.Builder server = SortedVectorStorage.builder();
        Set<String> expectedNeed = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            byte[] id = id(random);
            id[0] = 0x42; // a long common prefix forces bounds with several id bytes
            server.add(1_700_000_000L, id);
            if (i % 97 == 0) {
                expectedNeed.add(Hex.encode(id));
            } else {
                client.add(1_700_000_000L, id);
            }
        }

        Outcome outcome = reconcile(client.build(), server.build(), 0);

        assertThat(outcome.have).isEmpty();
        assertThat(outcome.need).isEqualTo(expectedNeed);
    }

    @Test
    void storageSortsItsInputAndDropsRepeatedItems() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = 1;
        SortedVectorStorage storage = SortedVectorStorage.builder()
                .add(5, high).add(5, low).add(3, high).add(5, high).build();

        assertThat(storage.size()).isEqualTo(3);
        assertThat(new long[] {storage.timestamp(0), storage.timestamp(1), storage.timestamp(2)})
                .containsExactly(3, 5, 5);
        byte[] id = new byte[32];
        storage.copyId(1, id, 0);
        assertThat(id).isEqualTo(low);
    }

    @Test
    void fingerprintIsTheHashOfTheLittleEndianIdSumAndTheCount() {
        // 0xff..ff + 0x01 wraps to zero mod 2^256: the fingerprint is then that of 32 zero bytes and count 2
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        byte[] one = new byte[32];
        one[0] = 1;
        IdSum sum = new IdSum();
        sum.add(ones, 0);
        sum.add(one, 0);

        assertThat(Hex.encode(sum.fingerprint())).isEqualTo(
                Hex.encode(java.util.Arrays.copyOf(sha256(new byte[32], new byte[] {2}), 16)));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource({
            "'', message ends early",
            "61ff, message ends early",
            "6100210000, at most 32",
            "6100000205, runs past",
            "61000007, unknown range mode",
            "610000010011, message ends early",
            "61000002ffffffffffffffff7f, runs past",
            "6X, lowercase hex"})
    void serverRejectsMalformedMessages(String hex, String problem) {
        NegentropyServer server = new NegentropyServer(SortedVectorStorage.builder().build(), 0);

        assertThatThrownBy(() -> server.reconcileHex(hex)).isInstanceOf(NegentropyException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void frameSizeLimitBelow4096IsRefused() {
        assertThatThrownBy(() -> new NegentropyServer(SortedVectorStorage.builder().build(), 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    }

    static Outcome reconcile(NegentropyStorage clientItems, NegentropyStorage serverItems, int frameSizeLimit) {
        NegentropyClient client = new NegentropyClient(clientItems, frameSizeLimit);
        NegentropyServer server = new NegentropyServer(serverItems, frameSizeLimit);
        Outcome outcome = new Outcome();
        Optional<byte[]> message = Optional.of(client.initiate());
        while (message.isPresent()) {
            byte[] reply = server.reconcile(message.get());
            outcome.largestMessage = Math.max(outcome.largestMessage, Math.max(message.get().length, reply.length));
            message = client.reconcile(reply,
                    id -> outcome.reportedTwice |= !outcome.have.add(Hex.encode(id)),
                    id -> outcome.reportedTwice |= !outcome.need.add(Hex.encode(id)));
        }
        return outcome;
    }

    static final class Outcome {
        final Set<String> have = new HashSet<>();
        final Set<String> need = new HashSet<>();
        boolean reportedTwice;
        int largestMessage;
    }

    private static long timestamp(Random random) {
        return 1_600_000_000L + random.nextInt(50_000); // collisions on purpose: ids then order the items
    }

    private static byte[] id(Random random) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return id;
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
