package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A page of aggregated events, newest first, each with the relays it was seen on. */
@Schema(name = "EventPage")
public record EventPage(
        List<Item> events,
        @Schema(nullable = true, description = "the cursor of the next page (repeat the query with cursor=<next>); "
                + "null when this page was the last") String next) {

    /** An event and where it came from. */
    @Schema(name = "EventItem")
    public record Item(
            @JsonRawValue @Schema(implementation = Map.class, description = "the signed event, as stored (NIP-01 "
                    + "JSON)")
            String event,
            @Schema(description = "the relays that delivered it, first sighting first") List<Sighting> seenOn) {
    }

    /** One relay that delivered the event, and when the gateway first stored it from there. */
    public record Sighting(UUID relayId, Instant firstSeen) {
    }
}
