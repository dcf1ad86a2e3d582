package dev.nostrgate.benchmarks.load;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nostrgate.core.event.EventJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run: the settings it ran with, named results (counts, rates, texts) in the order they were
 * added, and latency distributions. Printed as a table for people, written as JSON for notes.
 */
final class Report {
    private final String scenario;
    private final Map<String, Object> settings;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Latency.Summary> latencies = new LinkedHashMap<>();

    Report(String scenario, Map<String, Object> settings) {
        this.scenario = scenario;
        this.settings = new LinkedHashMap<>(settings);
    }

    Report count(String name, long value) {
        results.put(name, value);
        return this;
    }

    Report number(String name, double value) {
        results.put(name, value);
        return this;
    }

    Report text(String name, String value) {
        results.put(name, value);
        return this;
    }

    Report latency(String name, Latency latency) {
        latencies.put(name, latency.summary());
        return this;
    }

    String scenario() {
        return scenario;
    }

    /** A count or number by name; fails for a name the run did not report. */
    long count(String name) {
        if (!(results.get(name) instanceof Number number)) {
            throw new IllegalArgumentException("no result '" + name + "' in " + results.keySet());
        }
        return number.longValue();
    }

    /** A number by name (counts included); fails for a name the run did not report. */
    double number(String name) {
        if (!(results.get(name) instanceof Number number)) {
            throw new IllegalArgumentException("no number '" + name + "' in " + results.keySet());
        }
        return number.doubleValue();
    }

    /** A text by name; fails for a name the run did not report as text. */
    String text(String name) {
        if (!(results.get(name) instanceof String text)) {
            throw new IllegalArgumentException("no text '" + name + "' in " + results.keySet());
        }
        return text;
    }

    boolean has(String name) {
        return results.containsKey(name);
    }

    Latency.Summary latency(String name) {
        Latency.Summary summary = latencies.get(name);
        if (summary == null) {
            throw new IllegalArgumentException("no latency '" + name + "' in " + latencies.keySet());
        }
        return summary;
    }

    void print(PrintStream out) {
        StringBuilder line = new StringBuilder();
        settings.forEach((name, value) -> line.append(line.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(format(value)));
        out.printf("%n%s results (%s)%n", scenario, line);
        int width = Math.max(24, results.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        results.forEach((name, value) -> out.printf(Locale.ROOT, "  %-" + width + "s %14s%n", name, format(value)));
        if (!latencies.isEmpty()) {
            int nameWidth = Math.max(24, latencies.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
            out.printf(Locale.ROOT, "%n  %-" + nameWidth + "s %10s %9s %9s %9s %9s %9s %9s%n", "latency (ms)", "count",
                    "p50", "p90", "p99", "p99.9", "max", "mean");
            latencies.forEach((name, s) -> out.printf(Locale.ROOT,
                    "  %-" + nameWidth + "s %,10d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", name, s.count(), s.p50(),
                    s.p90(), s.p99(), s.p999(), s.max(), s.mean()));
        }
    }

    void writeJson(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator json = EventJson.jsonFactory().createGenerator(writer)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("scenario", scenario);
            json.writeObjectFieldStart("settings");
            for (Map.Entry<String, Object> setting : settings.entrySet()) {
                write(json, setting.getKey(), setting.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("results");
            for (Map.Entry<String, Object> result : results.entrySet()) {
                write(json, result.getKey(), result.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("latency_ms");
            for (Map.Entry<String, Latency.Summary> latency : latencies.entrySet()) {
                Latency.Summary s = latency.getValue();
                json.writeObjectFieldStart(latency.getKey());
                json.writeNumberField("count", s.count());
                json.writeNumberField("p50", s.p50());
                json.writeNumberField("p90", s.p90());
                json.writeNumberField("p99", s.p99());
                json.writeNumberField("p99.9", s.p999());
                json.writeNumberField("max", s.max());
                json.writeNumberField("mean", Math.round(s.mean() * 1000) / 1000.0);
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    private static void write(JsonGenerator json, String name, Object value) throws IOException {
        switch (value) {
            case Long n -> json.writeNumberField(name, n);
            case Integer n -> json.writeNumberField(name, n);
            case Double n -> json.writeNumberField(name, Math.round(n * 1000) / 1000.0);
            default -> json.writeStringField(name, String.valueOf(value));
        }
    }

    private static String format(Object value) {
        return switch (value) {
            case Long n -> String.format(Locale.ROOT, "%,d", n);
            case Integer n -> String.format(Locale.ROOT, "%,d", n);
            case Double n when n == Math.rint(n) && Math.abs(n) < 1e15 -> String.format(Locale.ROOT, "%,.0f", n);
            case Double n when Math.abs(n) >= 100 -> String.format(Locale.ROOT, "%,.0f", n);
            case Double n -> String.format(Locale.ROOT, "%.2f", n);
            default -> String.valueOf(value);
        };
    }
}
