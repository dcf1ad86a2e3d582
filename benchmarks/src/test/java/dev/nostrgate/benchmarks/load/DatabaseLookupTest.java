package dev.nostrgate.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseLookupTest {
    private static final long RELAY = 500;

    @TempDir
    Path dir;

    /**
     * Backends are named {@code postgres} in {@code stat} as their postmaster is (the title {@code ps} shows is
     * their command line). A relay (500) connected from port 0xC000 to a PostgreSQL on port 5432 (0x1538), whose backend 601 holds the
     * other end; a client (800) connected to the relay's port 0x1D11; another relay's PostgreSQL (700) beside.
     */
    private FakeProc machine() {
        return new FakeProc(dir)
                .process(1, "systemd", 0, 0, 0, 1)
                .process(RELAY, "java", 1, 0, 0, 10).socket(RELAY, 10, 9001).socket(RELAY, 11, 9002)
                .process(600, "postgres", 1, 0, 0, 11).socket(600, 5, 7000)
                .process(601, "postgres", 600, 0, 0, 12).socket(601, 9, 7001)
                .process(602, "postgres", 600, 0, 0, 12)
                .process(700, "postgres", 1, 0, 0, 13).socket(700, 5, 7100)
                .process(701, "postgres", 700, 0, 0, 14).socket(701, 9, 7101)
                .process(800, "java", 1, 0, 0, 15).socket(800, 4, 8001);
    }

    @Test
    void findsThePostmasterWhoseBackendIsAtTheOtherEndOfTheRelaysConnection() {
        machine().tcp(RELAY,
                "0100007F:1538 00000000:0000 0A 7000",        // the postmaster listening
                "0100007F:1539 00000000:0000 0A 7100",        // the other one
                "0100007F:C000 0100007F:1538 01 9001",        // relay -> database
                "0100007F:1538 0100007F:C000 01 7001",        // database backend -> relay
                "0100007F:C350 0100007F:1539 01 7200",        // someone else -> the other database
                "0100007F:1539 0100007F:C350 01 7101",
                "0100007F:1D11 0100007F:D000 01 9002",        // a client -> relay
                "0100007F:D000 0100007F:1D11 01 8001");

        assertThat(DatabaseLookup.postmasterOf(dir, RELAY)).hasValue(600);
    }

    @Test
    void matchesAJavaClientsDualStackSocketWithItsIPv4Peer() {
        // Java connects to 127.0.0.1 from an IPv6 socket: net/tcp6 shows ::ffff:127.0.0.1, the backend is in net/tcp
        machine().tcp(RELAY,
                        "0100007F:1538 00000000:0000 0A 7000",
                        "0100007F:1538 0100007F:C000 01 7001")
                .tcp6(RELAY,
                        "0000000000000000FFFF00000100007F:C000 0000000000000000FFFF00000100007F:1538 01 9001");

        assertThat(DatabaseLookup.postmasterOf(dir, RELAY)).hasValue(600);
    }

    @Test
    void findsNothingWhenTheRelaysDatabaseIsNotOnThisMachine() {
        machine().tcp(RELAY,
                "0100007F:1538 00000000:0000 0A 7000",
                "0A000001:C000 C0000201:1538 01 9001",        // relay -> 192.0.2.1:5432, no local end
                "0100007F:1D11 0100007F:D000 01 9002",
                "0100007F:D000 0100007F:1D11 01 8001");

        assertThat(DatabaseLookup.postmasterOf(dir, RELAY)).isEmpty();
    }

    @Test
    void findsNothingForAProcessThatIsNotRunning() {
        assertThat(DatabaseLookup.postmasterOf(dir, 4242)).isEmpty();
    }
}
