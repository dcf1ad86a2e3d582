package dev.nostrgate.benchmarks.negentropy;

import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.NegentropyClient;
import dev.nostrgate.core.negentropy.NegentropyServer;
import dev.nostrgate.core.negentropy.NegentropyStorage;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A NIP-77 reconciliation in memory, our client on {@link SortedVectorStorage} against our server on the storage
 * {@code --server-storage} names: {@code flat} (SortedVectorStorage), {@code blocks} (the relay's BlockStorage with
 * its blocks in the heap) or {@code spilled} (BlockStorage with no heap share: every block in a temporary file, as a
 * relay past its memory budget holds them). Two sets of about {@code --items} each that differ in
 * {@code --difference} of their items, half missing on each side. Prints, per run, the time to build the storages,
 * the time of the reconciliation and of the server's part of it, the round trips and the bytes each way (binary;
 * NIP-77 sends them as hex, twice as many), what the server's items hold in the heap and on disk, and checks that
 * exactly the planted differences were found. No network and no database: the protocol's and the storage's cost.
 *
 * <pre>
 * ./nostr neg-bench                                   # 1,000,000 items, 1% different, no frame limit, 3 runs
 * ./nostr neg-bench --frame-size-limit 60000          # nostr-tools' default limit
 * ./nostr neg-bench --items 100000 --difference 0.1 --runs 5
 * ./nostr neg-bench --server-storage spilled          # the relay's storage past its memory budget
 * </pre>
 */
public final class NegentropyBenchmark {
    private static final long NOW = 1_760_000_000L;
    private static final int YEAR = 365 * 24 * 3600;

    private NegentropyBenchmark() {
    }

    public static void main(String[] args) {
        int items = 1_000_000;
        double difference = 0.01;
        int frameSizeLimit = 0;
        int runs = 3;
        String serverStorage = "flat";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--items" -> items = Integer.parseInt(args[++i].replace("_", ""));
                case "--difference" -> difference = Double.parseDouble(args[++i]);
                case "--frame-size-limit" -> frameSizeLimit = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--server-storage" -> serverStorage = args[++i];
                default -> {
                    System.err.println("usage: neg-bench [--items N] [--difference F] [--frame-size-limit B] "
                            + "[--runs N] [--server-storage flat|blocks|spilled]");
                    System.exit(2);
                }
            }
        }
        if (!serverStorage.matches("flat|blocks|spilled")) {
            System.err.println("--server-storage is flat, blocks or spilled, not " + serverStorage);
            System.exit(2);
        }
        System.out.printf("negentropy v1 in memory: %,d items per side, %.2f%% different, frame size limit %s, "
                        + "server storage %s%n", items, difference * 100,
                frameSizeLimit == 0 ? "none" : String.format("%,d", frameSizeLimit), serverStorage);
        for (int run = 1; run <= runs; run++) {
            Result result = run(items, difference, frameSizeLimit, 42L + run, serverStorage);
            System.out.printf("run %d: build %,d ms (both sides), reconcile %,d ms (server %,.0f ms), %d round trips, "
                            + "client -> server %,d bytes, server -> client %,d bytes, largest message %,d bytes; "
                            + "server items: heap %,d bytes, disk %,d bytes; found have %,d need %,d "
                            + "(expected %,d / %,d)%n", run, result.buildMillis, result.reconcileMillis,
                    result.serverMillis, result.roundTrips, result.clientBytes, result.serverBytes,
                    result.largestMessage, result.serverHeapBytes, result.serverDiskBytes, result.have,
                    result.need, result.expectedHave, result.expectedNeed);
            if (result.have != result.expectedHave || result.need != result.expectedNeed) {
                System.err.println("the reconciliation did not find exactly the planted differences");
                System.exit(1);
            }
        }
    }

    static Result run(int items, double difference, int frameSizeLimit, long seed, String serverStorage) {
        SplittableRandom random = new SplittableRandom(seed);
        int different = (int) Math.round(items * difference);
        int onlyClient = different / 2;
        int onlyServer = different - onlyClient;
        int shared = items - Math.max(onlyClient, onlyServer);
        long buildStart = System.nanoTime();
        SortedVectorStorage.Builder client = SortedVectorStorage.builder(shared + onlyClient);
        SortedVectorStorage.Builder server = SortedVectorStorage.builder(shared + onlyServer);
        byte[] id = new byte[32];
        for (int i = 0; i < shared; i++) {
            long timestamp = NOW - random.nextInt(YEAR);
            randomId(random, id);
            client.add(timestamp, id);
            server.add(timestamp, id);
        }
        for (int i = 0; i < onlyClient; i++) {
            randomId(random, id);
            client.add(NOW - random.nextInt(YEAR), id);
        }
        for (int i = 0; i < onlyServer; i++) {
            randomId(random, id);
            server.add(NOW - random.nextInt(YEAR), id);
        }
        SortedVectorStorage clientItems = client.build();
        SortedVectorStorage flatServerItems = server.build();
        Result result = new Result();
        // the heap share decides where the blocks live; the items' own bytes are counted by the budget
        StorageBudget budget = new StorageBudget(serverStorage.equals("spilled") ? 0 : Long.MAX_VALUE,
                Long.MAX_VALUE, Path.of(System.getProperty("java.io.tmpdir")));
        NegentropyStorage serverItems = serverStorage.equals("flat") ? flatServerItems
                : BlockStorage.copyOf(flatServerItems, budget);
        result.serverHeapBytes = serverStorage.equals("flat") ? 40L * flatServerItems.size() : budget.heapInUse();
        result.serverDiskBytes = budget.diskInUse();
        long buildNanos = System.nanoTime() - buildStart;

        result.buildMillis = buildNanos / 1_000_000;
        result.expectedHave = onlyClient;
        result.expectedNeed = onlyServer;
        long start = System.nanoTime();
        NegentropyClient negentropyClient = new NegentropyClient(clientItems, frameSizeLimit);
        NegentropyServer negentropyServer = new NegentropyServer(serverItems, frameSizeLimit);
        Optional<byte[]> message = Optional.of(negentropyClient.initiate());
        while (message.isPresent()) {
            long serverStart = System.nanoTime();
            byte[] reply = negentropyServer.reconcile(message.get());
            result.serverMillis += (System.nanoTime() - serverStart) / 1_000_000.0;
            result.roundTrips++;
            result.clientBytes += message.get().length;
            result.serverBytes += reply.length;
            result.largestMessage = Math.max(result.largestMessage, Math.max(message.get().length, reply.length));
            message = negentropyClient.reconcile(reply, have -> result.have++, need -> result.need++);
        }
        result.reconcileMillis = (System.nanoTime() - start) / 1_000_000;
        if (serverItems instanceof BlockStorage blocks) {
            blocks.close();
        }
        return result;
    }

    private static void randomId(SplittableRandom random, byte[] id) {
        for (int i = 0; i < id.length; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8; b++) {
                id[i + b] = (byte) (bits >>> (8 * b));
            }
        }
    }

    static final class Result {
        long buildMillis;
        long reconcileMillis;
        double serverMillis;
        long serverHeapBytes;
        long serverDiskBytes;
        int roundTrips;
        long clientBytes;
        long serverBytes;
        int largestMessage;
        int have;
        int need;
        int expectedHave;
        int expectedNeed;
    }
}
