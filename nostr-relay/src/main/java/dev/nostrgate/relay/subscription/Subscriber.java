package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.message.RelayMessage;
import java.util.Map;

/**
 * A client as the query and monitor stages see it: where a subscription's messages go, how much waits to be sent to
 * it, and which subscriptions it has open. This package comes last in the relay's data path, so it names what it
 * needs here and the server's connection implements it; nothing in it knows of Netty, lanes or NIP-42.
 *
 * <p>Every method is safe from any thread.
 */
public interface Subscriber {
    /** Queues a message for the client; false if dropped (closing, or the client is too slow). */
    boolean send(RelayMessage message);

    /**
     * Queues {@code <prefix><event>]}, the EVENT message of a subscription, around an event's JSON already encoded
     * for all its subscribers (the arrays are wrapped, not copied; they must not change afterwards).
     *
     * @return false if dropped, as for {@link #send}
     */
    boolean sendEvent(byte[] prefix, byte[] eventUtf8);

    /** Bytes queued for the client and not yet handed to the network. */
    long queuedBytes();

    /** Runs the callback once what is queued has been handed to the network, or at once if the client is closing. */
    void whenDrained(Runnable callback);

    /** Open subscriptions by id (a concurrent map). */
    Map<String, Subscription> subscriptions();

    /** Open NIP-77 reconciliations. */
    NegentropySessions negentropySessions();
}
