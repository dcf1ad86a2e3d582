package dev.nostrgate.cli.transfer;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.ExitCodes;
import dev.nostrgate.cli.relay.EventLines;
import dev.nostrgate.cli.relay.Relays;
import dev.nostrgate.core.client.OkResult;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.relay.store.SaveOutcome;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.WireJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nostr import}: JSON lines (strfry's export format) into a relay or its database. Each line is read and
 * verified (id and signature); a bad one is skipped, counted and named on stderr. Resumable twice over: both
 * targets are idempotent on the event id (a line imported again is a duplicate, not an error), and with
 * {@code --state FILE} the lines already done are recorded after each batch, so {@code --resume} skips them.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import JSON lines (one event a line, as "
        + "strfry export writes) into a relay (--relay) or its database (--db); verifies each event, skips and "
        + "counts bad lines. Re-running is safe: an event already there counts as a duplicate.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every line read; each stored, a duplicate, or not kept by a NIP rule (expired, "
                + "ephemeral, deleted, replaced)", "1:some lines were bad (not an event, or a wrong id or signature) or "
                + "failed at the target (rate limit, error), or the target could not be reached", "2:usage error"})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "JSON lines file (default: stdin)")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Endpoint target;

    @Option(names = "--state", paramLabel = "FILE", description = "record the lines done here after each batch")
    Path state;

    @Option(names = "--resume", description = "skip the lines --state FILE records as done")
    boolean resume;

    @Option(names = "--batch", defaultValue = "500", description = "events per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "name each line the target did not keep, and why")
    boolean verbose;

    private final EventVerifier verifier = new EventVerifier();
    private final ImportCounts counts = new ImportCounts();

    @Override
    public Integer call() throws IOException {
        if (resume && state == null) {
            throw new CliException("--resume needs --state FILE (where the lines done are recorded)");
        }
        if (batch < 1 || batch > 10_000) {
            throw new CliException("--batch must be 1..10000, was " + batch);
        }
        long skip = resume ? readState() : 0;
        long total = file == null ? -1 : countLines(file);
        try (BufferedReader in = file == null ? EventLines.reader(System.in)
                : Files.newBufferedReader(file, StandardCharsets.UTF_8);
             Sink sink = target.relay != null ? new RelaySink(Relays.connect(target.relay))
                     : new DatabaseSink(target.database.open());
             Progress progress = Progress.start("import", "lines", total < 0 ? -1 : total - skip, quiet,
                     spec.commandLine().getErr())) {
            long lineNumber = 0;
            List<Line> pending = new ArrayList<>(batch);
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                lineNumber++;
                if (lineNumber <= skip) {
                    continue;
                }
                if (!text.isBlank()) {
                    read(lineNumber, text).ifPresent(pending::add);
                }
                progress.step(1);
                if (pending.size() == batch) {
                    flush(sink, pending, lineNumber);
                }
            }
            flush(sink, pending, lineNumber);
        }
        spec.commandLine().getErr().println("nostr: import: " + counts.summary());
        spec.commandLine().getErr().flush();
        return counts.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** One verified event and the text it came in, which the database path keeps byte for byte. */
    record Line(long number, Event event, String text) {
    }

    private Optional<Line> read(long number, String text) {
        try {
            Event event = EventJson.parse(text);
            Optional<String> problem = verifier.problem(event);
            if (problem.isPresent()) {
                return bad(number, problem.get());
            }
            return Optional.of(new Line(number, event, text));
        } catch (InvalidEventException e) {
            return bad(number, e.getMessage());
        }
    }

    private Optional<Line> bad(long number, String why) {
        counts.bad();
        spec.commandLine().getErr().println("nostr: import: line " + number + " skipped: " + why);
        return Optional.empty();
    }

    private void flush(Sink sink, List<Line> pending, long linesDone) throws IOException {
        if (!pending.isEmpty()) {
            List<ImportCounts.Result> results = sink.write(pending);
            for (int i = 0; i < pending.size(); i++) {
                ImportCounts.Result result = results.get(i);
                counts.add(result);
                if (result.failed() || (verbose && !result.kept())) {
                    spec.commandLine().getErr().println("nostr: import: line " + pending.get(i).number() + " "
                            + (result.failed() ? "failed" : "not kept") + ": " + result.message());
                }
            }
            pending.clear();
        }
        if (state != null) {
            Files.writeString(state, linesDone + "\n", StandardCharsets.UTF_8);
        }
    }

    private long readState() throws IOException {
        if (!Files.exists(state)) {
            return 0;
        }
        String text = Files.readString(state, StandardCharsets.UTF_8).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CliException(state + " does not hold a line count (was \"" + text + "\")");
        }
    }

    private static long countLines(Path path) throws IOException {
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            return lines.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Where the events go: one result per line, in order. */
    interface Sink extends AutoCloseable {
        List<ImportCounts.Result> write(List<Line> lines);

        @Override
        void close();
    }

    /** To a relay over its WebSocket: the batch is sent at once and its OKs awaited. */
    record RelaySink(RelayClient client) implements Sink {
        @Override
        public List<ImportCounts.Result> write(List<Line> lines) {
            List<CompletableFuture<OkResult>> sent = lines.stream().map(line -> client.send(line.event())).toList();
            return sent.stream().map(ok -> ImportCounts.Result.of(Relays.await(ok, "import into " + client.url())))
                    .toList();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Into the database through the relay's store, keeping each event's JSON as it was imported. */
    record DatabaseSink(DatabaseStore db) implements Sink {
        @Override
        public List<ImportCounts.Result> write(List<Line> lines) {
            try {
                List<SaveOutcome> outcomes = db.store.saveAll(lines.stream().map(Line::event).toList());
                Map<Event, String> stored = new LinkedHashMap<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (outcomes.get(i).status() == SaveOutcome.Status.STORED) {
                        stored.put(lines.get(i).event(), lines.get(i).text());
                    }
                }
                WireJson.keep(db.database.writes(), stored);
                return outcomes.stream().map(ImportCounts.Result::of).toList();
            } catch (StoreUnavailableException e) {
                throw new CliException("import into " + db.database.location() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
