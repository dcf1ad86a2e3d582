package dev.nostrgate.core.negentropy;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.message.NegentropyHex;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The initiating side of a NIP-77 reconciliation: {@link #initiate()} once, then {@link #reconcile} each server
 * reply until it returns empty. Along the way it reports the ids only it has ({@code have}) and the ids only the
 * server has ({@code need}); each id is reported once. Not thread-safe.
 */
public final class NegentropyClient {
    private final Reconciler reconciler;
    private boolean initiated;

    /** {@code frameSizeLimit} is 0 for none, else at least 4096 bytes per message. */
    public NegentropyClient(NegentropyStorage storage, long frameSizeLimit) {
        this.reconciler = new Reconciler(storage, frameSizeLimit, true);
    }

    /** The first message. */
    public byte[] initiate() {
        if (initiated) {
            throw new IllegalStateException("a negentropy client initiates once");
        }
        initiated = true;
        return reconciler.initiate();
    }

    /** {@link #initiate()} as lowercase hex. */
    public String initiateHex() {
        return Hex.encode(initiate());
    }

    /**
     * Reads a server reply; returns the next message to send, or empty when the reconciliation is complete.
     * @throws NegentropyException if the reply cannot be read or uses another protocol version
     */
    public Optional<byte[]> reconcile(byte[] reply, Consumer<byte[]> have, Consumer<byte[]> need) {
        if (!initiated) {
            throw new IllegalStateException("initiate() first");
        }
        return Optional.ofNullable(reconciler.reconcile(reply, have, need));
    }

    /** {@link #reconcile(byte[], Consumer, Consumer)} on lowercase hex, ids reported as hex. */
    public Optional<String> reconcileHex(String reply, Consumer<String> have, Consumer<String> need) {
        return reconcile(decodeHex(reply), id -> have.accept(Hex.encode(id)), id -> need.accept(Hex.encode(id)))
                .map(Hex::encode);
    }

    static byte[] decodeHex(String hex) {
        NegentropyHex.problem(hex).ifPresent(problem -> {
            throw new NegentropyException(problem);
        });
        return Hex.decode(hex);
    }
}
