package dev.nostrgate.relay.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An event as the store serves it: its wire JSON as stored, in UTF-8, plus what is needed to order and deduplicate
 * results without parsing the JSON again.
 *
 * <p>The JSON stays in the bytes the database sent: a stored query's events go to the socket as they are, never
 * decoded into a {@code String} and encoded back (that round trip was a sixth of the relay's CPU under a query
 * load). The array must not be changed.
 */
public record StoredEvent(String idHex, long createdAt, byte[] jsonUtf8) {
    /** NIP-01 order: newest first; on equal created_at, lowest id first. */
    public static final Comparator<StoredEvent> NEWEST_FIRST =
            Comparator.comparingLong(StoredEvent::createdAt).reversed().thenComparing(StoredEvent::idHex);

    public StoredEvent {
        if (idHex == null || jsonUtf8 == null) {
            throw new IllegalArgumentException("a stored event needs its id and JSON");
        }
    }

    public StoredEvent(String idHex, long createdAt, String json) {
        this(idHex, createdAt, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON as text (decoded on each call: for callers that are not on the hot path). */
    public String json() {
        return new String(jsonUtf8, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredEvent that && createdAt == that.createdAt && idHex.equals(that.idHex)
                && Arrays.equals(jsonUtf8, that.jsonUtf8);
    }

    @Override
    public int hashCode() {
        return idHex.hashCode();
    }

    @Override
    public String toString() {
        return "StoredEvent[" + idHex + ", created_at " + createdAt + "]";
    }
}
