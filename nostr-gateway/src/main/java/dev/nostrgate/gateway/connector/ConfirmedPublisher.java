package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.topology.RelayTopology;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a connector's messages to its relay's exchange and keeps each one's permit ({@link InFlightPermits})
 * until the broker has confirmed it and returned nothing. A nack, a return (no queue bound) or a broker outage
 * publishes the same message again after a backoff (200 ms doubling to 30 s), still holding the permit: never a
 * loss, only backpressure. After the permits are closed, a message still unconfirmed is given up (its permit
 * freed): the next run asks the relay for it again, since the cursor only moves with what the database committed.
 *
 * <p>Publishes on the caller's thread; confirms arrive on the broker connection's thread, and retries run on the
 * shared scheduler.
 */
final class ConfirmedPublisher {
    private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private final RegisteredRelay relay;
    private final RabbitTemplate rabbit;
    private final ScheduledExecutorService scheduler;
    private final InFlightPermits permits;
    private final Runnable onConfirmed;
    private final Consumer<String> onFailure;

    /**
     * @param onConfirmed called after a confirm freed a permit, on the broker connection's thread: must not wait
     * @param onFailure told why a publish failed (it is retried)
     */
    ConfirmedPublisher(RegisteredRelay relay, RabbitTemplate rabbit, ScheduledExecutorService scheduler,
                       InFlightPermits permits, Runnable onConfirmed, Consumer<String> onFailure) {
        this.relay = relay;
        this.rabbit = rabbit;
        this.scheduler = scheduler;
        this.permits = permits;
        this.onConfirmed = onConfirmed;
        this.onFailure = onFailure;
    }

    /** Publishes a message for which the caller holds a permit; the permit goes back with the confirm. */
    void publish(Message message) {
        send(message, RETRY_FIRST);
    }

    private void send(Message message, Duration nextDelay) {
        if (permits.isClosed()) {
            permits.release(); // given up: asked for again by the next run
            return;
        }
        // a fresh id per attempt: a return is matched to its publish by it (an event id could repeat)
        CorrelationData correlation = new CorrelationData();
        try {
            rabbit.send(RelayTopology.exchange(relay.id()), RelayTopology.ROUTING_KEY, message, correlation);
        } catch (AmqpException e) {
            retry(message, nextDelay, "publishing failed: " + e.getMessage());
            return;
        }
        correlation.getFuture().whenComplete((confirm, failure) -> {
            if (failure == null && confirm.isAck() && correlation.getReturned() == null) {
                permits.release();
                onConfirmed.run();
            } else {
                String why = failure != null ? failure.getMessage()
                        : correlation.getReturned() != null ? "returned: " + correlation.getReturned().getReplyText()
                        : "nacked: " + confirm.getReason();
                retry(message, nextDelay, why);
            }
        });
    }

    private void retry(Message message, Duration delay, String why) {
        onFailure.accept("broker: " + why);
        log.warn("relay {} ({}): {}; publishing again in {} ms", relay.name(), relay.id(), why, delay.toMillis());
        Duration next = delay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay.multipliedBy(2);
        scheduler.schedule(() -> send(message, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
