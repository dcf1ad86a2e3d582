package dev.nostrgate.core.message;

import dev.nostrgate.core.Hex;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;

/**
 * A message from a relay to a client (NIP-01, NIP-42 {@code AUTH}, NIP-45 {@code COUNT}, NIP-77 negentropy).
 * Every record is valid by construction. Read and write the JSON form with {@link RelayMessages}.
 */
public sealed interface RelayMessage {

    /** The message type as written on the wire, such as {@code "EOSE"}. */
    String type();

    /** The compact JSON of this message. */
    default String toJson() {
        return RelayMessages.encode(this);
    }

    /** {@code ["EVENT", <subscription id>, <event>]}: an event for a subscription. */
    record EventMessage(String subscriptionId, Event event) implements RelayMessage {
        public EventMessage {
            SubscriptionIds.requireValid(subscriptionId);
            requireNonNull(event, "EVENT needs an event");
        }

        @Override
        public String type() {
            return "EVENT";
        }
    }

    /** {@code ["OK", <event id>, <accepted>, <message>]}: the answer to an {@code EVENT} or {@code AUTH}. */
    record Ok(EventId eventId, boolean accepted, String message) implements RelayMessage {
        public Ok {
            requireNonNull(eventId, "OK needs an event id");
            requireNonNull(message, "OK needs a message (may be empty)");
        }

        /** The event was stored (or, for an ephemeral kind, delivered), with no message. */
        public static Ok accepted(EventId eventId) {
            return new Ok(eventId, true, "");
        }

        /** The event was refused, such as {@code rejected(id, INVALID, "bad signature")}. */
        public static Ok rejected(EventId eventId, ReasonPrefix prefix, String message) {
            return new Ok(eventId, false, prefix.format(message));
        }

        /** The message split into prefix and text. */
        public Reason reason() {
            return Reason.parse(message);
        }

        @Override
        public String type() {
            return "OK";
        }
    }

    /**
     * {@code ["OK", <id as sent>, false, <message>]}: the refusal of an {@code EVENT} or {@code AUTH} whose event
     * could not be read and whose {@code id} is a string but no event id (uppercase, too short, not hex). NIP-01
     * answers every {@code EVENT} with {@code OK}, and a client matches the answer by the text it sent, so the relay
     * echoes that text. A valid event id makes an {@link Ok} instead, so each wire form has one record.
     */
    record OkAsSent(String idAsSent, String message) implements RelayMessage {
        public OkAsSent {
            requireNonNull(idAsSent, "OK needs the id as it was sent");
            if (Hex.isLowercaseHex(idAsSent, 64)) {
                throw new IllegalArgumentException("an OK for a valid event id is an Ok");
            }
            requireNonNull(message, "OK needs a message (may be empty)");
        }

        /** The message split into prefix and text. */
        public Reason reason() {
            return Reason.parse(message);
        }

        @Override
        public String type() {
            return "OK";
        }
    }

    /** {@code ["EOSE", <subscription id>]}: the stored events have all been sent; live ones follow. */
    record Eose(String subscriptionId) implements RelayMessage {
        public Eose {
            SubscriptionIds.requireValid(subscriptionId);
        }

        @Override
        public String type() {
            return "EOSE";
        }
    }

    /** {@code ["CLOSED", <subscription id>, <message>]}: the relay ended or refused a subscription. */
    record Closed(String subscriptionId, String message) implements RelayMessage {
        public Closed {
            SubscriptionIds.requireValid(subscriptionId);
            requireNonNull(message, "CLOSED needs a message (may be empty)");
        }

        /** A {@code CLOSED} with a prefixed message, such as {@code of(id, AUTH_REQUIRED, "sign in first")}. */
        public static Closed of(String subscriptionId, ReasonPrefix prefix, String message) {
            return new Closed(subscriptionId, prefix.format(message));
        }

        /** The message split into prefix and text. */
        public Reason reason() {
            return Reason.parse(message);
        }

        @Override
        public String type() {
            return "CLOSED";
        }
    }

    /** {@code ["NOTICE", <message>]}: a human-readable message. */
    record Notice(String message) implements RelayMessage {
        public Notice {
            requireNonNull(message, "NOTICE needs a message");
        }

        @Override
        public String type() {
            return "NOTICE";
        }
    }

    /** {@code ["AUTH", <challenge>]}: NIP-42, the string the client signs to authenticate. */
    record AuthChallenge(String challenge) implements RelayMessage {
        public AuthChallenge {
            requireNonNull(challenge, "AUTH needs a challenge");
        }

        @Override
        public String type() {
            return "AUTH";
        }
    }

    /** {@code ["COUNT", <subscription id>, {"count": n, "approximate": true}]}: NIP-45. */
    record CountResult(String subscriptionId, long count, boolean approximate) implements RelayMessage {
        public CountResult {
            SubscriptionIds.requireValid(subscriptionId);
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, was " + count);
            }
        }

        @Override
        public String type() {
            return "COUNT";
        }
    }

    /** {@code ["NEG-MSG", <subscription id>, <hex>]}: NIP-77, the relay's next negentropy message. */
    record NegMsg(String subscriptionId, String messageHex) implements RelayMessage {
        public NegMsg {
            SubscriptionIds.requireValid(subscriptionId);
            NegentropyHex.requireValid(messageHex);
        }

        @Override
        public String type() {
            return "NEG-MSG";
        }
    }

    /** {@code ["NEG-ERR", <subscription id>, <reason>]}: NIP-77, the relay refused or ended a reconciliation. */
    record NegErr(String subscriptionId, String reason) implements RelayMessage {
        public NegErr {
            SubscriptionIds.requireValid(subscriptionId);
            requireNonNull(reason, "NEG-ERR needs a reason");
        }

        @Override
        public String type() {
            return "NEG-ERR";
        }
    }

    private static void requireNonNull(Object value, String message) {
        if (value == null) {
            throw new IllegalArgumentException(message);
        }
    }
}
