package dev.nostrgate.benchmarks;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real signed events, read at setup from a JSON Lines file of the {@code shared/} folder beside the clone (never
 * copied into the repository). A relative file name is resolved against the system property {@value #SHARED_DIR}
 * (the launcher sets it; default {@code ../shared}, right when run from the repository root); an absolute one is
 * used as it is.
 */
final class RealEvents {
    static final String SHARED_DIR = "nostr.shared.dir";
    /** 1,000 real events from nostrify's fixtures: notes, reactions, profiles, reposts, follow lists. */
    static final String DEFAULT_FILE = "testdata/events/nostrify/events.from-events.json.jsonl";

    private RealEvents() {
    }

    /** Every event of the file, as UTF-8 JSON, in file order. */
    static List<byte[]> jsonLines(String file) {
        Path path = Path.of(System.getProperty(SHARED_DIR, "../shared")).resolve(file).toAbsolutePath().normalize();
        try {
            List<byte[]> lines = new ArrayList<>();
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark events " + path + ": the shared/ folder must "
                    + "sit beside the clone, or pass -D" + SHARED_DIR + "=<dir> or -p eventsFile=<absolute path>", e);
        }
    }

    static Event parse(byte[] json) {
        try {
            return EventJson.parse(json);
        } catch (InvalidEventException e) {
            throw new IllegalStateException("a benchmark event does not parse: " + e.getMessage(), e);
        }
    }

    /** The kind-1 note whose JSON size is closest to {@code bytes} (the first such in the file). */
    static byte[] noteOfAbout(String file, int bytes) {
        byte[] best = null;
        for (byte[] json : jsonLines(file)) {
            if (parse(json).kind() == 1 && (best == null || Math.abs(json.length - bytes) < Math.abs(best.length - bytes))) {
                best = json;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no kind-1 event in " + file);
        }
        return best;
    }
}
