package dev.nostrgate.core.event;

/** How a relay keeps events of a kind (NIP-01 "Kinds"). */
public enum KindCategory {
    /** Stored; every event is kept. Kinds 1, 2, 4–44, 1000–9999, and any kind NIP-01 leaves unnamed. */
    REGULAR,
    /** Only the newest per (pubkey, kind) is current. Kinds 0, 3, 10000–19999. */
    REPLACEABLE,
    /** Not stored; only delivered to live subscribers. Kinds 20000–29999. */
    EPHEMERAL,
    /** Only the newest per (pubkey, kind, d tag) is current. Kinds 30000–39999. */
    ADDRESSABLE;

    /** The category of a kind (0–65535). */
    public static KindCategory of(int kind) {
        if (kind == 0 || kind == 3 || (kind >= 10_000 && kind < 20_000)) {
            return REPLACEABLE;
        }
        if (kind >= 20_000 && kind < 30_000) {
            return EPHEMERAL;
        }
        if (kind >= 30_000 && kind < 40_000) {
            return ADDRESSABLE;
        }
        return REGULAR;
    }
}
