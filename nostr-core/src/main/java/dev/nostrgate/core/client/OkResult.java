package dev.nostrgate.core.client;

import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.message.Reason;
import dev.nostrgate.core.message.ReasonPrefix;
import dev.nostrgate.core.message.RelayMessage;
import java.util.Optional;

/**
 * The relay's answer to a published event: its {@code OK} message.
 *
 * @param eventId the event answered
 * @param accepted true if the relay stored the event (or, for an ephemeral kind, delivered it); a
 *     {@code duplicate:} answer is usually accepted too
 * @param message the relay's text, such as {@code "blocked: you are banned"}; may be empty
 * @param prefix the machine-readable prefix of the message, if it is one NIP-01 defines
 */
public record OkResult(EventId eventId, boolean accepted, String message, Optional<ReasonPrefix> prefix) {
    public OkResult {
        if (eventId == null || message == null || prefix == null) {
            throw new IllegalArgumentException("an OK result has an event id, a message (may be empty) and a prefix");
        }
        if (!prefix.equals(Reason.parse(message).knownPrefix())) {
            throw new IllegalArgumentException("prefix " + prefix + " is not the one of message \"" + message + "\"");
        }
    }

    /** The result with the prefix read from the message. */
    public OkResult(EventId eventId, boolean accepted, String message) {
        this(eventId, accepted, message, Reason.parse(message).knownPrefix());
    }

    /** The result of an {@code OK} message. */
    public static OkResult of(RelayMessage.Ok ok) {
        return new OkResult(ok.eventId(), ok.accepted(), ok.message());
    }

    /** True if the message has this prefix: {@code result.is(ReasonPrefix.DUPLICATE)}. */
    public boolean is(ReasonPrefix expected) {
        return prefix.isPresent() && prefix.get() == expected;
    }

    /** The message split into prefix (any word, not only the known ones) and text. */
    public Reason reason() {
        return Reason.parse(message);
    }
}
