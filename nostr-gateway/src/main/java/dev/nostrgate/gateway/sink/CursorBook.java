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
 * Each relay's cursor (the newest created_at stored from it), moved in memory by the consumers after each commit
 * and persisted periodically. A cursor persisted a little behind only means a little more overlap on restart.
 */
@Component
public class CursorBook {
    private static final Logger log = LoggerFactory.getLogger(CursorBook.class);

    private final RelayRegistry registry;
    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();

    public CursorBook(RelayRegistry registry) {
        this.registry = registry;
    }

    /** A batch from this relay was committed; its newest event was created at this time. */
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
