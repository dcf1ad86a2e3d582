package dev.nostrgate.relay.store;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.core.event.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer (strfry's Writer stage): events queue up from any thread and are written in batches of up to
 * {@code maxBatch} events or {@code maxDelay}, whichever comes first, each batch one transaction. A caller's future
 * completes only after the commit. Failures are handled by their class ({@link ResilientSave}): while the database
 * is unavailable, a batch is retried with backoff for {@code retryFor}, then its events fail with {@code error:}
 * (the client may send again) and the next batch tries anew; a batch the database refuses for its content is split
 * until the bad event is alone, which alone fails, and the rest is stored. When a queue is full, new events are
 * refused at once with {@code rate-limited:}: backpressure, not growth.
 *
 * <p><b>Lanes.</b> Every write rule relates events of one author only: a duplicate has the same id (so the same
 * author), a replaceable address and a tombstone belong to one author, and NIP-09 lets authors delete only their
 * own events. So the writer is {@code lanes} independent single writers, and an event goes to the lane its pubkey
 * hashes to: each author's events are still written one at a time, in arrival order, exactly as by one writer,
 * while the lanes keep several database connections (cores, or CockroachDB nodes) busy. The rules that cross
 * authors, a gift-wrap recipient deleting the wrap (NIP-09 with NIP-59) or asking to vanish (NIP-62), are decided
 * by the database as when two relays share it.
 *
 * <p>After each commit, the stored events go to the listener (live fan-out), on that lane's thread, before the
 * callers' futures complete: the listener is called from several threads and must be thread-safe. Each author's
 * events reach it in commit order.
 */
public final class EventWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    /** Between attempts to write a batch while the database fails: 50 ms doubling to 2 s, jittered. */
    private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    private record Job(Event event, CompletableFuture<SaveOutcome> outcome) {
    }

    private final EventStore store;
    private final WriterConfig config;
    private final RecentIds recentIds;
    private final Consumer<List<Event>> committed;
    private final BatchObserver observer;
    private final Lane[] lanes;
    private final ResilientSave save;
    private volatile boolean running = true;

    /** Told of each batch written (committed, or refused by the store's rules), from the lane's thread. */
    @FunctionalInterface
    public interface BatchObserver {
        BatchObserver NONE = (events, nanos) -> { };

        /** A batch of {@code events} went through the store in {@code nanos}, commit included. */
        void written(int events, long nanos);
    }

    /**
     * Starts the writer threads ({@code writer-0}, {@code writer-1}, ...).
     *
     * @param committed receives each batch's newly stored events after commit (may be a no-op; thread-safe)
     */
    public EventWriter(EventStore store, WriterConfig config, Consumer<List<Event>> committed) {
        this(store, config, committed, BatchObserver.NONE);
    }

    /** As {@link #EventWriter(EventStore, WriterConfig, Consumer)}, telling the observer of every batch written. */
    public EventWriter(EventStore store, WriterConfig config, Consumer<List<Event>> committed,
                       BatchObserver observer) {
        this.store = store;
        this.config = config;
        this.recentIds = new RecentIds(config.recentIdsCapacity());
        this.committed = committed;
        this.observer = observer;
        this.save = new ResilientSave(store,
                Retry.within(config.retryFor(), RETRY_BACKOFF, () -> !running));
        this.lanes = new Lane[config.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i);
        }
    }

    /** Queues an event; the future completes after its batch commits (or fails). Never blocks. */
    public CompletableFuture<SaveOutcome> submit(Event event) {
        CompletableFuture<SaveOutcome> outcome = new CompletableFuture<>();
        if (!running) {
            outcome.complete(SaveOutcome.failed(event.id(), "error: relay is shutting down"));
        } else if (!laneOf(event).inbox.offer(new Job(event, outcome))) {
            outcome.complete(SaveOutcome.failed(event.id(), "rate-limited: the relay's write queue is full, "
                    + "try again shortly"));
        }
        return outcome;
    }

    private Lane laneOf(Event event) {
        return lanes[Math.floorMod(event.pubkey().hex().hashCode(), lanes.length)];
    }

    /**
     * True if this event id was stored recently and is still had, so it need not be verified again. Only regular
     * events are remembered: whether the store keeps a replaceable or addressable event changes when a newer
     * version arrives, so their duplicates go to the store, which answers for them.
     */
    public boolean recentlyStored(EventId id) {
        return recentIds.contains(id);
    }

    /** Events waiting to be written, all lanes together. */
    public int queued() {
        int queued = 0;
        for (Lane lane : lanes) {
            queued += lane.inbox.size();
        }
        return queued;
    }

    /** Stops taking events, writes what is queued, and waits for the writer threads. */
    @Override
    public void close() {
        running = false;
        for (Lane lane : lanes) {
            try {
                lane.thread.join(config.retryFor().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One single writer: its own queue, thread and (one at a time) database connection. */
    private final class Lane {
        private final BlockingQueue<Job> inbox = new ArrayBlockingQueue<>(config.queueCapacity());
        private final Thread thread;

        Lane(int index) {
            thread = new Thread(this::run, "writer-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            List<Job> batch = new ArrayList<>(config.maxBatch());
            while (running || !inbox.isEmpty()) {
                try {
                    Job first = inbox.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    long deadline = System.nanoTime() + config.maxDelay().toNanos();
                    while (batch.size() < config.maxBatch()) {
                        if (inbox.drainTo(batch, config.maxBatch() - batch.size()) == 0) {
                            long left = deadline - System.nanoTime();
                            Job next = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                            if (next == null) {
                                break;
                            }
                            batch.add(next);
                        }
                    }
                    write(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException bug) {
                    log.error("writer: unexpected failure; failing {} events", batch.size(), bug);
                    batch.forEach(job -> job.outcome().complete(
                            SaveOutcome.failed(job.event().id(), "error: internal error while storing")));
                } finally {
                    batch.clear();
                }
            }
            // Shutting down: whatever could not be written is answered, never left hanging.
            for (Job job; (job = inbox.poll()) != null; ) {
                job.outcome().complete(SaveOutcome.failed(job.event().id(), "error: relay is shutting down"));
            }
        }

        private void write(List<Job> batch) {
            List<Event> events = batch.stream().map(Job::event).toList();
            long start = System.nanoTime();
            List<SaveOutcome> outcomes = save.saveAll(events);
            observer.written(events.size(), System.nanoTime() - start);
            List<Event> stored = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                SaveOutcome outcome = outcomes.get(i);
                Event event = events.get(i);
                if (outcome.accepted() && event.category() == KindCategory.REGULAR) {
                    recentIds.add(outcome.id());
                }
                if (outcome.status() == SaveOutcome.Status.STORED) {
                    stored.add(event);
                    if (event.kind() == Kinds.DELETION) {
                        forgetDeleted(event);
                    } else if (event.kind() == Kinds.REQUEST_TO_VANISH) {
                        // NIP-62: the author's ids (and wraps to them) were deleted, and which they were is the
                        // database's to know; requests are rare, so all are forgotten and merely verified again
                        recentIds.clear();
                    }
                }
            }
            if (!stored.isEmpty()) {
                notifyCommitted(stored); // first: a client that reads its OK and then subscribes must not
            }                            // see the event both in the stored part and again as a live one
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        }

        /**
         * A deleted event is no longer had: republished, it must reach the store (which refuses it), not be
         * answered as a duplicate. Every id the request names is forgotten, whether or not it was the author's
         * (a miss only costs a verification).
         */
        private void forgetDeleted(Event deletion) {
            for (String id : deletion.tagValues("e")) {
                if (Hex.isLowercaseHex(id, 64)) {
                    recentIds.remove(new EventId(id));
                }
            }
        }

        private void notifyCommitted(List<Event> stored) {
            try {
                committed.accept(stored);
            } catch (RuntimeException e) {
                log.error("writer: the commit listener failed", e);
            }
        }
    }
}
