package dev.nostrgate.gateway.connector;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Spreads the first connections of many relays over time: at most {@code perSecond} start in any second, each at a
 * random moment of its own slot. An instance that starts with a thousand relays (or takes a dead instance's relays
 * over) would otherwise open a thousand TLS handshakes, subscriptions and catch-ups in the same instant, and its
 * CPU, the broker and the database would see all their bursts at once. A relay started alone, when no slot is
 * taken, connects at once. Reconnects are not paced here: each relay's client backs off on its own, with jitter.
 */
final class ConnectPacer {
    private final long slotNanos;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    /** When the first slot not yet handed out begins. */
    private long nextSlot;

    ConnectPacer(int perSecond) {
        this(perSecond, System::nanoTime, ThreadLocalRandom.current());
    }

    ConnectPacer(int perSecond, LongSupplier nanoTime, RandomGenerator random) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("connects per second must be at least 1, was " + perSecond);
        }
        this.slotNanos = 1_000_000_000L / perSecond;
        this.nanoTime = nanoTime;
        this.random = random;
        this.nextSlot = nanoTime.getAsLong();
    }

    /** How long the next relay to start should wait before it connects. */
    synchronized Duration nextDelay() {
        long now = nanoTime.getAsLong();
        if (nextSlot <= now) { // nobody waits: no reason to make this one wait
            nextSlot = now + slotNanos;
            return Duration.ZERO;
        }
        long slot = nextSlot;
        nextSlot += slotNanos;
        return Duration.ofNanos(slot - now + random.nextLong(slotNanos));
    }
}
