package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.config.GatewayProperties;
import java.time.Duration;

/**
 * When a connector's pending events become one message: at {@code maxEvents} events, before the next event would
 * take the body past {@code maxBytes} (an event bigger than that travels alone), or once {@code linger} has passed
 * since the first event, whichever comes first. Under load batches fill at once; a lone live event waits at most
 * the linger.
 */
record BatchLimits(int maxEvents, long maxBytes, Duration linger) {
    /** RabbitMQ 4 refuses messages over 16 MiB by default ({@code max_message_size}). */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    BatchLimits {
        check(maxEvents >= 1, "gateway.batch-max-events must be at least 1 (1 = one event per message), was "
                + maxEvents);
        check(maxBytes >= 1 && maxBytes <= MAX_BYTES,
                "gateway.batch-max-bytes must be 1B..16MB (such as 256KB), was " + maxBytes + " bytes");
        check(!linger.isNegative() && linger.compareTo(Duration.ofMinutes(1)) <= 0,
                "gateway.batch-linger must be 0..1m (such as 5ms; it delays live events), was " + linger);
    }

    static BatchLimits of(GatewayProperties properties) {
        return new BatchLimits(properties.batchMaxEvents(), properties.batchMaxBytes().toBytes(),
                properties.batchLinger());
    }

    private static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
