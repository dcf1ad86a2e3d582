package dev.nostrgate.gateway.topology;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Relay queue depths for the REST API and the dashboard, each read from the broker at most once per
 * {@link #FRESH}: a list of a thousand relays, asked for while the dashboard's sampler reads them all, would
 * otherwise cost a broker round trip per relay per request.
 */
@Component
public class QueueDepths {
    /** As old as a depth may be; the dashboard samples every 5 s, so its reading serves the requests between. */
    static final Duration FRESH = Duration.ofSeconds(5);

    private final RelayTopology topology;
    private final Map<UUID, Reading> readings = new ConcurrentHashMap<>();

    private record Reading(long depth, long readAt) {
    }

    public QueueDepths(RelayTopology topology) {
        this.topology = topology;
    }

    /** Messages waiting in the relay's queue, at most {@link #FRESH} old; -1 if unknown (no queue, broker down). */
    public long depth(UUID relayId) {
        long now = System.nanoTime();
        Reading reading = readings.get(relayId);
        if (reading != null && now - reading.readAt() < FRESH.toNanos()) {
            return reading.depth();
        }
        long depth;
        try {
            depth = topology.depth(relayId);
        } catch (RuntimeException brokerDown) {
            depth = -1;
        }
        readings.put(relayId, new Reading(depth, now));
        return depth;
    }

    /** The relay is gone: its reading too. */
    public void forget(UUID relayId) {
        readings.remove(relayId);
    }
}
