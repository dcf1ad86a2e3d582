package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.EventId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids stored recently: a duplicate costs a hash lookup, not a signature check. Bounded (the oldest are forgotten
 * first); a miss only means the event is verified again and the store answers {@code duplicate}. Thread-safe.
 */
public final class RecentIds {
    private final Map<EventId, Boolean> ids;

    public RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("writer.recentIdsCapacity must be at least 1, was " + capacity);
        }
        this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventId, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(EventId id) {
        return ids.containsKey(id);
    }

    public synchronized void add(EventId id) {
        ids.put(id, Boolean.TRUE);
    }

    public synchronized void remove(EventId id) {
        ids.remove(id);
    }

    public synchronized void clear() {
        ids.clear();
    }

    public synchronized int size() {
        return ids.size();
    }
}
