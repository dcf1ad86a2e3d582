package dev.nostrgate.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings ({@code gateway.*}, or environment variables such as {@code GATEWAY_DATABASE_URL}).
 * Every key has a row in the README; a bad value stops startup naming the key.
 *
 * @param relayPort the aggregated NIP-01 read relay's port (0 = any free port)
 * @param catchUpOverlap on (re)connect a connector asks for {@code since = cursor - overlap}, so events that a relay
 *     received late are not missed; duplicates are absorbed by the idempotent insert
 * @param catchUpWindow how far back a connector reconciles with a relay that supports NIP-77 (negentropy) before it
 *     subscribes; a cursor older than this falls back to {@code since = cursor - overlap}
 * @param sinkBatchSize how many messages a relay's consumer takes per database transaction at most; a message
 *     holds up to {@code batchMaxEvents} events, and the consumer prefetches twice this many messages
 * @param sinkMaxDelay how long a consumer's batch waits for more messages after its first; a lone message is
 *     stored this long after it arrived
 * @param inFlight unconfirmed messages (batches of events) per connector before it stops reading from the upstream
 *     relay
 * @param batchMaxEvents how many events a connector packs into one message at most (1 = one event per message)
 * @param batchMaxBytes how large a message's body may grow; a single event bigger than this travels alone
 * @param batchLinger how long a connector waits for more events after the first of a batch (a live event's lag
 *     grows by up to this; 0 = no waiting, each event goes alone)
 * @param cursorFlushInterval how often cursors are persisted
 * @param createdAtUpperLimit how far after its receipt an event's created_at may lie (nostr-relay's
 *     {@code limits.createdAtUpperLimit}, same default); beyond it the event is dead-lettered, and no event moves
 *     its relay's cursor past the time it was received
 * @param sinkMaxAttempts how often a message may make its consumer fail (an unexpected exception, not an outage)
 *     before it goes to {@code nostr.dead}
 * @param statsFlushInterval how often in-memory counters are written to the rollup table
 * @param minuteStatsRetention minute rows older than this are compacted into hour rows
 * @param overviewInterval how often the dashboard's overview ({@code GET /api/overview}) is sampled
 * @param connectsPerSecond how many relays may make their first connection in one second when many start together
 *     (at start-up, or when this instance takes relays over), each at a random moment of its slot
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
        @DefaultValue("7448") @Min(0) @Max(65_535) int relayPort,
        @DefaultValue("0.0.0.0") @NotNull String relayBind,
        @DefaultValue @Valid Database database,
        @DefaultValue("10m") @NotNull Duration catchUpOverlap,
        @DefaultValue("7d") @NotNull Duration catchUpWindow,
        @DefaultValue("20") @Positive @Max(1_000) int sinkBatchSize,
        @DefaultValue("50ms") @NotNull Duration sinkMaxDelay,
        @DefaultValue("64") @Positive int inFlight,
        @DefaultValue("100") @Positive @Max(10_000) int batchMaxEvents,
        @DefaultValue("256KB") @NotNull DataSize batchMaxBytes,
        @DefaultValue("5ms") @NotNull Duration batchLinger,
        @DefaultValue("5s") @NotNull Duration cursorFlushInterval,
        @DefaultValue("15m") @NotNull Duration createdAtUpperLimit,
        @DefaultValue("5") @Positive int sinkMaxAttempts,
        @DefaultValue("10s") @NotNull Duration statsFlushInterval,
        @DefaultValue("48h") @NotNull Duration minuteStatsRetention,
        @DefaultValue("5s") @NotNull Duration overviewInterval,
        @DefaultValue("100") @Positive int connectsPerSecond) {

    /**
     * Where the aggregate lives.
     *
     * @param url a {@code jdbc:postgresql:} URL (CockroachDB included); empty = an embedded PostgreSQL in dataDir
     * @param queryTimeout the time budget of one query
     * @param embeddedAllowed false where an empty url is a mistake rather than a laptop: the container image
     *     ({@code GATEWAY_DATABASE_EMBEDDEDALLOWED=false}) and the {@code production} profile set it, because an
     *     embedded database there lives and dies with the container, or cannot start at all on a read-only root
     */
    public record Database(
            @DefaultValue("") String url,
            @DefaultValue("postgres") String user,
            @DefaultValue("") String password,
            @DefaultValue("data/gateway") Path dataDir,
            @DefaultValue("8") @Positive int readPoolSize,
            @DefaultValue("3s") @NotNull Duration queryTimeout,
            @DefaultValue("500") @Positive int maxLimit,
            @DefaultValue("true") boolean embeddedAllowed) {

        /** Checked by Boot's validation at startup, which then names the fix and stops. */
        @AssertTrue(message = "gateway.database.url (environment GATEWAY_DATABASE_URL) is not set, and this gateway "
                + "does not start an embedded PostgreSQL (gateway.database.embedded-allowed=false, as in the "
                + "container image and the production profile): set GATEWAY_DATABASE_URL to a jdbc:postgresql: URL")
        public boolean isUrlGivenOrEmbeddedAllowed() {
            return embeddedAllowed || !url.isBlank();
        }
    }
}
