package dev.nostrgate.relay.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} answers: ready once the relay has started and until it begins to stop, while every
 * dependency check passes. Checks must be cheap (a flag or a cached result): they run on an event loop.
 */
public final class Readiness {
    private final List<Supplier<Optional<String>>> checks = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean stopping;

    /** Adds a check: a reason the relay is not ready, or empty. */
    public synchronized void add(Supplier<Optional<String>> check) {
        checks.add(check);
    }

    public void started() {
        started = true;
    }

    public void stopping() {
        stopping = true;
    }

    /** Why the relay is not ready, or empty if it is. */
    public synchronized Optional<String> problem() {
        if (stopping) {
            return Optional.of("shutting down");
        }
        if (!started) {
            return Optional.of("starting");
        }
        for (Supplier<Optional<String>> check : checks) {
            Optional<String> problem = check.get();
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }
}
