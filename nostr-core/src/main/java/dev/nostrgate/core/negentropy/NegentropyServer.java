package dev.nostrgate.core.negentropy;

import dev.nostrgate.core.Hex;

/**
 * The answering side of a NIP-77 reconciliation: every client message gets a reply, computed from the storage
 * alone, so one server can serve a whole session. A message of another protocol version gets the one-byte reply
 * {@code 61} (version 1), so that the client can downgrade. Not thread-safe: one message at a time.
 */
public final class NegentropyServer {
    private final Reconciler reconciler;

    /** {@code frameSizeLimit} is 0 for none, else at least 4096 bytes per reply. */
    public NegentropyServer(NegentropyStorage storage, long frameSizeLimit) {
        this.reconciler = new Reconciler(storage, frameSizeLimit, false);
    }

    /** The reply to {@code message}. @throws NegentropyException if it cannot be read */
    public byte[] reconcile(byte[] message) {
        return reconciler.reconcile(message, id -> { }, id -> { });
    }

    /** {@link #reconcile(byte[])} on lowercase hex, as NIP-77 carries it. */
    public String reconcileHex(String message) {
        return Hex.encode(reconcile(NegentropyClient.decodeHex(message)));
    }
}
