package dev.nostrgate.core.negentropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BlockStorage} answers every question exactly as the flat {@link SortedVectorStorage} of the same items does,
 * whether its blocks are in the heap, in a spill file, or moved there part way, and it keeps to its budget.
 */
class BlockStorageTest {
    @TempDir
    Path spill;

    @Test
    void answersAsTheFlatStorageInTheHeapInAFileAndWhenSpilledPartWay() {
        SortedVectorStorage flat = randomItems(new Random(7), 5_321, 900);
        long blockBytes = BlockStorage.BLOCK_BYTES;
        for (long heap : new long[] {Long.MAX_VALUE, 0, 2 * blockBytes}) {
            StorageBudget budget = new StorageBudget(heap, Long.MAX_VALUE, spill);
            try (BlockStorage blocks = BlockStorage.copyOf(flat, budget)) {
                assertThat(blocks.spilled()).as("heap share " + heap).isEqualTo(heap != Long.MAX_VALUE);
                assertSameAnswers(flat, blocks, new Random(heap));
            }
            assertThat(budget.heapInUse()).as("heap given back").isZero();
            assertThat(budget.diskInUse()).as("disk given back").isZero();
        }
    }

    @Test
    void setsSmallerThanABlockAndOfExactlyOneBlockAnswerAlike() {
        for (int count : new int[] {0, 1, 31, 1023, 1024, 1025, 2048}) {
            SortedVectorStorage flat = randomItems(new Random(count), count, 50);
            for (long heap : new long[] {Long.MAX_VALUE, 0}) {
                try (BlockStorage blocks = BlockStorage.copyOf(flat, new StorageBudget(heap, Long.MAX_VALUE, spill))) {
                    assertThat(blocks.size()).isEqualTo(flat.size());
                    assertSameAnswers(flat, blocks, new Random(count));
                }
            }
        }
    }

    @Test
    void aServerOnSpilledBlocksReconcilesAsOneOnTheFlatStorage() {
        Random random = new Random(11);
        SortedVectorStorage serverItems = randomItems(random, 20_000, 5_000);
        SortedVectorStorage.Builder clientBuilder = SortedVectorStorage.builder();
        byte[] id = new byte[32];
        for (int i = 0; i < serverItems.size(); i++) {
            if (i % 97 != 0) { // the client lacks about 1% of the server's
                serverItems.copyId(i, id, 0);
                clientBuilder.add(serverItems.timestamp(i), id);
            }
        }
        for (int i = 0; i < 150; i++) { // and has 150 the server lacks
            random.nextBytes(id);
            clientBuilder.add(random.nextInt(5_000), id);
        }
        SortedVectorStorage clientItems = clientBuilder.build();

        List<String> expected = reconcile(clientItems, serverItems, 4096);
        try (BlockStorage spilled = BlockStorage.copyOf(serverItems, new StorageBudget(0, Long.MAX_VALUE, spill))) {
            assertThat(reconcile(clientItems, spilled, 4096)).isEqualTo(expected);
        }
        assertThat(expected).filteredOn(line -> line.startsWith("need")).hasSize(207);
        assertThat(expected).filteredOn(line -> line.startsWith("have")).hasSize(150);
    }

    @Test
    void theSpillFileIsUnlinkedWhileItIsStillReadable() throws IOException {
        SortedVectorStorage flat = randomItems(new Random(3), 3_000, 100);
        try (BlockStorage blocks = BlockStorage.copyOf(flat, new StorageBudget(0, Long.MAX_VALUE, spill))) {
            try (Stream<Path> files = Files.list(spill)) {
                assertThat(files).as("nothing for a killed process to leave behind").isEmpty();
            }
            assertThat(blocks.fingerprint(0, blocks.size())).isEqualTo(flat.fingerprint(0, flat.size()));
        }
    }

    @Test
    void aSetOverBothSharesIsRefusedAndGivesBackWhatItHeld() {
        SortedVectorStorage flat = randomItems(new Random(5), 5_000, 100);
        long blockBytes = BlockStorage.BLOCK_BYTES;
        StorageBudget budget = new StorageBudget(2 * blockBytes, 2 * blockBytes, spill);
        try (StorageBudgetHolder holder = new StorageBudgetHolder(budget)) {
            assertThatThrownBy(() -> holder.write(flat)).isInstanceOf(BudgetExceededException.class)
                    .hasMessageContaining("no room left for negentropy items");
        }
        assertThat(budget.heapInUse()).isZero();
        assertThat(budget.diskInUse()).isZero();

        StorageBudget heapOnly = new StorageBudget(2 * blockBytes, 0, spill);
        try (StorageBudgetHolder holder = new StorageBudgetHolder(heapOnly)) {
            assertThatThrownBy(() -> holder.write(flat)).isInstanceOf(BudgetExceededException.class);
        }
        assertThat(heapOnly.heapInUse()).isZero();
    }

