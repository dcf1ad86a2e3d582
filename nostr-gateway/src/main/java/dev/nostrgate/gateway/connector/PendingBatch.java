package dev.nostrgate.gateway.connector;

import dev.nostrgate.gateway.topology.EventBatchCodec;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.Message;

/**
 * The events a connector has received and not yet published, on their way to becoming one message (see
 * {@link EventBatchCodec}): all catch-up events or all live ones, never both. Not thread-safe: the connector
 * guards it with its lock.
 */
final class PendingBatch {
    private final BatchLimits limits;
    private final List<byte[]> events = new ArrayList<>();
    private int bodyBytes;
    private long firstReceivedAtMillis;
    private long firstReceivedNanos;
    private String firstId;
    private boolean catchUp;

    PendingBatch(BatchLimits limits) {
        this.limits = limits;
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    int size() {
        return events.size();
    }

    /**
     * Whether an event of this size and kind (catch-up or live) still fits; an empty batch takes any event, so a
     * big one travels alone.
     */
    boolean accepts(int eventBytes, boolean catchUpEvent) {
        return events.isEmpty() || catchUpEvent == catchUp && bodyBytes + 1 + eventBytes <= limits.maxBytes();
    }

    void add(byte[] eventJson, String eventId, long receivedAtMillis, long receivedNanos, boolean catchUpEvent) {
        if (events.isEmpty()) {
            firstReceivedAtMillis = receivedAtMillis;
            firstReceivedNanos = receivedNanos;
            firstId = eventId;
            catchUp = catchUpEvent;
            bodyBytes = eventJson.length;
        } else {
            bodyBytes += 1 + eventJson.length;
        }
        events.add(eventJson);
    }

    /** Full: to be published now, without waiting for the linger. */
    boolean isFull() {
        return events.size() >= limits.maxEvents() || bodyBytes >= limits.maxBytes();
    }

    /** How long until the linger has passed since the first event (on {@link System#nanoTime()}); 0 or less: due. */
    long nanosUntilDue(long nowNanos) {
        return firstReceivedNanos + limits.linger().toNanos() - nowNanos;
    }

    /** The message of the pending events, which are then no longer pending. */
    Message take() {
        Message message = EventBatchCodec.encode(events, firstReceivedAtMillis, firstId, catchUp);
        events.clear();
        bodyBytes = 0;
        return message;
    }
}
