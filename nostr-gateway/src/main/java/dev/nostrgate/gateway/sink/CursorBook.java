package dev.nostrgate.gateway.sink;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.relay.store.FailureClass;
import dev.nostrgate.relay.store.Retry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each relay's cursor: a {@code created_at} up to which everything the relay sent is stored, so that a restart
 * may ask it only for events since then (minus {@code gateway.catch-up-overlap}). It is the newest {@code created_at}
 * stored from a live batch, or the newest of a catch-up once that catch-up is stored whole (its caught-up marker
 * reached the sink): catch-up events come newest first and never move it themselves (see {@link RelaySink}).
 * Moved in memory by the consumers after each commit, only forward, and persisted periodically. A cursor persisted
 * a little behind only means a little more overlap on restart.
 */
@Component
public class CursorBook {
    private static final Logger log = LoggerFactory.getLogger(CursorBook.class);

    private final RelayRegistry registry;
    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();
    /** A serialization failure against the consumers' writes is retried at once, not a flush later. */
    private final Retry retry = Retry.within(Duration.ofSeconds(2),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)), () -> false).forIdempotentStep();

    public CursorBook(RelayRegistry registry) {
        this.registry = registry;
    }

    /** A batch from this relay was committed: everything from it created up to this time is stored. */
    public void committed(UUID relayId, long newestCreatedAt) {
        pending.merge(relayId, newestCreatedAt, Math::max);
    }

    @Scheduled(fixedDelayString = "${gateway.cursor-flush-interval:5s}")
    public void flush() {
        Map<UUID, Long> taken = new HashMap<>();
        for (UUID relay : pending.keySet()) {
            Long cursor = pending.remove(relay);
            if (cursor != null) {
                taken.put(relay, cursor);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        try {
            retry.call("persisting " + taken.size() + " cursors", () -> {
                registry.advanceCursors(taken);
                return null;
            });
        } catch (DataAccessException e) {
            if (FailureClass.of(e) != FailureClass.PERMANENT) {
                taken.forEach(this::committed); // the database is away: try again next time
                log.warn("persisting {} cursors failed ({}); will retry", taken.size(), e.getMessage());
            } else {
                // Trying again would fail again, every flush, for good. A cursor left behind is safe: a restart
                // asks the relay for a little more, and the store answers duplicates.
                log.error("persisting {} cursors failed for good ({}); they stay where they were stored last",
                        taken.size(), e.getMessage());
            }
        }
    }

    public void forget(UUID relayId) {
        pending.remove(relayId);
    }
}
