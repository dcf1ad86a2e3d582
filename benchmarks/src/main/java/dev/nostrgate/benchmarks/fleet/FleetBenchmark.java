package dev.nostrgate.benchmarks.fleet;

import dev.nostrgate.benchmarks.load.CpuMeter;
import dev.nostrgate.benchmarks.load.Latency;
import dev.nostrgate.core.event.Event;
import dev.nostrgate.relay.store.EventKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * The gateway at N registered relays (issue 15, "A thousand relays on one instance").
 *
 * <pre>
 * ./nostr fleet-bench [--relays 100] [--down 10] [--jar nostr-gateway/target/nostr-gateway-exec.jar]
 *                     [--rate 20] [--timeout 300] [--db jdbc:postgresql://127.0.0.1:5432/test]
 *                     [--queues quorum|classic] [--idle 10] [--lone 20]
 * </pre>
 *
 * Runs the gateway's exec jar in a JVM of its own ({@code -Xmx1g}) against the local PostgreSQL (a fresh schema,
 * dropped at the end) and RabbitMQ, with {@link ManyUpstreams} as the relays ({@code --down} of them refusing every
 * handshake, the others trickling {@code --rate} events per second in all). Registers the relays over REST (16 at
 * a time), waits until they are live, stops the gateway with SIGTERM and starts it again; that start is what is
 * measured: HTTP up, every relay that is up live again, REST latency meanwhile, CPU time of the gateway, RabbitMQ
 * and PostgreSQL; then, at rest for {@code --idle} seconds, CPU per process and per gateway thread pool; then the
 * latency of {@code --lone} lone events from their upstream to the store; heap after a full GC, threads and AMQP
 * connections. Then it removes the relays over REST. Whatever happens, what it started is stopped.
 */
public final class FleetBenchmark {
    private static final int REGISTER_THREADS = 16;
    /** Between two lone events, so that each is alone in its relay's batch, and how often the store is asked. */
    private static final long LONE_PAUSE_MILLIS = 300;
    private static final long LONE_POLL_MILLIS = 1;
    /** Lone events sent first and not counted: with --rate 0 nothing has warmed the data path since the restart. */
    private static final int LONE_WARMUP = 10;

    private final Options options;
    private final String schema = "fleetbench_" + System.currentTimeMillis();
    private final ProcessProbe probe = new ProcessProbe(Path.of("/proc"));
    private final Rabbitmqctl rabbit = new Rabbitmqctl();
    private final long ticksPerSecond = CpuMeter.clockTicksPerSecond();
    private final Map<String, String> summary = new LinkedHashMap<>();
    /** The relays registered now, and every relay this run registered (whose queues it may delete). */
    private final List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
    private final List<String> registeredIds = Collections.synchronizedList(new ArrayList<>());
    private ManyUpstreams upstreams;
    private GatewayProcess gateway;
    private GatewayApi api;
    private boolean schemaCreated;
    private Path log;
    private List<String> queuesBefore = List.of();

    private FleetBenchmark(Options options) {
        this.options = options;
    }

