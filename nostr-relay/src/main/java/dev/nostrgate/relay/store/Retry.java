package dev.nostrgate.relay.store;

import dev.nostrgate.core.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step again after transient failures ({@link FailureClass#TRANSIENT}), waiting a jittered, growing delay
 * ({@link Backoff}) between attempts, for as long as its budget allows: the one retry loop of the relay and the
 * gateway. A failure of any other class is thrown at once: an ambiguous one is for the caller to look into, and a
 * permanent one never succeeds.
 *
 * <p>Waiting happens on the caller's thread on purpose: a writer lane or a relay's consumer that waits for its
 * database is the backpressure (its queue fills up), not a failure.
 */
public final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    private final Backoff backoff;
    private final Optional<Duration> giveUpAfter;
    private final BooleanSupplier stopping;
    private final Function<Throwable, FailureClass> classify;

    private Retry(Backoff backoff, Optional<Duration> giveUpAfter, BooleanSupplier stopping,
                  Function<Throwable, FailureClass> classify) {
        this.backoff = backoff;
        this.giveUpAfter = giveUpAfter;
        this.stopping = stopping;
        this.classify = classify;
    }

    /**
     * Retries transient failures until {@code giveUpAfter} has passed since the first attempt (no new attempt is
     * started after that), or {@code stopping} says so.
     */
    public static Retry within(Duration giveUpAfter, Backoff backoff, BooleanSupplier stopping) {
        return new Retry(backoff, Optional.of(giveUpAfter), stopping, FailureClass::of);
    }

    /** Retries transient failures for as long as it takes, until {@code stopping} says so. */
    public static Retry untilStopped(Backoff backoff, BooleanSupplier stopping) {
        return new Retry(backoff, Optional.empty(), stopping, FailureClass::of);
    }

    /**
     * The same policy with another judge of what is transient: a step that talks to the broker rather than the
     * database, say, where an error without an SQLSTATE is still an outage.
     */
    public Retry classifiedBy(Function<Throwable, FailureClass> classifier) {
        return new Retry(backoff, giveUpAfter, stopping, classifier);
    }

    /**
     * The same policy for a step that may run twice with the same effect (a read, an insert that ignores
     * conflicts, a conditional update): an ambiguous commit (40003) is then simply tried again.
     */
    public Retry forIdempotentStep() {
        return classifiedBy(failure -> {
            FailureClass failureClass = classify.apply(failure);
            return failureClass == FailureClass.AMBIGUOUS ? FailureClass.TRANSIENT : failureClass;
        });
    }

    /** The class this policy gives a failure. */
    public FailureClass classOf(Throwable failure) {
        return classify.apply(failure);
    }

    /** True once the caller has said it is stopping. */
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /**
     * Runs the step until it succeeds.
     *
     * @param what what the step does, for the log ("storing 12 events")
     * @throws RuntimeException the step's failure: at once if it is not transient, or the last one when the budget
     *     is spent, the caller is stopping, or the thread is interrupted (its flag is then set again)
     */
    public <T> T call(String what, Supplier<T> step) {
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            try {
                T result = step.get();
                if (attempt > 0) {
                    log.info("{}: succeeded after {} retries", what, attempt);
                }
                return result;
            } catch (RuntimeException failure) {
                if (classify.apply(failure) != FailureClass.TRANSIENT || stopping.getAsBoolean()) {
                    throw failure;
                }
                long delay = backoff.delay(attempt, ThreadLocalRandom.current()).toNanos();
                if (giveUpAfter.isPresent() && System.nanoTime() + delay - start > giveUpAfter.get().toNanos()) {
                    log.warn("{}: giving up after {} attempts in {} ms: {}", what, attempt + 1,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failure.getMessage());
                    throw failure;
                }
                // A serialization failure is routine on CockroachDB (it asks clients to retry); an outage is not.
                boolean routine = FailureClass.sqlState(failure).filter("40001"::equals).isPresent();
                if (routine || (attempt > 0 && attempt % 10 != 0)) {
                    log.debug("{} failed ({}); attempt {} in {} ms", what, failure.getMessage(), attempt + 2,
                            TimeUnit.NANOSECONDS.toMillis(delay));
                } else {
                    log.warn("{} failed ({}); attempt {} in {} ms", what, failure.getMessage(), attempt + 2,
                            TimeUnit.NANOSECONDS.toMillis(delay));
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }
}
