package dev.nostrgate.core.negentropy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of items all the {@link BlockStorage}s built against it may hold together: in the heap, and in
 * temporary files once the heap share is used up. One budget is shared by every reconciliation of a process (a
 * relay's sessions across all connections), so that many large sets spill to disk instead of exhausting the heap,
 * and are refused once the disk share is used up too. Safe from any thread.
 */
public final class StorageBudget {
    private final long heapBytes;
    private final long diskBytes;
    private final Path spillDirectory;
    private final AtomicLong heapUsed = new AtomicLong();
    private final AtomicLong diskUsed = new AtomicLong();

    /**
     * @param heapBytes      what items may take in the heap, all storages together
     * @param diskBytes      what they may take in temporary files once the heap share is used (0: never spill)
     * @param spillDirectory where those files are made; each is unlinked as soon as it is open, so nothing is left
     *                       behind even by a killed process
     */
    public StorageBudget(long heapBytes, long diskBytes, Path spillDirectory) {
        if (heapBytes < 0 || diskBytes < 0) {
            throw new IllegalArgumentException("budgets are not negative: heap " + heapBytes + ", disk " + diskBytes);
        }
        this.heapBytes = heapBytes;
        this.diskBytes = diskBytes;
        this.spillDirectory = spillDirectory;
    }

    /** A budget for one client-side reconciliation at a time: 64 MB of heap, then the system's temporary directory. */
    public static StorageBudget forClient() {
        return new StorageBudget(64L << 20, Long.MAX_VALUE, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Path spillDirectory() {
        return spillDirectory;
    }

    /** False when items may not go to disk at all (a disk share of 0). */
    public boolean spills() {
        return diskBytes > 0;
    }

    /** Bytes of items held in the heap now. */
    public long heapInUse() {
        return heapUsed.get();
    }

    /** Bytes of items held in temporary files now. */
    public long diskInUse() {
        return diskUsed.get();
    }

    boolean reserveHeap(long bytes) {
        return reserve(heapUsed, heapBytes, bytes);
    }

    void releaseHeap(long bytes) {
        heapUsed.addAndGet(-bytes);
    }

    boolean reserveDisk(long bytes) {
        return reserve(diskUsed, diskBytes, bytes);
    }

    void releaseDisk(long bytes) {
        diskUsed.addAndGet(-bytes);
    }

    private static boolean reserve(AtomicLong used, long limit, long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit || now + bytes < 0) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "StorageBudget[heap " + heapUsed.get() + "/" + heapBytes + ", disk " + diskUsed.get() + "/" + diskBytes
                + " in " + spillDirectory + "]";
    }
}
