package dev.nostrgate.gateway.api;

import dev.nostrgate.gateway.stats.RollupCounts;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;

/** A relay's statistics over a time range, from the rollup table. */
@Schema(name = "StatsSeries")
public record StatsSeries(
        UUID relayId,
        @Schema(allowableValues = {"minute", "hour"}) String bucket,
        @Schema(description = "the start of the first bucket (from, rounded down to the bucket)") Instant from,
        @Schema(description = "the end of the range, exclusive") Instant to,
        @Schema(description = "one point per bucket that has counts, oldest first (buckets with nothing are left "
                + "out)") List<Point> points,
        @Schema(description = "the whole range added up") Values total) {

    /** One bucket. */
    public record Point(Instant start, long received, long stored, long duplicates, long invalid, long bytes,
                        @Schema(description = "bytes per received event") double meanSize,
                        @Schema(description = "bytes, estimated from 16 power-of-two size classes")
                        long medianSize,
                        @Schema(description = "receive-to-commit seconds per stored event (whole seconds summed)")
                        double meanLagSeconds) {
    }

    /** A sum of buckets. */
    public record Values(long received, long stored, long duplicates, long invalid, long bytes, double meanSize,
                         long medianSize, double meanLagSeconds) {
        static Values of(RollupCounts counts) {
            return new Values(counts.received(), counts.stored(), counts.duplicates(), counts.invalid(),
                    counts.bytes(), counts.meanSize(), counts.sizes().median(), counts.meanLagSeconds());
        }
    }

    static Point point(long start, RollupCounts counts) {
        return new Point(Instant.ofEpochSecond(start), counts.received(), counts.stored(), counts.duplicates(),
                counts.invalid(), counts.bytes(), counts.meanSize(), counts.sizes().median(),
                counts.meanLagSeconds());
    }

    static List<Point> points(NavigableMap<Long, RollupCounts> buckets) {
        return buckets.entrySet().stream().map(e -> point(e.getKey(), e.getValue())).toList();
    }

    static Values total(Map<Long, RollupCounts> buckets) {
        return Values.of(buckets.values().stream().reduce(RollupCounts.ZERO, RollupCounts::plus));
    }
}
