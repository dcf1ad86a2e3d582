package dev.nostrgate.gateway.topology;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Relay queue depths for the REST API and the dashboard, each read from the broker at most once per
 * {@link #FRESH} and never on a request's thread: a list of a thousand relays, asked for while the dashboard's
 * sampler reads them all, would otherwise cost a broker round trip per relay per request. A depth older than that
 * is answered as it is while a new one is read in the background; a relay never read yet is answered "unknown"
 * (-1) while its first reading is taken the same way. Before, a request waited for the list's first readings: a
 * page of 100 relays asked while the gateway started its thousand waited for 100 round trips to a broker busy
 * declaring their queues ({@code fleet-bench}: the first page was the slowest request of the start).
 */
@Component
public class QueueDepths {
    /** As old as a depth may be; the dashboard samples every 5 s, so its reading serves the requests between. */
    static final Duration FRESH = Duration.ofSeconds(5);

    private final RelayTopology topology;
    private final long freshNanos;
    private final Map<UUID, Reading> readings = new ConcurrentHashMap<>();
    /** The relays whose depth is being read again, so that a burst of requests reads each once. */
    private final Set<UUID> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "queue-depths");
        thread.setDaemon(true);
        return thread;
    });

    private record Reading(long depth, long readAt) {
    }

    @Autowired // the other constructor is the tests'
    public QueueDepths(RelayTopology topology) {
        this(topology, FRESH);
    }

    QueueDepths(RelayTopology topology, Duration fresh) {
        this.topology = topology;
        this.freshNanos = fresh.toNanos();
    }

    /**
     * Messages waiting in the relay's queue as last read (within the last {@link #FRESH}, or being read again);
     * -1 if unknown: not read yet (it is being read), no queue, or the broker down. Never waits for the broker.
     */
    public long depth(UUID relayId) {
        long now = System.nanoTime();
        // a relay asked for the first time gets a stale "unknown", so that it is read below like any stale one
        Reading reading = readings.computeIfAbsent(relayId, id -> new Reading(-1, now - freshNanos));
        if (now - reading.readAt() >= freshNanos && refreshing.add(relayId)) {
            try {
                refresher.execute(() -> refresh(relayId));
            } catch (RejectedExecutionException stopping) {
                refreshing.remove(relayId);
            }
        }
        return reading.depth();
    }

    /** The relay is gone: its reading too. */
    public void forget(UUID relayId) {
        readings.remove(relayId);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    private void refresh(UUID relayId) {
        try {
            long depth = read(relayId);
            long now = System.nanoTime();
            // not for a relay forgotten since; and "unknown" is not kept: a relay removed elsewhere (not forgotten
            // here) would otherwise stay here for good, and an unknown one is asked for again at the next request
            readings.computeIfPresent(relayId, (id, old) -> depth < 0 ? null : new Reading(depth, now));
        } finally {
            refreshing.remove(relayId);
        }
    }

    private long read(UUID relayId) {
        try {
            return topology.depth(relayId);
        } catch (RuntimeException brokerDown) {
            return -1;
        }
    }
}
