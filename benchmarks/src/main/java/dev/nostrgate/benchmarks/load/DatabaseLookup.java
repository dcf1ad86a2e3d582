package dev.nostrgate.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the PostgreSQL server a relay is connected to, when it runs on this machine: its postmaster is the parent
 * of the backends at the other end of the relay's TCP connections. The relay's embedded PostgreSQL is detached from
 * the relay's process tree and its data directory is the relay's business, and several may run on one machine, so
 * neither the tree nor "a postgres process" would do; a connection names exactly one server.
 *
 * <p>Reads {@code /proc/<relay>/fd} (socket inodes), the relay's {@code net/tcp} and {@code net/tcp6} (who is
 * connected to whom), and {@code /proc/<pid>/fd} of the {@code postgres} processes, which needs the same user as
 * theirs, or root. Finds nothing for a database on another machine or behind a pooler.
 */
final class DatabaseLookup {
    /** TCP state ESTABLISHED in {@code /proc/net/tcp}. */
    private static final String ESTABLISHED = "01";
    /** The first 96 bits of an IPv4-mapped IPv6 address, as {@code net/tcp6} writes them (four words, hex). */
    private static final String IPV4_MAPPED = "0000000000000000FFFF0000";

    /** One row of {@code /proc/<pid>/net/tcp}: endpoints as written there ({@code 0100007F:1F90}), and the inode. */
    record Socket(String local, String remote, String state, long inode) {
    }

    private DatabaseLookup() {
    }

    /** The pid of the postmaster whose backends the relay is connected to; empty if not exactly one is found. */
    static OptionalLong postmasterOf(Path proc, long relayPid) {
        Set<Long> relaySockets = socketInodes(proc.resolve(Long.toString(relayPid)));
        List<Socket> sockets = new ArrayList<>();
        sockets.addAll(readSockets(proc.resolve(Long.toString(relayPid)).resolve("net/tcp")));
        sockets.addAll(readSockets(proc.resolve(Long.toString(relayPid)).resolve("net/tcp6")));
        Map<String, Socket> byEndpoints = new HashMap<>();
        sockets.forEach(socket -> byEndpoints.put(socket.local() + " " + socket.remote(), socket));

        Set<Long> peerSockets = new HashSet<>();
        for (Socket socket : sockets) {
            if (relaySockets.contains(socket.inode()) && socket.state().equals(ESTABLISHED)) {
                Socket peer = byEndpoints.get(socket.remote() + " " + socket.local());
                if (peer != null) {
                    peerSockets.add(peer.inode());
                }
            }
        }
        if (peerSockets.isEmpty()) {
            return OptionalLong.empty();
        }
        ProcessTable table = ProcessTable.read(proc);
        Set<Long> postmasters = new HashSet<>();
        for (ProcessStat process : table.processes()) {
            if (process.command().equals("postgres") && !Collections.disjoint(peerSockets,
                    socketInodes(proc.resolve(Long.toString(process.pid()))))) {
                // a backend; the postmaster forks them and keeps no client socket itself
                table.process(process.parentPid()).filter(parent -> parent.command().equals("postgres"))
                        .ifPresent(parent -> postmasters.add(parent.pid()));
            }
        }
        return postmasters.size() == 1 ? OptionalLong.of(postmasters.iterator().next()) : OptionalLong.empty();
    }

    /** Parses the rows of a {@code net/tcp} or {@code net/tcp6} file; none if it cannot be read. */
    static List<Socket> readSockets(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of(); // no IPv6, or the relay has ended
        }
        List<Socket> sockets = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) { // the first is the header
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[9].chars().allMatch(Character::isDigit)) {
                sockets.add(new Socket(ipv4Form(fields[1]), ipv4Form(fields[2]), fields[3],
                        Long.parseLong(fields[9])));
            }
        }
        return sockets;
    }

    /**
     * An endpoint of {@code net/tcp6} with an IPv4-mapped address ({@code ::ffff:127.0.0.1}, as a Java client's
     * dual-stack socket connected to 127.0.0.1 shows) as {@code net/tcp} writes it, so that it matches its peer
     * there: {@code 0000000000000000FFFF00000100007F:C0D8} becomes {@code 0100007F:C0D8}. Others are unchanged.
     */
    static String ipv4Form(String endpoint) {
        return endpoint.startsWith(IPV4_MAPPED) && endpoint.length() == IPV4_MAPPED.length() + 8 + 5
                ? endpoint.substring(IPV4_MAPPED.length()) : endpoint;
    }

    /** The inodes of the sockets a process has open (its {@code fd} links read {@code socket:[inode]}). */
    static Set<Long> socketInodes(Path process) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target = readLink(fd);
                String inode = target.startsWith("socket:[") && target.endsWith("]")
                        ? target.substring("socket:[".length(), target.length() - 1) : "";
                if (!inode.isEmpty() && inode.chars().allMatch(Character::isDigit)) {
                    inodes.add(Long.parseLong(inode));
                }
            }
        } catch (IOException e) {
            return inodes; // ended meanwhile, or another user's process: not one we can tell about
        }
        return inodes;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return ""; // closed between the listing and the read
        }
    }
}
