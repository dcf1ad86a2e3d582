package dev.nostrgate.gateway.fleet;

import dev.nostrgate.core.Backoff;
import dev.nostrgate.gateway.connector.LocalRelays;
import dev.nostrgate.gateway.connector.RelayStatus;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.StatsRepository;
import dev.nostrgate.relay.store.Retry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's share of the relays, every {@code gateway.fleet.renew-interval}: says it is alive, renews
 * the leases it holds, takes free or expired ones up to its even share, gives back what is above it, and makes what
 * runs here follow what it holds (start, apply a changed setting, carry out a removal, stop what another instance
 * took). It publishes its relays' states for the other instances' REST APIs.
 *
 * <p>When it cannot renew for longer than the lease lasts (less one interval), it stops every relay here (fencing):
 * by then another instance may have taken them, and a relay run twice would read its upstream twice. The store's
 * idempotent insert makes such an overlap harmless for the data; fencing bounds it.
 */
@Component
public class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** What is being done to a relay here; the tick leaves a relay alone while something is. */
    enum Work { START, CHANGE, HAND_OVER, REMOVE }

    /** Work under way for a relay, and when it is done. */
    private record Underway(Work kind, CompletableFuture<Void> done) {
    }

    private final LeaseTable leases;
    private final RelayRegistry registry;
    private final LocalRelays local;
    private final StatsRepository stats;
    private final String me;
    private final Instant startedAt = Instant.now();
    private final Duration ttl;
    private final Duration interval;
    private final Retry retry;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lease-keeper");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * Starts, changes, hand-overs and removals, a few at a time. Platform threads: starting a consumer blocks in
     * synchronized code of the AMQP client, which would pin virtual threads to the few carriers.
     */
    private final ExecutorService work;
    private final Map<UUID, Underway> busy = new ConcurrentHashMap<>();
    /** The settings version each relay running here was started or last changed with. */
    private final Map<UUID, Long> applied = new ConcurrentHashMap<>();
    /** What was last published per relay (tick thread only). */
    private final Map<UUID, LeaseTable.Published> published = new HashMap<>();
    private volatile Fleet fleet = new Fleet(List.of(), Map.of());
    private volatile long lastRenewal = System.nanoTime();
    private volatile boolean stopping;
    private boolean fenced; // tick thread only
    private boolean first = true; // tick thread only

    public LeaseKeeper(LeaseTable leases, RelayRegistry registry, LocalRelays local, StatsRepository stats,
                       FleetProperties properties) {
        this.leases = leases;
        this.registry = registry;
        this.local = local;
        this.stats = stats;
        this.me = properties.resolvedInstanceId();
        this.ttl = properties.leaseTtl();
        this.interval = properties.renewInterval();
        this.retry = Retry.within(interval, new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)),
                () -> stopping).forIdempotentStep();
        AtomicInteger threads = new AtomicInteger();
        this.work = Executors.newFixedThreadPool(properties.startParallelism(), runnable -> {
            Thread thread = new Thread(runnable, "relay-start-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** This instance's id in the lease table. */
    public String instanceId() {
        return me;
    }

    /** The live instances and every relay's lease, as of the last tick. */
    public Fleet fleet() {
        return fleet;
    }

    /** Starts keeping leases once the application is ready: HTTP serves meanwhile. */
    @EventListener(ApplicationReadyEvent.class)
    public void begin() {
        log.info("gateway instance {} keeps its share of the relays every {} ms (leases last {} ms)", me,
                interval.toMillis(), ttl.toMillis());
        ticks.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        if (stopping) {
            return;
        }
        long began = System.nanoTime();
        // Read before renewing: a relay running by then had its lease claimed by then, so the renewal returns it
        // while this instance still holds it. A relay the REST API starts meanwhile is not mistaken for a lost one.
        Set<UUID> runningBefore = local.running();
        try {
            Set<UUID> held = retry.call("renewing leases", () -> {
                leases.heartbeat(me, startedAt, ttl);
                return leases.renew(me, ttl);
            });
            lastRenewal = began;
            if (fenced) {
                log.info("leases renewed again: {} relays held here start again", held.size());
                fenced = false;
            }
            List<Instance> instances = retry.call("reading the fleet", () -> {
                leases.addMissing();
                return leases.liveInstances();
            });
            List<Lease> all = retry.call("reading the leases", leases::all);
            int target = Share.target(me, instances.stream().map(Instance::id).toList(), all.size());
            Set<UUID> keeping = new HashSet<>(held);
            keeping.removeIf(id -> busyWith(id, Work.HAND_OVER));
            if (keeping.size() > target) {
                giveBack(keeping, keeping.size() - target, all);
            } else if (keeping.size() < target) {
                Set<UUID> taken = retry.call("taking leases",
                        () -> leases.take(me, ttl, target - keeping.size()));
                if (!taken.isEmpty()) {
                    log.info("took {} relays (share {} of {} across {} instances)", taken.size(), target,
                            all.size(), Math.max(1, instances.size()));
                    held.addAll(taken);
                    all = retry.call("reading the leases", leases::all);
                }
            }
            Map<UUID, Lease> byId = all.stream().collect(Collectors.toMap(Lease::relayId, Function.identity()));
            List<CompletableFuture<Void>> starts = follow(held, byId, runningBefore);
            publishStates();
            fleet = new Fleet(instances, byId);
            if (first) {
                first = false;
                // failed starts are logged and tried again at the next tick; the phase follows the started ones
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).handle((ok, failed) -> null).join();
                log.info("instance {} started the {} relays it holds ({} instances live)", me, held.size(),
                        Math.max(1, instances.size()));
                local.started();
            }
        } catch (RuntimeException e) {
            long sinceRenewal = System.nanoTime() - lastRenewal;
            log.warn("keeping leases failed ({}); last renewed {} ms ago", e.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(sinceRenewal));
            if (!fenced && sinceRenewal > ttl.minus(interval).toNanos()) {
                fence();
            }
        }
    }

    /** Hands over the relays above this instance's share: the newest ids, none that is being worked on. */
    private void giveBack(Set<UUID> keeping, int count, List<Lease> all) {
        Set<UUID> removing = all.stream().filter(Lease::removing).map(Lease::relayId).collect(Collectors.toSet());
        List<UUID> extra = keeping.stream()
                .filter(id -> !busy.containsKey(id) && !removing.contains(id))
                .sorted(Comparator.reverseOrder())
                .limit(count)
                .toList();
        if (!extra.isEmpty()) {
            log.info("giving back {} relays above this instance's share", extra.size());
        }
        for (UUID id : extra) {
            submit(id, Work.HAND_OVER, () -> {
                local.handOver(id);
                applied.remove(id);
                retry.call("giving back a lease", () -> {
                    leases.release(me, List.of(id));
                    return null;
                });
            });
        }
    }

    /** Makes what runs here follow the leases held: returns the starts it began. */
    private List<CompletableFuture<Void>> follow(Set<UUID> held, Map<UUID, Lease> byId, Set<UUID> runningBefore) {
        for (UUID id : runningBefore) {
            if (!held.contains(id) && !busy.containsKey(id)) {
                log.warn("relay {} is no longer held here (another instance took its lease): stopping it here", id);
                submit(id, Work.HAND_OVER, () -> {
                    local.handOver(id);
                    applied.remove(id);
                });
            }
        }
        Set<UUID> running = local.running();
        List<Lease> toStart = new ArrayList<>();
        for (UUID id : held) {
            Lease lease = byId.get(id);
            if (lease == null || busy.containsKey(id)) {
                continue;
            }
            if (lease.removing()) {
                submit(id, Work.REMOVE, () -> removeHere(id));
            } else if (!running.contains(id)) {
                toStart.add(lease);
            } else if (!Objects.equals(applied.get(id), lease.version())) {
                submit(id, Work.CHANGE, () -> registry.find(id).ifPresent(relay -> {
                    log.info("relay {} was changed through another instance: applying it here", id);
                    local.change(relay);
                    applied.put(id, lease.version());
                }));
            }
        }
        return start(toStart);
    }

    /**
     * Starts these relays, their registrations read in one query per thousand: read after the leases, so each is at
     * least as new as the lease version its start is recorded with. A change made between this read and the start
     * (which may wait behind many others) is applied at the next tick, as one made through another instance is; a
     * removal through REST waits for the start ({@link #submitAfterUnderway}). One query per relay cost more CPU
     * than the rest of a relay's start at a thousand relays. A failed read skips these starts only: the rest of the
     * tick goes on, and the next one tries them again.
     */
    private List<CompletableFuture<Void>> start(List<Lease> toStart) {
        if (toStart.isEmpty()) {
            return List.of();
        }
        Map<UUID, RegisteredRelay> registered;
        try {
            registered = retry.call("reading the relays to start",
                    () -> registry.find(toStart.stream().map(Lease::relayId).toList()));
        } catch (RuntimeException e) {
            log.warn("reading the {} relays to start failed: {}", toStart.size(), e.getMessage());
            return List.of();
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Lease lease : toStart) {
            RegisteredRelay relay = registered.get(lease.relayId());
            if (relay != null) { // else removed since the leases were read
                starts.add(submit(lease.relayId(), Work.START, () -> {
                    local.start(relay);
                    applied.put(lease.relayId(), lease.version());
                }));
            }
        }
        return starts;
    }

    /** Drains and deletes the relay's queue, then its registration and statistics. */
    private void removeHere(UUID id) {
        local.remove(id).join();
        applied.remove(id);
        registry.remove(id);
        stats.deleteRelay(id);
        log.info("relay {} removed (asked through another instance)", id);
    }

    private void publishStates() {
        Map<UUID, LeaseTable.Published> changed = new HashMap<>();
        Set<UUID> running = local.running();
        published.keySet().retainAll(running);
        for (UUID id : running) {
            local.state(id).ifPresent(status -> {
                LeaseTable.Published now = new LeaseTable.Published(status.state().apiName(), status.lastError());
                if (!now.equals(published.get(id))) {
                    changed.put(id, now);
                }
            });
        }
        if (!changed.isEmpty()) {
            retry.call("publishing " + changed.size() + " relay states", () -> {
                leases.publish(me, changed);
                return null;
            });
            published.putAll(changed);
        }
    }

    /** Renewals failed for too long: another instance may hold these relays now, so stop them here. */
    private void fence() {
        fenced = true;
        Set<UUID> running = local.running();
        log.error("could not renew leases for {} ms (is the database reachable?): stopping the {} relays here, "
                + "their queues kept, until renewals succeed again", ttl.minus(interval).toMillis(), running.size());
        for (UUID id : running) {
            local.handOver(id);
            applied.remove(id);
        }
        published.clear();
    }

    /**
     * Runs a piece of work for one relay here, unless other work for it is under way; the tick leaves the relay
     * alone meanwhile. Failures are logged, and the next tick tries again.
     */
    CompletableFuture<Void> submit(UUID id, Work kind, Runnable task) {
        CompletableFuture<Void> submitted = trySubmit(id, kind, task);
        return submitted != null ? submitted : CompletableFuture.completedFuture(null);
    }

    /**
     * Runs a piece of work for one relay here once the work under way for it here, if any, is done: a removal asked
     * for through REST, which must not be skipped as the tick's work is (the registration is deleted next, and a
     * start still queued or running would otherwise leave the relay running unregistered, its queue for good).
     */
    CompletableFuture<Void> submitAfterUnderway(UUID id, Work kind, Runnable task) {
        Underway current = busy.get(id);
        if (current == null) {
            CompletableFuture<Void> submitted = trySubmit(id, kind, task);
            if (submitted != null) {
                return submitted;
            }
            return submitAfterUnderway(id, kind, task); // other work came first: after that one
        }
        return current.done().thenCompose(ignored -> submitAfterUnderway(id, kind, task));
    }

    /** As {@link #submit}; null if other work for the relay is under way. */
    private CompletableFuture<Void> trySubmit(UUID id, Work kind, Runnable task) {
        Underway underway = new Underway(kind, new CompletableFuture<>());
        if (busy.putIfAbsent(id, underway) != null) {
            return null;
        }
        try {
            return CompletableFuture.runAsync(task, work).whenComplete((ok, failure) -> {
                finished(id, underway);
                if (failure != null) {
                    log.warn("{} of relay {} failed: {}", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_',
                            ' '), id, failure.getCause() != null ? failure.getCause().getMessage()
                            : failure.getMessage());
                }
            });
        } catch (RuntimeException rejected) { // stopping
            finished(id, underway);
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private boolean busyWith(UUID id, Work kind) {
        Underway underway = busy.get(id);
        return underway != null && underway.kind() == kind;
    }

    private void finished(UUID id, Underway underway) {
        busy.remove(id, underway);
        underway.done().complete(null);
    }

    /**
     * Runs work for a relay on the caller's thread (a REST request), with the tick keeping away from it meanwhile.
     * A start asked for while the tick is starting the relay here is that start, under way: it returns at once. (A
     * relay registered just before a tick is often taken by the tick before its REST request starts it; that
     * request used to fail with 503 and take the registration back while the tick's start went on, which left a
     * relay running here unregistered, then stopped, and its queue on the broker for good.) A change asked for
     * while other work for the relay is under way here is left to the tick: the registry holds it, with a new
     * version, and the first tick after that work finds the relay running with an older one and applies it (or the
     * instance that takes the relay over starts it with it).
     *
     * @throws IllegalStateException if a start finds other work than a start under way for the relay here (a
     *     hand-over or a removal)
     */
    void runHere(UUID id, Work kind, Runnable task) {
        Underway underway = new Underway(kind, new CompletableFuture<>());
        Underway under = busy.putIfAbsent(id, underway);
        if (under != null) {
            if (kind == Work.CHANGE || under.kind() == Work.START && kind == Work.START) {
                return; // the tick applies the change; the start under way is this one
            }
            throw new IllegalStateException("relay " + id + " is busy here (" + under.kind() + "); retry shortly");
        }
        try {
            task.run();
        } finally {
            finished(id, underway);
        }
    }

    /** Remembers the settings version a relay runs with here. */
    void applied(UUID id, long version) {
        applied.put(id, version);
    }

    /**
     * Stops keeping leases, stops every relay here, then gives the leases back so others take them at once. On the
     * context's close, before its lifecycle beans stop: the AMQP connection factory is one, and its stop closes the
     * consumers' connection, which every relay's consumer would take for a broker failure (logged, then restarted
     * only to be stopped). {@code @PreDestroy} too, for a context destroyed without a close; once is enough.
     */
    @EventListener(ContextClosedEvent.class)
    @PreDestroy
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        local.stop();
        try {
            leases.leave(me);
            log.info("instance {} left: its leases are free for the other instances", me);
        } catch (RuntimeException e) {
            log.warn("could not give the leases back ({}): other instances take them when they expire in {} ms",
                    e.getMessage(), ttl.toMillis());
        }
    }

    /** The live instances and every relay's lease, as the last tick read them. */
    public record Fleet(List<Instance> instances, Map<UUID, Lease> leases) {
    }
}
