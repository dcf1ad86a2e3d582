package dev.nostrgate.core.message;

import dev.nostrgate.core.Hex;
import java.util.Optional;

/**
 * The rule for NIP-77 message payloads: lowercase hex of whole bytes. Their content is not read here (see
 * {@code dev.nostrgate.core.negentropy}).
 */
public final class NegentropyHex {
    private NegentropyHex() {
    }

    /** What is wrong with {@code hex} as a negentropy message, or empty. */
    public static Optional<String> problem(String hex) {
        if (hex == null) {
            return Optional.of("negentropy message is missing");
        }
        if (hex.length() % 2 != 0 || !Hex.isLowercaseHex(hex, hex.length())) {
            return Optional.of("negentropy message must be lowercase hex of whole bytes");
        }
        return Optional.empty();
    }

    static String requireValid(String hex) {
        Optional<String> problem = problem(hex);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return hex;
    }
}
