package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nostrgate.core.SharedData;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.KindCategory;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export and import with strfry's file format (one event JSON a line), on the 1,642 real events of
 * ../shared/testdata/events, into a real relay's PostgreSQL database and through a real relay.
 */
class TransferCommandsTest {
    private static final String EVENTS = "testdata/events/";
    /** The real events, one JSON a line, as they were published (their bytes are what export must give back). */
    private static List<String> lines;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheRealEvents() throws Exception {
        lines = new ArrayList<>();
        for (String file : List.of("go-nostr-real-events.jsonl", "nostrify/events.from-events.json.jsonl",
                "nostrify/trends.jsonl", "nostrify/events-3036.jsonl")) {
            SharedData.lines(EVENTS + file).stream().filter(line -> !line.isBlank()).forEach(lines::add);
        }
        // the two pretty-printed JSON files have no line form of their own: one line each, as a client sends it
        for (JsonNode event : SharedData.json(EVENTS + "nostrify/parameterized-replaceable-events.json")) {
            lines.add(EventJson.parse(event.toString()).toJson());
        }
        lines.add(EventJson.parse(SharedData.json(EVENTS + "nostrify/event-0.json").toString()).toJson());
        assertThat(lines).hasSize(1_642);
    }

    @Test
    void theDatabaseRoundTripGivesBackEveryKeptEventByteForByte() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Path exported = dir.resolve("exported.jsonl");

