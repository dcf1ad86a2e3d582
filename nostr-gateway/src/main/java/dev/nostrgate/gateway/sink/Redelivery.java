package dev.nostrgate.gateway.sink;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives a relay's unacknowledged messages back to its queue, for the broker to deliver again. */
final class Redelivery {
    private static final Logger log = LoggerFactory.getLogger(Redelivery.class);

    private Redelivery() {
    }

    /**
     * Every unacknowledged message of the channel up to {@code lastTag} goes back to the queue. A channel that is
     * gone needs nothing: the broker has them again already.
     */
    static void requeueUpTo(Channel channel, long lastTag, UUID relayId) {
        try {
            channel.basicNack(lastTag, true, true);
        } catch (IOException | ShutdownSignalException e) { // AlreadyClosedException is one
            log.debug("relay {}: nack failed ({}); the broker redelivers unacked messages anyway", relayId,
                    e.getMessage());
        }
    }
}
