package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.nostrgate.gateway.connector.CatchUpReport;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered relay as the API shows it: what is registered, plus its live state and counters. */
@Schema(name = "Relay")
public record RelayView(
        UUID id,
        @Schema(example = "wss://relay.example.com") String url,
        String name,
        @JsonRawValue @Schema(description = "the NIP-01 filters sent upstream",
                example = "[{\"kinds\":[1]}]") String filters,
        boolean paused,
        @Schema(allowableValues = {"connecting", "catching-up", "live", "backoff", "paused", "failed"},
                description = "the upstream connector: catching-up = receiving stored events before the relay's "
                        + "EOSE, live = after it, backoff = waiting to reconnect, failed = stopped until changed")
        String state,
        @Schema(nullable = true, description = "the last connection or subscription error") String lastError,
        @Schema(nullable = true, description = "the newest created_at stored from this relay (unix seconds); the "
                + "connector resumes from it") Long cursor,
        @Schema(nullable = true, description = "messages waiting in the relay's RabbitMQ queue; null if unknown")
        Long queueDepth,
        @Schema(nullable = true, description = "the gateway instance that runs the relay (its upstream connection "
                + "and consumer); null while none does") String owner,
        @Schema(nullable = true, allowableValues = {"negentropy", "since"}, description = "how the connector caught "
                + "up when it last started: negentropy = NIP-77 reconciliation, then only the missing events fetched by "
                + "id; since = everything since the cursor minus the overlap; null where this instance does not run "
                + "the relay") String catchUp,
        @Schema(nullable = true, description = "the last catch-up's counts") CatchUpCounts catchUpCounts,
        Counters counters,
        Instant createdAt) {

    @Schema(name = "CatchUpCounts")
    public record CatchUpCounts(
            @Schema(description = "events received to catch up (negentropy: the missing ones; since: every stored "
                    + "event the relay sent before EOSE)") long fetched,
            @Schema(description = "negentropy: events in the window the gateway already held, not downloaded; "
                    + "since: 0") long skipped,
            @Schema(nullable = true, description = "why negentropy was not used although the relay supports it")
            String fallback) {
    }

    @Schema(name = "RelayCounters", description = "Counted since the gateway started (history: the stats endpoint)")
    public record Counters(long received, long stored, long duplicates, long invalid, long bytes) {
    }

    @Schema(name = "RelayList")
    public record Page(List<RelayView> relays,
                       @Schema(nullable = true, description = "the cursor of the next page (repeat the request with "
                               + "cursor=<next>); null when this page was the last") String next) {
    }

    static RelayView of(RegisteredRelay relay, RelayStatus status, RelayCounters.Totals totals) {
        return new RelayView(relay.id(), relay.url().toString(), relay.name(),
                RelayRegistry.filtersJson(relay.filters()), relay.paused(), status.state().apiName(),
                status.lastError().orElse(null),
                relay.cursor().isPresent() ? relay.cursor().getAsLong() : null,
                status.queueDepth() < 0 ? null : status.queueDepth(),
                status.owner().orElse(null),
                status.catchUp().map(CatchUpReport::method).orElse(null),
                status.catchUp().map(report -> new CatchUpCounts(report.fetched(), report.skipped(),
                        report.fallback().orElse(null))).orElse(null),
                new Counters(totals.received(), totals.stored(), totals.duplicates(), totals.invalid(),
                        totals.bytes()),
                relay.createdAt());
    }
}
