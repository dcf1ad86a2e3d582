package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.stats.RollupCounts;
import dev.nostrgate.gateway.stats.StatsBucket;
import dev.nostrgate.gateway.stats.StatsRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A relay's statistics as a time series, read from the rollup table (never from the events). Minute points exist
 * for {@code gateway.minute-stats-retention}; hour points for all time (an hour adds its compacted row and its minute
 * rows not compacted yet). Counts reach the table every {@code gateway.stats-flush-interval}, so the newest minute
 * may lag by that much.
 */
@RestController
@Tag(name = "relays")
public class RelayStatsController {
    /** The most buckets one request may span: a week of minutes (roughly), more than a year of hours. */
    static final int MAX_BUCKETS = 10_000;
    private static final long MAX_EPOCH_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private final RelayController relays;
    private final StatsRepository stats;

    public RelayStatsController(RelayController relays, StatsRepository stats) {
        this.relays = relays;
        this.stats = stats;
    }

    @GetMapping(path = "/api/relays/{id}/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A relay's statistics over time",
            description = "Events received, stored, duplicates, invalid, bytes, mean and median size and mean lag "
                    + "per minute or hour bucket, with the range's total. At most " + MAX_BUCKETS + " buckets.")
    @ApiResponse(responseCode = "200", description = "the series")
    @ApiResponse(responseCode = "400", description = "bad bucket, from or to, from after to, or too long a range")
    @ApiResponse(responseCode = "404", description = "no relay has this id")
    public StatsSeries series(
            @PathVariable("id") UUID id,
            @Parameter(description = "start: ISO-8601 instant or unix seconds; default: one hour (minute buckets) "
                    + "or one day (hour buckets) before to") @RequestParam(name = "from", required = false) String from,
            @Parameter(description = "end, exclusive: ISO-8601 instant or unix seconds; default: now")
            @RequestParam(name = "to", required = false) String to,
            @Parameter(description = "minute (default) or hour")
            @RequestParam(name = "bucket", required = false) String bucket) {
        relays.find(id);
        StatsBucket width = bucket(bucket);
        long end = to == null ? Instant.now().getEpochSecond() : instant("to", to);
        long start = from == null ? end - (width == StatsBucket.MINUTE ? 3_600 : 86_400) : instant("from", from);
        if (start > end) {
            throw new InvalidRequestException("from", "from (" + Instant.ofEpochSecond(start) + ") is after to ("
                    + Instant.ofEpochSecond(end) + "): swap them");
        }
        long first = width.startOf(start);
        long buckets = (end - first + width.seconds() - 1) / width.seconds();
        if (buckets > MAX_BUCKETS) {
            throw new InvalidRequestException("from", "from..to spans " + buckets + " " + width.apiName()
                    + " buckets; at most " + MAX_BUCKETS + " are returned at once: narrow the range"
                    + (width == StatsBucket.MINUTE ? " or use bucket=hour" : ""));
        }
        TreeMap<Long, RollupCounts> points = stats.series(id, width, first, end);
        return new StatsSeries(id, width.apiName(), Instant.ofEpochSecond(first), Instant.ofEpochSecond(end),
                StatsSeries.points(points), StatsSeries.total(points));
    }

    private static StatsBucket bucket(String value) {
        if (value == null) {
            return StatsBucket.MINUTE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "minute" -> StatsBucket.MINUTE;
            case "hour" -> StatsBucket.HOUR;
            default -> throw new InvalidRequestException("bucket", "bucket must be minute or hour, was \""
                    + shorten(value) + "\"");
        };
    }

    /** An instant given as unix seconds or as ISO-8601 ({@code 2025-06-01T12:00:00Z}), in epoch seconds. */
    private static long instant(String name, String value) {
        String text = value.strip();
        try {
            long seconds = text.matches("\\d{1,19}") ? Long.parseLong(text) : Instant.parse(text).getEpochSecond();
            if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
                throw new InvalidRequestException(name, name + " must be between 1970 and 9999, was \""
                        + shorten(value) + "\"");
            }
            return seconds;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidRequestException(name, name + " must be an ISO-8601 instant (such as "
                    + "2025-06-01T12:00:00Z) or unix seconds, was \"" + shorten(value) + "\"");
        }
    }

    static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
