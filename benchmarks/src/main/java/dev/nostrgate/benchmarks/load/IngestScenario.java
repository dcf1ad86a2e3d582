package dev.nostrgate.benchmarks.load;

import dev.nostrgate.core.event.Event;
import java.util.List;

/**
 * {@code ingest}: publish N pre-signed notes over C connections, W in flight each; the rate of accepted
 * {@code OK}s, the latency from send to {@code OK}, and the refusals by prefix. First, {@code --warmup} other notes
 * are published the same way and not counted: from cold, a run measures the JIT compilers of both JVMs (the
 * relay's and this one's) more than the relay, and a warm-up run of its own would leave this one cold.
 */
final class IngestScenario {
    private final RelayClient client;
    private final LoadOptions options;
    private final Progress progress;
    private final CpuMeter cpu;

    IngestScenario(RelayClient client, LoadOptions options, Progress progress, CpuMeter cpu) {
        this.client = client;
        this.options = options;
        this.progress = progress;
        this.cpu = cpu;
    }

    Report run() {
        List<Event> signed = sign(options, progress, "ingest", options.warmup() + options.events());
        long deadline = System.nanoTime() + options.duration().toNanos();
        Publishing publishing = new Publishing(client, options, progress, cpu);
        long warmedUp = 0;
        if (options.warmup() > 0) {
            Publishing.Result warmup = publishing.publish("ingest warm-up", signed.subList(0, options.warmup()),
                    options.connections(), options.inFlight(), deadline);
            warmedUp = warmup.accepted();
            progress.say(String.format("ingest: warmed up with %,d events (%,.0f/s), not counted", warmedUp,
                    warmup.acceptedPerSecond()));
        }
        List<Event> events = signed.subList(options.warmup(), signed.size());
        Publishing.Result result = publishing.publish("ingest", events, options.connections(), options.inFlight(),
                deadline);
        Report report = new Report("ingest", options.describe());
        report.count("warmup_events", warmedUp);
        report.count("connections_open", result.opened().connections().size())
                .count("connections_failed", result.opened().failed());
        result.opened().failures().forEach((reason, n) -> report.count("connections_failed: " + reason, n));
        report.count("events_sent", result.sent())
                .count("not_sent", result.events() - result.sent())
                .count("accepted", result.accepted())
                .count("rejected", result.rejectedTotal());
        result.rejected().forEach((prefix, n) -> report.count("rejected: " + prefix, n));
        report.count("unanswered", result.unanswered())
                .count("unexpected_messages", result.unexpectedMessages())
                .count("notices", result.notices())
                .count("malformed", result.malformed())
                .count("connections_lost", result.connectionsLost())
                .number("mean_event_bytes", result.meanMessageBytes())
                .number("elapsed_s", result.elapsedNanos() / 1e9)
                .number("accepted_per_s", result.acceptedPerSecond());
        result.cpu().addTo(report, "events");
        report.latency("ok (send -> OK)", result.okLatency())
                .latency("connect + handshake", result.opened().handshakes());
        return report;
    }

    /** Signs the notes before the clock starts, on all cores, and says how long that took. */
    static List<Event> sign(LoadOptions options, Progress progress, String label, int count) {
        long start = System.nanoTime();
        SignedNotes notes = new SignedNotes(options.authors(), start);
        List<Event> events = notes.sign(count, System.currentTimeMillis() / 1000, i -> List.of());
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.say(String.format("%s: signed %,d notes of %,d authors in %.1f s on %d cores (%,.0f/s)", label,
                count, options.authors(), seconds, Runtime.getRuntime().availableProcessors(), count / seconds));
        return events;
    }
}
