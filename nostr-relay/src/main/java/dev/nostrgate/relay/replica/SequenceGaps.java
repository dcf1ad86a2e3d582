package dev.nostrgate.relay.replica;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages of other replicas that never arrived, told from their sequence numbers: each replica numbers what it
 * publishes 1, 2, 3, ... and the broker keeps one publisher's order, so a number further on than the next one
 * means the ones between were lost (an outage on either side, or a full outbox). While idle, a replica says every
 * second which number it published last, so a receiver knows where each replica stands before anything can be
 * lost (the first news of a replica starts its count), and learns of a lost last message too. Not thread-safe:
 * one consumer.
 *
 * <p>The {@value #MAX_REPLICAS} replicas heard from most recently are remembered; every restart of a replica is a
 * new one.
 */
final class SequenceGaps {
    static final int MAX_REPLICAS = 1_000;

    private final Map<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REPLICAS;
        }
    };

    /**
     * Takes message {@code sequence} of {@code replica}.
     *
     * @return how many of its messages were missed just before this one (0 if none); a repeated or older number
     *     is -1, and the message should be ignored
     */
    long arrived(String replica, long sequence) {
        Long last = lastSeen.get(replica);
        if (last != null && sequence <= last) {
            return -1;
        }
        lastSeen.put(replica, sequence);
        return last == null ? 0 : sequence - last - 1;
    }

    /**
     * Takes a replica's word that {@code lastSent} is the last number it published.
     *
     * @return how many of its messages up to that one were missed (0 if none)
     */
    long lastSent(String replica, long lastSent) {
        Long last = lastSeen.get(replica);
        if (last != null && lastSent <= last) {
            return 0;
        }
        lastSeen.put(replica, lastSent);
        return last == null ? 0 : lastSent - last;
    }
}
