package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.config.GatewayProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The aggregate, queried with a NIP-01 filter and paged with a cursor. */
@RestController
@Tag(name = "events", description = "Query the aggregated events")
public class EventController {
    private final EventPages pages;
    private final int maxLimit;

    public EventController(EventPages pages, GatewayProperties properties) {
        this.pages = pages;
        this.maxLimit = properties.database().maxLimit();
    }

    @GetMapping(path = "/api/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Aggregated events matching a NIP-01 filter, newest first, with provenance",
            description = "Give the filter whole (filter=<URL-encoded JSON>) or as parameters: ids, authors, kinds, "
                    + "%23<letter> (#e, #p, ... URL-encoded), each repeated or comma-separated, and since, until. "
                    + "A page holds limit events (default 100, at most gateway.database.max-limit); next is the "
                    + "cursor of the following page (null on the last). Pages are in NIP-01 order: created_at "
                    + "descending, then id ascending; every event comes exactly once across pages, however many "
                    + "share one second.",
            parameters = {
                @Parameter(name = "filter", in = ParameterIn.QUERY, description = "one NIP-01 filter as JSON",
                        example = "{\"kinds\":[1],\"#t\":[\"nostr\"]}"),
                @Parameter(name = "ids", in = ParameterIn.QUERY, description = "event ids (64 lowercase hex)"),
                @Parameter(name = "authors", in = ParameterIn.QUERY, description = "pubkeys (64 lowercase hex)"),
                @Parameter(name = "kinds", in = ParameterIn.QUERY, description = "kinds, 0..65535",
                        example = "1,7"),
                @Parameter(name = "#e", in = ParameterIn.QUERY, description = "a tag condition, for any letter"),
                @Parameter(name = "since", in = ParameterIn.QUERY, schema = @Schema(type = "integer"),
                        description = "created_at >= since (unix seconds)"),
                @Parameter(name = "until", in = ParameterIn.QUERY, schema = @Schema(type = "integer"),
                        description = "created_at <= until (unix seconds)"),
                @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer"),
                        description = "events per page: 1..gateway.database.max-limit, default 100"),
                @Parameter(name = "cursor", in = ParameterIn.QUERY,
                        description = "the next value of the previous page (same filter)")})
    @ApiResponse(responseCode = "200", description = "a page of events")
    @ApiResponse(responseCode = "400", description = "an invalid filter, parameter, limit or cursor")
    @ApiResponse(responseCode = "503", description = "the database is unavailable or the query ran over its "
            + "time budget")
    public EventPage events(@Parameter(hidden = true) @RequestParam MultiValueMap<String, String> parameters) {
        return pages.page(EventQuery.parse(parameters, maxLimit));
    }
}
