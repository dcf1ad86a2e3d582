package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.Reconciliation;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.RelayClientException;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.BudgetExceededException;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.store.EventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Catch-up by NIP-77: for each of the relay's filters, bounded to the catch-up window, reconciles what the relay
 * holds with what the gateway's store holds (whichever relay it came from), then asks for the missing ids only, in
 * chunks, and hands each event to the connector's usual path (batcher, queue, consumer, store), so that nothing
 * skips verification or dead-lettering. Unlike a {@code since} cursor it finds events an upstream received late
 * with an old {@code created_at}, and downloads nothing twice.
 *
 * <p>Blocking: run it on a thread of its own (the connector uses a virtual thread).
 */
final class NegentropyCatchUp {
    /** Ids per {@code REQ}: well under the maximum filter size and per-REQ limit relays commonly set. */
    static final int IDS_PER_REQ = 500;
    /** As nostr-relay's default: a window with more items is left to the since path rather than held in memory. */
    static final int MAX_ITEMS = 1_000_000;
    /**
     * The store's items of every catch-up running in this gateway: 64 MB of heap together (a million items is
     * 40 MB), then temporary files, so that a thousand relays catching up at once do not exhaust the heap.
     */
    private static final StorageBudget LOCAL_ITEMS = StorageBudget.forClient();
    /**
     * Our messages' size cap, in binary bytes (hex doubles them on the wire): nostr-tools' default, so that a message
     * stays near 120 kB, under the 128-256 KiB that relays commonly accept (nostr-relay: 256 KiB).
     */
    static final int FRAME_SIZE_LIMIT = 60_000;
    /** How long one chunk of ids may take to arrive in full (its EOSE). */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(60);

    private final RelayClient client;
    private final EventStore store;
    private final Consumer<Event> sink;

    /** {@code sink} takes each fetched event, on the client's listener thread, and may block (backpressure). */
    NegentropyCatchUp(RelayClient client, EventStore store, Consumer<Event> sink) {
        this.client = client;
        this.store = store;
        this.sink = sink;
    }

    /** What a catch-up did: the ids it reconciled as held, the events it fetched, and the traffic. */
    record Outcome(long fetched, long skipped, long needed, long negentropyBytes) {
    }

    /**
     * Reconciles and fetches, filter by filter.
     *
     * @param windowStart the oldest created_at to reconcile (a filter's own since, if later, wins)
     * @param windowEnd the newest (a filter's own until, if earlier, wins)
     * @throws CatchUpFailedException when the store holds too many items, or the relay refuses, fails or times out
     */
    Outcome run(List<Filter> filters, long windowStart, long windowEnd) throws InterruptedException {
        long fetched = 0;
        long skipped = 0;
        long needed = 0;
        long bytes = 0;
        for (Filter filter : filters) {
            Filter window = window(filter, windowStart, windowEnd);
            if (window.since().orElse(0) > window.until().orElse(Long.MAX_VALUE)) {
                continue; // the filter's own bounds lie outside the window
            }
            Reconciliation reconciliation;
            int held;
            try (BlockStorage local = store.negentropyItems(window, MAX_ITEMS, LOCAL_ITEMS).orElseThrow(() ->
                    new CatchUpFailedException("the gateway holds more than " + MAX_ITEMS + " events for "
                            + window))) {
                reconciliation = await(client.reconcile(window, local, FRAME_SIZE_LIMIT), "reconciling " + window);
                held = local.size();
            } catch (BudgetExceededException e) {
                throw new CatchUpFailedException(e.getMessage());
            }
            needed += reconciliation.need().size();
            skipped += held - reconciliation.have().size();
            bytes += reconciliation.bytesSent() + reconciliation.bytesReceived();
            fetched += fetch(reconciliation.need());
        }
        return new Outcome(fetched, skipped, needed, bytes);
    }

    /** The filter within [start, end], without its limit (a reconciliation covers every match). */
    static Filter window(Filter filter, long start, long end) {
        return filter.toBuilder()
                .since(Math.max(filter.since().orElse(0), start))
                .until(Math.min(filter.until().orElse(Long.MAX_VALUE), end))
                .noLimit()
                .build();
    }

    private long fetch(List<EventId> ids) throws InterruptedException {
        AtomicLong received = new AtomicLong();
        for (int from = 0; from < ids.size(); from += IDS_PER_REQ) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQ)).stream()
                    .map(EventId::hex).toList();
            CompletableFuture<Void> stored = new CompletableFuture<>();
            Subscription subscription = client.subscribe(Filter.builder().ids(chunk).build(),
                    new SubscriptionListener() {
                        @Override
                        public void onEvent(Event event) {
                            received.incrementAndGet();
                            sink.accept(event);
                        }

                        @Override
                        public void onEose() {
                            stored.complete(null);
                        }

                        @Override
                        public void onClosed(String reason) {
                            stored.completeExceptionally(new CatchUpFailedException(
                                    "the relay closed the REQ by ids: " + reason));
                        }
                    });
            try {
                await(stored, "fetching " + chunk.size() + " events by id");
            } finally {
                subscription.close();
            }
        }
        return received.get();
    }

    private static <T> T await(CompletableFuture<T> future, String doing) throws InterruptedException {
        try {
            return future.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CatchUpFailedException failed) {
                throw failed;
            }
            if (cause instanceof RelayClientException failed) {
                throw new CatchUpFailedException(doing + ": " + failed.getMessage());
            }
            throw new CatchUpFailedException(doing + ": " + cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new CatchUpFailedException(doing + ": no answer within " + FETCH_TIMEOUT.toSeconds() + " s");
        }
    }

    /** Why the negentropy catch-up could not finish: the connector falls back to its since cursor. */
    static final class CatchUpFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CatchUpFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
