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
     * The relay has sent every stored event: what follows is live. Called once per subscription, even though the
     * relay says it again after each reconnect.
     */
    default void onEose() {
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
