package dev.nostrgate.gateway.topology;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * The messages on a relay's queue: several events per message, because the broker's cost is per message (about
 * 120 µs of CPU for a persistent, confirmed one) and barely grows with its size.
 *
 * <p>A batch has content type {@value #CONTENT_TYPE}: the events' compact JSON ({@code Event.toJson()}, UTF-8)
 * joined by {@code \n}, nothing before the first or after the last, and the number of events in the
 * {@value #COUNT_HEADER} header. Compact JSON escapes every control character inside strings, so a raw newline
 * byte only ever separates events, and UTF-8 never uses the byte {@code 0x0A} inside a multi-byte character:
 * splitting is a scan for one byte, no decoding.
 *
 * <p>A batch of catch-up events, received before the relay's {@code EOSE} (stored events, which come newest first),
 * has the header {@value #CATCH_UP_HEADER} {@code = true}; a batch never mixes catch-up and live events. The sink
 * moves the relay's cursor for live batches only. After a catch-up the connector publishes a caught-up marker:
 * content type {@value #CAUGHT_UP_CONTENT_TYPE}, an empty body, and the newest {@code created_at} of the catch-up
 * in the header {@value #CAUGHT_UP_TO_HEADER}; every catch-up message is in the queue before it (see
 * {@code UpstreamConnector}), so when the sink reaches it, the catch-up is stored and the cursor may move there.
 *
 * <p>Any other message is one event, its whole body: the single-event messages ({@value #SINGLE_CONTENT_TYPE})
 * published before batching, which a queue may still hold after an upgrade, and whatever else was put on a queue.
 */
public final class EventBatchCodec {
    /** The content type of a batch: JSON lines, one event per line. */
    public static final String CONTENT_TYPE = "application/x-nostr-events+jsonl";
    /** The content type of a message holding one event. */
    public static final String SINGLE_CONTENT_TYPE = "application/json";
    /** The header with the number of events in a batch, to tell a whole batch from a damaged one. */
    public static final String COUNT_HEADER = "x-nostr-event-count";
    /**
     * The header carrying when the gateway received the (first) event of a message, in epoch milliseconds: the
     * lag statistic counts from there, the time an event waits in a batch included.
     */
    public static final String RECEIVED_AT_HEADER = "x-nostr-received-at";

    /** The header that marks a batch of catch-up events (received before the relay's EOSE): {@code true}. */
    public static final String CATCH_UP_HEADER = "x-nostr-catch-up";
    /** The content type of the caught-up marker, which holds no event. */
    public static final String CAUGHT_UP_CONTENT_TYPE = "application/x-nostr-caught-up";
    /** The header of the caught-up marker: the newest {@code created_at} of the catch-up (unix seconds). */
    public static final String CAUGHT_UP_TO_HEADER = "x-nostr-caught-up-to";

    private static final byte SEPARATOR = '\n';

    private EventBatchCodec() {
    }

    /** A batch of live events: {@link #encode(List, long, String, boolean)} with {@code catchUp} false. */
    public static Message encode(List<byte[]> events, long receivedAtMillis, String messageId) {
        return encode(events, receivedAtMillis, messageId, false);
    }

    /**
     * One persistent message holding the given events.
     *
     * @param events each event's compact JSON in UTF-8, as {@code Event.toJson()} writes it; at least one
     * @param receivedAtMillis when the first of them was received
     * @param messageId the message's id (the connector uses the first event's id, which helps reading logs)
     * @param catchUp whether they were received before the relay's EOSE ({@value #CATCH_UP_HEADER})
     */
    public static Message encode(List<byte[]> events, long receivedAtMillis, String messageId, boolean catchUp) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        int size = events.size() - 1;
        for (byte[] event : events) {
            size += event.length;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        for (byte[] event : events) {
            if (body.size() > 0) {
                body.write(SEPARATOR);
            }
            body.writeBytes(event);
        }
        Message message = MessageBuilder.withBody(body.toByteArray())
                .setContentType(CONTENT_TYPE)
                .setContentEncoding("utf-8")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(messageId)
                .setHeader(COUNT_HEADER, events.size())
                .setHeader(RECEIVED_AT_HEADER, receivedAtMillis)
                .build();
        if (catchUp) {
            message.getMessageProperties().setHeader(CATCH_UP_HEADER, true);
        }
        return message;
    }

    /**
     * The persistent caught-up marker: every catch-up message before it is in the queue, and the newest of their
     * events was created at {@code newestCreatedAt}.
     */
    public static Message caughtUp(long newestCreatedAt) {
        return MessageBuilder.withBody(new byte[0])
                .setContentType(CAUGHT_UP_CONTENT_TYPE)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId("caught-up-" + newestCreatedAt)
                .setHeader(CAUGHT_UP_TO_HEADER, newestCreatedAt)
                .build();
    }

    /** Whether the message is a batch of catch-up events, which must not move the cursor. */
    public static boolean isCatchUp(Message message) {
        return Boolean.TRUE.equals(message.getMessageProperties().getHeaders().get(CATCH_UP_HEADER));
    }

    /**
     * The newest {@code created_at} of a catch-up, if the message is a caught-up marker.
     *
     * @throws UnreadableBatchException if it is a marker without a {@value #CAUGHT_UP_TO_HEADER} number
     */
    public static OptionalLong caughtUpTo(Message message) throws UnreadableBatchException {
        if (!isCaughtUpMarker(message)) {
            return OptionalLong.empty();
        }
        Object header = message.getMessageProperties().getHeaders().get(CAUGHT_UP_TO_HEADER);
        if (!(header instanceof Number newest) || newest.longValue() < 0) {
            throw new UnreadableBatchException("a caught-up marker without a " + CAUGHT_UP_TO_HEADER
                    + " header (was " + header + ")");
        }
        return OptionalLong.of(newest.longValue());
    }

    /**
     * The events a message holds, each as the bytes of its JSON (not checked here: the sink parses and verifies
     * each one, so that one bad event does not condemn the others); none for a caught-up marker.
     *
     * @throws UnreadableBatchException if the message says it is a batch but is not a whole one: empty, an empty
     *     line, or a number of lines other than its {@value #COUNT_HEADER} header says
     */
    public static List<byte[]> decode(Message message) throws UnreadableBatchException {
        byte[] body = message.getBody();
        if (isCaughtUpMarker(message)) {
            return List.of();
        }
        if (!isBatch(message)) {
            return List.of(body);
        }
        Object declared = message.getMessageProperties().getHeaders().get(COUNT_HEADER);
        if (!(declared instanceof Number count) || count.longValue() < 1) {
            throw new UnreadableBatchException("a batch without a positive " + COUNT_HEADER + " header (was "
                    + declared + ")");
        }
        if (body.length == 0) {
            throw new UnreadableBatchException("an empty batch (its " + COUNT_HEADER + " header says " + count + ")");
        }
        List<byte[]> events = new ArrayList<>((int) Math.min(count.longValue(), 10_000));
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == SEPARATOR) {
                if (i == start) {
                    throw new UnreadableBatchException("a batch with an empty line (line " + (events.size() + 1)
                            + ")");
                }
                events.add(Arrays.copyOfRange(body, start, i));
                start = i + 1;
            }
        }
        if (events.size() != count.longValue()) {
            throw new UnreadableBatchException("a batch of " + events.size() + " lines whose " + COUNT_HEADER
                    + " header says " + count);
        }
        return events;
    }

    /**
     * The message to dead-letter for one bad event of {@code carrier}: the carrier itself if it holds only that
     * event, else a single-event message with the event's bytes and the carrier's other properties and headers
     * (its message id still names the batch it came in).
     */
    public static Message alone(Message carrier, byte[] event) {
        if (!isBatch(carrier)) {
            return carrier;
        }
        return MessageBuilder.withBody(event)
                .copyProperties(carrier.getMessageProperties()) // the received-at header too
                .setContentType(SINGLE_CONTENT_TYPE)
                .removeHeader(COUNT_HEADER)
                .build();
    }

    /** When the gateway received the message's first event, if the message says. */
    public static OptionalLong receivedAt(Message message) {
        Object header = message.getMessageProperties().getHeaders().get(RECEIVED_AT_HEADER);
        return header instanceof Number number ? OptionalLong.of(number.longValue()) : OptionalLong.empty();
    }

    private static boolean isBatch(Message message) {
        return CONTENT_TYPE.equals(message.getMessageProperties().getContentType());
    }

    private static boolean isCaughtUpMarker(Message message) {
        return CAUGHT_UP_CONTENT_TYPE.equals(message.getMessageProperties().getContentType());
    }
}
