package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.metrics.RelayMetrics;
import dev.nostrgate.relay.store.EventStore;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query stage (strfry's ReqWorker): runs the stored part of a {@code REQ} and {@code COUNT} on a pool of
 * threads named {@code query-N}, never on an event loop or an ingest lane.
 *
 * <p>Each filter is one statement with the database's statement timeout; between filters the worker checks the
 * whole request's time budget, so a huge request cannot hold a thread for long and small ones keep getting
 * threads. A request over budget, or a database failure, ends the subscription with {@code CLOSED "error: ..."}.
 *
 * <p>Results are streamed at the client's pace: when the connection's outbound queue passes a mark, the stream
 * pauses, gives its thread back, and resumes on the pool once the queue has drained. The database connection was
 * released long before: a slow client holds neither.
 */
public final class QueryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryWorker.class);
    private static final int QUEUE_CAPACITY = 10_000;

    private final EventStore store;
    private final Duration budget;
    private final long pauseAtBytes;
    private final RelayMetrics metrics;
    private final ThreadPoolExecutor pool;

    /**
     * @param pauseAtBytes a stream pauses while more than this many bytes wait to be sent to its connection
     */
    public QueryWorker(EventStore store, int threads, Duration budget, long pauseAtBytes, RelayMetrics metrics) {
        this.store = store;
        this.budget = budget;
        this.pauseAtBytes = pauseAtBytes;
        this.metrics = metrics;
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), runnable -> {
                    Thread thread = new FastThreadLocalThread(runnable, "query-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        metrics.gauge("nostr.relay.query.queued", "requests waiting for a query thread", () -> pool.getQueue().size());
    }

    /**
     * Runs the stored part of the subscription, then sends {@code EOSE} and whatever live events were held.
     *
     * @param ended told when the relay ends the subscription (so the monitor can unfile it)
     */
    void stored(Subscription subscription, Consumer<Subscription> ended) {
        execute(() -> {
            if (subscription.isCancelled()) {
                return;
            }
            List<StoredEvent> events;
            long start = System.nanoTime();
            try {
                events = query(subscription.filters(), start + budget.toNanos());
            } catch (StoreUnavailableException e) {
                log.debug("{}: {}", subscription, e.getMessage());
                if (subscription.end(closedReason(e))) {
                    metrics.subscriptionClosed("error:");
                    ended.accept(subscription);
                }
                return;
            } finally {
                metrics.queryLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            new Stream(subscription, events).run();
        }, () -> {
            if (subscription.end("error: the relay is too busy to run this query now; try again shortly")) {
                metrics.subscriptionClosed("error:");
                ended.accept(subscription);
            }
        });
    }

    /** NIP-45: answers {@code COUNT} (or {@code CLOSED} if the query fails or runs over its budget). */
    public void count(Subscriber subscriber, String subscriptionId, List<Filter> filters) {
        execute(() -> {
            long start = System.nanoTime();
            try {
                long count = store.count(filters);
                subscriber.send(new RelayMessage.CountResult(subscriptionId, count, false));
            } catch (StoreUnavailableException e) {
                log.debug("COUNT {} of {}: {}", subscriptionId, subscriber, e.getMessage());
                metrics.subscriptionClosed("error:");
                subscriber.send(new RelayMessage.Closed(subscriptionId, closedReason(e)));
            } finally {
                metrics.queryLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }, () -> subscriber.send(new RelayMessage.Closed(subscriptionId,
                "error: the relay is too busy to run this query now; try again shortly")));
    }

    /** Each filter on its own statement, the whole within the deadline; merged, each event once, NIP-01 order. */
    private List<StoredEvent> query(List<Filter> filters, long deadline) {
        if (filters.size() == 1) {
            return store.query(filters);
        }
        List<StoredEvent> merged = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Filter filter : filters) {
            if (System.nanoTime() > deadline) {
                throw new StoreUnavailableException("query ran over its time budget of " + budget.toMillis()
                        + " ms", null, true);
            }
            for (StoredEvent event : store.query(List.of(filter))) {
                if (seen.add(event.idHex())) {
                    merged.add(event);
                }
            }
        }
        merged.sort(StoredEvent.NEWEST_FIRST);
        return merged;
    }

    /** Runs the task on the pool, or {@code refused} at once if the pool's queue is full. */
    void execute(Runnable task, Runnable refused) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException busy) {
            refused.run();
        }
    }

    /** Sends a stored result at the client's pace. */
    private final class Stream implements Runnable {
        private final Subscription subscription;
        private final List<StoredEvent> events;
        private int next;

        Stream(Subscription subscription, List<StoredEvent> events) {
            this.subscription = subscription;
            this.events = events;
        }

        @Override
        public void run() {
            Subscriber subscriber = subscription.subscriber();
            while (next < events.size()) {
                if (subscriber.queuedBytes() > pauseAtBytes) {
                    subscriber.whenDrained(() -> execute(this, () -> { }));
                    return;
                }
                if (!subscription.sendStored(events.get(next++).jsonUtf8())) {
                    return;
                }
            }
            subscription.finishStored(events);
        }
    }

    /** Stops taking work and waits a little for what runs. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    /** The CLOSED text for a failed query. */
    private static String closedReason(StoreUnavailableException e) {
        return e.timedOut()
                ? "error: the query took longer than the relay allows; narrow the filters or lower the limit"
                : "error: the database is unavailable; try again shortly";
    }
}
