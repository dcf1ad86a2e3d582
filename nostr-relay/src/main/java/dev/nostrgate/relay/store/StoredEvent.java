package dev.nostrgate.relay.store;

import java.util.Comparator;

/**
 * An event as the store serves it: its wire JSON as stored, plus what is needed to order and deduplicate results
 * without parsing the JSON again.
 */
public record StoredEvent(String idHex, long createdAt, String json) {
    /** NIP-01 order: newest first; on equal created_at, lowest id first. */
    public static final Comparator<StoredEvent> NEWEST_FIRST =
            Comparator.comparingLong(StoredEvent::createdAt).reversed().thenComparing(StoredEvent::idHex);

    public StoredEvent {
        if (idHex == null || json == null) {
            throw new IllegalArgumentException("a stored event needs its id and JSON");
        }
    }
}
