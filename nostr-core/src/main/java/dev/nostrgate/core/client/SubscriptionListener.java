package dev.nostrgate.core.client;

import dev.nostrgate.core.event.Event;

/**
 * Receives what a relay sends for one subscription. Calls come one at a time, in the order the relay sent them, on
 * the client's listener thread (one per client, shared by its subscriptions): a slow listener delays the others and
 * makes events wait in memory, but never stalls the connection.
 */
@FunctionalInterface
public interface SubscriptionListener {

    /** An event that matched the filters; its id and signature have been verified. */
    void onEvent(Event event);

    /**
     * The relay has sent every stored event: what follows is live. Called once per subscription, the first time
     * the relay says {@code EOSE}; when it says it again after a {@code REQ} sent again, {@link #onEoseAgain()}.
     */
    default void onEose() {
    }

    /**
     * The client sent the {@code REQ} again (after a reconnect, or once authenticated, NIP-42): until the relay's
     * next {@code EOSE} ({@link #onEose()} if it never said it before, else {@link #onEoseAgain()}) come stored
     * events again, newest first, some of them possibly delivered before. A listener that tracks progress by
     * {@code created_at} must not take the newest of them as "everything before it was seen" until then.
     */
    default void onResubscribed() {
    }

    /**
     * The relay has sent the stored events of a {@code REQ} sent again ({@link #onResubscribed()}) after the first
     * {@link #onEose()}: what follows is live again.
     */
    default void onEoseAgain() {
    }

    /**
     * The relay ended or refused the subscription ({@code CLOSED}), or the connection was lost and the client does
     * not reconnect. Nothing more is delivered. Not called after {@link Subscription#close()}.
     *
     * @param reason the relay's message, such as {@code "auth-required: sign in first"}
     */
    default void onClosed(String reason) {
    }
}
