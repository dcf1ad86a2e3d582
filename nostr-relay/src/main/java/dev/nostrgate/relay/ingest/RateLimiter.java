package dev.nostrgate.relay.ingest;

/**
 * A token bucket: {@code burst} events at once, refilled at {@code perSecond}. One per connection, used only by
 * that connection's ingest lane, so it needs no lock.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire() {
        return tryAcquire(System.nanoTime());
    }

    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
