package dev.nostrgate.core.event;

import dev.nostrgate.core.Hex;

/**
 * An event id: the SHA-256 of the event's canonical serialization, as 64 lowercase hex characters. Ordered by
 * that text, which is the byte order NIP-01 uses to break ties ("lowest id first").
 */
public record EventId(String hex) implements Comparable<EventId> {
    public EventId {
        if (!Hex.isLowercaseHex(hex, 64)) {
            throw new IllegalArgumentException("an event id is 64 lowercase hex characters");
        }
    }

    /** An id from its 32 bytes. */
    public static EventId of(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("an event id is 32 bytes, was " + bytes.length);
        }
        return new EventId(Hex.encode(bytes));
    }

    /** The 32 bytes (a new array). */
    public byte[] toBytes() {
        return Hex.decode(hex);
    }

    @Override
    public int compareTo(EventId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
