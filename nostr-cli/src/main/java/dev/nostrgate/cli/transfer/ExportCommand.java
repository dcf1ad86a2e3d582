package dev.nostrgate.cli.transfer;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.relay.FilterOptions;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.relay.store.StoreUnavailableException;
import dev.nostrgate.relay.store.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    @Spec
    CommandSpec spec;

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
        try (Writer target = out == null ? new NonClosingWriter(spec.commandLine().getOut())
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            if (source.relay != null) {
                try (RawRelayQueries relay = RawRelayQueries.connect(source.relay, spec.commandLine().getErr())) {
                    long total = relay.count(base);
                    try (Progress progress = progress(total)) {
                        export(base, page, relaySource(relay), target, progress);
                    }
                }
            } else {
                try (DatabaseStore db = source.database.open()) {
                    long total = db.store.count(List.of(base));
                    try (Progress progress = progress(total)) {
                        export(base, DatabaseStore.PAGE, databaseSource(db), target, progress);
                    }
                } catch (StoreUnavailableException e) {
                    throw new CliException("export failed: " + e.getMessage(), e);
                }
            }
        }
        return 0;
    }

    private Progress progress(long total) {
        return Progress.start("export", "events", total, quiet, spec.commandLine().getErr());
    }

    /** One page of a source: the events of a filter (with its until and limit set), any order. */
    interface PageSource {
        List<StoredEvent> page(Filter filter);

        /** How many events match (NIP-45), or -1 if the source cannot tell. */
        long count(Filter filter);
    }

    /** What is asked for when more events share one second than a page holds; a relay may cap it lower. */
    static final int ONE_SECOND_LIMIT = 100_000;

    /**
     * Writes every event of the filter, page by page, each once. A page that brings nothing new while full means
     * more events share its oldest second than a page holds: that second is then asked for alone, with a large
     * limit, and paging goes on below it; if the source still sends fewer than it counts there, stderr says so.
     */
    void export(Filter base, int pageSize, PageSource source, Writer target, Progress progress) {
        long until = base.until().orElse(Long.MAX_VALUE);
        Set<String> writtenAtUntil = new HashSet<>();
        long limit = base.limit().orElse(Integer.MAX_VALUE);
        long written = 0;
        while (written < limit) {
            int asked = (int) Math.min(pageSize, limit - written);
            Filter.Builder next = base.toBuilder().limit(asked);
            if (until != Long.MAX_VALUE) {
                next.until(until);
            }
            List<StoredEvent> events = new ArrayList<>(source.page(next.build()));
            events.sort(StoredEvent.NEWEST_FIRST);
            long before = written;
            for (StoredEvent event : events) {
                if (written == limit || (event.createdAt() == until && writtenAtUntil.contains(event.idHex()))) {
                    continue;
                }
                if (event.createdAt() < until) {
                    until = event.createdAt();
                    writtenAtUntil.clear();
                }
                writtenAtUntil.add(event.idHex());
                write(target, event.jsonUtf8());
                progress.step(1);
                written++;
            }
            if (written == before) {
                if (events.size() < asked || until == Long.MAX_VALUE) {
                    return; // the source has no more
                }
                written += exportOneSecond(base, until, writtenAtUntil, source, target, progress);
                if (until == 0) {
                    return;
                }
                until--;
                writtenAtUntil.clear();
            }
        }
    }

    private long exportOneSecond(Filter base, long second, Set<String> written, PageSource source, Writer target,
                                 Progress progress) {
        Filter thatSecond = base.toBuilder().since(second).until(second).limit(ONE_SECOND_LIMIT).build();
        List<StoredEvent> events = source.page(thatSecond);
        long added = 0;
        for (StoredEvent event : events) {
            if (written.add(event.idHex())) {
                write(target, event.jsonUtf8());
                progress.step(1);
                added++;
            }
        }
        long there = source.count(thatSecond);
        if (there > events.size()) {
            spec.commandLine().getErr().println("nostr: export: " + there + " events have created_at " + second
                    + " but the source sent " + events.size() + " of them (its limit per query): " + (there
                    - events.size()) + " missing from the export");
        }
        return added;
    }

    /** The JSON as stored: UTF-8 that decodes to the same characters (the store holds no lone surrogates). */
    private static void write(Writer target, byte[] json) {
        try {
            target.write(new String(json, StandardCharsets.UTF_8));
            target.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export", e);
        }
    }

    private static PageSource relaySource(RawRelayQueries relay) {
        return new PageSource() {
            @Override
            public List<StoredEvent> page(Filter filter) {
                return relay.query(filter);
            }

            @Override
            public long count(Filter filter) {
                return relay.count(filter);
            }
        };
    }

    private static PageSource databaseSource(DatabaseStore db) {
        return new PageSource() {
            @Override
            public List<StoredEvent> page(Filter filter) {
                return db.store.query(List.of(filter));
            }

            @Override
            public long count(Filter filter) {
                return db.store.count(List.of(filter));
            }
        };
    }

    /** Standard output for the export: flushed at the end, left open for the command line. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
