package dev.nostrgate.relay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstThenRefillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(2, 3);
        long t = System.nanoTime();
        assertThat(limiter.tryAcquire(t)).isTrue();
        assertThat(limiter.tryAcquire(t)).isTrue();
        assertThat(limiter.tryAcquire(t)).isTrue();
        assertThat(limiter.tryAcquire(t)).isFalse();
        assertThat(limiter.tryAcquire(t + SECOND / 2)).as("one token after half a second at 2/s").isTrue();
        assertThat(limiter.tryAcquire(t + SECOND / 2)).isFalse();
        assertThat(limiter.tryAcquire(t + 100 * SECOND)).as("never more than the burst").isTrue();
        assertThat(limiter.tryAcquire(t + 100 * SECOND)).isTrue();
        assertThat(limiter.tryAcquire(t + 100 * SECOND)).isTrue();
        assertThat(limiter.tryAcquire(t + 100 * SECOND)).isFalse();
    }
}
