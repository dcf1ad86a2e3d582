package dev.nostrgate.gateway.sink;

import dev.nostrgate.gateway.registry.RelayRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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
            registry.advanceCursors(taken);
        } catch (DataAccessException e) {
            taken.forEach(this::committed); // try again next time
            log.warn("persisting {} cursors failed ({}); will retry", taken.size(), e.getMessage());
        }
    }

    public void forget(UUID relayId) {
        pending.remove(relayId);
    }
}
