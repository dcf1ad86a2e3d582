package dev.nostrgate.benchmarks.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The load generator: drives one Nostr relay over WebSocket with one scenario, bounded in count and in time, and
 * reports rates and latency percentiles. A program, not a test: run it with {@code ./nostr load <scenario>}.
 * The usage text below is the reference for its options.
 */
public final class LoadGenerator {
    static final String USAGE = """
            usage: ./nostr load <scenario> [--url ws://127.0.0.1:7447] [options]

            scenarios (each stops by itself: at its count, or at --duration, whichever comes first):
              ingest   publish --events pre-signed notes over --connections, --in-flight each;
                       events/s accepted, send -> OK latency, refusals by prefix; --warmup more notes
                       are published first, the same way, and not counted
                       [--connections 16] [--in-flight 1] [--events 20000] [--warmup 20000]
              query    REQ -> EOSE -> CLOSE -> next, on each of --connections, over a mix of filters
                       (kinds 1, one author, #t, 5 ids; limit 50); REQ/s, REQ -> EOSE latency, events received.
                       --seed-events first publishes that many notes and draws the filters' values from them;
                       the first --warmup queries are run but not counted
                       [--connections 16] [--queries 20000] [--warmup 20000] [--seed-events 2000] [--in-flight 1]
              fanout   --subscribers each hold one subscription; after every EOSE one publisher sends --events
                       at --rate; publisher send -> subscriber receive latency, missing and duplicate deliveries;
                       --warmup more notes are sent first, the same way, and not counted
                       [--subscribers 200] [--events 2000] [--warmup 2000] [--rate 200/s]
              idle     open --connections at --connect-rate, hold them --hold (a ping every --ping-interval);
                       established / failed / closed, and with --pid the relay's RSS before and after
                       [--connections 10000] [--hold 30s] [--ping-interval 20s]

            common options:
              --url ws://HOST:PORT   the relay (default ws://127.0.0.1:7447); a loopback address unless
                                     --allow-remote (only ever point it at a relay that is yours)
              --duration 120s        time bound of the run (connecting included)
              --connect-rate 1000/s  new connections per second at most
              --grace 10s            how long to wait for answers still in flight at the end
              --progress 5s          a progress line this often
              --authors 1000         size of the pool of signing keys
              --threads N            client event-loop threads (default: min(4, cores))
              --json FILE            also write the results as JSON
              --pid PID              the relay's process: its CPU time (and its children's) over the
                                     measured phase, per 1,000 REQs / events (read from /proc)
              --db-pid PID|FILE|DIR  the database's postmaster: its pid, its postmaster.pid, or its data
                                     directory (the relay's embedded one: NOSTR_RELAY_DATA_DIR); its
                                     backends are counted with it. Without it, --pid looks for the local
                                     PostgreSQL at the other end of the relay's connections

            Durations: 500ms, 30s, 2m. Rates: 200, 200/s, 12000/m.
            CPU rows: cpu_s_<relay|database|generator>, cores_busy_*, cpu_ms_per_1000_<req|events>_<relay|
            database|system>, system being relay + database. The generator's own CPU is always shown: on a
            small machine it shares the cores with what it measures.
            Many connections: each is a file descriptor on both sides. The JVM raises its soft limit to the hard
            one (ulimit -Hn); for 10,000 connections check it is above that, and raise the relay's too, e.g.
            ulimit -n 65536 in the shells that start both. Loopback has room for ~28,000 client ports per
            address (net.ipv4.ip_local_port_range).
            """;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        try {
            run(System.out, args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println("(./nostr load --help lists the scenarios and options)");
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs one scenario, prints its progress and results to {@code out}, writes the JSON if asked. */
    static Report run(PrintStream out, String... args) throws Exception {
        LoadOptions.Scenario scenario = LoadOptions.Scenario.ofWord(args[0]).orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + args[0] + "': ingest, query, fanout or idle"));
        LoadOptions options = LoadOptions.parse(scenario, Arrays.asList(args).subList(1, args.length));
        Progress progress = new Progress(out, options.progress());
        progress.say(String.format("load %s against %s, %d client threads", scenario.word(), options.url(),
                options.threads()));
        CpuMeter cpu = cpuMeter(options, progress, Path.of("/proc"));
        try (RelayClient client = new RelayClient(options.url(), options.threads())) {
            Report report = switch (scenario) {
                case INGEST -> new IngestScenario(client, options, progress, cpu).run();
                case QUERY -> new QueryScenario(client, options, progress, cpu).run();
                case FANOUT -> new FanoutScenario(client, options, progress, cpu).run();
                case IDLE -> new IdleScenario(client, options, progress, cpu).run();
            };
            report.print(out);
            if (options.json().isPresent()) {
                report.writeJson(options.json().get());
                out.println("\nresults written to " + options.json().get());
            }
            return report;
        }
    }

    /**
     * The process trees whose CPU time a run reports: the relay's ({@code --pid}), its database's ({@code --db-pid},
     * or else the local PostgreSQL the relay is connected to, if there is one), and this generator's own.
     */
    static CpuMeter cpuMeter(LoadOptions options, Progress progress, Path proc) {
        List<CpuMeter.Tree> trees = new ArrayList<>();
        options.pid().ifPresent(pid -> trees.add(new CpuMeter.Tree("relay", pid)));
        OptionalLong database = options.dbPid();
        if (database.isEmpty() && options.pid().isPresent()) {
            database = DatabaseLookup.postmasterOf(proc, options.pid().getAsLong());
            progress.say(database.isPresent()
                    ? "cpu: counting PostgreSQL pid " + database.getAsLong() + " and its backends as the relay's "
                            + "database (found at the other end of the relay's connections)"
                    : "cpu: no PostgreSQL on this machine at the other end of the relay's connections (or not "
                            + "readable as this user): the database is not counted; --db-pid names it");
        }
        database.ifPresent(pid -> trees.add(new CpuMeter.Tree("database", pid)));
        trees.add(new CpuMeter.Tree("generator", ProcessHandle.current().pid()));
        CpuMeter meter = new CpuMeter(proc, trees, CpuMeter.clockTicksPerSecond());
        meter.read(() -> 0); // the code that reads /proc runs cold once here, not at the start of a measured phase
        return meter;
    }
}
