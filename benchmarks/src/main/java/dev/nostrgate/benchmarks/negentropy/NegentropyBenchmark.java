package dev.nostrgate.benchmarks.negentropy;

import dev.nostrgate.core.negentropy.NegentropyClient;
import dev.nostrgate.core.negentropy.NegentropyServer;
import dev.nostrgate.core.negentropy.SortedVectorStorage;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A NIP-77 reconciliation in memory, our client against our server on {@link SortedVectorStorage}: two sets of
 * about {@code --items} each that differ in {@code --difference} of their items, half missing on each side.
 * Prints, per run, the time to build the two storages, the time of the reconciliation itself, the round trips and
 * the bytes each way (binary; NIP-77 sends them as hex, twice as many), and checks that exactly the planted
 * differences were found. No network and no database: this is the protocol's and the storage's own cost.
 *
 * <pre>
 * ./nostr neg-bench                                   # 1,000,000 items, 1% different, no frame limit, 3 runs
 * ./nostr neg-bench --frame-size-limit 60000          # nostr-tools' default limit
 * ./nostr neg-bench --items 100000 --difference 0.1 --runs 5
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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--items" -> items = Integer.parseInt(args[++i].replace("_", ""));
                case "--difference" -> difference = Double.parseDouble(args[++i]);
                case "--frame-size-limit" -> frameSizeLimit = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: neg-bench [--items N] [--difference F] [--frame-size-limit B] "
                            + "[--runs N]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("negentropy v1 in memory: %,d items per side, %.2f%% different, frame size limit %s%n",
                items, difference * 100, frameSizeLimit == 0 ? "none" : String.format("%,d", frameSizeLimit));
        for (int run = 1; run <= runs; run++) {
            Result result = run(items, difference, frameSizeLimit, 42L + run);
            System.out.printf("run %d: build %,d ms (both sides), reconcile %,d ms, %d round trips, client -> server "
                            + "%,d bytes, server -> client %,d bytes, largest message %,d bytes; found have %,d "
                            + "need %,d (expected %,d / %,d)%n", run, result.buildMillis, result.reconcileMillis,
                    result.roundTrips, result.clientBytes, result.serverBytes, result.largestMessage, result.have,
                    result.need, result.expectedHave, result.expectedNeed);
            if (result.have != result.expectedHave || result.need != result.expectedNeed) {
                System.err.println("the reconciliation did not find exactly the planted differences");
                System.exit(1);
            }
        }
    }

    static Result run(int items, double difference, int frameSizeLimit, long seed) {
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
        SortedVectorStorage serverItems = server.build();
        long buildNanos = System.nanoTime() - buildStart;

        Result result = new Result();
        result.buildMillis = buildNanos / 1_000_000;
        result.expectedHave = onlyClient;
        result.expectedNeed = onlyServer;
        long start = System.nanoTime();
        NegentropyClient negentropyClient = new NegentropyClient(clientItems, frameSizeLimit);
        NegentropyServer negentropyServer = new NegentropyServer(serverItems, frameSizeLimit);
        Optional<byte[]> message = Optional.of(negentropyClient.initiate());
        while (message.isPresent()) {
            byte[] reply = negentropyServer.reconcile(message.get());
            result.roundTrips++;
            result.clientBytes += message.get().length;
            result.serverBytes += reply.length;
            result.largestMessage = Math.max(result.largestMessage, Math.max(message.get().length, reply.length));
            message = negentropyClient.reconcile(reply, have -> result.have++, need -> result.need++);
        }
        result.reconcileMillis = (System.nanoTime() - start) / 1_000_000;
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
