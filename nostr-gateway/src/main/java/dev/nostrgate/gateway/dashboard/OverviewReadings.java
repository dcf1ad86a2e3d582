package dev.nostrgate.gateway.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the sampler read at one moment, before any rate is worked out: rates need two readings (see
 * {@link Overview#between}).
 *
 * @param phase the gateway's phase, as in {@code X-Gateway-Status}
 * @param deadLetters messages waiting in {@code nostr.dead}, or -1 if RabbitMQ could not say
 * @param lag the end-to-end lag timer's recent distribution
 * @param instances the live gateway instances where several share the relays, else null
 */
public record OverviewReadings(Instant at, String phase, List<Relay> relays, long deadLetters, Overview.Lag lag,
                               List<Overview.Instance> instances) {
    public OverviewReadings {
        relays = List.copyOf(relays);
        instances = instances == null ? null : List.copyOf(instances);
    }

    /** Readings of a gateway that runs every relay itself. */
    public OverviewReadings(Instant at, String phase, List<Relay> relays, long deadLetters, Overview.Lag lag) {
        this(at, phase, relays, deadLetters, lag, null);
    }

    /**
     * One relay.
     *
     * @param received events received since this gateway started (the rate is its slope)
     * @param stored events new to the aggregate from this relay, all time (the rollup table), or -1 if the database
     *     could not say
     * @param catchUp how its connector last caught up ({@code negentropy} or {@code since}), null if not known here
     * @param queueDepth messages in its queue, or -1 if unknown
     * @param owner the instance running it, or null where instances do not share relays
     */
    public record Relay(UUID id, String url, String name, String state, boolean paused, String lastError,
                        String catchUp, long queueDepth, long received, long stored, String owner) {
    }
}
