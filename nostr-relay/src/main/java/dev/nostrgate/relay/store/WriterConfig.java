package dev.nostrgate.relay.store;

import java.time.Duration;

/**
 * The writer's group commit.
 *
 * @param lanes independent writers, each owning the authors whose pubkey hashes to it (see {@link EventWriter})
 * @param maxBatch flush when this many events are queued
 * @param maxDelay flush when the oldest queued event has waited this long. The default is 0: a batch is whatever
 *     queued up while the previous commit ran, which is group commit without a timer; measured with ./nostr load
 *     ingest --connections 16 --in-flight 1, 0 gave 7.3k and 9.2k events/s against 4.8k and 5.7k for 2 ms (on an
 *     embedded PostgreSQL that did not yet fsync its commits)
 * @param queueCapacity events waiting in one lane beyond this are refused at once ({@code rate-limited:}), so memory is bounded
 * @param retryFor how long a failing batch is retried (database outage) before its events get {@code error:}
 * @param recentIdsCapacity how many stored ids are remembered for the cheap duplicate check
 */
public record WriterConfig(int lanes, int maxBatch, Duration maxDelay, int queueCapacity, Duration retryFor,
                           int recentIdsCapacity) {
    public static final WriterConfig DEFAULTS =
            new WriterConfig(2, 1_000, Duration.ZERO, 50_000, Duration.ofSeconds(10), 100_000);

    public WriterConfig {
        if (lanes < 1 || lanes > 64) {
            throw new IllegalArgumentException("writer.lanes must be 1..64, was " + lanes);
        }
        if (maxBatch < 1 || maxBatch > 50_000) {
            throw new IllegalArgumentException("writer.maxBatch must be 1..50000, was " + maxBatch);
        }
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("writer.maxDelay must be 0 or more");
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("writer.queueCapacity must be at least writer.maxBatch ("
                    + maxBatch + "), was " + queueCapacity);
        }
        if (retryFor == null || retryFor.isNegative()) {
            throw new IllegalArgumentException("writer.retryFor must be 0 or more");
        }
        if (recentIdsCapacity < 1) {
            throw new IllegalArgumentException("writer.recentIdsCapacity must be at least 1");
        }
    }
}
