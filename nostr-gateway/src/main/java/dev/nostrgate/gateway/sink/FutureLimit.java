package dev.nostrgate.gateway.sink;

import java.time.Duration;
import java.util.Optional;

/**
 * How far ahead of the moment the gateway received it an event's {@code created_at} may lie
 * ({@code gateway.created-at-upper-limit}, by default nostr-relay's own {@code limits.createdAtUpperLimit}, 15
 * minutes), and how far an event may move its relay's cursor. The cursor only moves forward, so one event dated in
 * 2100 would fix it there for good, and every restart would ask the relay for events since 2100 and miss all the
 * rest. Hence: an event beyond the limit is refused (dead-lettered, never stored), and no event takes the cursor past
 * the time it was received, however little it lies ahead.
 *
 * @param seconds how many seconds after its receipt an event's {@code created_at} may be
 */
public record FutureLimit(long seconds) {
    /** nostr-relay's default ({@code limits.createdAtUpperLimit}). */
    public static final Duration DEFAULT = Duration.ofMinutes(15);

    public FutureLimit {
        if (seconds < 1) {
            throw new IllegalArgumentException("gateway.created-at-upper-limit must be at least 1s, was " + seconds
                    + "s");
        }
    }

    public static FutureLimit of(Duration limit) {
        return new FutureLimit(limit.toSeconds());
    }

    /** Why an event is refused, if its {@code created_at} lies beyond the limit. */
    public Optional<String> problem(long createdAt, long receivedAtSeconds) {
        if (createdAt > receivedAtSeconds + seconds) {
            return Optional.of("created_at is too far in the future (more than " + seconds
                    + " seconds after the gateway received it)");
        }
        return Optional.empty();
    }

    /** How far a stored event may move the cursor: to its {@code created_at}, but never past its receipt. */
    public static long cursorCandidate(long createdAt, long receivedAtSeconds) {
        return Math.min(createdAt, receivedAtSeconds);
    }
}
