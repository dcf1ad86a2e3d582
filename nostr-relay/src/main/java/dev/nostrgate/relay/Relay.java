package dev.nostrgate.relay;

import dev.nostrgate.core.event.Event;
import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.core.negentropy.StorageBudget;
import dev.nostrgate.relay.config.RelayConfig;
import dev.nostrgate.relay.ingest.IngestLanes;
import dev.nostrgate.relay.ingest.Ingester;
import dev.nostrgate.relay.metrics.RelayMetrics;
import dev.nostrgate.relay.replica.RabbitReplicaBus;
import dev.nostrgate.relay.replica.ReplicaBus;
import dev.nostrgate.relay.server.Connections;
import dev.nostrgate.relay.server.Readiness;
import dev.nostrgate.relay.server.RelayInfo;
import dev.nostrgate.relay.server.RelayServer;
import dev.nostrgate.relay.store.Database;
import dev.nostrgate.relay.store.EventWriter;
import dev.nostrgate.relay.store.ExpirationSweeper;
import dev.nostrgate.relay.store.RecentEvents;
import dev.nostrgate.relay.store.SqlEventStore;
import dev.nostrgate.relay.store.StatementWarmUp;
import dev.nostrgate.relay.subscription.LiveMonitor;
import dev.nostrgate.relay.subscription.QueryWorker;
import dev.nostrgate.relay.subscription.Reconciliations;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the stages of the data path wired together, started in order and stopped in reverse.
 *
 * <pre>
 * IO (Netty "io-N") -> ingest lanes ("ingest-N") -> writer ("writer") -> monitor ("monitor") -> connections
 *                                  \-> monitor (REQ) -> query pool ("query-N") -> connections
 * writer -> replica bus ("replica-publish") ~~ RabbitMQ ~~> other replicas' monitors
 * </pre>
 *
 * <p>Stopping is graceful: the port closes, nothing more is read, what was read is finished (events committed and
 * answered with OK), and then every connection gets what is queued for it and a close frame 1001 ("going away").
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final Duration HEALTH_CHECK_EVERY = Duration.ofSeconds(5);

    private final RelayConfig config;
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;
    private final Deque<AutoCloseable> resources;
    private final EventWriter writer;
    private final IngestLanes lanes;
    private final LiveMonitor monitor;
    private final QueryWorker queries;
    private final Connections connections;
    private final RelayServer server;
    private volatile boolean closed;

    private Relay(RelayConfig config, PrometheusMeterRegistry registry, Readiness readiness,
                  Deque<AutoCloseable> resources, EventWriter writer, IngestLanes lanes, LiveMonitor monitor,
                  QueryWorker queries, Connections connections, RelayServer server) {
        this.config = config;
        this.registry = registry;
        this.readiness = readiness;
        this.resources = resources;
        this.writer = writer;
        this.lanes = lanes;
        this.monitor = monitor;
        this.queries = queries;
        this.connections = connections;
        this.server = server;
    }

    /** Starts a relay with the system clock. */
    public static Relay start(RelayConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Opens the database, starts every stage and binds the port; logs one line when ready. Stopping the relay
     * closes the database.
     *
     * @param clock the time created_at limits, NIP-40 expiration and NIP-42 are judged by
     * @throws RuntimeException if the database, RabbitMQ or the port cannot be used (the message says which and
     *     what to check); whatever was started is stopped again
     */
    public static Relay start(RelayConfig config, Clock clock) {
        Deque<AutoCloseable> resources = new ArrayDeque<>(); // closed in reverse order on failure
        // the store's statements are built while the database starts, not when the first client arrives
        CompletableFuture<Void> statements = StatementWarmUp.start();
        try {
            Database database = push(resources, Database.open(config.database(), config.query().timeout()));
            statements.join();
            return start(config, clock, database, resources, true);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * Starts every stage on a database another program owns (and has migrated): {@code config.database()} is not
     * read, and stopping the relay leaves the database open. No expiration sweeper runs (the owner decides what is
     * deleted; queries hide expired events anyway). Events the owner commits reach live subscribers through
     * {@link #committed(List)}.
     *
     * @throws RuntimeException if RabbitMQ or the port cannot be used; whatever was started is stopped again
     */
    public static Relay start(RelayConfig config, Clock clock, Database shared) {
        return start(config, clock, shared, new ArrayDeque<>(), false);
    }

    private static Relay start(RelayConfig config, Clock clock, Database database, Deque<AutoCloseable> resources,
                               boolean ownsDatabase) {
        try {
            PrometheusMeterRegistry registry = RelayMetrics.prometheus();
            RelayMetrics metrics = new RelayMetrics(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            push(resources, new JvmGcMetrics()).bindTo(registry);
            Readiness readiness = new Readiness();

            Optional<RecentEvents> recent = recentEvents(config, ownsDatabase);
            SqlEventStore store = new SqlEventStore(database.writes(), database.reads(), database.vendor(),
                    config.store(), clock, recent);
            recent.ifPresent(index -> {
                metrics.counter("nostr.relay.query.recent.answered", "filters answered from the recent events in "
                        + "memory", index::answered);
                metrics.counter("nostr.relay.query.recent.referred", "filters the recent events in memory could not "
                        + "answer alone (the database did)", index::referred);
                metrics.gauge("nostr.relay.query.recent.events", "events held in memory", index::size);
            });
            QueryWorker queries = push(resources, new QueryWorker(store, config.query().threads(),
                    config.query().timeout(), config.limits().maxOutboundBytes() / 2, metrics));
            LiveMonitor monitor = push(resources, new LiveMonitor(queries, metrics));
            ReplicaBus bus = push(resources, config.rabbit().url()
                    .<ReplicaBus>map(url -> RabbitReplicaBus.connect(url, config.rabbit().exchange(),
                            monitor::remote, metrics))
                    .orElse(ReplicaBus.NONE));
            EventWriter writer = push(resources, new EventWriter(store, config.writer(), committed -> {
                metrics.eventsStored(committed.size());
                monitor.committed(committed);
                bus.publish(committed);
            }, metrics::batchWritten));
            metrics.gauge("nostr.relay.writer.queued", "events waiting for the writer", writer::queued);
            if (ownsDatabase) {
                push(resources, new ExpirationSweeper(store, clock, config.query().expirationSweepEvery()));
            }
            IngestLanes lanes = push(resources, new IngestLanes(config.server().ingestThreads()));
            metrics.gauge("nostr.relay.ingest.queued", "messages waiting on the ingest lanes", lanes::queued);
            RelayConfig.Negentropy negentropy = config.negentropy();
            StorageBudget negentropyBudget = negentropyBudget(negentropy);
            metrics.gauge("nostr.relay.negentropy.heap.bytes", "bytes of NIP-77 items sessions hold in the heap",
                    negentropyBudget::heapInUse);
            metrics.gauge("nostr.relay.negentropy.disk.bytes", "bytes of NIP-77 items sessions hold in spill files",
                    negentropyBudget::diskInUse);
            Reconciliations reconciliations = new Reconciliations(queries, store, negentropy.maxSessions(),
                    negentropy.maxItems(), negentropy.frameSizeLimit(), negentropyBudget, metrics);
            Ingester ingester = new Ingester(config, writer, monitor, queries, reconciliations, new EventVerifier(),
                    metrics, clock);
            Connections connections = new Connections(config.limits(), metrics,
                    connection -> lanes.execute(connection, () -> ingester.connectionClosed(connection)));

            DatabaseHealth health = push(resources, new DatabaseHealth(database));
            readiness.add(health::problem);
            readiness.add(bus::problem);

            RelayServer server = RelayServer.start(config, connections, new RelayInfo(config), registry, readiness,
                    lanes, ingester);
            readiness.started();
            Relay relay = new Relay(config, registry, readiness, resources, writer, lanes, monitor, queries,
                    connections, server);
            log.info("relay ready: ws://{}:{} (NIP-11, /metrics, /health on the same port){}, data {}{}{}",
                    config.server().bind(), server.port(), config.server().readOnly() ? ", read-only" : "",
                    database.location(), ownsDatabase ? "" : ", shared with its owner",
                    config.rabbit().url().isPresent() ? ", replicas through RabbitMQ exchange "
                            + config.rabbit().exchange() : "");
            return relay;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** One budget for every NIP-77 session's items; the spill directory is made now, so a bad one fails the start. */
    private static StorageBudget negentropyBudget(RelayConfig.Negentropy negentropy) {
        Path spill = Path.of(negentropy.spillDirectory());
        if (negentropy.diskBudget() > 0) {
            try {
                Files.createDirectories(spill);
            } catch (IOException e) {
                throw new UncheckedIOException("negentropy.spillDirectory " + spill + " cannot be made", e);
            }
        }
        return new StorageBudget(negentropy.memoryBudget(), negentropy.diskBudget(), spill);
    }

    /**
     * The recent events in memory, if this relay may keep them: it must see every write to its database, so not
     * when it serves another program's store or shares its database with replicas.
     */
    private static Optional<RecentEvents> recentEvents(RelayConfig config, boolean ownsDatabase) {
        int megabytes = config.query().recentEventsMegabytes();
        if (megabytes == 0) {
            return Optional.empty();
        }
        if (!ownsDatabase || config.rabbit().url().isPresent()) {
            log.info("recent events in memory: off, other programs write this database too ({})",
                    ownsDatabase ? "replicas through RabbitMQ" : "its owner");
            return Optional.empty();
        }
        return Optional.of(new RecentEvents((long) megabytes << 20));
    }

    /**
     * Events committed to the relay's database by someone else (the program that owns a shared database), in
     * commit order: they go to live subscribers as the relay's own commits do. Waits only while the live fan-out
     * is 100,000 events behind, so a caller that outruns it slows down instead of filling the heap.
     */
    public void committed(List<Event> events) {
        if (!events.isEmpty() && !closed) {
            monitor.committed(List.copyOf(events));
        }
    }

    /** The port the relay listens on. */
    public int port() {
        return server.port();
    }

    /** The relay's meters (what {@code /metrics} shows). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public RelayConfig config() {
        return config;
    }

    /** Stops gracefully (see the class comment); waits at most {@code relay.shutdownTimeout} for clients. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        Duration timeout = config.server().shutdownTimeout();
        log.info("relay stopping: {} connections, {} events waiting for the writer", connections.size(),
                writer.queued());
        readiness.stopping();
        server.stopAccepting();
        connections.stopReading();
        lanes.drain(timeout);     // what was read is handled; its events are with the writer
        writer.close();           // committed, and every OK queued
        monitor.close();          // the last commits delivered to live subscribers
        queries.close();
        Duration left = timeout.minusNanos(System.nanoTime() - started);
        connections.closeAll(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "relay is shutting down",
                left.isNegative() ? Duration.ZERO : left);
        server.stop();
        closeAll(resources);
        log.info("relay stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** Checks the database every few seconds on its own thread, so that readiness answers from a cached result. */
    private static final class DatabaseHealth implements AutoCloseable {
        private final Database database;
        private final ScheduledExecutorService scheduler;
        private volatile Optional<String> problem = Optional.empty();

        DatabaseHealth(Database database) {
            this.database = database;
            this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "health");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::check, HEALTH_CHECK_EVERY.toMillis(),
                    HEALTH_CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void check() {
            try (Connection connection = database.reads().getConnection()) {
                problem = connection.isValid(2) ? Optional.empty() : Optional.of("database does not answer");
            } catch (Exception e) {
                problem = Optional.of("database unavailable: " + e.getMessage());
            }
        }

        Optional<String> problem() {
            return problem;
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
        }
    }
}
