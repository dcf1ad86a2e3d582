package dev.nostrgate.core.message;

import java.util.Optional;

/**
 * The rule for subscription ids (NIP-01): a non-empty string of at most 64 characters, counted as Java (and
 * JavaScript) string length. Any characters are allowed.
 */
public final class SubscriptionIds {
    /** Longest subscription id NIP-01 allows. */
    public static final int MAX_LENGTH = 64;

    private SubscriptionIds() {
    }

    /** Why the text is not a subscription id, or empty if it is one. */
    public static Optional<String> problem(String id) {
        if (id == null) {
            return Optional.of("subscription id is missing");
        }
        if (id.isEmpty()) {
            return Optional.of("subscription id is empty");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("subscription id longer than " + MAX_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /**
     * Returns the id if it is valid.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static String requireValid(String id) {
        Optional<String> problem = problem(id);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return id;
    }
}
