package dev.nostrgate.core.message;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import java.util.Arrays;
import java.util.List;

/**
 * A message from a client to a relay (NIP-01, NIP-42 {@code AUTH}, NIP-45 {@code COUNT}, NIP-77 negentropy).
 * Every record is valid by construction: a subscription id is 1–64 characters, a request has at least one filter,
 * a negentropy message is hex. Read and write the JSON form with {@link ClientMessages}.
 */
public sealed interface ClientMessage {

    /** The message type as written on the wire, such as {@code "REQ"}. */
    String type();

    /** The compact JSON of this message. */
    default String toJson() {
        return ClientMessages.encode(this);
    }

    /** {@code ["EVENT", <event>]}: publish an event. */
    record Publish(Event event) implements ClientMessage {
        public Publish {
            requireNonNull(event, "EVENT needs an event");
        }

        @Override
        public String type() {
            return "EVENT";
        }
    }

    /** {@code ["REQ", <subscription id>, <filter>, ...]}: stored events, then live ones, until {@code CLOSE}. */
    record Req(String subscriptionId, List<Filter> filters) implements ClientMessage {
        public Req {
            SubscriptionIds.requireValid(subscriptionId);
            filters = requireFilters(filters, "REQ");
        }

        public Req(String subscriptionId, Filter... filters) {
            this(subscriptionId, Arrays.asList(filters));
        }

        @Override
        public String type() {
            return "REQ";
        }
    }

    /** {@code ["CLOSE", <subscription id>]}: end a subscription. */
    record Close(String subscriptionId) implements ClientMessage {
        public Close {
            SubscriptionIds.requireValid(subscriptionId);
        }

        @Override
        public String type() {
            return "CLOSE";
        }
    }

    /** {@code ["AUTH", <signed kind 22242 event>]}: NIP-42 authentication. */
    record Auth(Event event) implements ClientMessage {
        public Auth {
            requireNonNull(event, "AUTH needs an event");
        }

        @Override
        public String type() {
            return "AUTH";
        }
    }

    /** {@code ["COUNT", <subscription id>, <filter>, ...]}: NIP-45, how many events match. */
    record Count(String subscriptionId, List<Filter> filters) implements ClientMessage {
        public Count {
            SubscriptionIds.requireValid(subscriptionId);
            filters = requireFilters(filters, "COUNT");
        }

        public Count(String subscriptionId, Filter... filters) {
            this(subscriptionId, Arrays.asList(filters));
        }

        @Override
        public String type() {
            return "COUNT";
        }
    }

    /** {@code ["NEG-OPEN", <subscription id>, <filter>, <hex>]}: NIP-77, start a negentropy reconciliation. */
    record NegOpen(String subscriptionId, Filter filter, String initialMessageHex) implements ClientMessage {
        public NegOpen {
            SubscriptionIds.requireValid(subscriptionId);
            requireNonNull(filter, "NEG-OPEN needs a filter");
            NegentropyHex.requireValid(initialMessageHex);
        }

        @Override
        public String type() {
            return "NEG-OPEN";
        }
    }

    /** {@code ["NEG-MSG", <subscription id>, <hex>]}: NIP-77, the client's next negentropy message. */
    record NegMsg(String subscriptionId, String messageHex) implements ClientMessage {
        public NegMsg {
            SubscriptionIds.requireValid(subscriptionId);
            NegentropyHex.requireValid(messageHex);
        }

        @Override
        public String type() {
            return "NEG-MSG";
        }
    }

    /** {@code ["NEG-CLOSE", <subscription id>]}: NIP-77, end a negentropy reconciliation. */
    record NegClose(String subscriptionId) implements ClientMessage {
        public NegClose {
            SubscriptionIds.requireValid(subscriptionId);
        }

        @Override
        public String type() {
            return "NEG-CLOSE";
        }
    }

    private static void requireNonNull(Object value, String message) {
        if (value == null) {
            throw new IllegalArgumentException(message);
        }
    }

    private static List<Filter> requireFilters(List<Filter> filters, String type) {
        if (filters == null || filters.isEmpty()) {
            throw new IllegalArgumentException(type + " needs at least one filter");
        }
        for (Filter filter : filters) {
            requireNonNull(filter, type + " filters must not be null");
        }
        return List.copyOf(filters);
    }
}
