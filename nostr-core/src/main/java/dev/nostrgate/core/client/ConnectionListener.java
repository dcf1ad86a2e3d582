package dev.nostrgate.core.client;

/**
 * Hears a {@link RelayClient}'s connection open and drop ({@link RelayClient.Builder#connectionListener}). Calls come
 * on the client's listener thread, in order with the subscription callbacks: {@link #onConnected} before any callback
 * the new connection causes (the {@link SubscriptionListener#onResubscribed} of each {@code REQ} sent again, its
 * events), and after every callback of the connection before. So a listener knows exactly what it heard before a
 * reconnect, and may block briefly like any listener; longer work belongs on a thread of its own.
 *
 * <p>What it is for: a reconnect resumes each subscription from the newest {@code created_at} it delivered (see
 * {@link Subscription}), which cannot see an event the relay received meanwhile with an older {@code created_at}. An
 * application that must not miss those learns of the reconnect here and reconciles the older part itself
 * ({@link RelayClient#reconcile}, NIP-77).
 */
public interface ConnectionListener {

    /**
     * The connection is open; the open subscriptions' {@code REQ}s go out again at once, and their callbacks follow
     * this one.
     *
     * @param reconnected false for the client's first connection, true for each one after a connection was lost
     */
    default void onConnected(boolean reconnected) {
    }

    /**
     * An open connection was lost; the client reconnects by itself unless reconnection is off. Not called for
     * attempts that never opened, nor for {@link RelayClient#close()}.
     *
     * @param problem what happened, such as {@code "connection lost: ..."} or {@code "no pong within ..."}
     */
    default void onDisconnected(String problem) {
    }
}
