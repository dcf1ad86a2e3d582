package dev.nostrgate.benchmarks;

import dev.nostrgate.core.event.CanonicalSerialization;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serialization throughput in MB/s over every event of a real-events file, cycled (sizes from a hundred bytes to
 * over 60 KB, so ops/s alone means little). {@code canonical} writes the NIP-01 id pre-image as UTF-8 bytes, the
 * input of every id computation; {@code wireJson} writes the event's JSON as a relay sends it.
 *
 * <p><b>Reading the result.</b> Each benchmark counts the megabytes (10^6 bytes of UTF-8) it wrote in an
 * {@link AuxCounters} counter, which JMH reports per second as a secondary result: the row
 * {@code SerializationBenchmark.canonical:megabytes ... ops/s} is the throughput in MB/s. The primary row is
 * events per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Thread)
public class SerializationBenchmark {
    /** JSON Lines of real events; relative to {@code -Dnostr.shared.dir} (default {@code ../shared}). */
    @Param(RealEvents.DEFAULT_FILE)
    public String eventsFile;

    private Event[] events;
    private double[] wireMegabytes;
    private int next;

    /** Megabytes written, per second in the results (JMH normalizes OPERATIONS counters by time). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Written {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    @Setup
    public void readEvents() {
        List<byte[]> lines = RealEvents.jsonLines(eventsFile);
        events = new Event[lines.size()];
        wireMegabytes = new double[lines.size()];
        for (int i = 0; i < events.length; i++) {
            events[i] = RealEvents.parse(lines.get(i));
            wireMegabytes[i] = EventJson.write(events[i]).getBytes(StandardCharsets.UTF_8).length / 1e6;
        }
    }

    @Benchmark
    public byte[] canonical(Written written) {
        Event event = nextEvent();
        byte[] preImage = CanonicalSerialization.serialize(event.pubkey(), event.createdAt(), event.kind(),
                event.tags(), event.content()).getBytes(StandardCharsets.UTF_8);
        written.megabytes += preImage.length / 1e6;
        return preImage;
    }

    /** The JSON as a string; its UTF-8 size, counted, was measured at setup (the relay's encoder pays for that). */
    @Benchmark
    public String wireJson(Written written) {
        int i = next;
        String json = EventJson.write(nextEvent());
        written.megabytes += wireMegabytes[i];
        return json;
    }

    private Event nextEvent() {
        Event event = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        return event;
    }
}
