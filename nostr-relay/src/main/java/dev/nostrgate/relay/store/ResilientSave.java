package dev.nostrgate.relay.store;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventStore#saveAll} through every kind of database failure, by its {@link FailureClass}: what the relay's
 * writer and the gateway's consumers store through.
 *
 * <ul>
 *   <li><b>Transient</b> (an outage, a serialization failure): the batch is written again, with backoff, within the
 *       {@link Retry}'s budget; past it, its events fail with {@code error:} and the caller may send them again.</li>
 *   <li><b>Ambiguous</b> (40003, the commit may have happened): the store is asked which of the batch's events it
 *       has; those are answered stored, the rest written again. An event that was a duplicate before the batch is
 *       then answered as stored: its client gets the same {@code OK true}, and a live subscriber may see it twice,
 *       which NIP-01 clients handle (they deduplicate by id), rather than never.</li>
 *   <li><b>Permanent</b> (the database refuses the batch for its content): the batch is split in halves, each
 *       written on its own, until the event the database refuses is alone; it is answered
 *       {@link SaveOutcome.Status#UNSTORABLE} and every other event of the batch is stored. The halves keep batch
 *       order, so the write rules still see the events as if they had arrived one by one. A bad event among
 *       {@code n} costs about 2·log2(n) more statements, once.</li>
 * </ul>
 */
public final class ResilientSave {
    private static final Logger log = LoggerFactory.getLogger(ResilientSave.class);
    /** Ambiguous answers in a row after which the database is taken to be unavailable. */
    private static final int MAX_AMBIGUOUS = 10;

    private final EventStore store;
    private final Retry retry;

    public ResilientSave(EventStore store, Retry retry) {
        this.store = store;
        this.retry = retry;
    }

    /**
     * Writes the events; never throws for a database failure.
     *
     * @return one outcome per event, in order: those of the store, {@code UNSTORABLE} for an event the database
     *     refuses for good, {@code FAILED} for events not written when the retry budget ran out or the caller stopped
     */
    public List<SaveOutcome> saveAll(List<Event> events) {
        List<SaveOutcome> outcomes = new ArrayList<>(events.size());
        save(events, outcomes, 0);
        return outcomes;
    }

    private void save(List<Event> events, List<SaveOutcome> outcomes, int ambiguousSoFar) {
        if (events.isEmpty()) {
            return;
        }
        try {
            outcomes.addAll(retry.call("storing " + events.size() + " events", () -> store.saveAll(events)));
        } catch (RuntimeException failure) {
            switch (retry.classOf(failure)) {
                case TRANSIENT -> failAll(events, outcomes, "error: the database is unavailable, try again");
                case AMBIGUOUS -> recheck(events, outcomes, ambiguousSoFar + 1, failure);
                case PERMANENT -> isolate(events, outcomes, failure);
            }
        }
    }

    /** The commit may have happened: what is stored was stored, the rest is written again. */
    private void recheck(List<Event> events, List<SaveOutcome> outcomes, int ambiguous, RuntimeException failure) {
        if (ambiguous > MAX_AMBIGUOUS || retry.stopping()) {
            log.warn("storing {} events: {} ambiguous answers in a row ({}); failing them", events.size(),
                    ambiguous - 1, failure.getMessage());
            failAll(events, outcomes, "error: the database could not confirm the write, try again");
            return;
        }
        Set<EventId> had;
        try {
            had = retry.call("checking " + events.size() + " events after an ambiguous commit",
                    () -> store.stored(events.stream().map(Event::id).toList()));
        } catch (RuntimeException checkFailed) {
            failAll(events, outcomes, "error: the database is unavailable, try again");
            return;
        }
        log.info("storing {} events: the commit's outcome was unknown ({}); {} are stored, writing the rest again",
                events.size(), failure.getMessage(), had.size());
        // Keep batch order: each stored event splits the rest into runs written in turn.
        List<Event> run = new ArrayList<>();
        for (Event event : events) {
            if (had.contains(event.id())) {
                save(run, outcomes, ambiguous);
                run = new ArrayList<>();
                outcomes.add(SaveOutcome.stored(event.id()));
            } else {
                run.add(event);
            }
        }
        save(run, outcomes, ambiguous);
    }

    /** Bisects until the event the database refuses is alone. */
    private void isolate(List<Event> events, List<SaveOutcome> outcomes, RuntimeException failure) {
        if (events.size() == 1) {
            Event event = events.get(0);
            log.warn("the database refuses event {} for good: {}", event.id().hex(), failure.getMessage());
            outcomes.add(SaveOutcome.unstorable(event.id(), "error: the database refused this event: "
                    + reason(failure)));
            return;
        }
        int half = events.size() / 2;
        save(events.subList(0, half), outcomes, 0);
        save(events.subList(half, events.size()), outcomes, 0);
    }

    /** The database's own words (the innermost message), on one line. */
    private static String reason(Throwable failure) {
        Throwable innermost = failure;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage() == null ? innermost.toString() : innermost.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static void failAll(List<Event> events, List<SaveOutcome> outcomes, String reason) {
        for (Event event : events) {
            outcomes.add(SaveOutcome.failed(event.id(), reason));
        }
    }
}
