package dev.nostrgate.core.client;

/**
 * NIP-42 for one request or subscription: refused with {@code auth-required:} before the client authenticated, it
 * is held and sent again once after authentication; refused again, or refused after authenticating, the refusal
 * stands. Client thread only.
 */
final class AuthRetry {
    private boolean sentAuthenticated;
    private boolean retried;
    private String heldRefusal;

    /** It went out on this connection, after authentication or not. */
    void sent(boolean authenticated) {
        sentAuthenticated = authenticated;
    }

    /** True if an {@code auth-required:} refusal is worth authenticating for: not retried yet, not sent authed. */
    boolean mayRetry() {
        return !retried && !sentAuthenticated;
    }

    void hold(String refusal) {
        heldRefusal = refusal;
    }

    boolean isHeld() {
        return heldRefusal != null;
    }

    /** The refusal it is held for (null if not held). */
    String heldRefusal() {
        return heldRefusal;
    }

    /** Authentication succeeded: it is sent again, and only this once. */
    void released() {
        heldRefusal = null;
        retried = true;
    }

    /** A new connection is a new session: authentication starts over. */
    void reset() {
        sentAuthenticated = false;
        retried = false;
        heldRefusal = null;
    }
}
