package dev.nostrgate.gateway.topology;

import java.util.Properties;
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
 * Declared when a relay is registered and again for every relay at start (declaring is idempotent while the
 * arguments stay the same), deleted when it is removed.
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

    private final AmqpAdmin admin;

    public RelayTopology(AmqpAdmin admin) {
        this.admin = admin;
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
        Queue queue = QueueBuilder.durable(queue(relayId)).deadLetterExchange(DEAD_LETTERS).build();
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
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
