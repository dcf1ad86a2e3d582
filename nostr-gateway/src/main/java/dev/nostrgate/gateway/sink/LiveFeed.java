package dev.nostrgate.gateway.sink;

import dev.nostrgate.core.event.Event;
import java.util.List;

/** Where the sink hands the events it has just stored (committed, new to the aggregate), for live subscribers. */
@FunctionalInterface
public interface LiveFeed {
    /** Nobody listens (tests of the sink alone). */
    LiveFeed NONE = events -> {
    };

    /** Called on the consumer's thread after the commit, in commit order; must not block. */
    void stored(List<Event> events);
}
