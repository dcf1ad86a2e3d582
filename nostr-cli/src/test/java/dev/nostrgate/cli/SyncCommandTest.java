package dev.nostrgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.UnsignedEvent;
import dev.nostrgate.core.key.SecKey;
import dev.nostrgate.relay.TestRelay;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nostr sync}: our NIP-77 client against our relay, a real one on PostgreSQL, and a database of its own as
 * the local side. Each side starts with events the other lacks.
 */
class SyncCommandTest {
    private static final SecKey ALICE = SecKey.generate();
    private static final long NOW = System.currentTimeMillis() / 1000;

    private final List<Event> common = notes("common", 30, 1);
    private final List<Event> onlyRemote = notes("only on the relay", 20, 1);
    private final List<Event> onlyLocal = notes("only in the database", 10, 1);
    private final List<Event> otherKindOnlyRemote = notes("a reaction only on the relay", 5, 7);

    @TempDir
    Path dir;

    @Test
    void bothWaysLeavesEachSideWithEveryEventAndMovesOnlyTheDifference() throws Exception {
        try (TestRelay remote = TestRelay.start(); TestDatabase local = TestDatabase.create()) {
            fill(remote, local);

            Cli sync = Cli.run("sync", remote.url(), "--db", local.url(), "--dir", "both", "-q");

            assertThat(sync.exitCode()).as(sync.err()).isZero();
            assertThat(sync.err()).contains("25 only on " + remote.url() + ", 10 only here")
                    .contains("sync down: 25 stored, 0 duplicates").contains("sync up: 10 stored, 0 duplicates");
            Set<String> everything = ids(common, onlyRemote, onlyLocal, otherKindOnlyRemote);
            assertThat(exportedIds("--db", local.url())).isEqualTo(everything);
            assertThat(exportedIds("--relay", remote.url())).isEqualTo(everything);

            Cli again = Cli.run("sync", remote.url(), "--db", local.url(), "--dir", "both", "-q");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.err()).contains("0 only on " + remote.url() + ", 0 only here");
        }
    }

    @Test
    void downWithAFilterFetchesOnlyWhatMatchesAndSendsNothing() throws Exception {
        try (TestRelay remote = TestRelay.start(); TestDatabase local = TestDatabase.create()) {
            fill(remote, local);

            Cli sync = Cli.run("sync", remote.url(), "--db", local.url(), "-k", "1", "-q");

            assertThat(sync.exitCode()).as(sync.err()).isZero();
            assertThat(exportedIds("--db", local.url())).isEqualTo(ids(common, onlyRemote, onlyLocal));
            assertThat(exportedIds("--relay", remote.url())).isEqualTo(ids(common, onlyRemote, otherKindOnlyRemote));
        }
    }

    @Test
    void aRelayThatRefusesTheReconciliationIsAnErrorInOneLine() throws Exception {
        try (TestRelay remote = TestRelay.start(config -> config.withNegentropy(
                new RelayConfig.Negentropy(8, 10, 0)));
             TestDatabase local = TestDatabase.create()) {
            fill(remote, local);

            Cli sync = Cli.run("sync", remote.url(), "--db", local.url(), "-q");

            assertThat(sync.exitCode()).isEqualTo(1);
            assertThat(sync.err().strip()).startsWith("nostr: ").contains("refused the reconciliation (NIP-77)")
                    .contains("blocked:").doesNotContain("\n\tat ");
        }
    }

    @Test
    void aLimitIsAUsageError() {
        Cli sync = Cli.run("sync", "ws://127.0.0.1:1", "--db", "jdbc:postgresql://127.0.0.1/x", "--limit", "5");
        assertThat(sync.exitCode()).isNotZero();
        assertThat(sync.err()).contains("--limit does not apply");
    }

    private void fill(TestRelay remote, TestDatabase local) throws Exception {
        Cli toRemote = Cli.run("import", file("remote.jsonl", common, onlyRemote, otherKindOnlyRemote).toString(),
                "--relay", remote.url(), "-q");
        Cli toLocal = Cli.run("import", file("local.jsonl", common, onlyLocal).toString(), "--db", local.url(), "-q");
        assertThat(toRemote.exitCode()).as(toRemote.err()).isZero();
        assertThat(toLocal.exitCode()).as(toLocal.err()).isZero();
    }

    private Set<String> exportedIds(String... source) throws Exception {
        Path out = dir.resolve("export-" + System.nanoTime() + ".jsonl");
        List<String> args = new ArrayList<>(List.of("export"));
        args.addAll(List.of(source));
        args.addAll(List.of("-o", out.toString(), "-q"));
        Cli export = Cli.run(args.toArray(String[]::new));
        assertThat(export.exitCode()).as(export.err()).isZero();
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            ids.add(EventJson.parse(line).id().hex());
        }
        return ids;
    }

    @SafeVarargs
    private Path file(String name, List<Event>... parts) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, Stream.of(parts).flatMap(List::stream).map(Event::toJson).toList(), StandardCharsets.UTF_8);
        return file;
    }

    @SafeVarargs
    private static Set<String> ids(List<Event>... parts) {
        return Stream.of(parts).flatMap(List::stream).map(event -> event.id().hex()).collect(Collectors.toSet());
    }

    private static List<Event> notes(String content, int count, int kind) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new UnsignedEvent(ALICE.pubKey(), NOW - 1_000 + i, kind, List.of(), content + " " + i)
                    .sign(ALICE));
        }
        return events;
    }
}
