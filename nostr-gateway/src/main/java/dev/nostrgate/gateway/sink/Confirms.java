package dev.nostrgate.gateway.sink;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A publish the sink may acknowledge an original after: it waits until the broker confirms the message is in a
 * queue (acked, and not returned as unroutable; the template publishes mandatory).
 */
final class Confirms {
    private static final long WAIT_SECONDS = 10;

    private Confirms() {
    }

    /**
     * @throws AmqpException if the broker refuses it, routes it nowhere, or does not confirm within 10 s (the
     *     original is then not acknowledged, and the sink tries again while the broker recovers)
     */
    static void publish(RabbitTemplate rabbit, String exchange, String routingKey, Message message, String what) {
        CorrelationData correlation = new CorrelationData();
        rabbit.send(exchange, routingKey, message, correlation);
        CorrelationData.Confirm confirm;
        try {
            confirm = correlation.getFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpException("interrupted while publishing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AmqpException("no confirm from the broker for " + what + ": " + e, e);
        }
        if (!confirm.isAck()) {
            throw new AmqpException("the broker refused " + what + ": " + confirm.getReason());
        }
        if (correlation.getReturned() != null) {
            throw new AmqpException("no queue took " + what + ": " + correlation.getReturned().getReplyText());
        }
    }
}
