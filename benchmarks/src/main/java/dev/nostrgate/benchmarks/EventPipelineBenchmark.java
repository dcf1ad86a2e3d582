package dev.nostrgate.benchmarks;

import dev.nostrgate.core.event.CanonicalSerialization;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.key.SchnorrProviders;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What a relay's ingest stage does with one incoming event, per second on one thread: {@code parseIdVerify} is the
 * whole check (strict parse from UTF-8, id recomputed from the canonical serialization, signature verified);
 * {@code parse} and {@code id} are its first two parts alone. The event is a real kind-1 note from the shared test
 * data, the one whose JSON is closest to {@code noteBytes} (about 500 bytes: a typical note with a few tags).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Threads(1)
@State(Scope.Thread)
public class EventPipelineBenchmark {
    /** JSON Lines of real events; relative to {@code -Dnostr.shared.dir} (default {@code ../shared}). */
    @Param(RealEvents.DEFAULT_FILE)
    public String eventsFile;

    @Param("500")
    public int noteBytes;

    /** The signature provider of the verifier; {@code -p provider=java} for the pure-Java one. */
    @Param("native")
    public String provider;

    private byte[] json;
    private Event event;
    private EventVerifier verifier;

    @Setup
    public void pickNote() throws InvalidEventException {
        json = RealEvents.noteOfAbout(eventsFile, noteBytes);
        event = EventJson.parse(json);
        verifier = new EventVerifier(SchnorrProviders.choose(provider));
        verifier.check(event);
        System.out.printf("%nnote %s: %d bytes of JSON, %d tags%n", event.id(), json.length, event.tags().size());
    }

    @Benchmark
    public Optional<String> parseIdVerify() throws InvalidEventException {
        return verifier.problem(EventJson.parse(json));
    }

    @Benchmark
    public Event parse() throws InvalidEventException {
        return EventJson.parse(json);
    }

    @Benchmark
    public byte[] id() {
        return CanonicalSerialization.idBytes(event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content());
    }
}
