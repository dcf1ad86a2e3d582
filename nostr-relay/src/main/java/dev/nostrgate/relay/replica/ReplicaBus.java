package dev.nostrgate.relay.replica;

import dev.nostrgate.core.event.Event;
import java.util.List;
import java.util.Optional;

/**
 * How replicas of one relay, sharing one database, tell each other what they committed, so that a live subscriber
 * sees every event whichever replica accepted it. Events arriving from others were stored by them already: they go
 * to the live fan-out only.
 */
public interface ReplicaBus extends AutoCloseable {

    /** A single relay: nothing to tell, nobody to hear. */
    ReplicaBus NONE = new ReplicaBus() {
        @Override
        public void publish(List<Event> committed) {
        }

        @Override
        public Optional<String> problem() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    /** Tells the other replicas about events this one committed. Never blocks for long (the writer calls it). */
    void publish(List<Event> committed);

    /** Why the bus does not work right now (for readiness), or empty. */
    Optional<String> problem();

    @Override
    void close();
}
