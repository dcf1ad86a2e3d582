package dev.nostrgate.gateway.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's data: the sampler's latest snapshot, the same for every caller until the next sample, as the JSON
 * the sampler wrote when it took it.
 */
@RestController
@Tag(name = "overview", description = "The whole gateway at a glance, as the dashboard shows it")
public class OverviewController {
    private final OverviewSampler sampler;

    public OverviewController(OverviewSampler sampler) {
        this.sampler = sampler;
    }

    @GetMapping(path = "/api/overview", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Phase, relays with state and rate, lag, dead letters, stored totals",
            description = "Sampled every gateway.overview-interval (asOf says when); rates are events received per "
                    + "second between the last two samples.")
    @ApiResponse(responseCode = "200", description = "the latest sample",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = Overview.class)))
    @ApiResponse(responseCode = "503", description = "no sample could be taken yet (the database is unreachable)")
    public ResponseEntity<byte[]> overview() {
        byte[] json = sampler.currentJson();
        if (json == null) {
            throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(
                    HttpStatus.SERVICE_UNAVAILABLE, "the gateway has not been able to sample its state yet (see its "
                            + "log: the database or RabbitMQ may be unreachable); retry in a few seconds"), null);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    }
}
