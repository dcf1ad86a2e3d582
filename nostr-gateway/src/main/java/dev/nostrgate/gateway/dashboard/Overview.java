package dev.nostrgate.gateway.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/overview}: the whole gateway on one page, as of {@code asOf} (a snapshot the
 * {@link OverviewSampler} refreshes; reading it costs nothing). Rates are events received per second between the
 * last two samples, counted by the instance that answers: a relay another instance runs shows its queue, state and
 * stored total, and a rate of 0 here (its owner's dashboard shows it). Fields that a gateway cannot know are null ({@code deadLetters}, {@code stored}); fields that only
 * a gateway sharing relays with other instances has ({@code owner}, {@code instances}) are left out.
 */
public record Overview(Instant asOf, String phase, Long deadLetters, Lag lag, Totals totals, List<Relay> relays,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<Instance> instances) {

    /**
     * Receive-to-commit lag of recent events, in milliseconds (Micrometer's {@code nostr.gateway.lag}, whose
     * percentiles and max decay over a couple of minutes); zeros when nothing was stored lately.
     *
     * @param count events timed since the gateway started
     */
    public record Lag(double p50Ms, double p99Ms, double maxMs, long count) {
        public static final Lag NONE = new Lag(0, 0, 0, 0);
    }

    /**
     * @param eventsPerSecond every relay's rate added up
     * @param received events received since this gateway started
     * @param stored events stored all time (the rollup table: behind by up to {@code gateway.stats-flush-interval}),
     *     null if the database could not say
     */
    public record Totals(int relays, double eventsPerSecond, long received, Long stored) {
    }

    /** A relay's row; {@code owner} is there only where instances share relays. */
    public record Relay(UUID id, String url, String name, String state, boolean paused, String lastError,
                        String catchUp, Long queueDepth, double eventsPerSecond, long received, Long stored,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String owner) {
    }

    /**
     * A gateway instance where several share the relays.
     *
     * @param lastSeen its last heartbeat
     */
    public record Instance(String id, int relays, Instant lastSeen) {
    }

    /**
     * The overview of {@code now}, its rates measured since {@code previous} (null for the first sample: rates 0).
     * A relay's counter that went back (removed and added again) counts from zero.
     */
    public static Overview between(OverviewReadings previous, OverviewReadings now) {
        Map<UUID, Long> before = new HashMap<>();
        double seconds = 0;
        if (previous != null) {
            previous.relays().forEach(r -> before.put(r.id(), r.received()));
            seconds = Duration.between(previous.at(), now.at()).toNanos() / 1e9;
        }
        List<Relay> rows = new java.util.ArrayList<>();
        double rate = 0;
        long received = 0;
        long stored = 0;
        boolean storedKnown = true;
        for (OverviewReadings.Relay r : now.relays()) {
            Long was = before.get(r.id());
            long delta = was == null ? 0 : r.received() - (r.received() >= was ? was : 0);
            double perSecond = seconds > 0 ? delta / seconds : 0;
            rows.add(new Relay(r.id(), r.url(), r.name(), r.state(), r.paused(), r.lastError(), r.catchUp(),
                    r.queueDepth() < 0 ? null : r.queueDepth(), perSecond, r.received(),
                    r.stored() < 0 ? null : r.stored(), r.owner()));
            rate += perSecond;
            received += r.received();
            storedKnown &= r.stored() >= 0;
            stored += Math.max(0, r.stored());
        }
        return new Overview(now.at(), now.phase(), now.deadLetters() < 0 ? null : now.deadLetters(), now.lag(),
                new Totals(rows.size(), rate, received, storedKnown ? stored : null), List.copyOf(rows),
                now.instances());
    }
}
