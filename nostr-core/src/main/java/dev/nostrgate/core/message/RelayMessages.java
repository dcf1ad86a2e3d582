package dev.nostrgate.core.message;

import static dev.nostrgate.core.event.EventJson.describe;
import static dev.nostrgate.core.message.ClientMessages.quoted;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.EventJson;
import java.io.IOException;

/**
 * Reads and writes the messages a relay sends to a client: the client's parser, the relay's writer.
 *
 * <p>Reading is as strict as {@link ClientMessages}: exactly the elements each type takes, an {@code OK} with its
 * message (possibly empty) and an event id (or, refusing, any string: see {@link RelayMessage.OkAsSent}), a
 * {@code COUNT} result object with a non-negative integer {@code count} and an optional boolean {@code approximate}
 * (other fields, such as NIP-45 {@code hll}, are ignored).
 */
public final class RelayMessages {
    private RelayMessages() {
    }

    /**
     * Parses one message.
     *
     * @throws MalformedMessageException with the reason and what could be read
     */
    public static RelayMessage parse(String json) throws MalformedMessageException {
        return MessageReader.read(json, RelayMessages::body);
    }

    /** Parses one message from UTF-8 bytes; invalid UTF-8 is rejected. */
    public static RelayMessage parse(byte[] utf8) throws MalformedMessageException {
        return parse(MessageReader.decodeUtf8(utf8));
    }

    private static RelayMessage body(MessageReader in, String type) throws IOException, MalformedMessageException {
        switch (type) {
            case "EVENT" -> {
                String id = in.expect(type, "a subscription id and an event").subscriptionId();
                var event = in.event();
                in.end();
                return new RelayMessage.EventMessage(id, event);
            }
            case "OK" -> {
                String id = in.expect(type, "an event id, true or false, and a message").eventIdAsSent();
                boolean accepted = in.bool("status");
                String message = in.string("message");
                in.end();
                return ok(in, id, accepted, message);
            }
            case "EOSE" -> {
                String id = in.expect(type, "a subscription id").subscriptionId();
                in.end();
                return new RelayMessage.Eose(id);
            }
            case "CLOSED" -> {
                String id = in.expect(type, "a subscription id and a message").subscriptionId();
                String message = in.string("message");
                in.end();
                return new RelayMessage.Closed(id, message);
            }
            case "NOTICE" -> {
                String message = in.expect(type, "a message").string("message");
                in.end();
                return new RelayMessage.Notice(message);
            }
            case "AUTH" -> {
                String challenge = in.expect(type, "a challenge").string("challenge");
                in.end();
                return new RelayMessage.AuthChallenge(challenge);
            }
            case "COUNT" -> {
                String id = in.expect(type, "a subscription id and a result object").subscriptionId();
                RelayMessage.CountResult result = countResult(in, id);
                in.end();
                return result;
            }
            case "NEG-MSG" -> {
                String id = in.expect(type, "a subscription id and a message").subscriptionId();
                String message = in.hex("message");
                in.end();
                return new RelayMessage.NegMsg(id, message);
            }
            case "NEG-ERR" -> {
                String id = in.expect(type, "a subscription id and a reason").subscriptionId();
                String reason = in.string("reason");
                in.end();
                return new RelayMessage.NegErr(id, reason);
            }
            default -> throw in.unknownType(type);
        }
    }

    /** An {@code OK} for an event id; for another string only the refusal of an unreadable event, as sent. */
    private static RelayMessage ok(MessageReader in, String id, boolean accepted, String message)
            throws MalformedMessageException {
        if (Hex.isLowercaseHex(id, 64)) {
            return new RelayMessage.Ok(new EventId(id), accepted, message);
        }
        if (accepted) { // only a refusal can be about something that is not an event
            throw in.fail("OK event id must be 64 lowercase hex characters");
        }
        return new RelayMessage.OkAsSent(id, message);
    }

    private static RelayMessage.CountResult countResult(MessageReader in, String subscriptionId)
            throws IOException, MalformedMessageException {
        JsonParser parser = in.object("result");
        long count = -1;
        Boolean approximate = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "count" -> {
                    if (count >= 0) {
                        throw in.fail("COUNT field count appears more than once");
                    }
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw in.fail("COUNT count must be a non-negative integer, was " + describe(value));
                    }
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
                        throw in.fail("COUNT count is out of range (0 to " + Long.MAX_VALUE + "), was "
                                + parser.getText());
                    }
                    count = parser.getLongValue();
                }
                case "approximate" -> {
                    if (approximate != null) {
                        throw in.fail("COUNT field approximate appears more than once");
                    }
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        throw in.fail("COUNT approximate must be true or false, was " + describe(value));
                    }
                    approximate = value == JsonToken.VALUE_TRUE;
                }
                default -> parser.skipChildren();
            }
        }
        if (count < 0) {
            throw in.fail("COUNT result needs a count");
        }
        return new RelayMessage.CountResult(subscriptionId, count, approximate != null && approximate);
    }

    /** The compact JSON of a message, strings escaped as NIP-01 prescribes. */
    public static String encode(RelayMessage message) {
        StringBuilder out = new StringBuilder(256);
        out.append("[\"").append(message.type()).append('"');
        switch (message) {
            case RelayMessage.EventMessage event ->
                    EventJson.appendTo(quoted(out, event.subscriptionId()).append(','), event.event());
            case RelayMessage.Ok ok -> quoted(out.append(",\"").append(ok.eventId().hex()).append("\",")
                    .append(ok.accepted()), ok.message());
            case RelayMessage.OkAsSent ok -> quoted(quoted(out, ok.idAsSent()).append(",false"), ok.message());
            case RelayMessage.Eose eose -> quoted(out, eose.subscriptionId());
            case RelayMessage.Closed closed -> quoted(quoted(out, closed.subscriptionId()), closed.message());
            case RelayMessage.Notice notice -> quoted(out, notice.message());
            case RelayMessage.AuthChallenge auth -> quoted(out, auth.challenge());
            case RelayMessage.CountResult count -> {
                quoted(out, count.subscriptionId()).append(",{\"count\":").append(count.count());
                if (count.approximate()) {
                    out.append(",\"approximate\":true");
                }
                out.append('}');
            }
            case RelayMessage.NegMsg negMsg -> quoted(quoted(out, negMsg.subscriptionId()), negMsg.messageHex());
            case RelayMessage.NegErr negErr -> quoted(quoted(out, negErr.subscriptionId()), negErr.reason());
        }
        return out.append(']').toString();
    }

    /**
     * {@code ["EVENT",<subscription id>,<event JSON>]} around an event's JSON as it was stored, without reading or
     * writing the event again: the relay's path for sending stored events. The JSON is trusted to be one event
     * object as {@link EventJson#write} writes it.
     *
     * @throws IllegalArgumentException if the subscription id is not valid
     */
    public static String encodeEvent(String subscriptionId, String eventJson) {
        SubscriptionIds.requireValid(subscriptionId);
        StringBuilder out = new StringBuilder(eventJson.length() + subscriptionId.length() + 16);
        return quoted(out.append("[\"EVENT\""), subscriptionId).append(',').append(eventJson).append(']').toString();
    }
}
