package dev.nostrgate.relay.subscription;

import dev.nostrgate.core.event.JsonText;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.relay.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One open {@code REQ}: its stored part, then {@code EOSE}, then live events until it is closed.
 *
 * <p>The order rule. The subscription is filed in the live index <em>before</em> its stored query starts, so no
 * event committed meanwhile can fall between the two. Until {@code EOSE} is sent, live matches are held here (never
 * sent early); at {@code EOSE} they are sent, except those the stored part already contained. After that, live
 * events go straight out, except, for a few seconds, those the stored part already contained: an event committed
 * just before the stored query read may reach the monitor only after {@code EOSE} (from another replica through
 * RabbitMQ, say), and is not sent twice. A lock on this object orders the query thread's sends against the
 * monitor's, and once
 * {@link #cancel} returns nothing more is sent for this subscription, so a replacing {@code REQ} with the same id
 * never sees the old one's events after its own.
 */
public final class Subscription {
    /** How long after EOSE live events are checked against the stored part's ids. */
    static final long STORED_IDS_WINDOW_NANOS = 10_000_000_000L;

    private final Subscriber subscriber;
    private final String id;
    private final List<Filter> filters;
    private final long maxHeldBytes;
    /** {@code ["EVENT","<id>",} in UTF-8: live events are sent as this, the shared event bytes, and {@code ]}. */
    private final byte[] eventPrefix;

    private record Held(String idHex, byte[] eventUtf8) {
    }

    // guarded by this
    private boolean cancelled;
    private boolean live;
    private List<Held> held = new ArrayList<>();
    private long heldBytes;
    private Set<String> storedIds; // after EOSE, until storedIdsUntil
    private long storedIdsUntil;

    /**
     * @param maxHeldBytes live events held while the stored part is sent, at most; past that the subscription is
     *     closed (the client reads too slowly for the rate of new events)
     */
    public Subscription(Subscriber subscriber, String id, List<Filter> filters, long maxHeldBytes) {
        this.subscriber = subscriber;
        this.id = id;
        this.filters = List.copyOf(filters);
        this.maxHeldBytes = maxHeldBytes;
        this.eventPrefix = JsonText.appendQuoted(new StringBuilder("[\"EVENT\","), id).append(',').toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    public String id() {
        return id;
    }

    public List<Filter> filters() {
        return filters;
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Sends one event of the stored part; false if the subscription or connection has ended. */
    synchronized boolean sendStored(byte[] eventUtf8) {
        return !cancelled && subscriber.sendEvent(eventPrefix, eventUtf8);
    }

    /**
     * Sends {@code EOSE} after the stored part, then the live events held meanwhile that the stored part did not
     * contain; from now on live events go straight out.
     */
    synchronized void finishStored(List<StoredEvent> sent) {
        if (cancelled) {
            return;
        }
        subscriber.send(new RelayMessage.Eose(id));
        if (!sent.isEmpty()) {
            storedIds = new HashSet<>(sent.size() * 4 / 3 + 1);
            for (StoredEvent event : sent) {
                storedIds.add(event.idHex());
            }
            storedIdsUntil = System.nanoTime() + STORED_IDS_WINDOW_NANOS;
        }
        for (Held event : held) {
            if (storedIds == null || !storedIds.contains(event.idHex())) {
                subscriber.sendEvent(eventPrefix, event.eventUtf8());
            }
        }
        held = null;
        heldBytes = 0;
        live = true;
    }

    /**
     * A live event that matches (monitor thread).
     *
     * @param eventUtf8 the event's JSON in UTF-8, shared by every subscription it goes to (never changed)
     * @return false if the subscription must leave the index: it ended, or too much was held for it
     */
    synchronized boolean deliver(String idHex, byte[] eventUtf8) {
        if (cancelled) {
            return false;
        }
        if (live) {
            if (storedIds != null) {
                if (System.nanoTime() - storedIdsUntil > 0) {
                    storedIds = null;
                } else if (storedIds.contains(idHex)) {
                    return true; // sent in the stored part already
                }
            }
            subscriber.sendEvent(eventPrefix, eventUtf8);
            return true;
        }
        heldBytes += eventUtf8.length;
        if (heldBytes > maxHeldBytes) {
            end("rate-limited: more new events arrived than could be held while the stored ones were sent; "
                    + "subscribe again");
            return false;
        }
        held.add(new Held(idHex, eventUtf8));
        return true;
    }

    /** Stops all sending for this subscription (CLOSE, a replacing REQ, or the connection closed). */
    public synchronized void cancel() {
        cancelled = true;
        held = null;
        storedIds = null;
    }

    /**
     * The relay ends the subscription: {@code CLOSED} with the message (a NIP-01 prefix first).
     *
     * @return false if it had ended already
     */
    synchronized boolean end(String closedMessage) {
        if (cancelled) {
            return false;
        }
        cancel();
        subscriber.subscriptions().remove(id, this);
        subscriber.send(new RelayMessage.Closed(id, closedMessage));
        return true;
    }

    @Override
    public String toString() {
        return "subscription " + id + " of " + subscriber;
    }
}
