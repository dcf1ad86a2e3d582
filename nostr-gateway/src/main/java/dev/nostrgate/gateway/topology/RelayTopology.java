package dev.nostrgate.gateway.topology;

import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import java.util.UUID;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.stereotype.Component;

/**
 * The RabbitMQ objects of the gateway, all named here. Per relay: a durable direct exchange
 * {@code nostr.relay.<id>} bound to a durable queue of the same name, which dead-letters to {@code nostr.dead}.
 * Declared when a relay is registered and again whenever an instance starts it (declaring is idempotent while the
 * arguments stay the same), deleted when it is removed.
 *
 * <p>Relay queues are quorum queues by default ({@link QueueSettings}): replicated, so that losing a broker node
 * loses no event, and with a delivery limit, so that a message its consumer never gets through (the process dies on
 * it) ends in {@code nostr.dead} instead of going round for ever; dead-lettering is at-least-once. A classic queue
 * left by an earlier version is replaced when it is found empty, and used as it is until then.
 */
@Component
public class RelayTopology {
    public static final String DEAD_LETTERS = "nostr.dead";
    public static final String ROUTING_KEY = "event";
    /** The header that says why a message went to {@value #DEAD_LETTERS}. */
    public static final String REASON_HEADER = "x-nostr-reason";
    /** The header naming the relay a dead letter came from. */
    public static final String RELAY_HEADER = "x-nostr-relay";
    /** The header counting how often a message has made its consumer fail (see {@code sink.FailedMessages}). */
    public static final String ATTEMPTS_HEADER = "x-nostr-attempts";

    private static final Logger log = LoggerFactory.getLogger(RelayTopology.class);

    private final AmqpAdmin admin;
    private final QueueSettings settings;

    public RelayTopology(AmqpAdmin admin, QueueSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    public static String exchange(UUID relayId) {
        return "nostr.relay." + relayId;
    }

    public static String queue(UUID relayId) {
        return "nostr.relay." + relayId;
    }

    /** The dead-letter exchange and its queue, where poison messages wait with their reason. */
    public void declareDeadLetters() {
        FanoutExchange exchange = ExchangeBuilder.fanoutExchange(DEAD_LETTERS).durable(true).build();
        Queue queue = QueueBuilder.durable(DEAD_LETTERS).build();
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange));
    }

    /** Declares one relay's exchange, queue and binding. */
    public void declare(UUID relayId) {
        DirectExchange exchange = ExchangeBuilder.directExchange(exchange(relayId)).durable(true).build();
        Queue queue = relayQueue(relayId);
        admin.declareExchange(exchange);
        try {
            admin.declareQueue(queue);
        } catch (AmqpException differentArguments) {
            // PRECONDITION_FAILED: the queue exists with other arguments (a classic queue from before)
            long depth = depth(relayId);
            if (depth != 0) {
                log.warn("queue {} exists with other arguments than {} ({}) and holds {} messages: it is used as it "
                        + "is and replaced once found empty", queue.getName(), settings.type(),
                        differentArguments.getMessage(), depth);
                admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
                return;
            }
            admin.deleteQueue(queue.getName());
            admin.declareQueue(queue);
            log.info("queue {} replaced by a {} queue (it was empty)", queue.getName(), settings.type());
        }
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
    }

    private Queue relayQueue(UUID relayId) {
        QueueBuilder queue = QueueBuilder.durable(queue(relayId)).deadLetterExchange(DEAD_LETTERS);
        if (settings.type() == QueueSettings.Type.QUORUM) {
            queue.quorum()
                    .deliveryLimit(settings.deliveryLimit())
                    // at-least-once dead-lettering needs reject-publish; no length limit is set, so it never rejects
                    .overflow(QueueBuilder.Overflow.rejectPublish)
                    .withArgument("x-dead-letter-strategy", "at-least-once");
        }
        return queue.build();
    }

    /** Deletes one relay's queue (with whatever it still holds) and exchange. */
    public void delete(UUID relayId) {
        admin.deleteQueue(queue(relayId));
        admin.deleteExchange(exchange(relayId));
    }

    /** Messages waiting in a relay's queue, or -1 if the queue does not exist. */
    public long depth(UUID relayId) {
        return messages(queue(relayId));
    }

    /** Messages waiting in {@value #DEAD_LETTERS}, or -1 if the queue does not exist. */
    public long deadLetterDepth() {
        return messages(DEAD_LETTERS);
    }

    private long messages(String queue) {
        Properties properties = admin.getQueueProperties(queue);
        if (properties == null) {
            return -1;
        }
        Object count = properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT);
        return count instanceof Number number ? number.longValue() : -1;
    }
}
