package dev.nostrgate.gateway.connector;

import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.Subscription;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * One registered relay's upstream: a WebSocket subscription with the relay's filters (since the cursor minus the
 * overlap), each event published to the relay's exchange with publisher confirms.
 *
 * <p>No loss, bounded memory: at most {@code inFlight} publishes wait for their confirm. A nack, a return (no
 * queue) or a broker outage keeps the permit and publishes again after a backoff; when every permit is taken, the
 * subscription listener waits, the client's listener queue fills and the client stops reading the socket. What
 * the gateway never confirmed is asked for again on reconnect, because the cursor only moves with what the
 * database committed.
 */
final class UpstreamConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);
    /** The header carrying when the gateway received the event (epoch milliseconds), for the lag statistic. */
    static final String RECEIVED_AT_HEADER = "x-nostr-received-at";
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** How long to wait before subscribing again after the relay refused (CLOSED) the subscription. */
    private static final Duration RESUBSCRIBE_AFTER = Duration.ofSeconds(30);

    private final RegisteredRelay relay;
    private final RabbitTemplate rabbit;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final int inFlightLimit;
    private final RelayClient client;
    private final List<Filter> filters;
    private volatile Subscription subscription;
    private volatile boolean eose;
    private volatile boolean closed;
    private volatile boolean everConnected;
    private volatile String lastError;

    UpstreamConnector(RegisteredRelay relay, RabbitTemplate rabbit, ScheduledExecutorService scheduler,
                      int inFlight, Duration catchUpOverlap) {
        this.relay = relay;
        this.rabbit = rabbit;
        this.scheduler = scheduler;
        this.inFlight = new Semaphore(inFlight);
        this.inFlightLimit = inFlight;
        this.client = RelayClient.builder()
                .url(relay.url())
                .maxUndelivered(Math.max(1, inFlight))
                // the consumer verifies every event before storing it (anything may be put on a queue): checking
                // here too would only double the cost of the most expensive step
                .verifyEvents(false)
                .noticeListener(notice -> log.info("relay {} ({}) says: {}", relay.name(), relay.id(), notice))
                .build();
        this.filters = sinceCursor(relay, catchUpOverlap);
    }

    /** The relay's filters, each starting at the cursor minus the overlap (or at its own since, if later). */
    static List<Filter> sinceCursor(RegisteredRelay relay, Duration overlap) {
        if (relay.cursor().isEmpty()) {
            return relay.filters();
        }
        long since = Math.max(0, relay.cursor().getAsLong() - overlap.toSeconds());
        return relay.filters().stream().map(filter -> {
            if (filter.since().isPresent() && filter.since().getAsLong() >= since) {
                return filter;
            }
            return filter.toBuilder().since(since).build();
        }).toList();
    }

    void start() {
        subscribe();
        client.connect().whenComplete((ignored, failure) -> {
            if (failure == null) {
                everConnected = true;
            } else {
                lastError = failure.getMessage();
            }
        });
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        eose = false;
        subscription = client.subscribe(filters, new SubscriptionListener() {
            @Override
            public void onEvent(Event event) {
                publish(event);
            }

            @Override
            public void onEose() {
                eose = true;
                everConnected = true;
                lastError = null;
            }

            @Override
            public void onClosed(String reason) {
                lastError = "the relay closed the subscription: " + reason;
                log.warn("relay {} ({}): {}; subscribing again in {}", relay.name(), relay.id(), lastError,
                        RESUBSCRIBE_AFTER);
                scheduler.schedule(UpstreamConnector.this::subscribe, RESUBSCRIBE_AFTER.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Publishes with a confirm; blocks (the subscription listener thread) while every permit is taken. */
    private void publish(Event event) {
        try {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    return; // not confirmed: the next run asks the relay again from the cursor
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Message message = MessageBuilder.withBody(event.toJson().getBytes(StandardCharsets.UTF_8))
                .setContentType("application/json")
                .setContentEncoding("utf-8")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(event.id().hex())
                .setHeader(RECEIVED_AT_HEADER, System.currentTimeMillis())
                .build();
        send(message, RETRY_FIRST);
    }

    private void send(Message message, Duration nextDelay) {
        if (closed) {
            inFlight.release();
            return;
        }
        CorrelationData correlation = new CorrelationData(message.getMessageProperties().getMessageId());
        try {
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, message, correlation);
        } catch (AmqpException e) {
            retry(message, nextDelay, "publishing failed: " + e.getMessage());
            return;
        }
        correlation.getFuture().whenComplete((confirm, failure) -> {
            if (failure == null && confirm.isAck() && correlation.getReturned() == null) {
                inFlight.release();
            } else {
                String why = failure != null ? failure.getMessage()
                        : correlation.getReturned() != null ? "returned: " + correlation.getReturned().getReplyText()
                        : "nacked: " + confirm.getReason();
                retry(message, nextDelay, why);
            }
        });
    }

    private void retry(Message message, Duration delay, String why) {
        lastError = "broker: " + why;
        log.warn("relay {} ({}): {}; publishing again in {} ms", relay.name(), relay.id(), why, delay.toMillis());
        Duration next = delay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay.multipliedBy(2);
        scheduler.schedule(() -> send(message, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    ConnectorState state() {
        if (!client.isConnected()) {
            return everConnected ? ConnectorState.BACKOFF : ConnectorState.CONNECTING;
        }
        return eose ? ConnectorState.LIVE : ConnectorState.CATCHING_UP;
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Publishes not yet confirmed by the broker. */
    int unconfirmed() {
        return inFlightLimit - inFlight.availablePermits();
    }

    /** Stops reading; waits a little for publishes in flight to be confirmed. */
    @Override
    public void close() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        client.close();
        try {
            // every permit back = every publish confirmed (or given up by the retries once closed)
            if (inFlight.tryAcquire(inFlightLimit, 5, TimeUnit.SECONDS)) {
                inFlight.release(inFlightLimit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
    }
}
