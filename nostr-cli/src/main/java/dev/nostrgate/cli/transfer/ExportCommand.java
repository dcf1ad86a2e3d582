package dev.nostrgate.cli.transfer;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.relay.FilterOptions;
import dev.nostrgate.cli.relay.Relays;
import dev.nostrgate.core.client.RelayClient;
import dev.nostrgate.core.client.SubscriptionListener;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nostr export}: the events matching a filter (all by default) as JSON lines, strfry's export format, newest
 * first. Pages through the source by {@code until}, so that a relay's per-query limit does not cut the export
 * short: each page asks for events at or before the oldest second of the one before, and the ids already written
 * from that second are skipped.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export events as JSON lines (one event a "
        + "line, as strfry import reads) from a relay (--relay) or straight from its database (--db), paging "
        + "through all of them.")
public final class ExportCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Endpoint source;

    @Mixin
    FilterOptions filter;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write here (default: stdout)")
    Path out;

    @Option(names = "--page", defaultValue = "500", description = "events asked for per page from a relay "
            + "(default: ${DEFAULT-VALUE}; the relay may send fewer, paging goes on until one adds nothing)")
    int page;

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Filter base = filter.filter();
        try (OutputStream target = new BufferedOutputStream(out == null ? System.out : Files.newOutputStream(out),
                1 << 16)) {
            if (source.relay != null) {
                try (RelayClient client = Relays.connect(source.relay)) {
                    long total = total(client, base);
                    try (Progress progress = Progress.start("export", total, quiet)) {
                        export(base, page, until -> relayPage(client, until), target, progress);
                    }
                }
            } else {
                try (DatabaseStore db = source.database.open()) {
                    long total = db.store.count(List.of(base));
                    try (Progress progress = Progress.start("export", total, quiet)) {
                        export(base, DatabaseStore.PAGE, until -> db.store.query(List.of(until)), target, progress);
                    }
                } catch (StoreUnavailableException e) {
                    throw new CliException("export failed: " + e.getMessage(), e);
                }
            }
        }
        return 0;
    }

    /** One page of a source: the events of a filter (with its until and limit set), any order. */
    interface PageSource {
        List<StoredEvent> page(Filter filter);
    }

    /** Writes every event of the filter, page by page, each once. */
    static void export(Filter base, int pageSize, PageSource source, OutputStream target, Progress progress) {
        long until = base.until().orElse(Long.MAX_VALUE);
        Set<String> writtenAtUntil = new HashSet<>();
        int limit = base.limit().orElse(Integer.MAX_VALUE);
        long written = 0;
        while (written < limit) {
            Filter.Builder next = base.toBuilder().limit(Math.min(pageSize, limit));
            if (until != Long.MAX_VALUE) {
                next.until(until);
            }
            List<StoredEvent> events = new ArrayList<>(source.page(next.build()));
            events.sort(StoredEvent.NEWEST_FIRST);
            boolean added = false;
            for (StoredEvent event : events) {
                if (event.createdAt() == until && writtenAtUntil.contains(event.idHex())) {
                    continue;
                }
                if (event.createdAt() < until) {
                    until = event.createdAt();
                    writtenAtUntil.clear();
                }
                writtenAtUntil.add(event.idHex());
                write(target, event.jsonUtf8());
                added = true;
                progress.step(1);
                if (++written == limit) {
                    break;
                }
            }
            if (!added) {
                return;
            }
        }
    }

    private static void write(OutputStream target, byte[] json) {
        try {
            target.write(json);
            target.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export", e);
        }
    }

    private static long total(RelayClient client, Filter filter) {
        try {
            return Relays.await(client.count(List.of(filter)), "count at " + client.url());
        } catch (CliException noCount) {
            return -1; // a relay without NIP-45: no ETA
        }
    }

    private static List<StoredEvent> relayPage(RelayClient client, Filter filter) {
        List<StoredEvent> events = new ArrayList<>();
        CompletableFuture<Void> eose = new CompletableFuture<>();
        try (var subscription = client.subscribe(filter, new SubscriptionListener() {
            @Override
            public void onEvent(Event event) {
                synchronized (events) {
                    events.add(new StoredEvent(event.id().hex(), event.createdAt(),
                            event.toJson().getBytes(StandardCharsets.UTF_8)));
                }
            }

            @Override
            public void onEose() {
                eose.complete(null);
            }

            @Override
            public void onClosed(String reason) {
                eose.completeExceptionally(new CliException(client.url() + " closed the export's subscription: "
                        + reason));
            }
        })) {
            Relays.await(eose, "export from " + client.url());
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
