package dev.nostrgate.core.event;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.key.Schnorr;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks that an event is authentic: its id is the hash of its canonical serialization and its signature is valid
 * for its pubkey. Thread-safe.
 */
public final class EventVerifier {
    private final Schnorr schnorr;

    /** A verifier on the default provider ({@link Schnorr#get()}). */
    public EventVerifier() {
        this(Schnorr.get());
    }

    public EventVerifier(Schnorr schnorr) {
        this.schnorr = schnorr;
    }

    /** Why the event is not authentic, or empty if it is. The reason fits after {@code invalid:}. */
    public Optional<String> problem(Event event) {
        byte[] id = CanonicalSerialization.idBytes(
                event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content());
        if (!Arrays.equals(id, Hex.decode(event.id().hex()))) {
            return Optional.of("event id does not match its content (expected " + Hex.encode(id) + ")");
        }
        if (!schnorr.verify(Hex.decode(event.sig()), id, Hex.decode(event.pubkey().hex()))) {
            return Optional.of("signature is not valid for the pubkey");
        }
        return Optional.empty();
    }

    /** True if the id and signature are right. */
    public boolean isAuthentic(Event event) {
        return problem(event).isEmpty();
    }

    /**
     * Throws if the event is not authentic.
     *
     * @throws InvalidEventException with the reason
     */
    public void check(Event event) throws InvalidEventException {
        Optional<String> problem = problem(event);
        if (problem.isPresent()) {
            throw new InvalidEventException(problem.get());
        }
    }
}
