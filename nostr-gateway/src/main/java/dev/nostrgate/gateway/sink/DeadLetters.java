package dev.nostrgate.gateway.sink;

import dev.nostrgate.gateway.topology.RelayTopology;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves a poison message to {@code nostr.dead} with the reason in a header, confirmed by the broker before the
 * consumer acknowledges the original: a poison message is kept once, never redelivered in a loop. The sink hands
 * over either a whole message or one bad event cut out of a batch (see {@code EventBatchCodec.alone}).
 */
@Component
public class DeadLetters {
    private final RabbitTemplate rabbit;

    public DeadLetters(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    /**
     * Publishes a copy with the reason and waits until the broker has it in {@code nostr.dead}.
     *
     * @throws org.springframework.amqp.AmqpException if the broker does not confirm within 10 s (the original is
     *     then not acknowledged, and will come back once the broker is well)
     */
    public void send(UUID relayId, Message original, String reason) {
        Message copy = MessageBuilder.fromMessage(original)
                .setHeader(RelayTopology.REASON_HEADER, reason)
                .setHeader(RelayTopology.RELAY_HEADER, relayId.toString())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT) // a received message's own mode is not resent
                .build();
        Confirms.publish(rabbit, RelayTopology.DEAD_LETTERS, "", copy, "a dead letter");
    }
}
