package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.message.MalformedMessageException;
import dev.nostrgate.core.message.RelayMessage;
import dev.nostrgate.core.message.RelayMessages;
import java.util.Optional;

/**
 * Cheap reads of relay frames: the type of a message and, for {@code EVENT}, the subscription id and the run's
 * sequence tag, found by scanning the compact JSON relays send instead of parsing and checking the whole event.
 * A frame laid out otherwise (spaces, escapes) falls back to the full parser, so the answer is the same, only
 * slower. In the fanout scenario every delivery is read this way: S subscribers times M events.
 */
final class EventFrames {
    /** The tag that numbers a run's events: {@code ["seq","17"]}. */
    static final String SEQUENCE_TAG = "seq";
    private static final String SEQUENCE_MARK = "[\"" + SEQUENCE_TAG + "\",\"";

    private EventFrames() {
    }

    /** The message type, the first string of the array ({@code "EVENT"}, {@code "OK"}...); empty if unreadable. */
    static String type(String text) {
        int open = skipSpaces(text, 0);
        if (open >= text.length() || text.charAt(open) != '[') {
            return "";
        }
        int quote = skipSpaces(text, open + 1);
        if (quote >= text.length() || text.charAt(quote) != '"') {
            return "";
        }
        int end = text.indexOf('"', quote + 1);
        return end < 0 ? "" : text.substring(quote + 1, end);
    }

    static boolean isEvent(String text) {
        return text.startsWith("[\"EVENT\"") || type(text).equals("EVENT");
    }

    /** The subscription id of an {@code EVENT} frame. */
    static Optional<String> subscriptionId(String text) {
        if (text.startsWith("[\"EVENT\",\"")) {
            int end = text.indexOf('"', 10);
            if (end > 10 && text.indexOf('\\', 10) > end) {
                return Optional.of(text.substring(10, end));
            }
        }
        return parsed(text).map(RelayMessage.EventMessage::subscriptionId);
    }

    /** The sequence number of an {@code EVENT} frame's event (its {@code seq} tag), or -1 if it has none. */
    static long sequence(String text) {
        int at = text.indexOf(SEQUENCE_MARK);
        if (at >= 0) {
            long value = 0;
            int i = at + SEQUENCE_MARK.length();
            int start = i;
            for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 18; i++) {
                value = value * 10 + (text.charAt(i) - '0');
            }
            if (i > start && i < text.length() && text.charAt(i) == '"') {
                return value;
            }
        }
        return parsed(text).map(RelayMessage.EventMessage::event).flatMap(EventFrames::sequenceTag).orElse(-1L);
    }

    /** The sequence tag of a parsed event. */
    static Optional<Long> sequenceTag(Event event) {
        return event.firstTagValue(SEQUENCE_TAG).flatMap(value -> {
            try {
                return Optional.of(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<RelayMessage.EventMessage> parsed(String text) {
        try {
            return RelayMessages.parse(text) instanceof RelayMessage.EventMessage event ? Optional.of(event)
                    : Optional.empty();
        } catch (MalformedMessageException e) {
            return Optional.empty();
        }
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
