package dev.nostrgate.gateway.stats;

import java.util.Locale;

/** The width of a statistics bucket: the flusher writes minute rows, the compactor turns old ones into hour rows. */
public enum StatsBucket {
    MINUTE(60),
    HOUR(3_600);

    private final int seconds;

    StatsBucket(int seconds) {
        this.seconds = seconds;
    }

    public int seconds() {
        return seconds;
    }

    /** The start of the bucket holding this epoch second. */
    public long startOf(long epochSecond) {
        return Math.floorDiv(epochSecond, seconds) * seconds;
    }

    /** The lowercase name used in the REST API ({@code minute}, {@code hour}). */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
