package dev.nostrgate.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before each new attempt after a failure: exponential from {@code initialDelay}, capped at
 * {@code maxDelay}, with "equal jitter" (a random delay between half and all of the step) so that many clients
 * dropped at once, or many writers failed by one database restart, do not come back at once. The one backoff of
 * the code base: the client's reconnects, and every retry of the relay and the gateway.
 */
public record Backoff(Duration initialDelay, Duration maxDelay) {
    /** 250 ms, doubling up to 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

    public Backoff {
        if (initialDelay == null || maxDelay == null) {
            throw new IllegalArgumentException("a backoff needs an initial and a maximum delay");
        }
        if (initialDelay.toMillis() < 1) {
            throw new IllegalArgumentException("a backoff's initial delay must be at least 1 ms, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("a backoff's max delay (" + maxDelay + ") must not be less than the "
                    + "initial delay (" + initialDelay + ")");
        }
    }

    /** The step before jitter for an attempt: initial × 2^attempt, at most the maximum. */
    public Duration step(int attempt) {
        long max = maxDelay.toMillis();
        long step = initialDelay.toMillis();
        for (int i = 0; i < attempt && step < max; i++) {
            step *= 2;
        }
        return Duration.ofMillis(Math.min(step, max));
    }

    /** The delay before attempt {@code attempt} (0 for the first retry): between half and all of its step. */
    public Duration delay(int attempt, RandomGenerator random) {
        long step = step(attempt).toMillis();
        long half = step / 2;
        return Duration.ofMillis(half + random.nextLong(step - half + 1));
    }
}
