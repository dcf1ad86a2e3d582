package dev.nostrgate.core.message;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.EventId;
import java.util.Optional;

/**
 * A message could not be read. The message says why, precisely enough to send back to its author (after
 * {@code invalid:}). When the message type, the subscription id or the id of the event inside could be read before
 * the problem, they are carried too, so that a relay can answer in kind: see {@link #reply()}.
 */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String messageType;
    private final String subscriptionId;
    private final String eventIdAsSent;

    /** A message nothing could be read from. */
    public MalformedMessageException(String reason) {
        this(reason, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * @param messageType a known message type, such as {@code REQ}
     * @param subscriptionId a valid subscription id
     * @param eventIdAsSent the {@code id} string of the event of an {@code EVENT} or {@code AUTH}, valid or not
     */
    public MalformedMessageException(String reason, Optional<String> messageType, Optional<String> subscriptionId,
            Optional<String> eventIdAsSent) {
        super(reason, null, false, false); // a rejection is expected input, not a bug: no stack trace to fill
        this.messageType = messageType.orElse(null);
        this.subscriptionId = subscriptionId.orElse(null);
        this.eventIdAsSent = eventIdAsSent.orElse(null);
    }

    /** The type of the message, if it was read and is one this library knows. */
    public Optional<String> messageType() {
        return Optional.ofNullable(messageType);
    }

    /** The subscription id of the message, if it was read and is valid. */
    public Optional<String> subscriptionId() {
        return Optional.ofNullable(subscriptionId);
    }

    /** The id of the event of an {@code EVENT} or {@code AUTH} message, if one could be read and is valid. */
    public Optional<EventId> eventId() {
        return eventIdAsSent().filter(id -> Hex.isLowercaseHex(id, 64)).map(EventId::new);
    }

    /** The {@code id} string of the event of an {@code EVENT} or {@code AUTH} message, valid or not, if a string. */
    public Optional<String> eventIdAsSent() {
        return Optional.ofNullable(eventIdAsSent);
    }

    /**
     * How a relay answers this malformed client message: {@code OK false} for an {@code EVENT} or {@code AUTH}
     * whose event has an {@code id} string, valid or not (then a {@link RelayMessage.OkAsSent}), {@code CLOSED}
     * for a {@code REQ} or {@code COUNT} with a valid subscription id, {@code NEG-ERR} for a {@code NEG-OPEN} or
     * {@code NEG-MSG} with one, and {@code NOTICE} otherwise. The text is {@code "invalid: <reason>"}.
     */
    public RelayMessage reply() {
        String text = ReasonPrefix.INVALID.format(getMessage());
        String type = messageType == null ? "" : messageType;
        if (eventIdAsSent != null && (type.equals("EVENT") || type.equals("AUTH"))) {
            Optional<EventId> valid = eventId();
            return valid.isPresent() ? new RelayMessage.Ok(valid.get(), false, text)
                    : new RelayMessage.OkAsSent(eventIdAsSent, text);
        }
        if (subscriptionId != null) {
            switch (type) {
                case "REQ", "COUNT" -> {
                    return new RelayMessage.Closed(subscriptionId, text);
                }
                case "NEG-OPEN", "NEG-MSG" -> {
                    return new RelayMessage.NegErr(subscriptionId, text);
                }
                default -> {
                    // CLOSE and NEG-CLOSE have nothing to answer with but a NOTICE
                }
            }
        }
        return new RelayMessage.Notice(text);
    }
}
