package dev.nostrgate.gateway.sink;

import dev.nostrgate.gateway.topology.RelayTopology;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Where a message goes that made the sink fail with an unexpected exception, alone (a bug its content triggers,
 * say; an outage of the database or the broker is retried in place and never gets here): back to the end of its
 * relay's queue with its count of failures raised ({@value RelayTopology#ATTEMPTS_HEADER}), or, once it has failed
 * {@code maxAttempts} times, to {@code nostr.dead} with the exception as the reason. Either publish is confirmed
 * before the sink acknowledges the original, so the message is always in a queue, durably.
 *
 * <p>The count travels in a header because the relay queues are classic queues, which do not count deliveries
 * (quorum queues do, {@code x-delivery-count}); a message given back with a nack would come back with no memory
 * of how often it failed, and could loop for ever.
 */
public final class FailedMessages {
    private final RabbitTemplate rabbit;
    private final DeadLetters deadLetters;
    private final int maxAttempts;

    /** @param maxAttempts how often a message may fail before it goes to {@code nostr.dead} (at least 1) */
    public FailedMessages(RabbitTemplate rabbit, DeadLetters deadLetters, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gateway.sink-max-attempts must be at least 1, was " + maxAttempts);
        }
        this.rabbit = rabbit;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
    }

    /** What became of a failed message. */
    public enum Fate { QUEUED_AGAIN, DEAD_LETTERED }

    /**
     * Counts this failure on a copy of the message and publishes it where it goes next, confirmed.
     *
     * @throws org.springframework.amqp.AmqpException if the broker does not take it (the original must then stay
     *     unacknowledged)
     */
    public Fate failed(UUID relayId, Message message, Throwable failure) {
        int attempts = attempts(message) + 1;
        Message counted = MessageBuilder.fromMessage(message)
                .setHeader(RelayTopology.ATTEMPTS_HEADER, attempts)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT) // a received message's own mode is not resent
                .build();
        if (attempts >= maxAttempts) {
            deadLetters.send(relayId, counted, "error: failed " + attempts + " times, last with " + failure);
            return Fate.DEAD_LETTERED;
        }
        // the default exchange routes by queue name: straight to the end of this relay's queue
        Confirms.publish(rabbit, "", RelayTopology.queue(relayId), counted, "a failed message queued again");
        return Fate.QUEUED_AGAIN;
    }

    /** How often the message has failed before. */
    public static int attempts(Message message) {
        Object header = message.getMessageProperties().getHeaders().get(RelayTopology.ATTEMPTS_HEADER);
        return header instanceof Number number ? Math.max(0, number.intValue()) : 0;
    }
}
