package dev.nostrgate.core.message;

import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.JsonText;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes the messages a client sends to a relay: the relay's parser, the client's writer.
 *
 * <p>Reading is strict: the array has exactly the elements its type takes (a {@code REQ} or {@code COUNT} any
 * number of filters, at least one), events and filters are read as {@link EventJson} and {@link FilterJson} read
 * them, UTF-8 must be valid and nesting is bounded. How many filters or how long a message may be is a relay's
 * limit, not checked here. Any input yields a {@link ClientMessage} or a {@link MalformedMessageException}.
 */
public final class ClientMessages {
    private ClientMessages() {
    }

    /**
     * Parses one message.
     *
     * @throws MalformedMessageException with the reason and what could be read (see {@link
     *     MalformedMessageException#reply()})
     */
    public static ClientMessage parse(String json) throws MalformedMessageException {
        return MessageReader.read(json, ClientMessages::body);
    }

    /** Parses one message from UTF-8 bytes, such as a WebSocket text frame; invalid UTF-8 is rejected. */
    public static ClientMessage parse(byte[] utf8) throws MalformedMessageException {
        return parse(MessageReader.decodeUtf8(utf8));
    }

    private static ClientMessage body(MessageReader in, String type)
            throws IOException, MalformedMessageException {
        switch (type) {
            case "EVENT" -> {
                var event = in.expect(type, "an event").event();
                in.end();
                return new ClientMessage.Publish(event);
            }
            case "REQ" -> {
                String id = in.expect(type, "a subscription id and at least one filter").subscriptionId();
                return new ClientMessage.Req(id, in.filtersToEnd());
            }
            case "CLOSE" -> {
                String id = in.expect(type, "a subscription id").subscriptionId();
                in.end();
                return new ClientMessage.Close(id);
            }
            case "AUTH" -> {
                var event = in.expect(type, "an event").event();
                in.end();
                return new ClientMessage.Auth(event);
            }
            case "COUNT" -> {
                String id = in.expect(type, "a subscription id and at least one filter").subscriptionId();
                return new ClientMessage.Count(id, in.filtersToEnd());
            }
            case "NEG-OPEN" -> {
                String id = in.expect(type, "a subscription id, a filter and an initial message").subscriptionId();
                Filter filter = in.filter();
                String initial = in.hex("initial message");
                in.end();
                return new ClientMessage.NegOpen(id, filter, initial);
            }
            case "NEG-MSG" -> {
                String id = in.expect(type, "a subscription id and a message").subscriptionId();
                String message = in.hex("message");
                in.end();
                return new ClientMessage.NegMsg(id, message);
            }
            case "NEG-CLOSE" -> {
                String id = in.expect(type, "a subscription id").subscriptionId();
                in.end();
                return new ClientMessage.NegClose(id);
            }
            default -> throw in.unknownType(type);
        }
    }

    /** The compact JSON of a message, strings escaped as NIP-01 prescribes. */
    public static String encode(ClientMessage message) {
        StringBuilder out = new StringBuilder(256);
        out.append("[\"").append(message.type()).append('"');
        switch (message) {
            case ClientMessage.Publish publish -> EventJson.appendTo(out.append(','), publish.event());
            case ClientMessage.Req req -> appendFilters(quoted(out, req.subscriptionId()), req.filters());
            case ClientMessage.Close close -> quoted(out, close.subscriptionId());
            case ClientMessage.Auth auth -> EventJson.appendTo(out.append(','), auth.event());
            case ClientMessage.Count count -> appendFilters(quoted(out, count.subscriptionId()), count.filters());
            case ClientMessage.NegOpen open -> {
                FilterJson.appendTo(quoted(out, open.subscriptionId()).append(','), open.filter());
                quoted(out, open.initialMessageHex());
            }
            case ClientMessage.NegMsg negMsg -> quoted(quoted(out, negMsg.subscriptionId()), negMsg.messageHex());
            case ClientMessage.NegClose close -> quoted(out, close.subscriptionId());
        }
        return out.append(']').toString();
    }

    /** Appends a comma and the quoted string. */
    static StringBuilder quoted(StringBuilder out, String value) {
        return JsonText.appendQuoted(out.append(','), value);
    }

    private static void appendFilters(StringBuilder out, List<Filter> filters) {
        for (Filter filter : filters) {
            FilterJson.appendTo(out.append(','), filter);
        }
    }
}
