package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The bodies of {@code POST /api/relays} and {@code PATCH /api/relays/{id}}. */
public final class RelayRequests {
    private RelayRequests() {
    }

    @Schema(name = "CreateRelay", description = "A relay to aggregate.")
    public record Create(
            @Schema(description = "The relay's WebSocket URL (ws or wss, at most 2000 characters); normalized "
                    + "(lowercase host, no default port, no trailing slash)",
                    example = "wss://relay.example.com", requiredMode = Schema.RequiredMode.REQUIRED)
            String url,
            @ArraySchema(arraySchema = @Schema(description = "NIP-01 filters to subscribe with (1 to 100); "
                    + "absent = every event ([{}])", example = "[{\"kinds\":[1,7]}]"),
                    schema = @Schema(implementation = Map.class))
            List<JsonNode> filters,
            @Schema(description = "A label, at most 200 characters; absent = the URL's host", example = "example")
            String name) {
    }

    @Schema(name = "UpdateRelay", description = "What to change; an absent (or null) field is left as it is, and "
            + "at least one must be given.")
    public record Update(
            @Schema(description = "true pauses the relay (its connector closes; queued events are still stored), "
                    + "false resumes it from its cursor")
            Boolean paused,
            @ArraySchema(arraySchema = @Schema(description = "new NIP-01 filters; the connector re-subscribes "
                    + "with them"), schema = @Schema(implementation = Map.class))
            List<JsonNode> filters,
            @Schema(description = "a new label") String name) {
    }
}