    record Options(int relays, int down, Path jar, double rate, long timeoutSeconds, String db, String queues,
                   long idleSeconds, int lone) {
        static Options parse(String[] args, Path root) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("options are --name value pairs (--relays N --down D "
                            + "--jar path --rate events/s --timeout s --db url --queues quorum|classic --idle s "
                            + "--lone N); got " + args[i]);
                }
                given.put(args[i].substring(2), args[++i]);
            }
            Options options = new Options(Integer.parseInt(given.getOrDefault("relays", "100")),
                    Integer.parseInt(given.getOrDefault("down", "10")),
                    Path.of(given.getOrDefault("jar", root.resolve("nostr-gateway/target/nostr-gateway-exec.jar")
                            .toString())).toAbsolutePath(),
                    Double.parseDouble(given.getOrDefault("rate", "20")),
                    Long.parseLong(given.getOrDefault("timeout", "300")),
                    given.getOrDefault("db", "jdbc:postgresql://127.0.0.1:5432/test"),
                    given.getOrDefault("queues", ""),
                    Long.parseLong(given.getOrDefault("idle", "10")),
                    Integer.parseInt(given.getOrDefault("lone", "20")));
            given.keySet().removeAll(List.of("relays", "down", "jar", "rate", "timeout", "db", "queues", "idle",
                    "lone"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options: " + given.keySet());
            }
            if (options.relays < 1 || options.down < 0 || options.down >= options.relays) {
                throw new IllegalArgumentException("--relays must be 1 or more and --down below it");
            }
            if (options.idleSeconds < 1 || options.lone < 0) {
                throw new IllegalArgumentException("--idle must be 1 s or more and --lone 0 or more");
            }
            return options;
        }

        int up() {
            return relays - down;
        }
    }

    public static void main(String[] args) throws Exception {
        // benchmarks/target/benchmarks.jar -> the checkout
        Path root = Path.of(FleetBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath().getParent().getParent().getParent();
        Options options;
        try {
            options = Options.parse(args, root);
        } catch (IllegalArgumentException e) { // --help lands here too: a usage line, not a stack trace
            System.err.println("fleet-bench: " + e.getMessage());
            System.err.println("usage: ./nostr fleet-bench [--relays N] [--down D] [--jar path] [--rate events/s] "
                    + "[--timeout s] [--db jdbc-url] [--queues quorum|classic] [--idle s] [--lone N] "
                    + "(benchmarks/README.md)");
            System.exit(args.length == 1 && args[0].equals("--help") ? 0 : 2);
            return;
        }
        FleetBenchmark benchmark = new FleetBenchmark(options);
        Thread hook = new Thread(benchmark::cleanUp, "fleet-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            benchmark.run(root.resolve("benchmarks/target"));
        } catch (Exception e) {
            System.out.println("fleet benchmark failed: " + e);
            e.printStackTrace(System.out);
            status = 1;
        } finally {
            benchmark.cleanUp();
        }
        benchmark.printSummary();
        System.exit(status);
    }

    private void run(Path target) throws Exception {
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException(options.jar() + " is missing: build it with ./mvnw -q -DskipTests -pl "
                    + "nostr-gateway -am package, or give --jar");
        }
        Files.createDirectories(target);
        log = target.resolve(schema + "-gateway.log");
        System.out.printf("fleet benchmark: %d relays (%d down), %.1f events/s trickled, schema %s%n",
                options.relays(), options.down(), options.rate(), schema);
        System.out.println("gateway log: " + log);
        row("relays (down)", options.relays() + " (" + options.down() + ")");
        row("load average at start", loadAverage());

        queuesBefore = rabbit.queues();
        checkFileHandles();
        execute("CREATE SCHEMA " + schema);
        schemaCreated = true;
        upstreams = new ManyUpstreams(options.relays(), options.down(), options.rate());
        upstreams.open();

        int port = freePort();
        api = new GatewayApi(port);
        String separator = options.db().contains("?") ? "&" : "?";
        List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--gateway.relay-port=0",
                "--gateway.database.url=" + options.db() + separator + "currentSchema=" + schema,
                "--gateway.amqp-connection-name=" + schema, "--spring.main.banner-mode=off"));
        if (!options.queues().isEmpty()) {
            arguments.add("--gateway.queues.type=" + options.queues());
        }
        row("relay queues", options.queues().isEmpty() ? "the gateway's default" : options.queues());
        gateway = new GatewayProcess(options.jar(), log, arguments);

        // first start: register every relay
        gateway.start();
        row("first start: HTTP up", seconds(awaitHttp(System.nanoTime())));
        long registering = System.nanoTime();
        register();
        double registered = (System.nanoTime() - registering) / 1e9;
        row("register " + options.relays() + " relays (16 threads)", String.format(Locale.ROOT, "%.1f s (%.0f/s)",
                registered, options.relays() / registered));
        row("first start: all up relays live after registering", seconds(awaitLive("registered", registering,
                new Latency()).seconds()));
        row("SIGTERM stop", seconds(gateway.stop()));

        // the measured start
        long beamBefore = probe.oldestTicks("beam.smp");
        long postgresBefore = probe.named("postgres").ticks();
        long benchmarkBefore = probe.cpuTicks(ProcessHandle.current().pid());
        long start = System.nanoTime();
        gateway.start();
        double httpUp = awaitHttp(start);
        Latency statesLatency = new Latency();
        Live live;
        List<UUID> relays = List.copyOf(ids);
        List<RestPoller> pollers = List.of(
                new RestPoller("GET /api/relays/{id} every 50 ms", 50, "/api/relays/{id}",
                        () -> api.status("/api/relays/" + relays.get(ThreadLocalRandom.current().nextInt(relays.size())))),
                new RestPoller("GET /api/overview every 500 ms (dashboards)", 500, "/api/overview",
                        () -> api.status("/api/overview")),
                new RestPoller("GET /api/relays (first page, 100) every 500 ms", 500, "/api/relays",
                        () -> api.status("/api/relays")));
        try {
            live = awaitLive("restart", start, statesLatency);
        } finally {
            for (RestPoller poller : pollers) {
                poller.close();
            }
        }
        long gatewayTicks = probe.cpuTicks(gateway.pid());
        long beamTicks = probe.oldestTicks("beam.smp") - beamBefore;
        long postgresTicks = probe.named("postgres").ticks() - postgresBefore;
        long benchmarkTicks = probe.cpuTicks(ProcessHandle.current().pid()) - benchmarkBefore;
        // threads alive at the end only (a compiler thread that exited is missed), each since the process started
        Map<String, Long> startThreads = ProcessProbe.ticksBetween(Map.of(), probe.threadTicks(gateway.pid()));
        row("restart: HTTP up", seconds(httpUp));
        row("restart: all " + options.up() + " up relays live", seconds(live.seconds()) + "  (goal <= 60 s)");
        row("restart: states then", live.states().toString());
        String metrics = api.metrics();
        // each also as the gateway timed it (the process is new: all its GETs of these paths are the benchmark's)
        for (RestPoller poller : pollers) {
            row("REST " + poller.name(), latency(poller.latency()) + ", failed " + poller.failures()
                    + poller.firstFailure().map(first -> " (first: " + first + ")").orElse(""));
            row("  GET " + poller.uri() + " slowest, asked at (from the first)", poller.slowest());
            row("  GET " + poller.uri() + " as the gateway timed them", serverLatency(
                    GatewayApi.serverLatencyBuckets(metrics, "GET", poller.uri())));
        }
        row("REST GET /api/instances (relay states) every 250 ms", latency(statesLatency));
        List<Latency> every = new ArrayList<>(pollers.stream().map(RestPoller::latency).toList());
        every.add(statesLatency);
        row("REST: all these requests together", latency(Latency.merged(every)));
        row("  GET /api/instances as the gateway timed them", serverLatency(GatewayApi.serverLatencyBuckets(metrics,
                "GET", "/api/instances")));
        row("CPU s until all live: gateway (since start)", cpu(gatewayTicks));
        row("CPU s until all live: RabbitMQ (beam.smp)", cpu(beamTicks));
        row("CPU s until all live: PostgreSQL (all postgres)", cpu(postgresTicks));
        row("CPU s until all live: this benchmark (upstreams, pollers)", cpu(benchmarkTicks));
        startThreads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(entry -> row("  gateway threads " + entry.getKey() + ", CPU s", cpu(entry.getValue())));

        idle();
        loneEvents();
        GatewayProcess.Heap heap = gateway.heapAfterGc();
        row("heap after GC (jcmd GC.run)", String.format(Locale.ROOT, "%.0f MB used of %.0f MB committed (-Xmx1g; "
                + "goal <= 1 GB)", heap.usedMb(), heap.committedMb()));
        Map<String, Integer> threads = probe.threadCounts(gateway.pid());
        row("gateway platform threads", Integer.toString(threads.values().stream().mapToInt(i -> i).sum()));
        Rabbitmqctl.Connections amqp = rabbit.connections(schema);
        row("AMQP connections / channels", amqp.connections() + " / " + amqp.channels());
        row("upstream subscriptions / refused handshakes / events sent", upstreams.subscribers() + " / "
                + upstreams.handshakesRefused() + " / " + upstreams.eventsSent());
        printThreads(threads);

        long removing = System.nanoTime();
        remove();
        double removed = (System.nanoTime() - removing) / 1e9;
        row("remove " + options.relays() + " relays (16 threads)", String.format(Locale.ROOT, "%.1f s (%.0f/s)",
                removed, options.relays() / removed));
        row("SIGTERM stop after removal", seconds(gateway.stop()));
        row("load average at end", loadAverage());
    }

    /**
     * Refuses to start a run that would wedge the broker: RabbitMQ 3.x started by {@code rabbitmq-server} as root
     * (through {@code su}) gets an open-file limit of 1,024, about 300 quorum queues' worth; past that the
     * gateway's restart hangs in its AMQP handshake (nostr-gateway/README.md, "RabbitMQ's open-file limit").
     */
    private void checkFileHandles() {
        OptionalInt limit = rabbit.fileHandleLimit();
        row("RabbitMQ file handles (3.x)", limit.isPresent() ? Integer.toString(limit.getAsInt()) : "no limit read");
        fileHandleShortage(options.relays(), options.queues(), limit).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
    }

    /**
     * Why a run of {@code relays} relays would wedge a broker with this file-handle budget, if it would: 3 handles a
     * quorum queue (the gateway's default, {@code queues} empty, or {@code quorum}) and about 100 for the rest;
     * classic queues and a broker without a budget (RabbitMQ 4) need none.
     */
    static Optional<String> fileHandleShortage(int relays, String queues, OptionalInt limit) {
        int needed = 3 * relays + 100;
        if (queues.equals("classic") || limit.isEmpty() || limit.getAsInt() >= needed) {
            return Optional.empty();
        }
        return Optional.of(relays + " quorum queues need about " + needed + " of RabbitMQ's file handles and it has "
                + limit.getAsInt() + ": new connections would hang. Restart it with a higher open-file limit "
                + "(rabbitmqctl stop; su rabbitmq -s /bin/sh -c 'ulimit -n 20000 && /usr/sbin/rabbitmq-server "
                + "-detached') or give --queues classic");
    }

    /** Waits for the liveness probe; returns the seconds since {@code start}. */
    private double awaitHttp(long start) throws InterruptedException, TimeoutException {
        api.awaitLive(Duration.ofSeconds(options.timeoutSeconds()).minusNanos(System.nanoTime() - start),
                gateway::alive);
        return (System.nanoTime() - start) / 1e9;
    }

    record Live(double seconds, Map<String, Integer> states) {
    }

    /**
     * Polls the relays' states (each answer's latency into {@code statesLatency}) until every relay that is up is
     * {@code live}, printing the states every 2 s.
     */
    private Live awaitLive(String phase, long start, Latency statesLatency) throws Exception {
        long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        long nextReport = System.nanoTime();
        int lastLive = 0;
        long lastReportAt = start;
        while (true) {
            long asked = System.nanoTime();
            Map<String, Integer> states = api.states();
            long now = System.nanoTime();
            statesLatency.recordNanos(now - asked);
            int live = states.getOrDefault("live", 0);
            if (live >= options.up()) {
                return new Live((now - start) / 1e9, states);
            }
            if (now >= nextReport) {
                System.out.printf(Locale.ROOT, "%s +%.1f s: %d/%d live (%.0f/s) %s%n", phase, (now - start) / 1e9,
                        live, options.up(), (live - lastLive) / ((now - lastReportAt) / 1e9), states);
                lastLive = live;
                lastReportAt = now;
                nextReport = now + TimeUnit.SECONDS.toNanos(2);
            }
            if (now > deadline || !gateway.alive()) {
                throw new TimeoutException(phase + ": " + live + " of " + options.up() + " relays live after "
                        + (now - start) / 1_000_000_000 + " s" + (gateway.alive() ? "" : " (the gateway stopped)")
                        + ": " + states);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    /**
     * {@code --idle} seconds at rest (the trickle goes on, unless {@code --rate 0}): CPU per process, and the
     * gateway's busiest thread groups.
     */
    private void idle() throws InterruptedException {
        Map<Long, ProcessProbe.ThreadTicks> threadsBefore = probe.threadTicks(gateway.pid());
        long gatewayBefore = probe.cpuTicks(gateway.pid());
        long beamBefore = probe.oldestTicks("beam.smp");
        long postgresBefore = probe.named("postgres").ticks();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.idleSeconds());
        double wall = (System.nanoTime() - start) / 1e9;
        String idle = "idle " + options.idleSeconds() + " s at " + options.rate() + " events/s";
        long gatewayTicks = probe.cpuTicks(gateway.pid()) - gatewayBefore;
        row(idle + ": gateway", percent(gatewayTicks, wall) + " (" + cpu(gatewayTicks) + " CPU s)");
        row(idle + ": RabbitMQ", percent(probe.oldestTicks("beam.smp") - beamBefore, wall));
        row(idle + ": PostgreSQL", percent(probe.named("postgres").ticks() - postgresBefore, wall));
        Map<String, Long> spent = ProcessProbe.ticksBetween(threadsBefore, probe.threadTicks(gateway.pid()));
        spent.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(entry -> row("idle: gateway threads " + entry.getKey(), percent(entry.getValue(), wall)));
    }

    /**
     * Sends {@code --lone} events one at a time, each on the next relay in turn and {@value #LONE_PAUSE_MILLIS} ms
     * after the previous one was stored, and times each from its send by the upstream to its row in the gateway's
     * store (asked every {@value #LONE_POLL_MILLIS} ms): the path of a live event at rest, with its connector's
     * linger and its consumer's batch delay ({@code gateway.batch-linger}, {@code gateway.sink-max-delay}). The
     * first {@value #LONE_WARMUP} are not counted.
     */
    private void loneEvents() throws Exception {
        if (options.lone() == 0) {
            return;
        }
        Latency latency = new Latency();
        long deadlineNanos = TimeUnit.SECONDS.toNanos(10);
        try (Connection connection = DriverManager.getConnection(options.db(), "postgres", "");
             PreparedStatement stored = connection.prepareStatement("SELECT 1 FROM " + schema
                     + ".events WHERE event_key = ?")) {
            for (int i = 0; i < LONE_WARMUP + options.lone(); i++) {
                TimeUnit.MILLISECONDS.sleep(LONE_PAUSE_MILLIS);
                Event event = upstreams.publishOne().orElseThrow(() -> new IllegalStateException(
                        "no upstream subscription is open to send a lone event on"));
                long sent = System.nanoTime(); // signed and handed to the socket
                stored.setObject(1, EventKeys.of(event.id()));
                while (true) {
                    try (ResultSet row = stored.executeQuery()) {
                        if (row.next()) {
                            break;
                        }
                    }
                    if (System.nanoTime() - sent > deadlineNanos) {
                        throw new TimeoutException("lone event " + event.id().hex() + " not stored within 10 s");
                    }
                    TimeUnit.MILLISECONDS.sleep(LONE_POLL_MILLIS);
                }
                if (i >= LONE_WARMUP) {
                    latency.recordNanos(System.nanoTime() - sent);
                }
            }
        }
        Latency.Summary summary = latency.summary();
        row("lone event, upstream send -> stored", String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, max %.1f ms "
                + "(%d events, one at a time, after %d not counted)", summary.p50(), summary.p90(), summary.max(),
                summary.count(), LONE_WARMUP));
    }

    private void register() throws Exception {
        forEachConcurrently("registered", IntStream.range(0, options.relays()).boxed().toList(), relay -> {
            UUID id = api.register(upstreams.url(relay), "fleet-" + relay);
            ids.add(id);
            registeredIds.add(id.toString());
        });
    }

    private void remove() throws Exception {
        List<UUID> all = List.copyOf(ids);
        forEachConcurrently("removed", all, id -> {
            api.remove(id);
            ids.remove(id);
        });
    }

    interface Call<T> {
        void call(T item) throws IOException;
    }

    /** Calls {@code call} on every item, 16 at a time, printing how many are done every 2 s. */
    private static <T> void forEachConcurrently(String what, List<T> items, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(REGISTER_THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (T item : items) {
                done.add(pool.submit(() -> {
                    call.call(item);
                    return null;
                }));
            }
            long start = System.nanoTime();
            long nextReport = start + TimeUnit.SECONDS.toNanos(2);
            for (Future<?> future : done) {
                while (true) {
                    try {
                        future.get(100, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        long now = System.nanoTime();
                        if (now >= nextReport) {
                            long finished = done.stream().filter(Future::isDone).count();
                            System.out.printf(Locale.ROOT, "%s +%.1f s: %d/%d (%.0f/s)%n", what, (now - start) / 1e9,
                                    finished, items.size(), finished / ((now - start) / 1e9));
                            nextReport = now + TimeUnit.SECONDS.toNanos(2);
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void printThreads(Map<String, Integer> threads) {
        System.out.println("gateway platform threads by name (digits as #):");
        threads.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> System.out.printf("  %5d  %s%n", entry.getValue(), entry.getKey()));
    }

    /** Stops whatever this run started; called at the end and by the shutdown hook, so it runs at most once. */
    private synchronized void cleanUp() {
        if (gateway != null && gateway.alive()) {
            try {
                if (!ids.isEmpty()) {
                    System.out.println("removing the " + ids.size() + " relays still registered");
                    remove();
                }
            } catch (Exception e) {
                System.out.println("could not remove the relays over REST: " + e);
            }
            gateway.kill();
        }
        if (upstreams != null) {
            try {
                upstreams.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            upstreams = null;
        }
        if (schemaCreated) {
            try {
                execute("DROP SCHEMA " + schema + " CASCADE");
                schemaCreated = false;
            } catch (SQLException e) {
                System.out.println("could not drop schema " + schema + ": " + e);
            }
        }
        deleteOwnQueues();
    }

    /**
     * Deletes the queues of relays this run registered that are still there (a removal that failed), then says
     * what is left: of this run, and new since the start but another's (other gateways share the broker). One
     * rabbitmqctl takes a second or two: beyond a few queues, their names go to a file to delete them from.
     */
    private void deleteOwnQueues() {
        try {
            List<String> own = ownQueues(rabbit.queues());
            if (own.size() <= 20) {
                for (String queue : own) {
                    rabbit.deleteQueue(queue);
                }
            } else {
                Path list = log.resolveSibling(schema + "-queues.txt");
                Files.write(list, own);
                System.out.println(own.size() + " queues of this run are left; delete them with: xargs -n1 "
                        + "rabbitmqctl -q delete_queue < " + list);
            }
            List<String> after = new ArrayList<>(rabbit.queues());
            after.removeAll(queuesBefore);
            own = ownQueues(after);
            after.removeAll(own);
            summary.put("RabbitMQ queues of this run left", own.isEmpty() ? "none" : Integer.toString(own.size()));
            // nostr.dead is the gateway's own, shared by every relay: new on a broker no gateway ran on before
            summary.put("RabbitMQ queues new since the start, not this run's", after.isEmpty() ? "none"
                    : after.size() <= 5 ? String.join(", ", after) : after.size() + ", among them " + after.get(0));
        } catch (IOException e) {
            System.out.println("could not list or delete RabbitMQ's queues: " + e);
        }
    }

    private List<String> ownQueues(List<String> queues) {
        return queues.stream().filter(queue -> queue.startsWith("nostr.relay.")
                && registeredIds.contains(queue.substring("nostr.relay.".length()))).toList();
    }

    private void row(String label, String value) {
        summary.put(label, value);
        System.out.println(label + ": " + value);
    }

    private void printSummary() {
        int width = summary.keySet().stream().mapToInt(String::length).max().orElse(0);
        System.out.println();
        System.out.println("summary");
        summary.forEach((label, value) -> System.out.printf("  %-" + width + "s  %s%n", label, value));
    }

    private String cpu(long ticks) {
        return String.format(Locale.ROOT, "%.1f", ticks / (double) ticksPerSecond);
    }

    private String percent(long ticks, double wallSeconds) {
        return String.format(Locale.ROOT, "%.1f %% of a core", ticks * 100.0 / ticksPerSecond / wallSeconds);
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /** The share at or under 100 ms and the bucket bound that p99 falls under. */
    static String serverLatency(SortedMap<Double, Long> buckets) {
        long total = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0L);
        if (total == 0) {
            return "no requests counted (is management.metrics.distribution.slo.http.server.requests set?)";
        }
        double p99Bound = Double.POSITIVE_INFINITY;
        for (Map.Entry<Double, Long> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= Math.ceil(total * 0.99)) {
                p99Bound = bucket.getKey();
                break;
            }
        }
        return String.format(Locale.ROOT, "%.1f %% at or under 100 ms, p99 <= %s (%d requests, from "
                        + "http_server_requests_seconds_bucket)", 100.0 * buckets.getOrDefault(0.1, 0L) / total,
                p99Bound == Double.POSITIVE_INFINITY ? "more than the last bucket" : Math.round(p99Bound * 1000)
                        + " ms", total);
    }

    private static String latency(Latency latency) {
        Latency.Summary summary = latency.summary();
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests; goal p99 <= 100 ms)",
                summary.p50(), summary.p99(), summary.max(), summary.count());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(options.db(), "postgres", "")) {
            connection.createStatement().execute(sql);
        }
    }
}
