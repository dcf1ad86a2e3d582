package dev.nostrgate.core.negentropy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Items in blocks of 1,024 (40 KB of 8-byte big-endian timestamp + 32-byte id records), with a small index in the
 * heap: each block's first item and the sum of its ids. Blocks stay in the heap while the {@link StorageBudget} has
 * room; from the first block it refuses on, the rest go to a temporary file, read back a block at a time into a
 * two-block cache. A set of a million items past the budget costs the heap about 70 KB of index plus 80 KB of
 * cache, not 40 MB.
 *
 * <p>The index also makes the server's work per message smaller than a flat array's: a range's fingerprint adds
 * whole blocks' sums and reads items only in the partial blocks at its two ends, and a bound is found by a search
 * over the blocks' first items, then within one block.
 *
 * <p>Built by a {@link Writer} from items in order (a database cursor), so the items are never all in the heap
 * unless the budget lets them be. Not safe for concurrent use; {@link #close()} gives back its budget and its file.
 */
public final class BlockStorage implements NegentropyStorage, AutoCloseable {
    static final int BLOCK_ITEMS = 1024;
    private static final int ID = Bound.ID_SIZE;
    private static final int ITEM = 8 + ID;
    static final int BLOCK_BYTES = BLOCK_ITEMS * ITEM;
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int size;
    private final int blocks;
    private final long[] firstTimestamps;
    private final byte[] firstIds;
    private final IdSum[] sums;
    private final byte[][] heapBlocks; // the first blocks; the rest are in the file
    private final FileChannel file; // null when every block is in the heap
    private final StorageBudget budget;
    private final long heapReserved;
    private final long diskReserved;
    private final byte[][] cache = new byte[2][];
    private final int[] cachedBlock = {-1, -1};
    private int lastUsedSlot;
    private boolean closed;

    private BlockStorage(Writer writer) {
        this.size = writer.size;
        this.blocks = writer.blocks;
        this.firstTimestamps = Arrays.copyOf(writer.firstTimestamps, blocks);
        this.firstIds = Arrays.copyOf(writer.firstIds, blocks * ID);
        this.sums = Arrays.copyOf(writer.sums, blocks);
        this.heapBlocks = writer.heapBlocks.toArray(byte[][]::new);
        this.file = writer.file;
        this.budget = writer.budget;
        this.heapReserved = writer.heapReserved;
        this.diskReserved = writer.diskReserved;
    }

    /** A writer that takes items in order and keeps them within {@code budget}. */
    public static Writer writer(StorageBudget budget) {
        return new Writer(budget);
    }

    /** The items of {@code sorted}, in order, copied into blocks within {@code budget}. */
    public static BlockStorage copyOf(NegentropyStorage sorted, StorageBudget budget) {
        try (Writer writer = writer(budget)) {
            byte[] id = new byte[ID];
            for (int i = 0; i < sorted.size(); i++) {
                sorted.copyId(i, id, 0);
                writer.add(sorted.timestamp(i), id, 0);
            }
            return writer.build();
        }
    }

    /** True when some blocks are in a temporary file rather than in the heap. */
    public boolean spilled() {
        return file != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long timestamp(int index) {
        return (long) BIG_ENDIAN_LONG.get(block(index / BLOCK_ITEMS), (index % BLOCK_ITEMS) * ITEM);
    }

    @Override
    public void copyId(int index, byte[] target, int offset) {
        System.arraycopy(block(index / BLOCK_ITEMS), (index % BLOCK_ITEMS) * ITEM + 8, target, offset, ID);
    }

    @Override
    public byte[] fingerprint(int begin, int end) {
        IdSum sum = new IdSum();
        int index = begin;
        while (index < end) {
            int block = index / BLOCK_ITEMS;
            int blockStart = block * BLOCK_ITEMS;
            int blockEnd = Math.min(blockStart + BLOCK_ITEMS, size);
            if (index == blockStart && end >= blockEnd) {
                sum.add(sums[block]);
                index = blockEnd;
                continue;
            }
            byte[] items = block(block);
            int stop = Math.min(end, blockEnd);
            for (; index < stop; index++) {
                sum.add(items, (index - blockStart) * ITEM + 8);
            }
        }
        return sum.fingerprint();
    }

    @Override
    public int findLowerBound(int begin, int end, Bound bound) {
        if (begin >= end) {
            return begin;
        }
        // the first block after begin's whose first item is not below the bound: the answer is in the one before
        int low = begin / BLOCK_ITEMS + 1;
        int high = (end - 1) / BLOCK_ITEMS + 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (bound.compareToItem(firstTimestamps[middle], firstIds, middle * ID) > 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        int block = low - 1;
        int base = block * BLOCK_ITEMS;
        byte[] items = block(block);
        int from = Math.max(begin, base);
        int to = Math.min(end, base + BLOCK_ITEMS);
        while (from < to) {
            int middle = (from + to) >>> 1;
            int at = (middle - base) * ITEM;
            if (bound.compareToItem((long) BIG_ENDIAN_LONG.get(items, at), items, at + 8) > 0) {
                from = middle + 1;
            } else {
                to = middle;
            }
        }
        return from;
    }

    /** Gives the budget back and deletes the file; the storage cannot be read afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        budget.releaseHeap(heapReserved);
        budget.releaseDisk(diskReserved);
        closeQuietly(file);
    }

    private byte[] block(int index) {
        if (closed) {
            throw new IllegalStateException("this negentropy storage is closed");
        }
        if (index < heapBlocks.length) {
            return heapBlocks[index];
        }
        for (int slot = 0; slot < 2; slot++) {
            if (cachedBlock[slot] == index) {
                lastUsedSlot = slot;
                return cache[slot];
            }
        }
        int slot = 1 - lastUsedSlot;
        int length = (Math.min(size, (index + 1) * BLOCK_ITEMS) - index * BLOCK_ITEMS) * ITEM;
        if (cache[slot] == null || cache[slot].length < length) {
            cache[slot] = new byte[length]; // a small spilled set caches only what it has
        }
        ByteBuffer target = ByteBuffer.wrap(cache[slot], 0, length);
        long position = (long) (index - heapBlocks.length) * BLOCK_BYTES;
        try {
            while (target.hasRemaining()) {
                if (file.read(target, position + target.position()) < 0) {
                    throw new EOFException("negentropy spill file ends before block " + index);
                }
            }
        } catch (IOException e) {
            cachedBlock[slot] = -1;
            throw new UncheckedIOException("reading negentropy items back from their spill file", e);
        }
        cachedBlock[slot] = index;
        lastUsedSlot = slot;
        return cache[slot];
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // the file was unlinked when it was opened; closing only frees the descriptor
        }
    }

    /**
     * Takes items in ascending (timestamp, id) order, a repeated item once, and seals them into blocks: in the heap
     * while the budget has room, then in a temporary file (the heap blocks stay where they are: moving them would
     * only hand their room to another writer racing for it). {@link #close()} without {@link #build()} gives
     * everything back.
     */
    public static final class Writer implements AutoCloseable {
        private final StorageBudget budget;
        private final List<byte[]> heapBlocks = new ArrayList<>();
        private long[] firstTimestamps = new long[4];
        private byte[] firstIds = new byte[4 * ID];
        private IdSum[] sums = new IdSum[4];
        private int blocks;
        private byte[] current = new byte[64 * ITEM];
        private int inCurrent;
        private IdSum currentSum = new IdSum();
        private int size;
        private FileChannel file;
        private long heapReserved;
        private long diskReserved;
        private boolean finished;

        private Writer(StorageBudget budget) {
            this.budget = budget;
        }

        /** How many items have been taken. */
        public int size() {
            return size;
        }

        /**
         * Adds the item whose id is {@code source[offset .. offset + 32]}; it must not come before the last one.
         *
         * @throws BudgetExceededException when the budget has neither heap nor disk left for another block
         */
        public Writer add(long timestamp, byte[] source, int offset) {
            if (finished) {
                throw new IllegalStateException("this writer has built its storage or been closed");
            }
            if (timestamp == Bound.INFINITY) {
                throw new IllegalArgumentException("timestamp 2^64-1 is reserved for the end of the range");
            }
            if (source.length - offset < ID) {
                throw new IllegalArgumentException("an id is 32 bytes");
            }
            if (size > 0) {
                int order = compareToLast(timestamp, source, offset);
                if (order == 0) {
                    return this;
                }
                if (order < 0) {
                    throw new IllegalArgumentException("items must come in (timestamp, id) order");
                }
            }
            if (inCurrent * ITEM == current.length) {
                current = Arrays.copyOf(current, Math.min(current.length * 2, BLOCK_BYTES));
            }
            int at = inCurrent * ITEM;
            BIG_ENDIAN_LONG.set(current, at, timestamp);
            System.arraycopy(source, offset, current, at + 8, ID);
            currentSum.add(current, at + 8);
            inCurrent++;
            size++;
            if (inCurrent == BLOCK_ITEMS) {
                seal();
            }
            return this;
        }

        /** The storage of every item taken; the writer's budget and file pass to it. */
        public BlockStorage build() {
            if (finished) {
                throw new IllegalStateException("this writer has built its storage or been closed");
            }
            if (inCurrent > 0) {
                seal();
            }
            finished = true;
            return new BlockStorage(this);
        }

        /** Abandons the items: gives the budget back and deletes the file, unless {@link #build()} ran. */
        @Override
        public void close() {
            if (finished) {
                return;
            }
            finished = true;
            budget.releaseHeap(heapReserved);
            budget.releaseDisk(diskReserved);
            heapBlocks.clear();
            closeQuietly(file);
        }

        private int compareToLast(long timestamp, byte[] source, int offset) {
            byte[] block = current;
            int lastAt = (inCurrent - 1) * ITEM;
            if (inCurrent == 0) {
                // the last item was sealed with the previous block
                block = lastSealedBlock();
                lastAt = (BLOCK_ITEMS - 1) * ITEM;
            }
            int byTime = Long.compareUnsigned(timestamp, (long) BIG_ENDIAN_LONG.get(block, lastAt));
            if (byTime != 0) {
                return byTime;
            }
            return Arrays.compareUnsigned(source, offset, offset + ID, block, lastAt + 8, lastAt + 8 + ID);
        }

        private byte[] lastSealedBlock() {
            if (file == null) {
                return heapBlocks.get(heapBlocks.size() - 1);
            }
            return current; // a writer that spills reuses its buffer, which still holds the block it last wrote
        }

        private void seal() {
            if (blocks == firstTimestamps.length) {
                firstTimestamps = Arrays.copyOf(firstTimestamps, blocks * 2);
                firstIds = Arrays.copyOf(firstIds, blocks * 2 * ID);
                sums = Arrays.copyOf(sums, blocks * 2);
            }
            firstTimestamps[blocks] = (long) BIG_ENDIAN_LONG.get(current, 0);
            System.arraycopy(current, 8, firstIds, blocks * ID, ID);
            sums[blocks] = currentSum;
            byte[] block = inCurrent == BLOCK_ITEMS ? current : Arrays.copyOf(current, inCurrent * ITEM);
            if (file == null && budget.reserveHeap(block.length)) {
                heapReserved += block.length;
                heapBlocks.add(block);
                if (block == current) {
                    current = new byte[BLOCK_BYTES];
                }
            } else {
                if (file == null) {
                    openFile();
                }
                write(blocks - heapBlocks.size(), block);
            }
            blocks++;
            inCurrent = 0;
            currentSum = new IdSum();
        }

        private void openFile() {
            if (!budget.spills()) {
                throw exceeded();
            }
            try {
                Path path = Files.createTempFile(budget.spillDirectory(), "negentropy-", ".items");
                file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
                // unlinked while open: the data lives until the channel closes, and a killed process leaves nothing
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("making a negentropy spill file in " + budget.spillDirectory(), e);
            }
        }

        /** Writes a block at its place in the file: {@code block} counts the blocks in the file only. */
        private void write(int block, byte[] bytes) {
            if (!budget.reserveDisk(bytes.length)) {
                throw exceeded();
            }
            diskReserved += bytes.length;
            ByteBuffer source = ByteBuffer.wrap(bytes);
            long position = (long) block * BLOCK_BYTES;
            try {
                while (source.hasRemaining()) {
                    file.write(source, position + source.position());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing negentropy items to their spill file", e);
            }
        }

        private BudgetExceededException exceeded() {
            return new BudgetExceededException("no room left for negentropy items: " + budget);
        }
    }
}
