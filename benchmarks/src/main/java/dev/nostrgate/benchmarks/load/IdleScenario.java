package dev.nostrgate.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code idle}: K WebSocket connections opened at a bounded rate and held open, quiet but for a ping now and then;
 * how many opened, how many the relay closed, and, given the relay's pid, what they cost it in resident memory
 * ({@code VmRSS} of {@code /proc/<pid>/status} before, once open, at the end of the hold) and in CPU time over
 * the hold.
 */
final class IdleScenario {
    private final RelayClient client;
    private final LoadOptions options;
    private final Progress progress;
    private final CpuMeter cpu;

    IdleScenario(RelayClient client, LoadOptions options, Progress progress, CpuMeter cpu) {
        this.client = client;
        this.options = options;
        this.progress = progress;
        this.cpu = cpu;
    }

    Report run() {
        int count = options.connections();
        OptionalLong fdLimit = openFilesLimit();
        if (fdLimit.isPresent() && fdLimit.getAsLong() < count + 100L) {
            progress.say(String.format("idle: warning: this process may open %,d files (Max open files in "
                    + "/proc/self/limits); %,d connections need more: raise it with ulimit -n before running",
                    fdLimit.getAsLong(), count));
        }
        OptionalLong rssBefore = relayRss();
        long deadline = System.nanoTime() + options.duration().toNanos();
        AtomicInteger closedByRelay = new AtomicInteger();
        LongAdder pongs = new LongAdder();
        LongAdder messages = new LongAdder();
        AtomicBoolean closing = new AtomicBoolean();
        RelayListener listener = new RelayListener() {
            @Override
            public void onText(RelayConnection connection, String text) {
                messages.increment();
            }

            @Override
            public void onPong(RelayConnection connection) {
                pongs.increment();
            }

            @Override
            public void onClosed(RelayConnection connection) {
                if (!closing.get()) {
                    closedByRelay.incrementAndGet();
                }
            }
        };
        long connectStart = System.nanoTime();
        RelayClient.Opened opened = client.openAll("idle", count, options.connectRate(), i -> listener,
                Optional.of(options.pingInterval()), deadline, progress);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        List<RelayConnection> connections = opened.connections();
        progress.say(String.format("idle: %,d open, %,d failed in %.1f s; holding for %s", connections.size(),
                opened.failed(), connectSeconds, LoadOptions.format(options.hold())));
        OptionalLong rssOpen = relayRss();

        CpuMeter.Reading cpuStart = cpu.read(() -> 0);
        long holdEnd = System.nanoTime() + options.hold().toNanos();
        long holdStart = System.nanoTime();
        progress.restart();
        progress.awaitUntil(() -> closedByRelay.get() >= connections.size(), holdEnd,
                () -> String.format("idle: holding %,d connections (%.0f s / %d s), %,d closed by the relay, %,d "
                        + "pongs", connections.size() - closedByRelay.get(), (System.nanoTime() - holdStart) / 1e9,
                        options.hold().toSeconds(), closedByRelay.get(), pongs.sum()));
        OptionalLong rssEnd = relayRss();
        CpuUsage cpuUsage = cpu.between(cpuStart, cpu.read(() -> 0));
        long stillOpen = connections.stream().filter(RelayConnection::isOpen).count();
        closing.set(true);
        RelayClient.closeAll(connections, options.grace());

        Report report = new Report("idle", options.describe());
        report.count("connections_requested", count)
                .count("established", connections.size())
                .count("failed", opened.failed());
        opened.failures().forEach((reason, n) -> report.count("failed: " + reason, n));
        report.count("closed_by_relay", closedByRelay.get())
                .count("open_at_end_of_hold", stillOpen)
                .count("pongs", pongs.sum())
                .count("messages_received", messages.sum())
                .number("connect_s", connectSeconds)
                .number("connects_per_s", connections.size() / Math.max(1e-9, connectSeconds));
        if (rssBefore.isPresent()) {
            report.count("relay_rss_before_kb", rssBefore.getAsLong());
            rssOpen.ifPresent(kb -> report.count("relay_rss_open_kb", kb));
            rssEnd.ifPresent(kb -> report.count("relay_rss_end_kb", kb));
            if (rssEnd.isPresent() && stillOpen > 0) {
                report.number("relay_kb_per_connection", (rssEnd.getAsLong() - rssBefore.getAsLong())
                        / (double) stillOpen);
            }
        } else if (options.pid().isPresent()) {
            report.text("relay_rss", "unreadable: /proc/" + options.pid().getAsLong() + "/status");
        }
        cpuUsage.addTo(report); // over the hold: what keeping the connections costs, no unit of work
        report.latency("connect + handshake", opened.handshakes());
        return report;
    }

    private OptionalLong relayRss() {
        return options.pid().isPresent() ? residentKb(options.pid().getAsLong()) : OptionalLong.empty();
    }

    /** {@code VmRSS} of a process, in kB, from {@code /proc/<pid>/status}; empty if it cannot be read. */
    static OptionalLong residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The soft limit on open files of this process ({@code Max open files}), if it can be read. */
    static OptionalLong openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[0].equals("unlimited") ? OptionalLong.empty()
                            : OptionalLong.of(Long.parseLong(fields[0]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
