package dev.nostrgate.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The relay's meters, on one registry passed in by whoever builds the relay (no static registry). Names follow
 * Prometheus conventions once rendered ({@code nostr_relay_events_received_total}).
 */
public final class RelayMetrics {
    private final MeterRegistry registry;
    private final Counter eventsReceived;
    private final Counter eventsStored;
    private final Counter reqs;
    private final Counter counts;
    private final Counter negentropyOpened;
    private final Counter negentropyMessages;
    private final Timer queryLatency;
    private final Timer writerBatch;
    private final DistributionSummary writerBatchEvents;
    private final Counter fanOutDeliveries;
    private final Counter slowConsumersClosed;
    private final Counter remoteEvents;
    private final Counter replicaMissed;
    private final Counter notices;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> closedSubscriptions = new ConcurrentHashMap<>();

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventsReceived = Counter.builder("nostr.relay.events.received")
                .description("EVENT messages read from clients").register(registry);
        this.eventsStored = Counter.builder("nostr.relay.events.stored")
                .description("events committed by this replica's writer").register(registry);
        this.reqs = Counter.builder("nostr.relay.reqs").description("REQ messages accepted").register(registry);
        this.counts = Counter.builder("nostr.relay.counts").description("COUNT messages answered")
                .register(registry);
        this.negentropyOpened = Counter.builder("nostr.relay.negentropy.opened")
                .description("NIP-77 reconciliations opened").register(registry);
        this.negentropyMessages = Counter.builder("nostr.relay.negentropy.messages")
                .description("NIP-77 NEG-MSG replies sent").register(registry);
        this.queryLatency = Timer.builder("nostr.relay.query.latency")
                .description("time to run the stored part of a REQ or a COUNT")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.writerBatch = Timer.builder("nostr.relay.writer.batch")
                .description("time to write one batch of events, commit included (an OK waits for it)")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.writerBatchEvents = DistributionSummary.builder("nostr.relay.writer.batch.events")
                .description("events per batch written").publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.fanOutDeliveries = Counter.builder("nostr.relay.fanout.deliveries")
                .description("live events matched to a subscription and queued for its connection")
                .register(registry);
        this.slowConsumersClosed = Counter.builder("nostr.relay.outbound.slow.closed")
                .description("connections closed because they read too slowly (outbound queue full)")
                .register(registry);
        this.remoteEvents = Counter.builder("nostr.relay.replica.received")
                .description("events committed by other replicas and delivered here").register(registry);
        this.replicaMissed = Counter.builder("nostr.relay.replica.missed.messages")
                .description("messages (batches) of other replicas that never arrived here: their events are "
                        + "stored, but live subscribers here did not see them").register(registry);
        this.notices = Counter.builder("nostr.relay.notices")
                .description("NOTICE messages sent (malformed input, mostly)").register(registry);
    }

    /** The Prometheus registry (for {@code /metrics}), or a simple one for library use. */
    public static PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void eventReceived() {
        eventsReceived.increment();
    }

    public void eventsStored(int n) {
        eventsStored.increment(n);
    }

    /** An event refused, counted by the prefix of its OK message ({@code invalid}, {@code rate-limited}, ...). */
    public void eventRejected(String okMessage) {
        String reason = prefixOf(okMessage);
        rejected.computeIfAbsent(reason, r -> Counter.builder("nostr.relay.events.rejected")
                .description("EVENT messages answered OK false, by reason prefix").tag("reason", r)
                .register(registry)).increment();
    }

    /** A subscription the relay refused or ended, counted by the prefix of its CLOSED message. */
    public void subscriptionClosed(String closedMessage) {
        String reason = prefixOf(closedMessage);
        closedSubscriptions.computeIfAbsent(reason, r -> Counter.builder("nostr.relay.subscriptions.closed")
                .description("CLOSED messages sent, by reason prefix").tag("reason", r)
                .register(registry)).increment();
    }

    public void req() {
        reqs.increment();
    }

    public void count() {
        counts.increment();
    }

    public void negentropyOpened() {
        negentropyOpened.increment();
    }

    public void negentropyMessage() {
        negentropyMessages.increment();
    }

    /** A writer lane wrote a batch (see {@code EventWriter.BatchObserver}). */
    public void batchWritten(int events, long nanos) {
        writerBatch.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        writerBatchEvents.record(events);
    }

    public Timer queryLatency() {
        return queryLatency;
    }

    public void delivered() {
        fanOutDeliveries.increment();
    }

    public void slowConsumerClosed() {
        slowConsumersClosed.increment();
    }

    public void remoteEvents(int events) {
        remoteEvents.increment(events);
    }

    /** Messages of other replicas that never arrived here (a gap in their numbering). */
    public void replicaMessagesMissed(long messages) {
        replicaMissed.increment(messages);
    }

    public void notice() {
        notices.increment();
    }

    /** A count kept elsewhere and read when scraped; it only grows. */
    public void counter(String name, String description, Supplier<Number> value) {
        FunctionCounter.builder(name, value, supplier -> supplier.get().doubleValue()).description(description)
                .register(registry);
    }

    /** A value read when scraped, such as the number of open connections. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private static String prefixOf(String message) {
        int colon = message.indexOf(':');
        return colon > 0 && colon < 20 ? message.substring(0, colon) : "other";
    }
}
