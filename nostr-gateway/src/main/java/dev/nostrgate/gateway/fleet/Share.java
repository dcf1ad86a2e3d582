package dev.nostrgate.gateway.fleet;

import java.util.List;

/**
 * How many relays each live instance should own: an even split, the remainder going to the first instances in id
 * order. Every instance computes the same numbers from the same list, and they add up to the number of relays, so
 * instances that each take free relays up to their share and give back what is above it converge without moving a
 * relay twice.
 */
final class Share {

    private Share() {
    }

    /**
     * @param me this instance's id
     * @param liveInstances the live instances' ids, sorted; this instance counts even if missing (its heartbeat may
     *     not be visible yet)
     * @param relays how many relays are registered
     */
    static int target(String me, List<String> liveInstances, int relays) {
        int index = liveInstances.indexOf(me);
        int count = liveInstances.size();
        if (index < 0) {
            index = (int) liveInstances.stream().filter(id -> id.compareTo(me) < 0).count();
            count++;
        }
        return relays / count + (index < relays % count ? 1 : 0);
    }
}
