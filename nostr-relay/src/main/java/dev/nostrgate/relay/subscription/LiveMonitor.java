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
 */
public final class LiveMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveMonitor.class);

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
    private final Thread thread;
    private volatile int filed;

    public LiveMonitor(QueryWorker queries, RelayMetrics metrics) {
        this.queries = queries;
        this.metrics = metrics;
        this.thread = new FastThreadLocalThread(this::run, "monitor");
        this.thread.setDaemon(true);
        this.thread.start();
        metrics.gauge("nostr.relay.subscriptions", "open subscriptions (filed for live events)", () -> filed);
        metrics.gauge("nostr.relay.monitor.queued", "messages waiting for the monitor thread", inbox::size);
    }

    /** Files the subscription, then starts its stored part. */
    public void subscribe(Subscription subscription) {
        inbox.add(new Job.Subscribe(subscription));
    }

    /** Unfiles a subscription (already cancelled by the caller). */
    public void unsubscribe(Subscription subscription) {
        inbox.add(new Job.Unsubscribe(subscription));
    }

    /** Events this replica committed (the writer's listener), in commit order. */
    public void committed(List<Event> events) {
        inbox.add(new Job.Events(events, null));
    }

    /** An ephemeral event that passed validation: delivered, never stored. */
    public void ephemeral(Event event) {
        inbox.add(new Job.Events(List.of(event), null));
    }

    /** An event another replica committed, with its JSON as that replica wrote it. */
    public void remote(Event event, String json) {
        inbox.add(new Job.Events(List.of(event), List.of(json)));
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
                        match(batch, ended);
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
        inbox.add(new Job.Stop());
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
