package dev.nostrgate.examples;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Subscribes to a relay with one filter and prints what arrives until Ctrl-C: each event as one line of JSON on
 * stdout (ready for {@code jq}), the end of stored events and the relay's {@code CLOSED} on stderr.
 *
 * <pre>
 * java -jar examples/target/examples.jar SubscribePrinter wss://relay.example.com '{"kinds":[1],"limit":5}'
 * </pre>
 *
 * <p>Exits with 0 on Ctrl-C, 1 if the relay closes the subscription, 2 for bad arguments.
 */
public final class SubscribePrinter {
    /** How long Ctrl-C waits for the subscription and connection to close cleanly. */
    private static final long CLOSE_WAIT_SECONDS = 3;

    private SubscribePrinter() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                finished.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS); // let run() send CLOSE and close the socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop on Ctrl-C"));
        int status = run(args, System.out, System.err, stop);
        finished.countDown();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Prints until {@code stop} is counted down or the relay closes the subscription; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) throws InterruptedException {
        if (args.length != 2) {
            err.println("usage: SubscribePrinter <relay-url> <filter-json>");
            return 2;
        }
        final Filter filter;
        try {
            filter = FilterJson.parse(args[1]);
        } catch (InvalidFilterException e) {
            err.println("not a filter: " + e.getMessage());
            return 2;
        }
        final RelayClient.Builder builder;
        try {
            builder = RelayClient.builder().url(args[0]);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }

        AtomicBoolean closedByRelay = new AtomicBoolean();
        try (RelayClient client = builder.build();
                Subscription subscription = client.subscribe(filter, new Printer(out, err, () -> {
                    closedByRelay.set(true);
                    stop.countDown();
                }))) {
            err.println("subscribed to " + client.url() + " with " + filter + " (" + subscription.id() + ")");
            stop.await();
        }
        return closedByRelay.get() ? 1 : 0;
    }

    /** Prints one subscription's messages. */
    private record Printer(PrintStream out, PrintStream err, Runnable onClosed) implements SubscriptionListener {
        @Override
        public void onEvent(Event event) {
            out.println(event.toJson());
        }

        @Override
        public void onEose() {
            err.println("-- end of stored events; live events follow --");
        }

        @Override
        public void onClosed(String reason) {
            err.println("closed by the relay: " + reason);
            onClosed.run();
        }
    }
}
