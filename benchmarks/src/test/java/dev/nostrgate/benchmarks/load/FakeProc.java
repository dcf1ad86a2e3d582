package dev.nostrgate.benchmarks.load;

import static dev.nostrgate.benchmarks.load.ProcessStatTest.statLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code /proc} laid out in a folder: processes with their stat lines, open sockets and TCP tables. */
record FakeProc(Path root) {
    /** Writes (or rewrites) {@code <pid>/stat}. */
    FakeProc process(long pid, String command, long parent, long cpuTicks, long childrenCpuTicks, long start) {
        write(root.resolve(pid + "/stat"), statLine(pid, command, parent, cpuTicks, 0, childrenCpuTicks, 0, start)
                + "\n");
        return this;
    }

    /** Adds {@code <pid>/fd/<fd>} pointing at {@code socket:[inode]}. */
    FakeProc socket(long pid, int fd, long inode) {
        try {
            Path link = root.resolve(pid + "/fd/" + fd);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("socket:[" + inode + "]"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <pid>/net/tcp}: a header, then one row per {@code "local remote state inode"}. */
    FakeProc tcp(long pid, String... rows) {
        return sockets(root.resolve(pid + "/net/tcp"), rows);
    }

    /** Writes {@code <pid>/net/tcp6} as {@link #tcp} writes {@code net/tcp}. */
    FakeProc tcp6(long pid, String... rows) {
        return sockets(root.resolve(pid + "/net/tcp6"), rows);
    }

    private FakeProc sockets(Path file, String... rows) {
        StringBuilder text = new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
                + "retrnsmt   uid  timeout inode\n");
        for (int i = 0; i < rows.length; i++) {
            String[] row = rows[i].split(" ");
            text.append(String.format("%4d: %s %s %s 00000000:00000000 00:00000000 00000000     0        0 %s 1 "
                    + "0000000000000000 100 0 0 10 0%n", i, row[0], row[1], row[2], row[3]));
        }
        write(file, text.toString());
        return this;
    }

    void remove(long pid) {
        try {
            Files.delete(root.resolve(pid + "/stat"));
            Files.delete(root.resolve(Long.toString(pid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