            Cli imported = Cli.run("import", write("events.jsonl", lines).toString(), "--db", database.url(), "-q",
                    "-v");
            Cli export = Cli.run("export", "--db", database.url(), "-o", exported.toString(), "-q");

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(export.exitCode()).as(export.err()).isZero();
            Map<String, String> exportedById = byId(Files.readAllLines(exported, StandardCharsets.UTF_8));
            Set<String> expected = keptByTheRules(lines, notKept(imported));
            assertThat(exportedById.keySet()).isEqualTo(expected);
            Map<String, String> originalById = byId(lines);
            assertThat(exportedById).allSatisfy((id, line) -> assertThat(line).isEqualTo(originalById.get(id)));
            System.out.printf("database round trip: %d lines, %d distinct ids, %d exported byte for byte (%s)%n",
                    lines.size(), originalById.size(), exportedById.size(), lastLine(imported.err()));
        }
    }

    @Test
    void aRelayTakesTheSameEventsAndServesThemInItsOwnSerialization() throws Exception {
        try (TestRelay relay = TestRelay.start()) {
            Path exported = dir.resolve("exported.jsonl");

            Cli imported = Cli.run("import", write("events.jsonl", lines).toString(), "--relay", relay.url(), "-q",
                    "-v");
            Cli export = Cli.run("export", "--relay", relay.url(), "--page", "100", "-o", exported.toString(), "-q");

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(export.exitCode()).as(export.err()).isZero();
            Map<String, String> exportedById = byId(Files.readAllLines(exported, StandardCharsets.UTF_8));
            assertThat(exportedById.keySet()).isEqualTo(keptByTheRules(lines, notKept(imported)));
            // the relay stores and serves NIP-01's serialization of what it received: the same events
            Map<String, String> originalById = byId(lines);
            assertThat(exportedById).allSatisfy((id, line) ->
                    assertThat(parse(line)).isEqualTo(parse(originalById.get(id))));
            long sameBytes = exportedById.entrySet().stream()
                    .filter(entry -> entry.getValue().equals(originalById.get(entry.getKey()))).count();
            System.out.printf("relay round trip: %d exported in 100-event pages, %d of them byte for byte (%s)%n",
                    exportedById.size(), sameBytes, lastLine(imported.err()));
        }
    }

    @Test
    void aRelayServesWhatWasImportedIntoItsDatabaseInTheImportedBytes() throws Exception {
        // the relay's recent events in memory assume it is the database's only writer: off, as the README says
        try (TestRelay relay = TestRelay.start(config -> config.withQuery(new RelayConfig.Query(
                config.query().threads(), config.query().timeout(), config.query().expirationSweepEvery(), 0)))) {
            Path exported = dir.resolve("exported.jsonl");

            Cli imported = Cli.run("import", write("events.jsonl", lines).toString(), "--db",
                    relay.database().url(), "-q", "-v");
            Cli export = Cli.run("export", "--relay", relay.url(), "--page", "100", "-o", exported.toString(), "-q");

            assertThat(export.exitCode()).as(export.err()).isZero();
            Map<String, String> exportedById = byId(Files.readAllLines(exported, StandardCharsets.UTF_8));
            assertThat(exportedById.keySet()).isEqualTo(keptByTheRules(lines, notKept(imported)));
            Map<String, String> originalById = byId(lines);
            assertThat(exportedById).allSatisfy((id, line) -> assertThat(line).isEqualTo(originalById.get(id)));
        }
    }

    @Test
    void badLinesAreSkippedCountedAndNamed() throws Exception {
        String tampered = SharedData.json(EVENTS + "nostrify/event-1.TAMPERED-id-mismatch.json").toString();
        List<String> withBad = List.of(lines.get(0), "not json", tampered, lines.get(1));
        try (TestDatabase database = TestDatabase.create()) {
            Cli imported = Cli.run("import", write("bad.jsonl", withBad).toString(), "--db", database.url(), "-q");

            assertThat(imported.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(imported.err()).contains("nostr: import: line 2 skipped: ", "nostr: import: line 3 skipped: ");
            assertThat(lastLine(imported.err())).startsWith("nostr: import: 2 stored, 0 duplicates, 0 not kept by "
                    + "the target's rules, 0 failed, 2 bad lines skipped");
        }
    }

    @Test
    void importingAgainIsSafeAndResumeSkipsWhatTheStateFileRecords() throws Exception {
        List<String> some = lines.subList(0, 120);
        Path file = write("some.jsonl", some);
        Path state = dir.resolve("import.state");
        try (TestDatabase database = TestDatabase.create()) {
            Cli first = Cli.run("import", file.toString(), "--db", database.url(), "--state", state.toString(),
                    "--batch", "50");
            Cli again = Cli.run("import", file.toString(), "--db", database.url(), "-q");
            Cli resumed = Cli.run("import", file.toString(), "--db", database.url(), "--state", state.toString(),
                    "--resume", "-q");

            assertThat(Files.readString(state).strip()).isEqualTo("120");
            // not a terminal: plain progress lines, the last one at the end
            assertThat(first.err()).containsPattern("nostr: import: 120 lines, [0-9,]+/s, [0-9]+ s\\R");
            long stored = Long.parseLong(lastLine(first.err()).replaceAll("nostr: import: (\\d+) stored.*", "$1"));
            assertThat(lastLine(again.err())).startsWith("nostr: import: 0 stored, " + stored + " duplicates");
            assertThat(lastLine(resumed.err())).startsWith("nostr: import: 0 stored, 0 duplicates, 0 not kept");
        }
    }

    @Test
    void theDatabaseOptionsNeedTheUrl() {
        Cli cli = Cli.run("export", "--db-user", "postgres");

        assertThat(cli.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("--db=JDBC_URL");
    }

    @Test
    void exportPagesThroughARelayLimitAndHonoursTheFilter() throws Exception {
        try (TestRelay relay = TestRelay.start()) {
            Cli.run("import", write("events.jsonl", lines).toString(), "--relay", relay.url(), "-q");

            Cli all = Cli.run("export", "--relay", relay.url(), "--page", "7", "-q");
            Cli kind7 = Cli.run("export", "--relay", relay.url(), "-k", "7", "--page", "50", "-q");
            Cli count7 = Cli.run("count", "-k", "7", relay.url());

            assertThat(all.exitCode()).as(all.err()).isZero();
            List<String> allLines = all.outLines();
            assertThat(allLines).doesNotHaveDuplicates();
            assertThat((long) allLines.size()).isEqualTo(Long.parseLong(Cli.run("count", relay.url()).out().strip()));
            assertThat(kind7.outLines()).hasSize(Integer.parseInt(count7.out().strip())).isNotEmpty()
                    .allSatisfy(line -> assertThat(parse(line).kind()).isEqualTo(7));
        }
    }

    /** The ids import reported as not kept (-v): "line N not kept: reason". */
    private static Set<String> notKept(Cli imported) {
        return imported.err().lines().filter(line -> line.contains(" not kept: "))
                .map(line -> Integer.parseInt(line.replaceAll("nostr: import: line (\\d+) not kept: .*", "$1")))
                .map(number -> idOf(lines.get(number - 1))).collect(Collectors.toSet());
    }

    /**
     * The ids a relay keeps of these lines, given those it refused: each id once, no ephemeral event; of the replaceable and
     * addressable events only the newest of each address (NIP-01: the later created_at, on a tie the lower id); and
     * none that a kind-5 deletion of the same author names, by id or by address up to its created_at (NIP-09).
     */
    private static Set<String> keptByTheRules(List<String> jsonLines, Set<String> refused) {
        Map<String, Event> byId = new TreeMap<>();
        for (String line : jsonLines) {
            Event event = parse(line);
            // a relay says OK to an ephemeral event and passes it on, but never stores it
            if (!refused.contains(event.id().hex()) && event.category() != KindCategory.EPHEMERAL) {
                byId.putIfAbsent(event.id().hex(), event);
            }
        }
        Map<Object, Event> newestByAddress = new HashMap<>();
        for (Event event : byId.values()) {
            event.address().ifPresent(address -> newestByAddress.merge(address, event, (a, b) ->
                    a.createdAt() != b.createdAt() ? (a.createdAt() > b.createdAt() ? a : b)
                            : (a.id().compareTo(b.id()) < 0 ? a : b)));
        }
        List<Event> deletions = byId.values().stream().filter(event -> event.kind() == 5).toList();
        Set<String> kept = new TreeSet<>();
        for (Event event : byId.values()) {
            boolean deleted = deletions.stream().anyMatch(deletion -> deletion.pubkey().equals(event.pubkey())
                    && (deletion.tagValues("e").contains(event.id().hex()) || event.address().map(address ->
                    deletion.tagValues("a").contains(address.toString())
                            && event.createdAt() <= deletion.createdAt()).orElse(false)));
            if (!deleted && event.address().map(address -> newestByAddress.get(address) == event).orElse(true)) {
                kept.add(event.id().hex());
            }
        }
        return kept;
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((first, second) -> second).orElse("");
    }

    private Path write(String name, List<String> content) throws IOException {
        return Files.write(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static Map<String, String> byId(List<String> jsonLines) {
        return jsonLines.stream().collect(Collectors.toMap(TransferCommandsTest::idOf, Function.identity(),
                (first, second) -> first, TreeMap::new));
    }

    private static String idOf(String line) {
        return parse(line).id().hex();
    }

    private static Event parse(String line) {
        try {
            return EventJson.parse(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
