package dev.nostrgate.relay.store.faults;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Which operations of one connection fail: one draw per operation from a generator seeded by the settings' seed
 * and the connection's number under its name, so the same seed fails the same operations of the same connection
 * again (as long as the code under test issues them in the same order).
 *
 * <p>40003 is drawn only where a commit is decided (an autocommit statement, or {@code commit()}); of those, the
 * first, third, ... are thrown before the operation and the second, fourth, ... after it took effect: half each,
 * and a test knows which is which.
 */
final class FaultSchedule {
    /** Spreads connection numbers over the seed space (a 64-bit odd constant, SplitMix64's first multiplier). */
    private static final long CONNECTION_SPREAD = 0xBF58476D1CE4E5B9L;

    private final FaultSettings settings;
    private final SplittableRandom draws;
    private long ambiguousSoFar;

    FaultSchedule(FaultSettings settings, long connectionNumber) {
        this.settings = settings;
        this.draws = new SplittableRandom(settings.seed() ^ (connectionNumber * CONNECTION_SPREAD));
    }

    /** The fault for the next operation, if any; {@code decidesCommit}: the operation commits when it succeeds. */
    synchronized Optional<Fault> next(boolean decidesCommit) {
        double draw = draws.nextDouble();
        if (draw < settings.serialization()) {
            return Optional.of(Fault.SERIALIZATION_FAILURE);
        }
        if (decidesCommit && draw < settings.serialization() + settings.ambiguous()) {
            return Optional.of(ambiguousSoFar++ % 2 == 0 ? Fault.AMBIGUOUS_BEFORE : Fault.AMBIGUOUS_AFTER);
        }
        return Optional.empty();
    }
}
