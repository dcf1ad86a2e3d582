package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.relay.metrics.RelayMetrics;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live fan-out stage (strfry's ReqMonitor), one thread named {@code monitor}. It owns the
 * {@link SubscriptionIndex}; everything reaches it as a message in its inbox, in order: new and closed
 * subscriptions from the ingest lanes, committed batches from the writer, ephemeral events from the ingest lanes
 * and events committed by other replicas. For each event, the candidates come from the index and each match is
 * queued on its connection.
 *
 * <p>A subscription is filed and only then its stored query is started (from this thread), so every event is
 * either committed before the query reads or seen here after the filing: none falls between.
 *
 * <p>The inbox holds at most {@code maxQueuedEvents} events: past that, whoever hands events in (the writer, an
 * ingest lane, the replica consumer) waits, so ingest slows to the pace of fan-out instead of the inbox growing
 * without bound. Subscribes and unsubscribes are not counted: connections and their subscriptions are limited.
 */
public final class LiveMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveMonitor.class);
    /** About 50 MB of typical events; a fan-out that falls this far behind is better slowing the writer down. */
    static final int MAX_QUEUED_EVENTS = 100_000;

    private sealed interface Job {
        record Subscribe(Subscription subscription) implements Job {
        }

        record Unsubscribe(Subscription subscription) implements Job {
        }

        /** Events to match; {@code json} holds their wire JSON when already known (else written here). */
        record Events(List<Event> events, List<String> json) implements Job {
        }

        record Stop() implements Job {
        }
    }

    private final QueryWorker queries;
    private final RelayMetrics metrics;
    private final SubscriptionIndex<Subscription> index = new SubscriptionIndex<>();
    private final BlockingQueue<Job> inbox = new LinkedBlockingQueue<>();
    private final int maxQueuedEvents;
    /** Room for events in the inbox; taken when events are handed in, given back once they are matched. */
    private final Semaphore eventRoom;
    private final Thread thread;
    private volatile int filed;
    private volatile boolean closed;

    public LiveMonitor(QueryWorker queries, RelayMetrics metrics) {
        this(queries, metrics, MAX_QUEUED_EVENTS);
    }

    LiveMonitor(QueryWorker queries, RelayMetrics metrics, int maxQueuedEvents) {
        this.queries = queries;
        this.metrics = metrics;
        this.maxQueuedEvents = maxQueuedEvents;
        this.eventRoom = new Semaphore(maxQueuedEvents);
        this.thread = new FastThreadLocalThread(this::run, "monitor");
        this.thread.setDaemon(true);
        this.thread.start();
        metrics.gauge("nostr.relay.subscriptions", "open subscriptions (filed for live events)", () -> filed);
        metrics.gauge("nostr.relay.monitor.queued", "messages waiting for the monitor thread", inbox::size);
        metrics.gauge("nostr.relay.monitor.queued.events", "events waiting for the monitor thread (at most "
                + maxQueuedEvents + ": then the writer waits)", this::queuedEvents);
    }

    /** Files the subscription, then starts its stored part. */
    public void subscribe(Subscription subscription) {
        inbox.add(new Job.Subscribe(subscription));
    }

    /** Unfiles a subscription (already cancelled by the caller). */
    public void unsubscribe(Subscription subscription) {
        inbox.add(new Job.Unsubscribe(subscription));
    }

    /** Events this replica committed (the writer's listener), in commit order; waits while the inbox is full. */
    public void committed(List<Event> events) {
        enqueue(new Job.Events(events, null));
    }

    /** An ephemeral event that passed validation: delivered, never stored; waits while the inbox is full. */
    public void ephemeral(Event event) {
        enqueue(new Job.Events(List.of(event), null));
    }

    /**
     * Events another replica committed, with each one's JSON as that replica wrote it (same order); waits while the
     * inbox is full.
     */
    public void remote(List<Event> events, List<String> json) {
        enqueue(new Job.Events(List.copyOf(events), List.copyOf(json)));
    }

    /** Events waiting for the monitor thread. */
    public int queuedEvents() {
        return maxQueuedEvents - eventRoom.availablePermits();
    }

    private void enqueue(Job.Events job) {
        int room = roomFor(job);
        try {
            while (!eventRoom.tryAcquire(room, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    return; // the monitor is gone: there is nobody left to deliver to
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        inbox.add(job);
    }

    /** A batch larger than the whole inbox takes all of it, and waits for it to be empty. */
    private int roomFor(Job.Events job) {
        return Math.min(job.events().size(), maxQueuedEvents);
    }

    private void run() {
        List<Subscription> ended = new ArrayList<>();
        while (true) {
            Job job;
            try {
                job = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (job) {
                    case Job.Subscribe subscribe -> {
                        Subscription subscription = subscribe.subscription();
                        if (!subscription.isCancelled()) {
                            index.add(subscription, subscription.filters());
                            queries.stored(subscription, this::unsubscribe);
                        }
                    }
                    case Job.Unsubscribe unsubscribe -> index.remove(unsubscribe.subscription());
                    case Job.Events batch -> {
                        try {
                            match(batch, ended);
                        } finally {
                            eventRoom.release(roomFor(batch));
                        }
                        for (Subscription subscription : ended) {
                            index.remove(subscription);
                        }
                        ended.clear();
                    }
                    case Job.Stop stop -> {
                        return;
                    }
                }
            } catch (RuntimeException bug) {
                log.error("monitor: unexpected failure on {}", job.getClass().getSimpleName(), bug);
            }
            filed = index.size();
        }
    }

    private void match(Job.Events batch, List<Subscription> ended) {
        for (int i = 0; i < batch.events().size(); i++) {
            Event event = batch.events().get(i);
            String idHex = event.id().hex();
            String known = batch.json() == null ? null : batch.json().get(i);
            byte[][] utf8 = {null}; // encoded once, on the first match, and shared by every subscription
            index.forEachMatch(event, subscription -> {
                if (utf8[0] == null) {
                    utf8[0] = (known != null ? known : EventJson.write(event)).getBytes(StandardCharsets.UTF_8);
                }
                if (subscription.deliver(idHex, utf8[0])) {
                    metrics.delivered();
                } else {
                    ended.add(subscription);
                }
            });
        }
    }

    /** Stops after the messages already in the inbox. */
    @Override
    public void close() {
        closed = true;
        inbox.add(new Job.Stop());
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