    @Test
    void storagesShareOneBudgetAndWhatFindsNoRoomSpills() {
        SortedVectorStorage flat = randomItems(new Random(9), 2_048, 100);
        StorageBudget budget = new StorageBudget(3L * BlockStorage.BLOCK_BYTES, Long.MAX_VALUE, spill);
        try (BlockStorage first = BlockStorage.copyOf(flat, budget); BlockStorage second = BlockStorage.copyOf(flat, budget)) {
            assertThat(first.spilled()).isFalse();
            assertThat(second.spilled()).as("one block of room left for two").isTrue();
            assertThat(budget.heapInUse()).as("every block of the first, one of the second")
                    .isEqualTo(3L * BlockStorage.BLOCK_BYTES);
            assertThat(budget.diskInUse()).isEqualTo(BlockStorage.BLOCK_BYTES);
            assertSameAnswers(flat, second, new Random(9));
        }
        assertThat(budget.heapInUse()).isZero();
        assertThat(budget.diskInUse()).isZero();
    }

    @Test
    void itemsMustComeInOrderAndARepeatedOneIsKeptOnce() {
        StorageBudget budget = new StorageBudget(Long.MAX_VALUE, 0, spill);
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = 1;
        try (BlockStorage.Writer writer = BlockStorage.writer(budget)) {
            writer.add(10, high, 0).add(10, high, 0);
            assertThat(writer.size()).isEqualTo(1);
            assertThatThrownBy(() -> writer.add(10, low, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.add(9, high, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.add(Bound.INFINITY, high, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aClosedStorageCannotBeRead() {
        BlockStorage blocks = BlockStorage.copyOf(randomItems(new Random(1), 10, 10), new StorageBudget(0, Long.MAX_VALUE, spill));
        blocks.close();
        assertThatThrownBy(() -> blocks.timestamp(0)).isInstanceOf(IllegalStateException.class);
    }

    /** Random items, many sharing a timestamp (at most {@code timestamps} distinct) so that ids order them. */
    static SortedVectorStorage randomItems(Random random, int count, int timestamps) {
        SortedVectorStorage.Builder builder = SortedVectorStorage.builder(count);
        byte[] id = new byte[32];
        Set<String> seen = new HashSet<>();
        while (builder.size() < count) {
            random.nextBytes(id);
            if (random.nextInt(4) == 0) {
                id[0] = 0; // long shared prefixes make bounds with longer id prefixes
                id[1] = 0;
            }
            if (seen.add(HexFormat.of().formatHex(id))) {
                builder.add(random.nextInt(Math.max(timestamps, 1)), id);
            }
        }
        return builder.build();
    }

    private static void assertSameAnswers(SortedVectorStorage flat, BlockStorage blocks, Random random) {
        assertThat(blocks.size()).isEqualTo(flat.size());
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        for (int i = 0; i < flat.size(); i++) {
            assertThat(blocks.timestamp(i)).isEqualTo(flat.timestamp(i));
            flat.copyId(i, a, 0);
            blocks.copyId(i, b, 0);
            assertThat(b).isEqualTo(a);
        }
        int size = flat.size();
        for (int round = 0; round < 400; round++) {
            int begin = size == 0 ? 0 : random.nextInt(size + 1);
            int end = begin + (size == begin ? 0 : random.nextInt(size - begin + 1));
            if (round % 10 == 0) { // whole blocks and the whole set too
                begin = 0;
                end = size;
            }
            assertThat(blocks.fingerprint(begin, end)).as("fingerprint [%d, %d)", begin, end)
                    .isEqualTo(flat.fingerprint(begin, end));
            Bound bound = randomBound(flat, random);
            assertThat(blocks.findLowerBound(begin, end, bound)).as("lower bound of %s in [%d, %d)", bound, begin, end)
                    .isEqualTo(flat.findLowerBound(begin, end, bound));
        }
    }

    /** A bound at, just before or between items, or past them all. */
    private static Bound randomBound(SortedVectorStorage flat, Random random) {
        if (flat.size() == 0 || random.nextInt(20) == 0) {
            return random.nextBoolean() ? Bound.END : new Bound(random.nextInt(1_000), new byte[0]);
        }
        int index = random.nextInt(flat.size());
        byte[] id = new byte[32];
        flat.copyId(index, id, 0);
        return switch (random.nextInt(3)) {
            case 0 -> new Bound(flat.timestamp(index), id);
            case 1 -> new Bound(flat.timestamp(index), Arrays.copyOf(id, random.nextInt(4)));
            default -> new Bound(flat.timestamp(index) + 1, new byte[0]);
        };
    }

    private static List<String> reconcile(NegentropyStorage clientItems, NegentropyStorage serverItems,
                                          long frameSizeLimit) {
        NegentropyClient client = new NegentropyClient(clientItems, frameSizeLimit);
        NegentropyServer server = new NegentropyServer(serverItems, frameSizeLimit);
        List<String> log = new ArrayList<>();
        String message = client.initiateHex();
        while (message != null) {
            log.add("frame " + message);
            String reply = server.reconcileHex(message);
            log.add("reply " + reply);
            message = client.reconcileHex(reply, id -> log.add("have " + id),
                    id -> log.add("need " + id)).orElse(null);
        }
        return log;
    }

    /** A writer that a test can fill and that gives back its budget however the filling ends. */
    private record StorageBudgetHolder(BlockStorage.Writer writer) implements AutoCloseable {
        StorageBudgetHolder(StorageBudget budget) {
            this(BlockStorage.writer(budget));
        }

        void write(NegentropyStorage sorted) {
            byte[] id = new byte[32];
            for (int i = 0; i < sorted.size(); i++) {
                sorted.copyId(i, id, 0);
                writer.add(sorted.timestamp(i), id, 0);
            }
            writer.build().close();
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
