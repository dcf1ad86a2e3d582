package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.EventId;

/**
 * What became of one event given to the store. The message is ready for a NIP-01 {@code OK}: it starts with a
 * machine-readable prefix ({@code duplicate:}, {@code blocked:}, {@code invalid:}, {@code error:}) or is empty.
 */
public record SaveOutcome(EventId id, Status status, String message) {

    public enum Status {
        /** Committed and now served. */
        STORED,
        /** The store already had this event (or it arrived twice in one batch). */
        DUPLICATE,
        /** Refused by a rule: an older replaceable version, a deleted id or address, expired, ephemeral. */
        REJECTED,
        /** Not written because the database failed; the event may be sent again. */
        FAILED,
        /**
         * Refused by the database itself with an error that would repeat (bad data, a constraint): alone, so that
         * the rest of its batch was stored. Sending it again does not help.
         */
        UNSTORABLE
    }

    public SaveOutcome {
        if (id == null || status == null || message == null) {
            throw new IllegalArgumentException("an outcome needs an id, a status and a message (may be empty)");
        }
    }

    public static SaveOutcome stored(EventId id) {
        return new SaveOutcome(id, Status.STORED, "");
    }

    public static SaveOutcome duplicate(EventId id) {
        return new SaveOutcome(id, Status.DUPLICATE, "duplicate: already have this event");
    }

    public static SaveOutcome rejected(EventId id, String reasonWithPrefix) {
        return new SaveOutcome(id, Status.REJECTED, reasonWithPrefix);
    }

    public static SaveOutcome failed(EventId id, String reasonWithPrefix) {
        return new SaveOutcome(id, Status.FAILED, reasonWithPrefix);
    }

    public static SaveOutcome unstorable(EventId id, String reasonWithPrefix) {
        return new SaveOutcome(id, Status.UNSTORABLE, reasonWithPrefix);
    }

    /** The {@code OK} flag: true for stored and duplicate (the relay has the event), false otherwise. */
    public boolean accepted() {
        return status == Status.STORED || status == Status.DUPLICATE;
    }
}
