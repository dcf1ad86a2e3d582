package dev.nostrgate.cli.transfer;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.ExitCodes;
import dev.nostrgate.cli.relay.FilterOptions;
import dev.nostrgate.cli.relay.Relays;
import dev.nostrgate.core.client.Reconciliation;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.RequestRefusedException;
import dev.nostrgate.core.event.EventId;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.event.InvalidEventException;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.negentropy.BlockStorage;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nostr sync}: a relay's database and a remote relay reconciled over NIP-77, as {@code strfry sync} does.
 * Only ids cross the network until the differences are known; then {@code down} fetches what only the remote has
 * (by id, in batches) and stores it through the relay's store, keeping the remote's bytes, and {@code up} publishes
 * what only the database has. Events go through the same write rules as {@code import}.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Reconcile a relay's database (--db) with a "
        + "remote relay over NIP-77 negentropy (like strfry sync), for all events or those of a filter: down fetches "
        + "what only the remote has, up publishes what only the database has, both does both.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reconciled, and every event moved was stored, a duplicate, or not kept by a NIP rule",
                "1:the remote refused NIP-77 or could not be reached, or some events failed at their target",
                "2:usage error"})
public final class SyncCommand implements Callable<Integer> {
    /** Which way events move. */
    enum Direction {
        down, up, both
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RELAY", description = "the remote relay (ws:// or wss://)")
    String relay;

    @ArgGroup(exclusive = false, multiplicity = "1")
    DatabaseOptions database;

    @Mixin
    FilterOptions filter;

    @Option(names = "--dir", defaultValue = "down", paramLabel = "down|up|both",
            description = "down: fetch what only the remote has; up: publish what only the database has; both "
                    + "(default: ${DEFAULT-VALUE})")
    Direction direction;

    @Option(names = "--frame-size-limit", defaultValue = "60000", paramLabel = "BYTES",
            description = "largest NIP-77 message, 0 for none; at least 4096 (default: ${DEFAULT-VALUE}, which "
                    + "keeps each message under relays' usual message limits)")
    int frameSizeLimit;

    @Option(names = "--max-items", defaultValue = "10000000", paramLabel = "N",
            description = "most local events to reconcile (40 bytes each: in memory up to 64 MB, then in a "
                    + "temporary file; default: ${DEFAULT-VALUE})")
    int maxItems;

    @Option(names = "--batch", defaultValue = "500", description = "events fetched or published per batch "
            + "(default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Override
    public Integer call() {
        if (frameSizeLimit != 0 && frameSizeLimit < 4096) {
            throw new CliException("--frame-size-limit must be 0 (none) or at least 4096, was " + frameSizeLimit);
        }
        if (batch < 1 || batch > 10_000) {
            throw new CliException("--batch must be 1..10000, was " + batch);
        }
        Filter wanted = filter.filter();
        if (wanted.limit().isPresent()) {
            throw new CliException("sync reconciles every matching event: --limit does not apply");
        }
        PrintWriter err = spec.commandLine().getErr();
        try (DatabaseStore db = database.open();
             ImportCommand.RelaySink remote = new ImportCommand.RelaySink(Relays.connect(relay));
             BlockStorage local = db.store.negentropyItems(wanted, maxItems, StorageBudget.forClient())
                     .orElseThrow(() -> new CliException("more than " + maxItems + " events in the database match: "
                             + "narrow the filter or raise --max-items"))) {
            Reconciliation differences = reconcile(remote.client(), wanted, local);
            List<String> onlyHere = differences.have().stream().map(EventId::hex).toList();
            List<String> onlyThere = differences.need().stream().map(EventId::hex).toList();
            err.println("nostr: sync: " + local.size() + " events here; " + differences.roundTrips()
                    + " round trips: " + onlyThere.size() + " only on " + relay + ", " + onlyHere.size()
                    + " only here");
            boolean complete = true;
            if (direction != Direction.up) {
                complete &= down(onlyThere, db, err);
            }
            if (direction != Direction.down) {
                complete &= up(onlyHere, remote, db, err);
            }
            err.flush();
            return complete ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (StoreUnavailableException e) {
            throw new CliException("sync failed: " + e.getMessage(), e);
        }
    }

    /** NIP-77 with the remote; its refusal (no NIP-77, too many events) is the command's one-line error. */
    private Reconciliation reconcile(RelayClient client, Filter wanted, BlockStorage local) {
        try {
            return Relays.await(client.reconcile(wanted, local, frameSizeLimit), "reconcile with " + relay);
        } catch (CliException e) {
            if (e.getCause() instanceof RequestRefusedException refused) {
                throw new CliException(relay + " refused the reconciliation (NIP-77): " + refused.reason(), refused);
            }
            throw e;
        }
    }

    /**
     * Fetches the events only the remote has, by id, and stores them as the remote sent them (the client would hand
     * over parsed events, whose serialization may differ from the remote's bytes).
     */
    private boolean down(List<String> ids, DatabaseStore db, PrintWriter err) {
        ImportCounts counts = new ImportCounts();
        ImportCommand.DatabaseSink sink = new ImportCommand.DatabaseSink(db);
        long missing = 0;
        try (RawRelayQueries remote = RawRelayQueries.connect(relay, err);
             Progress progress = Progress.start("sync down", "events", ids.size(), quiet, err)) {
            for (List<String> chunk : chunks(ids)) {
                List<StoredEvent> events = remote.query(Filter.builder().ids(chunk).limit(chunk.size()).build());
                missing += chunk.size() - events.size();
                for (ImportCounts.Result result : sink.write(lines(events))) {
                    counts.add(result);
                }
                progress.step(chunk.size());
            }
        }
        err.println("nostr: sync down: " + counts.summary()
                + (missing > 0 ? "; " + missing + " the remote listed but did not send" : ""));
        return counts.complete() && missing == 0;
    }

    /** Publishes the events only the database has. */
    private boolean up(List<String> ids, ImportCommand.RelaySink sink, DatabaseStore db, PrintWriter err) {
        ImportCounts counts = new ImportCounts();
        try (Progress progress = Progress.start("sync up", "events", ids.size(), quiet, err)) {
            for (List<String> chunk : chunks(ids)) {
                List<StoredEvent> events = db.store.query(List.of(Filter.builder().ids(chunk)
                        .limit(chunk.size()).build()));
                for (ImportCounts.Result result : sink.write(lines(events))) {
                    counts.add(result);
                }
                progress.step(chunk.size());
            }
        }
        err.println("nostr: sync up: " + counts.summary());
        return counts.complete();
    }

    private List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += batch) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + batch)));
        }
        return chunks;
    }

    /** Stored events as import lines; both sides verified them already, so a parse failure is a bug here. */
    private static List<ImportCommand.Line> lines(List<StoredEvent> events) {
        List<ImportCommand.Line> lines = new ArrayList<>(events.size());
        for (StoredEvent stored : events) {
            String json = new String(stored.jsonUtf8(), StandardCharsets.UTF_8);
            try {
                lines.add(new ImportCommand.Line(lines.size() + 1, EventJson.parse(json), json));
            } catch (InvalidEventException e) {
                throw new IllegalStateException("a stored event does not parse: " + stored.idHex(), e);
            }
        }
        return lines;
    }
}
