package dev.nostrgate.gateway;

import dev.nostrgate.gateway.topology.RelayTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A copy of what reaches {@code nostr.dead}: a queue of the test's own bound to that fanout exchange, so the test
 * neither takes dead letters from the shared {@code nostr.dead} queue (other builds use this broker too) nor sees
 * theirs (it keeps only the relay's it asks for). Open it before the gateway can dead-letter anything.
 */
public final class DeadLetterTap implements AutoCloseable {
    private final CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitTemplate rabbit = new RabbitTemplate(connections);
    private final Queue queue = new AnonymousQueue(); // exclusive, gone with the connection

    public DeadLetterTap() {
        RabbitAdmin admin = new RabbitAdmin(connections);
        FanoutExchange dead = ExchangeBuilder.fanoutExchange(RelayTopology.DEAD_LETTERS).durable(true).build();
        admin.declareExchange(dead); // as the gateway declares it
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(dead));
    }

    /** The dead letters of this relay that have arrived since the last call (others are dropped). */
    public List<Message> drain(UUID relayId) {
        List<Message> found = new ArrayList<>();
        for (Message message = rabbit.receive(queue.getName()); message != null;
             message = rabbit.receive(queue.getName())) {
            if (relayId.toString().equals(message.getMessageProperties().getHeader(RelayTopology.RELAY_HEADER))) {
                found.add(message);
            }
        }
        return found;
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
